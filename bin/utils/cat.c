/* cat [-n] [FILE...]: the files (or stdin) one after the other; -n
 * numbers the lines. */
#include "util.h"

#include <string.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "n", "[-n] [FILE...]", "concatenate files to stdout", seen,
			   NULL);
	int status = 0;
	long number = 1;
	bool line_start = true;

	if (i == argc)
		argv[--i] = "-";
	for (; i < argc; i++) {
		FILE *f = util_open(argv[i]);
		if (f == NULL) {
			status = 1;
			continue;
		}
		for (int c; (c = getc(f)) != EOF;) {
			if (seen['n'] && line_start)
				printf("%6ld\t", number++);
			putchar(c);
			line_start = c == '\n';
		}
		util_close(f);
	}
	return fflush(stdout) == 0 ? status : 1;
}
