/*
 * What the core utilities share (bin/utils/, one program per file):
 * their name for messages, -h, and errors said as "NAME: message" on
 * stderr.  Written against POSIX (and newlib) alone.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The program's name (argv[0]'s last component), set by util_start. */
extern const char *util_name;

/*
 * The options of argv, optstring as getopt takes it (without 'h'):
 * each option letter seen is set in seen['x'] and its argument, for a
 * letter followed by ':', in arg['x'].  -h prints "usage: NAME USAGE"
 * and what to stdout and exits 0; an unknown option prints the usage to
 * stderr and exits 2.  Returns the index of the first operand.
 */
int util_start(int argc, char **argv, const char *optstring, const char *usage,
	       const char *what, bool seen[128], char *arg[128]);

/* "NAME: message" on stderr; util_fail also exits with status. */
void util_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void util_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* path opened for reading ("-" is stdin), or NULL after an error said. */
FILE *util_open(const char *path);
void util_close(FILE *f);

/* Each operand argv[i..argc) (stdin, "-", if there is none) opened and
 * given to each(f, name, arg), then closed; 1 if one could not be
 * opened (said), else 0. */
int util_each_file(int argc, char **argv, int i, void (*each)(FILE *f, const char *name,
							     void *arg), void *arg);

/* A line of f, without its '\n', in a buffer that grows (*line, *room);
 * false at the end. */
bool util_line(FILE *f, char **line, size_t *room, size_t *len);

/* A decimal number, or util_fail with what it is for. */
long util_number(const char *s, const char *what);
