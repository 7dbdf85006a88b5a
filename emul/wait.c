/*
 * wait4: a parent's wait for its children.  A zombie child that matches
 * is reaped at once (by the process server, which keeps zombies); if
 * none has ended but one may, the answer waits (one wait per process:
 * its one thread is in it) until a child changes (wait_child_changed,
 * from proc_terminate, also when init adopts zombies).
 */
#include "emul.h"

#include <errno.h>
#include <unixServer.h>
#include <unix_reply.h>

/* A wait whose answer waits, per process slot. */
static struct {
	bool waiting;
	mach_port_t reply;
	pid_t pid;
	int32_t options;
} waits[UNIX_PROC_MAX];

/*
 * What a wait for pid by parent finds (the process server decides): the
 * pid of a child that ended (reaped), or stopped or continued as options
 * ask, its status in *status; 0 if the matching children run on
 * unchanged; -ECHILD if there is none.
 */
static int64_t reap(struct proc *parent, pid_t pid, int32_t options, int32_t *status)
{
	int32_t child = 0;
	kern_return_t kr = proc_wait(proc_server, parent->pid, pid,
				     options & (UNIX_WUNTRACED | UNIX_WCONTINUED), &child, status);

	return kr == KERN_SUCCESS ? child : -emul_errno(kr);
}

kern_return_t unix_S_wait4(mach_port_t port, mach_port_t reply, int64_t pid, int32_t options,
			   int64_t *result, int32_t *status)
{
	EMUL_CALLER(p, port);
	unsigned slot = (unsigned)(p - procs);

	*status = 0;
	if ((options & ~(UNIX_WNOHANG | UNIX_WUNTRACED | UNIX_WCONTINUED)) != 0 ||
	    pid < -UNIX_PID_MAX || pid > UNIX_PID_MAX) {
		*result = pid < -UNIX_PID_MAX || pid > UNIX_PID_MAX ? -ECHILD : -EINVAL;
		return KERN_SUCCESS;
	}
	*result = reap(p, (pid_t)pid, options, status);
	if (*result != 0 || (options & UNIX_WNOHANG))
		return KERN_SUCCESS;
	waits[slot].waiting = true;
	waits[slot].reply = reply;
	waits[slot].pid = (pid_t)pid;
	waits[slot].options = options;
	return MIG_NO_REPLY;
}

void wait_child_changed(struct proc *parent)
{
	unsigned slot = (unsigned)(parent - procs);
	int32_t status = 0;

	if (!waits[slot].waiting || parent->state != PROC_LIVE)
		return;
	int64_t result = reap(parent, waits[slot].pid, waits[slot].options, &status);
	if (result == 0)
		return;
	waits[slot].waiting = false;
	unix_wait4_reply(waits[slot].reply, KERN_SUCCESS, result, status);
}

void wait_cancel(struct proc *p, bool answer)
{
	unsigned slot = (unsigned)(p - procs);

	if (waits[slot].waiting && answer)
		unix_wait4_reply(waits[slot].reply, KERN_SUCCESS, -EINTR, 0);
	else if (waits[slot].waiting)
		mach_port_deallocate(mach_task_self(), waits[slot].reply);
	waits[slot].waiting = false;
}
