/*
 * The one translation of kern_return_t into errno (docs/unix.md): used by
 * libc when a call to the UNIX server fails in transport, and by the
 * UNIX server (emul/) when a server or the kernel it calls refuses.
 */
#pragma once

#include <mach/kern_return.h>

/* The errno value (positive) that stands for kr; EIO for an unknown one. */
int unix_errno_from_kern(kern_return_t kr);
