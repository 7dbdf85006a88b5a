/* ls [-la] [PATH...]: each directory's entries (. by default), sorted;
 * a file itself.  -a: with those whose names begin with '.'; -l: long,
 * with mode, links, owner, group, size and modification time, and a
 * symbolic link's target. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool all, longer;

/* The name /etc/passwd (or /etc/group) gives id, or the number. */
static const char *id_name(const char *file, unsigned id, char *buf, size_t size)
{
	FILE *f = fopen(file, "r");
	char line[256];

	snprintf(buf, size, "%u", id);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *name = strtok(line, ":"), *pw = strtok(NULL, ":"), *num = strtok(NULL, ":");
		if (name != NULL && pw != NULL && num != NULL && (unsigned)atoi(num) == id) {
			snprintf(buf, size, "%s", name);
			break;
		}
	}
	if (f != NULL)
		fclose(f);
	return buf;
}

static void mode_string(mode_t m, char *out)
{
	const char *rwx = "rwxrwxrwx";

	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISFIFO(m) ? 'p' : '-';
	for (int k = 0; k < 9; k++)
		out[k + 1] = m & (0400 >> k) ? rwx[k] : '-';
	if (m & S_ISUID)
		out[3] = m & S_IXUSR ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = m & S_IXGRP ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = m & S_IXOTH ? 't' : 'T';
	out[10] = '\0';
}

static void show(const char *path, const char *name)
{
	struct stat st;
	char mode[11], user[32], group[32], when[32], target[256];

	if (!longer) {
		printf("%s\n", name);
		return;
	}
	if (lstat(path, &st) != 0) {
		util_error("%s: %s", path, strerror(errno));
		return;
	}
	mode_string(st.st_mode, mode);
	time_t t = st.st_mtime;
	strftime(when, sizeof(when), "%b %e %H:%M", gmtime(&t));
	printf("%s %3u %-8s %-8s %8lld %s %s", mode, (unsigned)st.st_nlink,
	       id_name("/etc/passwd", st.st_uid, user, sizeof(user)),
	       id_name("/etc/group", st.st_gid, group, sizeof(group)), (long long)st.st_size, when,
	       name);
	ssize_t n;
	if (S_ISLNK(st.st_mode) && (n = readlink(path, target, sizeof(target) - 1)) >= 0)
		printf(" -> %.*s", (int)n, target);
	putchar('\n');
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t count = 0;

	if (d == NULL) {
		util_error("%s: %s", dir, strerror(errno));
		return 1;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.' && !all)
			continue;
		names = realloc(names, (count + 1) * sizeof(char *));
		names[count++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof(char *), by_name);
	for (size_t k = 0; k < count; k++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		show(path, names[k]);
		free(names[k]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "la", "[-la] [PATH...]", "list directories and files",
			   seen, NULL);
	int status = 0, paths = argc - i;

	all = seen['a'];
	longer = seen['l'];
	if (i == argc)
		argv[--i] = ".";
	for (int first = i; i < argc; i++) {
		struct stat st;
		if (lstat(argv[i], &st) != 0) {
			util_error("%s: %s", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			show(argv[i], argv[i]);
			continue;
		}
		if (paths > 1)
			printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
		status |= list_dir(argv[i]);
	}
	return status;
}
