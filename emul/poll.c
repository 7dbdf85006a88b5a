/*
 * poll (libc's select is built on it): which of a process's descriptors
 * are ready.  A poll that finds none waits, its reply port kept, and is
 * looked at again after every message the server handles (anything may
 * have made a descriptor ready: a pipe's read or write, a line from the
 * terminal, a process's end) and at its deadline, from the server's
 * timed loop.  A signal ends it with EINTR.
 */
#include "emul.h"

#include <errno.h>
#include <unixServer.h>
#include <unix_reply.h>

/* A poll whose answer waits, per process slot. */
static struct {
	bool waiting;
	mach_port_t reply;
	uint64_t deadline;          /* mach_clock_ns; UINT64_MAX: none */
	unsigned n;
	uint64_t fds[UNIX_POLL_MAX];
} polls[UNIX_PROC_MAX];
unsigned poll_waiting;
uint64_t poll_next = UINT64_MAX;   /* the earliest deadline, or earlier */

#define FD_OF(w) ((int32_t)(uint32_t)(w))
#define EVENTS_OF(w) ((int16_t)((w) >> 32))
#define WITH_REVENTS(w, r) (((w) & 0x0000ffffffffffffull) | ((uint64_t)(uint16_t)(r) << 48))

/* What fd of p's is ready for, of events (errors and hang-ups always). */
static int16_t revents_of(struct proc *p, int32_t fd, int16_t events)
{
	struct file *f = fd_get(p, fd);
	int16_t ready;

	if (f == NULL)
		return UNIX_POLLNVAL;
	switch (f->kind) {
	case FILE_PIPE_READ:
	case FILE_PIPE_WRITE:
		ready = pipe_poll(f);
		break;
	case FILE_TERM:
		ready = UNIX_POLLOUT | (term_readable(events & UNIX_POLLIN) ? UNIX_POLLIN : 0);
		break;
	case FILE_SOCKET:
		ready = socket_poll(f, events);
		break;
	default:
		ready = UNIX_POLLIN | UNIX_POLLOUT;
	}
	return ready & (events | UNIX_POLLERR | UNIX_POLLHUP);
}

/* fds's revents into out; how many have any. */
static unsigned look(struct proc *p, const uint64_t *fds, unsigned n, uint64_t *out)
{
	unsigned ready = 0;

	for (unsigned i = 0; i < n; i++) {
		int16_t r = FD_OF(fds[i]) < 0 ? 0 : revents_of(p, FD_OF(fds[i]), EVENTS_OF(fds[i]));
		out[i] = WITH_REVENTS(fds[i], r);
		ready += r != 0;
	}
	return ready;
}

kern_return_t unix_S_poll(mach_port_t port, mach_port_t reply, unix_pollfds_t fds,
			  mach_msg_type_number_t n, int32_t timeout_ms, int64_t *result,
			  unix_pollfds_t revents, mach_msg_type_number_t *reventsCnt)
{
	EMUL_CALLER(p, port);
	unsigned slot = (unsigned)(p - procs);

	*reventsCnt = n;
	*result = look(p, fds, n, revents);
	if (*result > 0 || timeout_ms == 0)
		return KERN_SUCCESS;
	polls[slot].waiting = true;
	polls[slot].reply = reply;
	polls[slot].n = n;
	memcpy(polls[slot].fds, fds, n * sizeof(*fds));
	polls[slot].deadline = timeout_ms < 0 ? UINT64_MAX
					      : mach_clock_ns() + (uint64_t)timeout_ms * 1000000ull;
	if (polls[slot].deadline < poll_next)
		poll_next = polls[slot].deadline;
	poll_waiting++;
	return MIG_NO_REPLY;
}

static void answer(unsigned slot, int64_t result, const uint64_t *revents)
{
	unix_poll_reply(polls[slot].reply, KERN_SUCCESS, result, (unix_pollfds_t)revents,
			result >= 0 ? polls[slot].n : 0);
	polls[slot].waiting = false;
	poll_waiting--;
}

void poll_sweep(void)
{
	uint64_t revents[UNIX_POLL_MAX];

	for (unsigned i = 0; i < UNIX_PROC_MAX && poll_waiting > 0; i++) {
		if (!polls[i].waiting)
			continue;
		unsigned ready = look(&procs[i], polls[i].fds, polls[i].n, revents);
		if (ready > 0)
			answer(i, ready, revents);
	}
}

uint64_t poll_tick(uint64_t now)
{
	uint64_t next = UINT64_MAX;

	if (now < poll_next)
		return poll_next;
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		if (!polls[i].waiting)
			continue;
		if (polls[i].deadline <= now) {
			for (unsigned k = 0; k < polls[i].n; k++)
				polls[i].fds[k] = WITH_REVENTS(polls[i].fds[k], 0);
			answer(i, 0, polls[i].fds);
		} else if (polls[i].deadline < next) {
			next = polls[i].deadline;
		}
	}
	poll_next = next;
	return next;
}

void poll_cancel(struct proc *p, bool answer_it)
{
	unsigned slot = (unsigned)(p - procs);

	if (!polls[slot].waiting)
		return;
	if (answer_it) {
		answer(slot, -EINTR, NULL);
		return;
	}
	mach_port_deallocate(mach_task_self(), polls[slot].reply);
	polls[slot].waiting = false;
	poll_waiting--;
}
