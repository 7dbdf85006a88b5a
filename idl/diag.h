/*
 * Diagnostics of the interface compiler.  Every message names a place in
 * the original .defs source, as "file:line:col: message" (line and column
 * count from 1; a column counts bytes), so that editors can jump to it.
 * Errors are counted; the compiler writes no output if there was one.
 */
#pragma once

struct loc {
	const char *file;
	int line;
	int col;
};

void diag_error(struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
int diag_error_count(void);

/* Allocation that never fails (the compiler exits on exhaustion). */
void *xcalloc(unsigned long n, unsigned long size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
