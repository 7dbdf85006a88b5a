/* mv FROM TO, or mv FROM... DIR: renames (there is one file system, so
 * nothing is copied). */
#include "copy.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "f", "FROM TO | FROM... DIR", "move (rename) files", seen,
			   NULL);
	struct stat st;
	int status = 0;

	if (argc - i < 2)
		util_fail(2, "usage: mv FROM TO | FROM... DIR");
	const char *last = argv[argc - 1];
	bool into = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
	if (!into && argc - i > 2)
		util_fail(1, "%s: not a directory", last);
	for (; i < argc - 1; i++) {
		char to[4096];
		copy_target(argv[i], last, into, to, sizeof(to));
		if (rename(argv[i], to) != 0) {
			util_error("%s: %s", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
