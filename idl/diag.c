/* Error reporting and allocation helpers for the interface compiler. */
#define _GNU_SOURCE /* vasprintf */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int error_count;

void diag_error(struct loc at, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d:%d: ", at.file ? at.file : "<input>", at.line,
		at.col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	error_count++;
}

void diag_fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("mig: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

int diag_error_count(void)
{
	return error_count;
}

void *xcalloc(unsigned long n, unsigned long size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		diag_fatal("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		diag_fatal("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		diag_fatal("out of memory");
	va_end(ap);
	return p;
}
