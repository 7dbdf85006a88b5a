/*
 * libc's UNIX layer (docs/unix.md): the process port and the one way a
 * system call's answer becomes a C result and errno.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The process port (the task's bootstrap port): every call goes here. */
extern mach_port_t unix_port;

/*
 * A call's value: result if kr is KERN_SUCCESS and result is not
 * negative; otherwise -1 with errno set (from -result, or from kr
 * through the one translation, errno.c).
 */
int64_t unix_return(kern_return_t kr, int64_t result);

/* Takes the task's ports again: in a forked child, whose port names are
 * not its parent's. */
void unix_ports_reset(void);

/*
 * Memory a call was given, checked before a stub touches it (fault.c):
 * false with errno EFAULT if a byte cannot be read (or written); a path
 * also gets ENAMETOOLONG if it has no NUL within FS_PATH_MAX bytes.
 */
bool unix_readable(const void *p, size_t n);
bool unix_writable(void *p, size_t n);
bool unix_path_ok(const char *path);
/* strlen(s) if its NUL is within max bytes, max if not; -1 (EFAULT). */
long unix_string_length(const char *s, size_t max);
