/* newlib's <time.h>, with the monotonic clock Pagoda's libc has
 * (libc/unix/time.c), which newlib declares only for systems that say
 * so. */
#pragma once

#include_next <time.h>

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif

/* Also declared by newlib only for systems with POSIX timers. */
int nanosleep(const struct timespec *request, struct timespec *remaining);
int clock_gettime(clockid_t clock, struct timespec *ts);
