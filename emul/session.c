/*
 * Sessions and process groups, and the terminal's foreground group.
 * Init leads the first session, which has the terminal; a process that
 * calls setsid leads a new one, without a terminal.  The foreground
 * group (term_foreground) is the one ^C signals; tcsetpgrp changes it
 * within the terminal's session.
 */
#include "emul.h"

#include <errno.h>
#include <unixServer.h>

/* The session the terminal belongs to: init's. */
#define TERMINAL_SESSION 1

/* Whether a live process is in group pgid of session sid (-1: any). */
static bool group_exists(pid_t pgid, pid_t sid)
{
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++)
		if (procs[i].state == PROC_LIVE && procs[i].pgid == pgid &&
		    (sid == -1 || procs[i].sid == sid))
			return true;
	return false;
}

/* pid (0: p) if it is p or a child of p's, else NULL. */
static struct proc *self_or_child(struct proc *p, int64_t pid)
{
	if (pid == 0 || pid == p->pid)
		return p;
	struct proc *c = pid > 0 && pid < UNIX_PID_MAX ? proc_by_pid((pid_t)pid) : NULL;
	return c != NULL && c->parent == p && c->state == PROC_LIVE ? c : NULL;
}

/* pid (0: p), any process live or a zombie. */
static struct proc *any(struct proc *p, int64_t pid)
{
	if (pid == 0)
		return p;
	return pid > 0 && pid < UNIX_PID_MAX ? proc_by_pid((pid_t)pid) : NULL;
}

kern_return_t unix_S_setpgid(mach_port_t port, int64_t pid, int64_t pgid, int64_t *result)
{
	EMUL_CALLER(p, port);
	struct proc *t = self_or_child(p, pid);

	if (pgid < 0 || pgid >= UNIX_PID_MAX)
		*result = -EINVAL;
	else if (t == NULL)
		*result = -ESRCH;
	else if (t->sid == t->pid || t->sid != p->sid)
		*result = -EPERM;
	else if (pgid != 0 && pgid != t->pid && !group_exists((pid_t)pgid, p->sid))
		*result = -EPERM;
	else {
		t->pgid = pgid == 0 ? t->pid : (pid_t)pgid;
		*result = 0;
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_getpgid(mach_port_t port, int64_t pid, int64_t *result)
{
	EMUL_CALLER(p, port);
	struct proc *t = any(p, pid);
	*result = t != NULL ? t->pgid : -ESRCH;
	return KERN_SUCCESS;
}

kern_return_t unix_S_setsid(mach_port_t port, int64_t *result)
{
	EMUL_CALLER(p, port);
	if (p->pgid == p->pid || group_exists(p->pid, -1)) {
		*result = -EPERM;
		return KERN_SUCCESS;
	}
	p->sid = p->pgid = p->pid;
	*result = p->pid;
	return KERN_SUCCESS;
}

kern_return_t unix_S_getsid(mach_port_t port, int64_t pid, int64_t *result)
{
	EMUL_CALLER(p, port);
	struct proc *t = any(p, pid);
	*result = t != NULL ? t->sid : -ESRCH;
	return KERN_SUCCESS;
}

/* 0 if fd is p's session's terminal, else the error. */
static int controlling(struct proc *p, int fd)
{
	struct file *f = fd_get(p, fd);

	if (f == NULL)
		return -EBADF;
	return f->kind == FILE_TERM && p->sid == TERMINAL_SESSION ? 0 : -ENOTTY;
}

kern_return_t unix_S_tcgetpgrp(mach_port_t port, int32_t fd, int64_t *result)
{
	EMUL_CALLER(p, port);
	int error = controlling(p, fd);
	*result = error != 0 ? error : term_foreground;
	return KERN_SUCCESS;
}

kern_return_t unix_S_tcsetpgrp(mach_port_t port, int32_t fd, int64_t pgrp, int64_t *result)
{
	EMUL_CALLER(p, port);
	int error = controlling(p, fd);

	if (error == 0 && (pgrp < 0 || pgrp >= UNIX_PID_MAX))
		error = -EINVAL;
	else if (error == 0 && !group_exists((pid_t)pgrp, p->sid))
		error = -EPERM;
	if (error == 0)
		term_foreground = (pid_t)pgrp;
	*result = error;
	return KERN_SUCCESS;
}
