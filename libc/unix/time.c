/*
 * Time: the kernel's clock (nanoseconds since boot, a trap).  There is no
 * real-time clock yet, so the time of day counts from the boot as if it
 * were 1970 (docs/unix.md).
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <mach/mach.h>

#include "unix_priv.h"

#define NS 1000000000ull

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	uint64_t now;

	if (!unix_writable(ts, sizeof(*ts)))
		return -1;
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
		errno = EINVAL;
		return -1;
	}
	if (clock_get_time(&now) != KERN_SUCCESS) {
		errno = EIO;
		return -1;
	}
	ts->tv_sec = (time_t)(now / NS);
	ts->tv_nsec = (long)(now % NS);
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;
	if (!unix_writable(tv, sizeof(*tv)))
		return -1;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

/* Clock ticks since boot; the process's own times are not kept yet. */
clock_t times(struct tms *buf)
{
	uint64_t now = 0;

	clock_get_time(&now);
	if (buf != NULL)
		buf->tms_utime = buf->tms_stime = buf->tms_cutime = buf->tms_cstime = 0;
	return (clock_t)(now / (NS / CLOCKS_PER_SEC));
}

int nanosleep(const struct timespec *request, struct timespec *remaining)
{
	uint64_t now;

	if (!unix_readable(request, sizeof(*request)) ||
	    (remaining != NULL && !unix_writable(remaining, sizeof(*remaining))))
		return -1;
	if (request->tv_sec < 0 || request->tv_nsec < 0 || request->tv_nsec >= (long)NS) {
		errno = EINVAL;
		return -1;
	}
	if (clock_get_time(&now) != KERN_SUCCESS) {
		errno = EIO;
		return -1;
	}
	uint64_t deadline = now + (uint64_t)request->tv_sec * NS + (uint64_t)request->tv_nsec;
	/* KERN_ABORTED: a signal's handler ran (the server stopped the
	 * thread with thread_abort). */
	bool interrupted = clock_sleep(deadline) == KERN_ABORTED;
	uint64_t left = 0;
	if (interrupted && clock_get_time(&now) == KERN_SUCCESS && now < deadline)
		left = deadline - now;
	if (remaining != NULL) {
		remaining->tv_sec = (time_t)(left / NS);
		remaining->tv_nsec = (long)(left % NS);
	}
	if (interrupted) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

unsigned sleep(unsigned seconds)
{
	struct timespec ts = { .tv_sec = seconds }, left;

	if (nanosleep(&ts, &left) == 0)
		return 0;
	return (unsigned)left.tv_sec + (left.tv_nsec > 0);
}

int usleep(useconds_t us)
{
	struct timespec ts = { .tv_sec = (time_t)(us / 1000000), .tv_nsec = (long)(us % 1000000) * 1000 };
	return nanosleep(&ts, NULL);
}
