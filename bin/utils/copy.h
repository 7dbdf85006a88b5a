/* cp's copying, which mv uses across file systems too (copy.c). */
#pragma once

#include <stdbool.h>

/* from copied to to (a directory with all it holds if recursive): 0, or
 * 1 after errors said. */
int copy_path(const char *from, const char *to, bool recursive);
/* The path an operand goes to: into dir if dir is one, with from's name. */
void copy_target(const char *from, const char *dir, bool into, char *out, unsigned size);

/* cp's and mv's operands: FROM TO, or FROM... DIR; each (from, to) given
 * to move; the statuses or'ed. */
int copy_operands(int argc, char **argv, int i, const char *usage,
		  int (*move)(const char *from, const char *to, bool recursive), bool recursive);
