/* head [-n N] [FILE...]: the first N (10) lines of each. */
#include "util.h"

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "n:", "[-n N] [FILE...]", "print the first lines", seen,
			   arg);
	long n = seen['n'] ? util_number(arg['n'], "-n") : 10;
	int status = 0, files = argc - i;

	if (i == argc)
		argv[--i] = "-";
	for (int first = i; i < argc; i++) {
		FILE *f = util_open(argv[i]);
		if (f == NULL) {
			status = 1;
			continue;
		}
		if (files > 1)
			printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
		long lines = 0;
		for (int c; lines < n && (c = getc(f)) != EOF;) {
			putchar(c);
			lines += c == '\n';
		}
		util_close(f);
	}
	return status;
}
