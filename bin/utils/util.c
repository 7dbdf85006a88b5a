/* The core utilities' shared helpers (util.h). */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *util_name = "?";

static _Noreturn void usage_error(const char *usage, const char *fmt, char c)
{
	util_error(fmt, c);
	fprintf(stderr, "usage: %s %s\n", util_name, usage);
	exit(2);
}

/* Options: single letters, grouped or not, before the first operand
 * ("-" is one; "--" ends them).  newlib's getopt does not say which
 * option it refused, so they are read here. */
int util_start(int argc, char **argv, const char *optstring, const char *usage,
	       const char *what, bool seen[128], char *arg[128])
{
	int i = 1;

	util_name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (const char *a = argv[i] + 1; *a != '\0'; a++) {
			const char *o = *a != ':' ? strchr(optstring, *a) : NULL;
			if (*a == 'h') {
				printf("usage: %s %s\n%s\n", util_name, usage, what);
				exit(0);
			}
			if (o == NULL || (unsigned char)*a >= 128)
				usage_error(usage, "unknown option -%c", *a);
			seen[(int)*a] = true;
			if (o[1] != ':')
				continue;
			char *value = a[1] != '\0' ? (char *)a + 1 : i + 1 < argc ? argv[++i] : NULL;
			if (value == NULL)
				usage_error(usage, "-%c needs an argument", *a);
			if (arg != NULL)
				arg[(int)*a] = value;
			break;
		}
	}
	return i;
}

static void say(const char *fmt, va_list ap)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%s: ", util_name);

	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	size_t len = strlen(line);
	if (len + 1 < sizeof(line))
		line[len++] = '\n';
	fflush(stdout);
	if (write(2, line, len) < 0)
		return;
}

void util_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

_Noreturn void util_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	exit(status);
}

FILE *util_open(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		util_error("%s: %s", path, strerror(errno));
	return f;
}

void util_close(FILE *f)
{
	if (f != NULL && f != stdin)
		fclose(f);
}

int util_each_file(int argc, char **argv, int i, void (*each)(FILE *f, const char *name,
							     void *arg), void *arg)
{
	static char *standard_input[] = { "-" };
	int status = 0;

	if (i >= argc) {
		argv = standard_input;
		i = 0;
		argc = 1;
	}
	for (; i < argc; i++) {
		FILE *f = util_open(argv[i]);
		if (f == NULL) {
			status = 1;
			continue;
		}
		each(f, argv[i], arg);
		util_close(f);
	}
	return status;
}

bool util_line(FILE *f, char **line, size_t *room, size_t *len)
{
	int c;

	*len = 0;
	if (*room == 0 && (*line = malloc(*room = 64)) == NULL)
		util_fail(1, "out of memory");
	while ((c = getc(f)) != EOF) {
		if (*len + 2 > *room) {
			*room = *room < 64 ? 64 : 2 * *room;
			char *grown = realloc(*line, *room);
			if (grown == NULL)
				util_fail(1, "out of memory");
			*line = grown;
		}
		if (c == '\n')
			break;
		(*line)[(*len)++] = (char)c;
	}
	if (c == EOF && *len == 0)
		return false;
	(*line)[*len] = '\0';
	return true;
}

long util_number(const char *s, const char *what)
{
	char *end;

	errno = 0;
	long n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0)
		util_fail(2, "%s: not a number: %s", what, s);
	return n;
}
