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

struct counts {
	const bool *seen;
	bool named;
	long total[3];
};

static void count(FILE *f, const char *name, void *arg)
{
	struct counts *t = arg;
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
	show(t->seen, c, t->named ? name : NULL);
	for (int k = 0; k < 3; k++)
		t->total[k] += c[k];
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "lwc", "[-lwc] [FILE...]", "count lines, words and bytes",
			   seen, NULL);
	struct counts t = { .seen = seen, .named = argc > i };

	int status = util_each_file(argc, argv, i, count, &t);
	if (argc - i > 1)
		show(seen, t.total, "total");
	return status;
}
