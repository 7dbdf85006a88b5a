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

struct lines {
	char **lines;
	size_t count, cap;
};

static void take(FILE *f, const char *name, void *arg)
{
	struct lines *l = arg;
	char *line = NULL;
	size_t room = 0, len;

	(void)name;
	while (util_line(f, &line, &room, &len)) {
		if (l->count == l->cap &&
		    (l->lines = realloc(l->lines, (l->cap = l->cap * 2 + 64) * sizeof(char *))) == NULL)
			util_fail(2, "out of memory");
		l->lines[l->count++] = strdup(line);
	}
	free(line);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "rnu", "[-rnu] [FILE...]", "sort lines", seen, NULL);
	struct lines l = { 0 };

	numeric = seen['n'];
	reverse = seen['r'];
	int status = util_each_file(argc, argv, i, take, &l) != 0 ? 2 : 0;
	qsort(l.lines, l.count, sizeof(char *), compare);
	for (size_t k = 0; k < l.count; k++)
		if (!seen['u'] || k == 0 || compare(&l.lines[k - 1], &l.lines[k]) != 0)
			printf("%s\n", l.lines[k]);
	return status;
}
