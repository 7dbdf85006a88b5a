/* The suites' TAP (tap.h), shared by unixtest and sockettest. */
#include <sys/wait.h>

#include "tap.h"

int tap_passed, tap_failed;

void tap_check(bool ok, const char *name, const char *file, int line)
{
	int number = tap_passed + tap_failed + 1;

	if (ok) {
		tap_passed++;
		printf("ok %d - %s\n", number, name);
	} else {
		tap_failed++;
		printf("not ok %d - %s\n# %s:%d: errno %d (%s)\n", number, name, file, line,
		       errno, strerror(errno));
	}
	fflush(stdout);
}

int status_of(pid_t child)
{
	int status = -1;

	waitpid(child, &status, 0);
	return status;
}
