/* mkdir [-p] DIR...: makes each directory (-p: and its parents, and no
 * error if it exists). */
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int make(char *path, bool parents)
{
	if (parents) {
		for (char *p = path + 1; *p != '\0'; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			int r = mkdir(path, 0777);
			*p = '/';
			if (r != 0 && errno != EEXIST) {
				util_error("%s: %s", path, strerror(errno));
				return 1;
			}
		}
	}
	struct stat st;
	if (mkdir(path, 0777) == 0 || (parents && errno == EEXIST && stat(path, &st) == 0 &&
				       S_ISDIR(st.st_mode)))
		return 0;
	util_error("%s: %s", path, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "p", "[-p] DIR...", "make directories", seen, NULL);
	int status = 0;

	if (i == argc)
		util_fail(2, "usage: mkdir [-p] DIR...");
	for (; i < argc; i++)
		status |= make(argv[i], seen['p']);
	return status;
}
