/* newlib's <sys/wait.h>, and what it lacks: WCONTINUED (Linux's value,
 * mach/unix_types.h's UNIX_WCONTINUED) and WIFCONTINUED. */
#pragma once

#include_next <sys/wait.h>

#define WCONTINUED 8
#define WIFCONTINUED(w) ((w) == 0xffff)
