/* cat [-n] [FILE...]: the files (or stdin) one after the other; -n
 * numbers the lines. */
#include "util.h"

struct numbering {
	bool on;
	long next;
	bool line_start;
};

static void cat(FILE *f, const char *name, void *arg)
{
	struct numbering *n = arg;

	(void)name;
	for (int c; (c = getc(f)) != EOF;) {
		if (n->on && n->line_start)
			printf("%6ld\t", n->next++);
		putchar(c);
		n->line_start = c == '\n';
	}
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "n", "[-n] [FILE...]", "concatenate files to stdout", seen,
			   NULL);
	struct numbering n = { .on = seen['n'], .next = 1, .line_start = true };

	int status = util_each_file(argc, argv, i, cat, &n);
	return fflush(stdout) == 0 ? status : 1;
}
