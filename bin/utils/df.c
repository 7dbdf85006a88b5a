/* df [PATH...]: the size and use of the file system each PATH (/) is
 * on, in KiB.  There is one: the file server's disk, on /. */
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "[PATH...]", "print file system space in use and free",
			   seen, NULL);
	int status = 0;

	if (i == argc)
		argv[--i] = "/";
	printf("Filesystem     1K-blocks      Used Available Use%% Mounted on\n");
	for (; i < argc; i++) {
		struct statvfs st;
		if (statvfs(argv[i], &st) != 0) {
			util_error("%s: %s", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		unsigned long long k = st.f_frsize / 1024, size = st.f_blocks * k,
				   used = (st.f_blocks - st.f_bfree) * k, avail = st.f_bavail * k;
		unsigned long long percent = used + avail > 0 ? (100 * used + used + avail - 1) /
									(used + avail) : 0;
		printf("%-14s %9llu %9llu %9llu %3llu%% %s\n", "disk0", size, used, avail, percent,
		       "/");
	}
	return status;
}
