/* The calls about processes: ids, fork, exec, wait, exit, kill. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_errno.h"
#include "unix_priv.h"

int64_t unix_return(kern_return_t kr, int64_t result)
{
	if (kr != KERN_SUCCESS) {
		errno = unix_errno_from_kern(kr);
		return -1;
	}
	if (result < 0) {
		errno = (int)-result;
		return -1;
	}
	return result;
}

pid_t getpid(void)
{
	int64_t result = 0;
	kern_return_t kr = unix_getpid(unix_port, &result);
	return (pid_t)unix_return(kr, result);
}

pid_t getppid(void)
{
	int64_t result = 0;
	kern_return_t kr = unix_getppid(unix_port, &result);
	return (pid_t)unix_return(kr, result);
}

void _exit(int status)
{
	unix_exit(unix_port, status);
	/* The server is gone: end the task anyway. */
	task_terminate(mach_task_self());
	for (;;)
		clock_sleep(UINT64_MAX);
}

/* Where a forked child starts: on its own small stack, it takes its
 * ports and goes back into fork as the parent's copy left it. */
static char child_stack[4096] __attribute__((aligned(16)));

__attribute__((noreturn, used)) static void fork_child(jmp_buf *where)
{
	unix_ports_reset();
	longjmp(*where, 1);
}

pid_t fork(void)
{
	jmp_buf where;
	int64_t result = 0;

	if (setjmp(where) != 0)
		return 0;
	/* The stack's top, as at a call: rsp + 8 a multiple of 16. */
	uint64_t stack = (uint64_t)(child_stack + sizeof(child_stack)) - 8;
	kern_return_t kr = unix_fork(unix_port, (uint64_t)fork_child, stack, (uint64_t)&where,
				     &result);
	return (pid_t)unix_return(kr, result);
}

/* The arguments and environment as execve sends them: the strings one
 * after the other; NULL with errno set if they do not fit. */
static char *pack_args(char *const list[], size_t *size, unsigned *count, char *buf,
		       size_t room)
{
	for (unsigned i = 0; list != NULL; i++) {
		if (!unix_readable(&list[i], sizeof(list[i])))
			return NULL;
		if (list[i] == NULL)
			break;
		long len = unix_string_length(list[i], room - *size);
		if (len < 0)
			return NULL;
		size_t n = (size_t)len + 1;
		if (n > room - *size) {
			errno = E2BIG;
			return NULL;
		}
		memcpy(buf + *size, list[i], n);
		*size += n;
		(*count)++;
	}
	return buf;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	size_t size = 0;
	unsigned argc = 0, envc = 0;
	int64_t result = 0;
	if (!unix_path_ok(path))
		return -1;
	char *buf = malloc(UNIX_ARGS_MAX);
	if (buf == NULL)
		return -1;
	if (pack_args(argv, &size, &argc, buf, UNIX_ARGS_MAX) == NULL ||
	    pack_args(envp, &size, &envc, buf, UNIX_ARGS_MAX) == NULL) {
		free(buf);
		return -1;
	}
	kern_return_t kr = unix_execve(unix_port, (char *)path, (vm_offset_t)buf,
				       (mach_msg_type_number_t)size, argc, envc, &result);
	free(buf);
	return (int)unix_return(kr, result);
}

pid_t wait4(pid_t pid, int *status, int options, void *rusage)
{
	int64_t result = 0;
	int32_t st = 0;

	if ((status != NULL && !unix_writable(status, sizeof(*status))) ||
	    (rusage != NULL && !unix_writable(rusage, sizeof(long) * 4)))
		return -1;
	if (rusage != NULL)
		memset(rusage, 0, sizeof(long) * 4);
	kern_return_t kr = unix_wait4(unix_port, pid, (options & WNOHANG ? UNIX_WNOHANG : 0) |
				      (options & ~WNOHANG), &result, &st);
	pid_t r = (pid_t)unix_return(kr, result);
	if (r > 0 && status != NULL)
		*status = st;
	return r;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

int kill(pid_t pid, int sig)
{
	int64_t result = 0;
	kern_return_t kr = unix_kill(unix_port, pid, sig, &result);
	return (int)unix_return(kr, result);
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

mode_t umask(mode_t mask)
{
	int64_t result = 0;
	unix_umask(unix_port, mask, &result);
	return (mode_t)result;
}

/* The caller's ids: which of them (0 uid, 1 euid, 2 gid, 3 egid). */
static uint32_t id(int which)
{
	uint32_t ids[4] = { 0 };
	unix_getids(unix_port, &ids[0], &ids[1], &ids[2], &ids[3]);
	return ids[which];
}

uid_t getuid(void)
{
	return id(0);
}

uid_t geteuid(void)
{
	return id(1);
}

gid_t getgid(void)
{
	return id(2);
}

gid_t getegid(void)
{
	return id(3);
}

static int set_id(int which, unsigned id)
{
	int64_t result = 0;
	kern_return_t kr = unix_setid(unix_port, which, id, &result);
	return (int)unix_return(kr, result);
}

int setuid(uid_t uid)
{
	return set_id(UNIX_SETUID, uid);
}

int seteuid(uid_t uid)
{
	return set_id(UNIX_SETEUID, uid);
}

int setgid(gid_t gid)
{
	return set_id(UNIX_SETGID, gid);
}

int setegid(gid_t gid)
{
	return set_id(UNIX_SETEGID, gid);
}
