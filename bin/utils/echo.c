/* echo [-n] [WORD...]: the words, separated by spaces; -n: no newline. */
#include "util.h"

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "n", "[-n] [WORD...]", "write the words to stdout", seen,
			   NULL);

	for (int first = i; i < argc; i++)
		printf("%s%s", i > first ? " " : "", argv[i]);
	if (!seen['n'])
		putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}
