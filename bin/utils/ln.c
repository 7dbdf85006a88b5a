/* ln [-s] TARGET NAME, or ln [-s] TARGET... DIR: a hard link (-s: a
 * symbolic one) named NAME, or in DIR with the target's name. */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "sf", "[-sf] TARGET NAME | TARGET... DIR", "make links",
			   seen, NULL);
	struct stat st;
	int status = 0;

	if (argc - i < 2)
		util_fail(2, "usage: ln [-sf] TARGET NAME | TARGET... DIR");
	const char *last = argv[argc - 1];
	bool into = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
	if (!into && argc - i > 2)
		util_fail(1, "%s: not a directory", last);
	for (; i < argc - 1; i++) {
		char name[4096];
		const char *base = strrchr(argv[i], '/') != NULL ? strrchr(argv[i], '/') + 1 : argv[i];
		if (into)
			snprintf(name, sizeof(name), "%s/%s", last, base);
		else
			snprintf(name, sizeof(name), "%s", last);
		if (seen['f'])
			unlink(name);
		if ((seen['s'] ? symlink(argv[i], name) : link(argv[i], name)) != 0) {
			util_error("%s: %s", name, strerror(errno));
			status = 1;
		}
	}
	return status;
}
