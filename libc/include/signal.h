/* newlib's <signal.h>, and what Pagoda's libc adds to it (libc/unix/):
 * the sigaction flags and siginfo codes newlib's lacks, with the values
 * of mach/unix_types.h.  newlib's struct sigaction has no sa_sigaction:
 * handlers are called handler(sig, info, context), info a siginfo_t
 * under SA_SIGINFO and NULL otherwise, so a three-argument handler is
 * cast to sa_handler.  A fault's address is si_addr. */
#pragma once

#include_next <signal.h>

#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

int sigsuspend(const sigset_t *mask);
int pause(void);

#define SI_KERNEL 0x80
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_OBJERR 3
#define si_addr si_value.sival_ptr
