/*
 * Sessions and process groups, and the terminal's foreground group.
 * The process server keeps groups and sessions and says who may join
 * which.  Init leads the first session, which has the terminal; a
 * process that calls setsid leads a new one, without a terminal.  The foreground
 * group (term_foreground) is the one ^C signals; tcsetpgrp changes it
 * within the terminal's session.
 */
#include "emul.h"

#include <errno.h>
#include <unixServer.h>

/* A call's answer from the process server's: 0, or -errno. */
static int64_t answer(kern_return_t kr)
{
	return kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
}

kern_return_t unix_S_setpgid(mach_port_t port, int64_t pid, int64_t pgid, int64_t *result)
{
	EMUL_CALLER(p, port);
	if (pgid < 0 || pgid >= UNIX_PID_MAX)
		*result = -EINVAL;
	else if (pid < 0 || pid >= UNIX_PID_MAX)
		*result = -ESRCH;
	else
		*result = answer(proc_setpgid(proc_server, p->pid, (int32_t)pid, (int32_t)pgid));
	return KERN_SUCCESS;
}

/* One of pid's ids (0: the caller's), by which. */
static int64_t id_of(struct proc *p, int64_t pid, int which)
{
	int32_t ids[3];

	if (pid < 0 || pid >= UNIX_PID_MAX)
		return -ESRCH;
	int error = proc_ids_of(pid == 0 ? p->pid : (pid_t)pid, &ids[0], &ids[1], &ids[2]);
	return error != 0 ? error : ids[which];
}

kern_return_t unix_S_getpgid(mach_port_t port, int64_t pid, int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = id_of(p, pid, 1);
	return KERN_SUCCESS;
}

kern_return_t unix_S_setsid(mach_port_t port, int64_t *result)
{
	EMUL_CALLER(p, port);
	int32_t sid = 0;
	kern_return_t kr = proc_setsid(proc_server, p->pid, &sid);
	*result = kr == KERN_SUCCESS ? sid : answer(kr);
	return KERN_SUCCESS;
}

kern_return_t unix_S_getsid(mach_port_t port, int64_t pid, int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = id_of(p, pid, 2);
	return KERN_SUCCESS;
}

/* 0 if fd is p's session's terminal, else the error. */
static int controlling(struct proc *p, int fd)
{
	struct file *f = fd_get(p, fd);

	if (f == NULL)
		return -EBADF;
	if (f->kind != FILE_TERM)
		return -ENOTTY;
	return id_of(p, 0, 2) == TERMINAL_SESSION ? 0 : -ENOTTY;
}

kern_return_t unix_S_tcgetpgrp(mach_port_t port, int32_t fd, int64_t *result)
{
	EMUL_CALLER(p, port);
	int error = controlling(p, fd);
	*result = error != 0 ? error : term_foreground;
	return KERN_SUCCESS;
}

/* Whether a live process is in group pgrp of the terminal's session. */
static bool terminal_group(int64_t pgrp)
{
	int32_t members[UNIX_PROC_MAX], sid = 0;
	mach_msg_type_number_t n = UNIX_PROC_MAX;

	return pgrp > 0 && pgrp < UNIX_PID_MAX &&
	       proc_group(proc_server, (int32_t)pgrp, &sid, members, &n) == KERN_SUCCESS &&
	       sid == TERMINAL_SESSION;
}

kern_return_t unix_S_tcsetpgrp(mach_port_t port, int32_t fd, int64_t pgrp, int64_t *result)
{
	EMUL_CALLER(p, port);
	int error = controlling(p, fd);

	if (error == 0 && (pgrp < 0 || pgrp >= UNIX_PID_MAX))
		error = -EINVAL;
	else if (error == 0 && !terminal_group(pgrp))
		error = -EPERM;
	if (error == 0) {
		term_foreground = (pid_t)pgrp;
		term_foreground_changed();
	}
	*result = error;
	return KERN_SUCCESS;
}
