/* sort [-rnu] [FILE...]: the lines, sorted (-n: by their leading number;
 * -r: reversed; -u: each once). */
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool numeric, reverse;

static int compare(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int r;

	if (numeric) {
		double u = strtod(x, NULL), v = strtod(y, NULL);
		r = u < v ? -1 : u > v;
		if (r == 0)
			r = strcmp(x, y);
	} else {
		r = strcmp(x, y);
	}
	return reverse ? -r : r;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "rnu", "[-rnu] [FILE...]", "sort lines", seen, NULL);
	char **lines = NULL;
	size_t count = 0, cap = 0;
	int status = 0;

	numeric = seen['n'];
	reverse = seen['r'];
	if (i == argc)
		argv[--i] = "-";
	for (; i < argc; i++) {
		FILE *f = util_open(argv[i]);
		char *line = NULL;
		size_t room = 0, len;
		if (f == NULL) {
			status = 2;
			continue;
		}
		while (util_line(f, &line, &room, &len)) {
			if (count == cap && (lines = realloc(lines, (cap = cap * 2 + 64) * sizeof(char *))) == NULL)
				util_fail(2, "out of memory");
			lines[count++] = strdup(line);
		}
		free(line);
		util_close(f);
	}
	qsort(lines, count, sizeof(char *), compare);
	for (size_t k = 0; k < count; k++)
		if (!seen['u'] || k == 0 || compare(&lines[k - 1], &lines[k]) != 0)
			printf("%s\n", lines[k]);
	return status;
}
