/* cp [-r] FROM TO, or cp [-r] FROM... DIR: copies (-r: directories
 * with all they hold). */
#include "copy.h"
#include "util.h"

#include <sys/stat.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "rR", "[-r] FROM TO | FROM... DIR", "copy files", seen,
			   NULL);
	struct stat st;
	int status = 0;

	if (argc - i < 2)
		util_fail(2, "usage: cp [-r] FROM TO | FROM... DIR");
	const char *last = argv[argc - 1];
	bool into = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
	if (!into && argc - i > 2)
		util_fail(1, "%s: not a directory", last);
	for (; i < argc - 1; i++) {
		char to[4096];
		copy_target(argv[i], last, into, to, sizeof(to));
		status |= copy_path(argv[i], to, seen['r'] || seen['R']);
	}
	return status;
}
