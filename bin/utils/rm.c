/* rm [-rf] PATH...: removes each file (-r: directories with all they
 * hold; -f: no error for what does not exist). */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool recursive, force;

static int remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (force && errno == ENOENT)
			return 0;
		util_error("%s: %s", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) == 0)
			return 0;
		util_error("%s: %s", path, strerror(errno));
		return 1;
	}
	if (!recursive) {
		util_error("%s: is a directory", path);
		return 1;
	}
	int status = 0;
	DIR *d = opendir(path);
	for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t size = strlen(path) + strlen(e->d_name) + 2;
		char *child = malloc(size);
		snprintf(child, size, "%s/%s", path, e->d_name);
		status |= remove_path(child);
		free(child);
	}
	if (d != NULL)
		closedir(d);
	if (rmdir(path) != 0) {
		util_error("%s: %s", path, strerror(errno));
		return 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "rRf", "[-rf] PATH...", "remove files and directories",
			   seen, NULL);
	int status = 0;

	recursive = seen['r'] || seen['R'];
	force = seen['f'];
	if (i == argc && !force)
		util_fail(2, "usage: rm [-rf] PATH...");
	for (; i < argc; i++)
		status |= remove_path(argv[i]);
	return status;
}
