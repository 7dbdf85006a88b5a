/*
 * fork: a new process whose task is a copy-on-write copy of the
 * caller's (task_create with inherited memory: the cost follows the
 * map's regions, not its bytes), sharing the caller's open files.  The
 * caller's thread is waiting in this call while its memory is copied,
 * so the copy holds libc's record of where the child is to go on.
 */
#include "emul.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unixServer.h>


/* A child that never ran: gone without a trace for its parent. */
static void fork_undo(struct proc *parent, struct proc *child)
{
	int32_t pid = child->pid, status;

	proc_terminate(child, 0);
	proc_wait(proc_server, parent->pid, pid, 0, &pid, &status);
	parent->sigpending &= ~UNIX_SIGBIT(SIGCHLD);
}

kern_return_t unix_S_fork(mach_port_t port, uint64_t entry, uint64_t stack, uint64_t arg,
			  int64_t *result)
{
	EMUL_CALLER(p, port);
	task_t task = MACH_PORT_NULL;

	if (entry >= USER_LIMIT || stack >= USER_LIMIT) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	if (task_create(p->task, TRUE, &task) != KERN_SUCCESS) {
		*result = -ENOMEM;
		return KERN_SUCCESS;
	}
	struct proc *c = proc_alloc(p, task);
	if (c == NULL) {
		task_terminate(task);
		mach_port_deallocate(mach_task_self(), task);
		*result = -EAGAIN;
		return KERN_SUCCESS;
	}
	c->task = task;
	fd_copy(c, p);
	c->cwd = p->cwd;
	mach_port_mod_refs(mach_task_self(), c->cwd, MACH_PORT_RIGHT_SEND, 1);
	strcpy(c->cwd_path, p->cwd_path);
	strcpy(c->command, p->command);
	c->umask = p->umask;
	c->uid = p->uid, c->euid = p->euid, c->gid = p->gid, c->egid = p->egid;
	if (proc_start_thread(c, entry, stack, arg) != KERN_SUCCESS) {
		fork_undo(p, c);
		*result = -ENOMEM;
		return KERN_SUCCESS;
	}
	*result = c->pid;
	return KERN_SUCCESS;
}
