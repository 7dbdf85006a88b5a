/* cmp FILE1 FILE2: where they first differ; status 0 if they do not, 1
 * if they do, 2 on an error. */
#include "util.h"

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "s", "[-s] FILE1 FILE2", "compare two files byte by byte",
			   seen, NULL);

	if (argc - i != 2)
		util_fail(2, "usage: cmp [-s] FILE1 FILE2");
	FILE *a = util_open(argv[i]), *b = util_open(argv[i + 1]);
	if (a == NULL || b == NULL)
		return 2;
	long byte = 1, line = 1;
	for (;;) {
		int x = getc(a), y = getc(b);
		if (x == EOF && y == EOF)
			return 0;
		if (x == EOF || y == EOF) {
			if (!seen['s'])
				util_error("EOF on %s", x == EOF ? argv[i] : argv[i + 1]);
			return 1;
		}
		if (x != y) {
			if (!seen['s'])
				printf("%s %s differ: byte %ld, line %ld\n", argv[i], argv[i + 1], byte,
				       line);
			return 1;
		}
		byte++;
		line += x == '\n';
	}
}
