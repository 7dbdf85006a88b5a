/* newlib's <signal.h>, and what Pagoda's libc adds to it (libc/unix/):
 * the sigaction flags newlib's default struct sigaction lacks, with the
 * values of mach/unix_types.h.  Handlers are called handler(sig, NULL,
 * context), so a three-argument handler may be cast to sa_handler. */
#pragma once

#include_next <signal.h>

#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

int sigsuspend(const sigset_t *mask);
int pause(void);
