/* Copying files and trees (copy.h). */
#include "copy.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void copy_target(const char *from, const char *dir, bool into, char *out, unsigned size)
{
	size_t len = strlen(from);

	while (len > 1 && from[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && from[start - 1] != '/')
		start--;
	if (into)
		snprintf(out, size, "%s/%.*s", dir, (int)(len - start), from + start);
	else
		snprintf(out, size, "%s", dir);
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY), out = -1, status = 0;
	char buf[4096];

	if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode & 0777)) < 0) {
		util_error("%s: %s", in < 0 ? from : to, strerror(errno));
		if (in >= 0)
			close(in);
		return 1;
	}
	for (ssize_t n; (n = read(in, buf, sizeof(buf))) != 0;) {
		if (n < 0 || write(out, buf, (size_t)n) != n) {
			util_error("%s: %s", n < 0 ? from : to, strerror(errno));
			status = 1;
			break;
		}
	}
	close(in);
	if (close(out) != 0)
		status = 1;
	return status;
}

static int copy_tree(const char *from, const char *to, mode_t mode)
{
	int status = 0;

	if (mkdir(to, mode & 0777) != 0 && errno != EEXIST) {
		util_error("%s: %s", to, strerror(errno));
		return 1;
	}
	DIR *d = opendir(from);
	if (d == NULL) {
		util_error("%s: %s", from, strerror(errno));
		return 1;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char a[4096], b[4096];
		snprintf(a, sizeof(a), "%s/%s", from, e->d_name);
		snprintf(b, sizeof(b), "%s/%s", to, e->d_name);
		status |= copy_path(a, b, true);
	}
	closedir(d);
	return status;
}

int copy_path(const char *from, const char *to, bool recursive)
{
	struct stat st;

	if (stat(from, &st) != 0) {
		util_error("%s: %s", from, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode) && !recursive) {
		util_error("%s: is a directory (not copied)", from);
		return 1;
	}
	return S_ISDIR(st.st_mode) ? copy_tree(from, to, st.st_mode)
				   : copy_file(from, to, st.st_mode);
}

int copy_operands(int argc, char **argv, int i, const char *usage,
		  int (*move)(const char *from, const char *to, bool recursive), bool recursive)
{
	struct stat st;
	int status = 0;

	if (argc - i < 2)
		util_fail(2, "usage: %s %s", util_name, usage);
	const char *last = argv[argc - 1];
	bool into = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
	if (!into && argc - i > 2)
		util_fail(1, "%s: not a directory", last);
	for (; i < argc - 1; i++) {
		char to[4096];
		copy_target(argv[i], last, into, to, sizeof(to));
		status |= move(argv[i], to, recursive);
	}
	return status;
}
