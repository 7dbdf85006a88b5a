/* head [-n N] [FILE...]: the first N (10) lines of each. */
#include "util.h"

struct heads {
	long lines;
	int files, shown;
};

static void head(FILE *f, const char *name, void *arg)
{
	struct heads *h = arg;
	long lines = 0;

	if (h->files > 1)
		printf("%s==> %s <==\n", h->shown++ > 0 ? "\n" : "", name);
	for (int c; lines < h->lines && (c = getc(f)) != EOF;) {
		putchar(c);
		lines += c == '\n';
	}
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "n:", "[-n N] [FILE...]", "print the first lines", seen,
			   arg);
	struct heads h = { .lines = seen['n'] ? util_number(arg['n'], "-n") : 10,
			   .files = argc - i };

	return util_each_file(argc, argv, i, head, &h);
}
