/* newlib's <sys/stat.h>, and lstat (libc/unix/file.c), which newlib
 * declares only for some systems. */
#pragma once

#include_next <sys/stat.h>

int lstat(const char *__restrict path, struct stat *__restrict st);
