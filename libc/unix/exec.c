/* The exec family on execve: the list forms, and the PATH search of
 * execvp and execlp (a name with a '/' is not searched). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mach/fs_types.h>

extern char **environ;

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int execvp(const char *file, char *const argv[])
{
	const char *path = getenv("PATH");
	char full[FS_PATH_MAX];
	int error = ENOENT;

	if (file == NULL || file[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/') != NULL)
		return execve(file, argv, environ);
	for (const char *dir = path != NULL ? path : "/bin:/usr/bin"; ; dir++) {
		size_t len = strcspn(dir, ":");
		if (len + strlen(file) + 2 <= sizeof(full)) {
			memcpy(full, len > 0 ? dir : ".", len > 0 ? len : 1);
			size_t at = len > 0 ? len : 1;
			full[at] = '/';
			strcpy(full + at + 1, file);
			execve(full, argv, environ);
			if (errno != ENOENT && errno != ENOTDIR)
				error = errno;   /* found, but it cannot run: say why */
		}
		dir += len;
		if (*dir == '\0')
			break;
	}
	errno = error;
	return -1;
}

/* The arguments after arg0, to the NULL that ends them, as an argv;
 * NULL (ENOMEM, E2BIG) if there is no room. */
static char **list_args(const char *arg0, va_list ap, char ***envp)
{
	va_list count;
	size_t n = 1;

	va_copy(count, ap);
	while (va_arg(count, char *) != NULL)
		n++;
	va_end(count);
	char **argv = malloc((n + 1) * sizeof(*argv));
	if (argv == NULL)
		return NULL;
	argv[0] = (char *)arg0;
	for (size_t i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	if (envp != NULL)
		*envp = va_arg(ap, char **);
	return argv;
}

enum how { AS_IS, WITH_ENV, SEARCHED };

/* The list forms: argv from the list (and envp after it, WITH_ENV). */
static int exec_list(const char *path, const char *arg0, va_list ap, enum how how)
{
	char **envp = environ;
	char **argv = list_args(arg0, ap, how == WITH_ENV ? &envp : NULL);

	if (argv == NULL)
		return -1;
	if (how == SEARCHED)
		execvp(path, argv);
	else
		execve(path, argv, envp);
	free(argv);
	return -1;
}

int execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = exec_list(path, arg0, ap, AS_IS);
	va_end(ap);
	return r;
}

int execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = exec_list(path, arg0, ap, WITH_ENV);
	va_end(ap);
	return r;
}

int execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = exec_list(file, arg0, ap, SEARCHED);
	va_end(ap);
	return r;
}
