/* env [NAME=VALUE...] [COMMAND [ARG...]]: the environment, or COMMAND
 * run with the assignments added to it. */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "[NAME=VALUE...] [COMMAND [ARG...]]",
			   "print the environment, or run a command in a changed one", seen, NULL);

	for (; i < argc && strchr(argv[i], '=') != NULL; i++)
		putenv(argv[i]);
	if (i == argc) {
		for (char **e = environ; *e != NULL; e++)
			printf("%s\n", *e);
		return 0;
	}
	execvp(argv[i], argv + i);
	util_fail(errno == ENOENT ? 127 : 126, "%s: %s", argv[i], strerror(errno));
}
