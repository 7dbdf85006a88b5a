/*
 * Signals: the calls that set what a process does with them, and the
 * restorer every handler returns to (mach/unix_types.h's struct
 * unix_sigframe; the server does the delivery, emul/signal.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_priv.h"

/* newlib's sigset_t has signal sig at bit sig (<sys/signal.h>'s
 * macros), the server's set at bit sig - 1 (UNIX_SIGBIT). */
static uint64_t to_server(sigset_t set)
{
	return ((uint64_t)set >> 1) & (UNIX_SIGBIT(UNIX_NSIG) - 1);
}

static sigset_t from_server(uint64_t set)
{
	return (sigset_t)(set << 1);
}

typedef void (*handler_t)(int, void *, void *);

/* What the trampoline (start.c) calls.  The handler gets a reply port
 * of its own: the reply to a call it interrupted comes to the thread's,
 * taken up after sigreturn.  A handler that leaves by longjmp keeps the
 * new one. */
void unix_sigtramp_run(int sig, handler_t handler, struct unix_sigframe *frame);

void unix_sigtramp_run(int sig, handler_t handler,
						    struct unix_sigframe *frame)
{
	struct mach_thread_data *thread = mach_thread_data();
	mach_port_t interrupted = thread->reply_port;

	thread->reply_port = MACH_PORT_NULL;
	handler(sig, frame->flags & UNIX_SA_SIGINFO ? (void *)&frame->info : NULL, frame);
	if (thread->reply_port != MACH_PORT_NULL)
		mach_port_mod_refs(mach_task_self(), thread->reply_port, MACH_PORT_RIGHT_RECEIVE,
				   -1);
	thread->reply_port = interrupted;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	uint64_t handler = 0, mask = 0, old_handler, old_mask;
	int32_t flags = 0, old_flags;
	int64_t result = 0;

	if ((act != NULL && !unix_readable(act, sizeof(*act))) ||
	    (old != NULL && !unix_writable(old, sizeof(*old))))
		return -1;
	if (act != NULL) {
		handler = (uint64_t)act->sa_handler;
		mask = to_server(act->sa_mask);
		flags = act->sa_flags;
	}
	kern_return_t kr = unix_sigaction(unix_port, sig, act != NULL, handler, mask, flags,
					  &result, &old_handler, &old_mask, &old_flags);
	if (unix_return(kr, result) < 0)
		return -1;
	if (old != NULL) {
		old->sa_handler = (_sig_func_ptr)old_handler;
		old->sa_mask = from_server(old_mask);
		old->sa_flags = old_flags;
	}
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	if (sigaction(sig, &act, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	uint64_t was = 0;
	int64_t result = 0;

	if ((set != NULL && !unix_readable(set, sizeof(*set))) ||
	    (old != NULL && !unix_writable(old, sizeof(*old))))
		return -1;
	/* No set: only ask, by blocking nothing more. */
	kern_return_t kr = unix_sigprocmask(unix_port, set != NULL ? how : SIG_BLOCK,
					    set != NULL ? to_server(*set) : 0, &result, &was);

	if (unix_return(kr, result) < 0)
		return -1;
	if (old != NULL)
		*old = from_server(was);
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) == 0 ? 0 : errno;
}

int sigpending(sigset_t *set)
{
	uint64_t pending = 0;
	int64_t result = 0;

	if (!unix_writable(set, sizeof(*set)))
		return -1;
	kern_return_t kr = unix_sigpending(unix_port, &result, &pending);

	if (unix_return(kr, result) < 0)
		return -1;
	*set = from_server(pending);
	return 0;
}

int sigsuspend(const sigset_t *mask)
{
	int64_t result = 0;

	if (!unix_readable(mask, sizeof(*mask)))
		return -1;
	kern_return_t kr = unix_sigsuspend(unix_port, to_server(*mask), &result);
	return (int)unix_return(kr, result);
}

int pause(void)
{
	sigset_t now;

	if (sigprocmask(SIG_BLOCK, NULL, &now) != 0)
		return -1;
	return sigsuspend(&now);
}

#define US 1000000ull

static uint64_t to_us(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * US + (uint64_t)tv->tv_usec;
}

static struct timeval from_us(uint64_t us)
{
	return (struct timeval){ .tv_sec = (time_t)(us / US), .tv_usec = (suseconds_t)(us % US) };
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	uint64_t old_value = 0, old_interval = 0;
	int64_t result = 0;

	if (!unix_readable(value, sizeof(*value)) ||
	    (old != NULL && !unix_writable(old, sizeof(*old))))
		return -1;
	if (value->it_value.tv_sec < 0 || value->it_value.tv_usec < 0 ||
	    value->it_value.tv_usec >= (suseconds_t)US || value->it_interval.tv_sec < 0 ||
	    value->it_interval.tv_usec < 0 || value->it_interval.tv_usec >= (suseconds_t)US) {
		errno = EINVAL;
		return -1;
	}
	kern_return_t kr = unix_setitimer(unix_port, which == ITIMER_REAL ? UNIX_ITIMER_REAL : -1,
					  to_us(&value->it_value), to_us(&value->it_interval),
					  &result, &old_value, &old_interval);
	if (unix_return(kr, result) < 0)
		return -1;
	if (old != NULL)
		*old = (struct itimerval){ from_us(old_interval), from_us(old_value) };
	return 0;
}

unsigned alarm(unsigned seconds)
{
	struct itimerval value = { { 0, 0 }, { (time_t)seconds, 0 } }, old;

	if (setitimer(ITIMER_REAL, &value, &old) != 0)
		return 0;
	/* What was left, rounded to the nearest second (at least 1). */
	unsigned left = (unsigned)old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);
	return left == 0 && old.it_value.tv_usec > 0 ? 1 : left;
}

/* Whether the caller runs on the stack [sp, sp + size) (a local's
 * address says where it runs): the server cannot see it without
 * stopping the thread. */
static bool running_on(uint64_t sp, uint64_t size)
{
	volatile char here;
	uint64_t at = (uint64_t)&here;
	return size > 0 && at >= sp && at - sp < size;
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	uint64_t old_sp = 0, old_size = 0;
	int32_t old_flags = 0;
	int64_t result = 0;

	if ((ss != NULL && !unix_readable(ss, sizeof(*ss))) ||
	    (old != NULL && !unix_writable(old, sizeof(*old))))
		return -1;
	kern_return_t kr = unix_sigaltstack(unix_port, FALSE, 0, 0, 0, &result, &old_sp,
					    &old_size, &old_flags);
	if (unix_return(kr, result) < 0)
		return -1;
	bool on = running_on(old_sp, old_size);
	if (ss != NULL && on) {
		errno = EPERM;   /* not while it is in use */
		return -1;
	}
	if (ss != NULL) {
		kr = unix_sigaltstack(unix_port, TRUE, (uint64_t)ss->ss_sp, ss->ss_size,
				      ss->ss_flags, &result, &old_sp, &old_size, &old_flags);
		if (unix_return(kr, result) < 0)
			return -1;
	}
	if (old != NULL)
		*old = (stack_t){ .ss_sp = (void *)old_sp, .ss_size = old_size,
				  .ss_flags = on ? SS_ONSTACK : old_flags };
	return 0;
}
