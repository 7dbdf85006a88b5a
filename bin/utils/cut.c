/* cut -f LIST [-d C] | -c LIST [FILE...]: the fields (separated by C, a
 * tab by default) or characters LIST names: N, N-M, N-, -M, comma
 * separated. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_INDEX 4096

static bool chosen[MAX_INDEX + 2];

static void parse_list(const char *list)
{
	for (const char *p = list; *p != '\0';) {
		char *end;
		long lo = *p == '-' ? 1 : strtol(p, &end, 10), hi;
		if (*p != '-')
			p = end;
		if (*p == '-') {
			p++;
			hi = *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : MAX_INDEX;
			if (*p >= '0' && *p <= '9')
				p = end;
		} else {
			hi = lo;
		}
		if (lo < 1 || hi < lo || (*p != ',' && *p != '\0'))
			util_fail(2, "bad list: %s", list);
		for (long k = lo; k <= hi && k <= MAX_INDEX; k++)
			chosen[k] = true;
		p += *p == ',';
	}
}

static void cut_line(const char *line, bool fields, char delim)
{
	if (!fields) {
		for (size_t k = 0; line[k] != '\0'; k++)
			if (k + 1 <= MAX_INDEX && chosen[k + 1])
				putchar(line[k]);
		putchar('\n');
		return;
	}
	if (strchr(line, delim) == NULL) {
		printf("%s\n", line);   /* no delimiter: the line as it is */
		return;
	}
	bool first = true;
	long index = 1;
	char set[2] = { delim, '\0' };
	for (const char *p = line;; index++) {
		size_t n = strcspn(p, set);
		if (index <= MAX_INDEX && chosen[index]) {
			if (!first)
				putchar(delim);
			fwrite(p, 1, n, stdout);
			first = false;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	putchar('\n');
}

struct cutting {
	bool fields;
	char delim;
};

static void cut_file(FILE *f, const char *name, void *arg)
{
	const struct cutting *c = arg;
	char *line = NULL;
	size_t room = 0, len;

	(void)name;
	while (util_line(f, &line, &room, &len))
		cut_line(line, c->fields, c->delim);
	free(line);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "f:c:d:", "-f LIST [-d C] | -c LIST [FILE...]",
			   "print chosen fields or characters of each line", seen, arg);

	if (seen['f'] == seen['c'])
		util_fail(2, "usage: cut -f LIST [-d C] | -c LIST [FILE...]");
	parse_list(seen['f'] ? arg['f'] : arg['c']);
	struct cutting c = { .fields = seen['f'], .delim = seen['d'] ? arg['d'][0] : '\t' };
	return util_each_file(argc, argv, i, cut_file, &c);
}
