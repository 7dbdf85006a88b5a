/* sleep SECONDS: waits that long (a decimal fraction allowed). */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "SECONDS", "wait SECONDS (a fraction allowed)", seen,
			   NULL);
	char *end;

	if (i != argc - 1)
		util_fail(2, "usage: sleep SECONDS");
	double s = strtod(argv[i], &end);
	if (*argv[i] == '\0' || *end != '\0' || s < 0 || s > 1e9)
		util_fail(2, "not a time: %s", argv[i]);
	struct timespec t = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
	return 0;
}
