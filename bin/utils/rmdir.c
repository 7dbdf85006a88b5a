/* rmdir DIR...: removes each empty directory. */
#include "util.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "DIR...", "remove empty directories", seen, NULL);
	int status = 0;

	if (i == argc)
		util_fail(2, "usage: rmdir DIR...");
	for (; i < argc; i++) {
		if (rmdir(argv[i]) != 0) {
			util_error("%s: %s", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
