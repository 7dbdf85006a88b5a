/* find [PATH...] [-name PATTERN] [-type f|d|l]: every path under each
 * PATH (.) that matches, one a line.  PATTERN is a glob (* ? [...]) on
 * the last component. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *name_pattern;
static char type;
static int status;

static bool glob_match(const char *p, const char *s)
{
	for (; *p != '\0'; p++, s++) {
		if (*p == '*') {
			for (p++;; s++) {
				if (glob_match(p, s))
					return true;
				if (*s == '\0')
					return false;
			}
		}
		if (*s == '\0')
			return false;
		if (*p == '[') {
			const char *q = p + 1;
			bool negate = *q == '!' || *q == '^', in = false;
			q += negate;
			for (const char *start = q; *q != '\0' && (*q != ']' || q == start); q++) {
				char lo = *q, hi = *q;
				if (q[1] == '-' && q[2] != ']' && q[2] != '\0')
					hi = q[2], q += 2;
				in |= *s >= lo && *s <= hi;
			}
			if (*q != ']' || in == negate)
				return false;
			p = q;
		} else if (*p != '?' && *p != *s) {
			return false;
		}
	}
	return *s == '\0';
}

static void visit(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		util_error("%s: %s", path, strerror(errno));
		status = 1;
		return;
	}
	const char *base = strrchr(path, '/') != NULL && strrchr(path, '/')[1] != '\0'
				   ? strrchr(path, '/') + 1 : path;
	char kind = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'f';
	if ((name_pattern == NULL || glob_match(name_pattern, base)) && (type == 0 || type == kind))
		printf("%s\n", path);
	if (kind != 'd')
		return;
	DIR *d = opendir(path);
	if (d == NULL) {
		util_error("%s: %s", path, strerror(errno));
		status = 1;
		return;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t size = strlen(path) + strlen(e->d_name) + 2;
		char *child = malloc(size);
		snprintf(child, size, path[strlen(path) - 1] == '/' ? "%s%s" : "%s/%s", path,
			 e->d_name);
		visit(child);
		free(child);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	int first = 1, paths = 0;

	util_name = "find";
	if (argc > 1 && strcmp(argv[1], "-h") == 0) {
		printf("usage: find [PATH...] [-name PATTERN] [-type f|d|l]\nlist the paths under "
		       "each PATH that match\n");
		return 0;
	}
	while (first + paths < argc && argv[first + paths][0] != '-')
		paths++;
	for (int i = first + paths; i < argc; i += 2) {
		if (i + 1 >= argc)
			util_fail(2, "%s: needs an argument", argv[i]);
		if (strcmp(argv[i], "-name") == 0)
			name_pattern = argv[i + 1];
		else if (strcmp(argv[i], "-type") == 0 && strchr("fdl", argv[i + 1][0]) != NULL)
			type = argv[i + 1][0];
		else
			util_fail(2, "%s %s: unknown test", argv[i], argv[i + 1]);
	}
	if (paths == 0)
		visit(".");
	for (int k = 0; k < paths; k++)
		visit(argv[first + k]);
	return status;
}
