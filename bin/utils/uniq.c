/* uniq [-cd] [FILE]: each run of equal lines once (-c: with its count;
 * -d: only runs of more than one). */
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void show(const bool *seen, const char *line, long n)
{
	if (seen['d'] && n < 2)
		return;
	if (seen['c'])
		printf("%7ld %s\n", n, line);
	else
		printf("%s\n", line);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "cd", "[-cd] [FILE]", "print each run of equal lines once",
			   seen, NULL);
	FILE *f = util_open(i < argc ? argv[i] : "-");
	char *line = NULL, *last = NULL;
	size_t room = 0, len;
	long n = 0;

	if (f == NULL)
		return 1;
	while (util_line(f, &line, &room, &len)) {
		if (last != NULL && strcmp(line, last) == 0) {
			n++;
			continue;
		}
		if (last != NULL)
			show(seen, last, n);
		free(last);
		last = strdup(line);
		n = 1;
	}
	if (last != NULL)
		show(seen, last, n);
	util_close(f);
	return 0;
}
