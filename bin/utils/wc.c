/* wc [-lwc] [FILE...]: lines, words and bytes of each (and the total). */
#include "util.h"

#include <ctype.h>

static void show(const bool *seen, long c[3], const char *name)
{
	bool all = !seen['l'] && !seen['w'] && !seen['c'];
	const char keys[3] = { 'l', 'w', 'c' };
	bool any = false;

	for (int k = 0; k < 3; k++) {
		if (all || seen[(int)keys[k]]) {
			printf(any ? " %7ld" : "%7ld", c[k]);
			any = true;
		}
	}
	printf(name != NULL ? " %s\n" : "\n", name);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "lwc", "[-lwc] [FILE...]", "count lines, words and bytes",
			   seen, NULL);
	long total[3] = { 0 };
	int status = 0, files = argc - i;

	if (i == argc)
		argv[--i] = "-";
	for (; i < argc; i++) {
		FILE *f = util_open(argv[i]);
		if (f == NULL) {
			status = 1;
			continue;
		}
		long c[3] = { 0 };
		bool in_word = false;
		for (int ch; (ch = getc(f)) != EOF;) {
			c[0] += ch == '\n';
			c[2]++;
			if (isspace(ch))
				in_word = false;
			else if (!in_word)
				in_word = true, c[1]++;
		}
		util_close(f);
		show(seen, c, files > 0 ? argv[i] : NULL);
		for (int k = 0; k < 3; k++)
			total[k] += c[k];
	}
	if (files > 1)
		show(seen, total, "total");
	return status;
}
