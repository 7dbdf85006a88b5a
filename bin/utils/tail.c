/* tail [-n N] [FILE]: the last N (10) lines. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "n:", "[-n N] [FILE]", "print the last lines", seen, arg);
	long n = seen['n'] ? util_number(arg['n'], "-n") : 10;

	if (n < 0)
		util_fail(2, "-n: must not be negative");
	FILE *f = util_open(i < argc ? argv[i] : "-");
	if (f == NULL)
		return 1;
	char **ring = calloc((size_t)n + 1, sizeof(char *));
	size_t room = 0, len;
	char *line = NULL;
	long count = 0;
	while (util_line(f, &line, &room, &len)) {
		free(ring[count % (n + 1)]);
		ring[count % (n + 1)] = strdup(line);
		count++;
	}
	for (long k = count > n ? count - n : 0; k < count; k++)
		printf("%s\n", ring[k % (n + 1)]);
	util_close(f);
	return 0;
}
