/*
 * Bad pointers: EFAULT.  Before a call hands memory it was given to a
 * stub (which would copy it into the message, or the answer out of it),
 * libc touches it with its probes: leaf routines that use no stack, at
 * the place after the entry point that mach/unix_types.h fixes
 * (UNIX_ENTRY_PROBE), where the server knows them from execve: a bad
 * access there is no signal, the server resumes the thread at the
 * probes' fault exit, which returns -1.
 */
#include <errno.h>
#include <unix.h>
#include <mach/fs_types.h>

#include "unix_priv.h"

/* The probes themselves are in crt0's block (start.c):
 * unix_probe_range(p, n, write): 0 if each page of [p, p + n) can be
 * read (write: written, by a locked or of 0, which changes nothing),
 * else -1.  unix_probe_string(s, max): strlen(s) if the NUL is within
 * max bytes, max if not, -1 if a byte before either cannot be read. */
long unix_probe_range(const void *p, size_t n, int write);
long unix_probe_string(const char *s, size_t max);

static bool probed(long r)
{
	if (r < 0)
		errno = EFAULT;
	return r >= 0;
}

bool unix_readable(const void *p, size_t n)
{
	return probed(unix_probe_range(p, n, 0));
}

bool unix_writable(void *p, size_t n)
{
	return probed(unix_probe_range(p, n, 1));
}

long unix_string_length(const char *s, size_t max)
{
	long n = unix_probe_string(s, max);
	return probed(n) ? n : -1;
}

bool unix_path_ok(const char *path)
{
	long n = unix_probe_string(path, FS_PATH_MAX);

	if (n >= FS_PATH_MAX)
		errno = ENAMETOOLONG;
	return probed(n) && n < FS_PATH_MAX;
}
