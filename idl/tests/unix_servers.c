/*
 * The UNIX server's interfaces in the fuzz test: stand-ins of unix.defs
 * (a process port, UNIX_PORT; its sockets' routines are in
 * unix_socket_servers.c), of unix_reply.defs (a
 * process's reply port) and of term_request.defs (the console as the
 * UNIX server asks it), and one call of each routine through the
 * generated stubs and the loopback transport, which must get the
 * stand-in's answer.
 */
#include "system_servers.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loopback.h"
#include "proc.h"
#include "procServer.h"
#include "term_request.h"
#include "term_requestServer.h"
#include "unix.h"
#include "unixServer.h"
#include "unix_reply.h"
#include "unix_replyServer.h"
#include <mach/unix_types.h>

int64_t unix_answer(uint64_t value)
{
	note(value);
	return (int64_t)(value % 1000);
}

kern_return_t unix_S_getpid(mach_port_t proc, int64_t *result)
{
	*result = unix_answer(proc + 1);
	return KERN_SUCCESS;
}

kern_return_t unix_S_getppid(mach_port_t proc, int64_t *result)
{
	*result = unix_answer(proc + 2);
	return KERN_SUCCESS;
}

kern_return_t unix_S_exit(mach_port_t proc, int32_t status)
{
	return note(proc + (uint32_t)status);
}

kern_return_t unix_S_fork(mach_port_t proc, uint64_t entry, uint64_t stack, uint64_t arg,
			  int64_t *result)
{
	*result = unix_answer(proc + entry + stack * 3 + arg * 5);
	return KERN_SUCCESS;
}

kern_return_t unix_S_execve(mach_port_t proc, unix_path_t path, vm_offset_t args,
			    mach_msg_type_number_t argsCnt, uint32_t argc, uint32_t envc,
			    int64_t *result)
{
	note_bytes(path, strlen(path));
	note_bytes((const void *)args, argsCnt);
	free((void *)args);   /* the request's: the server's on success */
	*result = unix_answer(proc + argc * 7 + envc);
	return KERN_SUCCESS;
}

kern_return_t unix_S_wait4(mach_port_t proc, mach_port_t reply, int64_t pid, int32_t options,
			   int64_t *result, int32_t *status)
{
	*result = unix_answer(proc + reply + (uint64_t)pid + (uint32_t)options);
	*status = 7 << 8;
	return KERN_SUCCESS;
}

kern_return_t unix_S_open(mach_port_t proc, unix_path_t path, int32_t flags, uint32_t mode,
			  int64_t *result)
{
	note_bytes(path, strlen(path));
	*result = unix_answer(proc + (uint32_t)flags + mode);
	return KERN_SUCCESS;
}

kern_return_t unix_S_close(mach_port_t proc, int32_t fd, int64_t *result)
{
	*result = unix_answer(proc + (uint32_t)fd);
	return KERN_SUCCESS;
}

kern_return_t unix_S_read(mach_port_t proc, mach_port_t reply, int32_t fd, uint32_t count,
			  int64_t *result, unix_data_t data, mach_msg_type_number_t *dataCnt)
{
	*dataCnt = count < *dataCnt ? count : *dataCnt;
	memset(data, 'r', *dataCnt);
	*result = (int64_t)*dataCnt;
	return note(proc + reply + (uint32_t)fd);
}

kern_return_t unix_S_write(mach_port_t proc, mach_port_t reply, int32_t fd, unix_data_t data,
			   mach_msg_type_number_t dataCnt, int64_t *result)
{
	note_bytes(data, dataCnt);
	*result = dataCnt;
	return note(proc + reply + (uint32_t)fd);
}

kern_return_t unix_S_lseek(mach_port_t proc, int32_t fd, int64_t offset, int32_t whence,
			   int64_t *result)
{
	*result = offset;
	return note(proc + (uint32_t)fd + (uint32_t)whence);
}

kern_return_t unix_S_fstat(mach_port_t proc, int32_t fd, int64_t *result, unix_stat_t *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = 2;
	st->size = 100;
	*result = 0;
	return note(proc + (uint32_t)fd);
}

kern_return_t unix_S_stat(mach_port_t proc, unix_path_t path, int32_t flags, int64_t *result,
			  unix_stat_t *st)
{
	note_bytes(path, strlen(path));
	memset(st, 0, sizeof(*st));
	st->ino = 3;
	*result = 0;
	return note(proc + (uint32_t)flags);
}

kern_return_t unix_S_dup3(mach_port_t proc, int32_t fd, int32_t newfd, int32_t flags,
			  int64_t *result)
{
	*result = newfd;
	return note(proc + (uint32_t)fd + (uint32_t)flags);
}

kern_return_t unix_S_fcntl(mach_port_t proc, int32_t fd, int32_t cmd, int64_t arg,
			   int64_t *result)
{
	*result = arg;
	return note(proc + (uint32_t)fd + (uint32_t)cmd);
}

kern_return_t unix_S_pipe2(mach_port_t proc, int32_t flags, int64_t *result, int32_t *read_fd,
			   int32_t *write_fd)
{
	*result = 0;
	*read_fd = 3;
	*write_fd = 4;
	return note(proc + (uint32_t)flags);
}

kern_return_t unix_S_chdir(mach_port_t proc, unix_path_t path, int64_t *result)
{
	note_bytes(path, strlen(path));
	*result = 0;
	return note(proc);
}

kern_return_t unix_S_getcwd(mach_port_t proc, int64_t *result, unix_path_t path)
{
	strcpy(path, "/home/user");
	*result = 11;
	return note(proc);
}

kern_return_t unix_S_mkdir(mach_port_t proc, unix_path_t path, uint32_t mode, int64_t *result)
{
	note_bytes(path, strlen(path));
	*result = 0;
	return note(proc + mode);
}

kern_return_t unix_S_unlinkat(mach_port_t proc, unix_path_t path, int32_t flags,
			      int64_t *result)
{
	note_bytes(path, strlen(path));
	*result = 0;
	return note(proc + (uint32_t)flags);
}

kern_return_t unix_S_getdents(mach_port_t proc, int32_t fd, uint32_t size, int64_t *result,
			      unix_data_t data, mach_msg_type_number_t *dataCnt)
{
	*dataCnt = size < *dataCnt ? size : *dataCnt;
	memset(data, 'd', *dataCnt);
	*result = (int64_t)*dataCnt;
	return note(proc + (uint32_t)fd);
}

kern_return_t unix_S_kill(mach_port_t proc, int64_t pid, int32_t sig, int64_t *result)
{
	*result = 0;
	return note(proc + (uint64_t)pid + (uint32_t)sig);
}

kern_return_t unix_S_umask(mach_port_t proc, uint32_t mask, int64_t *result)
{
	*result = 022;
	return note(proc + mask);
}

kern_return_t unix_S_getids(mach_port_t proc, uint32_t *uid, uint32_t *euid, uint32_t *gid,
			    uint32_t *egid)
{
	*uid = 1000, *euid = 1001, *gid = 100, *egid = 101;
	return note(proc);
}

kern_return_t unix_S_link(mach_port_t proc, vm_offset_t paths, mach_msg_type_number_t pathsCnt,
			  int64_t *result)
{
	note_bytes((const void *)paths, pathsCnt);
	free((void *)paths);   /* the request's: the server's on success */
	*result = 0;
	return note(proc);
}

kern_return_t unix_reply_S_wait4_reply(mach_port_t reply, kern_return_t return_code,
				       int64_t result, int32_t status)
{
	return note(reply + (uint32_t)return_code + (uint64_t)result + (uint32_t)status);
}

kern_return_t unix_reply_S_read_reply(mach_port_t reply, kern_return_t return_code,
				      int64_t result, unix_data_t data,
				      mach_msg_type_number_t dataCnt)
{
	note_bytes(data, dataCnt);
	return note(reply + (uint32_t)return_code + (uint64_t)result);
}

kern_return_t unix_S_sigaction(mach_port_t proc, int32_t sig, boolean_t set, uint64_t handler,
			       uint64_t mask, int32_t flags, int64_t *result,
			       uint64_t *old_handler, uint64_t *old_mask, int32_t *old_flags)
{
	*result = 0;
	*old_handler = handler;
	*old_mask = mask;
	*old_flags = flags;
	return note(proc + (uint32_t)sig + set);
}

kern_return_t unix_S_sigprocmask(mach_port_t proc, int32_t how, uint64_t set, int64_t *result,
				 uint64_t *old)
{
	*result = 0;
	*old = set;
	return note(proc + (uint32_t)how);
}

kern_return_t unix_S_sigpending(mach_port_t proc, int64_t *result, uint64_t *set)
{
	*result = 0;
	*set = 0x42;
	return note(proc);
}

kern_return_t unix_S_sigsuspend(mach_port_t proc, mach_port_t reply, uint64_t mask,
				int64_t *result)
{
	*result = -4;
	return note(proc + reply + mask);
}

kern_return_t unix_S_setitimer(mach_port_t proc, int32_t which, uint64_t value_us,
			       uint64_t interval_us, int64_t *result, uint64_t *old_value_us,
			       uint64_t *old_interval_us)
{
	*result = 0;
	*old_value_us = value_us;
	*old_interval_us = interval_us;
	return note(proc + (uint32_t)which);
}

kern_return_t unix_S_setpgid(mach_port_t proc, int64_t pid, int64_t pgid, int64_t *result)
{
	*result = pgid;
	return note(proc + (uint64_t)pid);
}

kern_return_t unix_S_getpgid(mach_port_t proc, int64_t pid, int64_t *result)
{
	*result = (int64_t)((uint64_t)pid + 1);
	return note(proc);
}

kern_return_t unix_S_setsid(mach_port_t proc, int64_t *result)
{
	*result = 9;
	return note(proc);
}

kern_return_t unix_S_getsid(mach_port_t proc, int64_t pid, int64_t *result)
{
	*result = (int64_t)((uint64_t)pid + 2);
	return note(proc);
}

kern_return_t unix_S_tcgetpgrp(mach_port_t proc, int32_t fd, int64_t *result)
{
	*result = (int64_t)fd + 3;
	return note(proc);
}

kern_return_t unix_S_tcsetpgrp(mach_port_t proc, int32_t fd, int64_t pgrp, int64_t *result)
{
	*result = (int64_t)((uint64_t)pgrp + (uint64_t)fd);
	return note(proc);
}

kern_return_t unix_S_mmap(mach_port_t proc, uint64_t addr, uint64_t length, int32_t prot,
			  int32_t flags, int32_t fd, int64_t offset, int64_t *result)
{
	*result = (int64_t)(addr + length + (uint64_t)prot + (uint64_t)flags + (uint64_t)fd +
			    (uint64_t)offset);
	return note(proc);
}

kern_return_t unix_S_munmap(mach_port_t proc, uint64_t addr, uint64_t length, int64_t *result)
{
	*result = (int64_t)(addr - length);
	return note(proc);
}

kern_return_t unix_S_mprotect(mach_port_t proc, uint64_t addr, uint64_t length, int32_t prot,
			      int64_t *result)
{
	*result = (int64_t)((addr + length) * (uint64_t)prot);
	return note(proc);
}

kern_return_t unix_S_proc_server(mach_port_t proc, mach_port_t *server)
{
	*server = MACH_PORT_NULL;
	return note(proc);
}

kern_return_t unix_S_poll(mach_port_t proc, mach_port_t reply, unix_pollfds_t fds,
			  mach_msg_type_number_t n, int32_t timeout_ms, int64_t *result,
			  unix_pollfds_t revents, mach_msg_type_number_t *reventsCnt)
{
	if (*reventsCnt < n) {
		system_bound_errors++;
		return KERN_INVALID_ARGUMENT;
	}
	for (unsigned i = 0; i < n; i++)
		revents[i] = fds[i] | 1ull << 48;
	*reventsCnt = n;
	*result = n;
	return note(proc + reply + (uint32_t)timeout_ms);
}

kern_return_t unix_S_tcgetattr(mach_port_t proc, int32_t fd, int64_t *result, uint32_t *mode)
{
	*result = 0;
	*mode = (uint32_t)fd * 3;
	return note(proc);
}

kern_return_t unix_S_tcsetattr(mach_port_t proc, int32_t fd, uint32_t mode, int64_t *result)
{
	*result = (int64_t)fd + (int64_t)mode;
	return note(proc);
}

kern_return_t unix_S_symlink(mach_port_t proc, vm_offset_t paths, mach_msg_type_number_t n,
			     int64_t *result)
{
	note_bytes((const void *)paths, n);
	free((void *)paths);
	*result = n;
	return note(proc);
}

kern_return_t unix_S_rename(mach_port_t proc, vm_offset_t paths, mach_msg_type_number_t n,
			    int64_t *result)
{
	note_bytes((const void *)paths, n);
	free((void *)paths);
	*result = (int64_t)n + 1;
	return note(proc);
}

kern_return_t unix_S_readlink(mach_port_t proc, unix_path_t path, int64_t *result,
			      unix_path_t target)
{
	size_t n = strnlen(path, 4095);
	memcpy(target, path, n);
	target[n] = '\0';
	*result = (int64_t)n;
	return note(proc);
}

kern_return_t unix_S_setattr(mach_port_t proc, unix_path_t path, int32_t fd, int32_t what,
			     uint64_t a, uint64_t b, int64_t *result)
{
	*result = (int64_t)(a + b + (uint64_t)what + (uint64_t)fd);
	return note_bytes(path, strnlen(path, 4095)) + note(proc);
}

kern_return_t unix_S_setid(mach_port_t proc, int32_t which, uint32_t id, int64_t *result)
{
	*result = (int64_t)which + id;
	return note(proc);
}

kern_return_t unix_S_sigaltstack(mach_port_t proc, boolean_t set, uint64_t sp, uint64_t size,
				 int32_t flags, int64_t *result, uint64_t *old_sp,
				 uint64_t *old_size, int32_t *old_flags)
{
	*result = set;
	*old_sp = sp;
	*old_size = size;
	*old_flags = flags;
	return note(proc);
}

kern_return_t unix_S_reboot(mach_port_t proc, int32_t how, int64_t *result)
{
	*result = -(int64_t)how;
	return note(proc);
}

kern_return_t unix_S_statfs(mach_port_t proc, unix_path_t path, int64_t *result,
			    unix_statfs_t *st)
{
	*st = (unix_statfs_t){ .blocks = strnlen(path, 4095) };
	*result = 0;
	return note(proc);
}

kern_return_t unix_S_sync(mach_port_t proc, int64_t *result)
{
	*result = 0;
	return note(proc);
}

kern_return_t unix_S_host_priv(mach_port_t proc, int64_t *result, mach_port_t *port)
{
	*result = 0;
	*port = MACH_PORT_NULL;
	return note(proc);
}

kern_return_t unix_S_look_up(mach_port_t proc, unix_path_t name, int64_t *result,
			     mach_port_t *port)
{
	*result = -(int64_t)strnlen(name, 4095);
	*port = MACH_PORT_NULL;
	return note(proc);
}

kern_return_t unix_S_task_for_pid(mach_port_t proc, int32_t pid, int64_t *result,
				  mach_port_t *task)
{
	*result = pid < 0 ? -3 : 0;
	*task = MACH_PORT_NULL;
	return note(proc + (uint32_t)pid);
}

kern_return_t unix_reply_S_poll_reply(mach_port_t reply, kern_return_t return_code,
				      int64_t result, unix_pollfds_t revents,
				      mach_msg_type_number_t n)
{
	return note_bytes(revents, n * sizeof(*revents)) +
	       note(reply + (uint32_t)return_code + (uint64_t)result);
}

kern_return_t unix_reply_S_sigsuspend_reply(mach_port_t reply, kern_return_t return_code,
					    int64_t result)
{
	return note(reply + (uint32_t)return_code + (uint64_t)result);
}

kern_return_t unix_reply_S_write_reply(mach_port_t reply, kern_return_t return_code,
				       int64_t result)
{
	return note(reply + (uint32_t)return_code + (uint64_t)result);
}

kern_return_t term_request_S_read(mach_port_t term, natural_t count, natural_t timeout)
{
	return note(term + count + timeout);
}

kern_return_t term_request_S_write(mach_port_t term, term_data_t data,
				   mach_msg_type_number_t dataCnt)
{
	return note_bytes(data, dataCnt) + note(term);
}

/* proc.defs: the process server. */

kern_return_t proc_S_public_port(mach_port_t server, mach_port_t *public)
{
	*public = MACH_PORT_NULL;
	return note(server);
}

kern_return_t proc_S_fork(mach_port_t server, int32_t parent, mach_port_t task, int32_t *pid)
{
	*pid = (int32_t)((uint32_t)parent + 1);
	return note(server + task);
}

kern_return_t proc_S_exec(mach_port_t server, int32_t pid, mach_port_t task, char *command)
{
	return note_bytes(command, strlen(command)) + note(server + (uint32_t)pid + task);
}

kern_return_t proc_S_exit(mach_port_t server, int32_t pid, int32_t status, int32_t *parent,
			  boolean_t *adopted)
{
	*parent = (int32_t)((uint32_t)pid - 1);
	*adopted = status != 0;
	return note(server);
}

kern_return_t proc_S_wait(mach_port_t server, int32_t parent, int32_t pid, int32_t options,
			  int32_t *child, int32_t *status)
{
	*child = pid > 0 ? pid : (int32_t)((uint32_t)parent + 1);
	*status = options != 0 ? 0x137f : 7 << 8;
	return note(server);
}

kern_return_t proc_S_stopped(mach_port_t server, int32_t pid, int32_t sig, int32_t *parent)
{
	*parent = (int32_t)((uint32_t)pid - 1);
	return note(server + (uint32_t)sig);
}

kern_return_t proc_S_setpgid(mach_port_t server, int32_t caller, int32_t pid, int32_t pgid)
{
	return note(server + (uint32_t)caller + (uint32_t)pid + (uint32_t)pgid);
}

kern_return_t proc_S_setsid(mach_port_t server, int32_t caller, int32_t *sid)
{
	*sid = caller;
	return note(server);
}

kern_return_t proc_S_ids(mach_port_t server, int32_t pid, int32_t *ppid, int32_t *pgid,
			 int32_t *sid)
{
	*ppid = (int32_t)((uint32_t)pid - 1);
	*pgid = *sid = pid;
	return note(server);
}

kern_return_t proc_S_group(mach_port_t server, int32_t pgid, int32_t *sid, int32_t *members,
			   mach_msg_type_number_t *count)
{
	if (*count < 2) {
		system_bound_errors++;
		return KERN_INVALID_ARGUMENT;
	}
	*sid = pgid;
	members[0] = pgid;
	members[1] = (int32_t)((uint32_t)pgid + 1);
	*count = 2;
	return note(server);
}

kern_return_t proc_S_list(mach_port_t server, vm_offset_t *table, mach_msg_type_number_t *size)
{
	struct unix_proc_info *one = calloc(1, sizeof(*one));   /* moved: the send frees it */

	if (one == NULL)
		return KERN_RESOURCE_SHORTAGE;
	*one = (struct unix_proc_info){ .pid = 1, .state = UNIX_PROC_RUNNING, .command = "init" };
	*table = (vm_offset_t)one;
	*size = sizeof(*one);
	return note(server);
}

void unix_serve(void)
{
	loopback_serve(PROC_PORT, proc_server, proc_MAX_REPLY_SIZE);
	loopback_serve(UNIX_PORT, unix_server, unix_MAX_REPLY_SIZE);
	loopback_serve(UNIX_REPLY_PORT, unix_reply_server, unix_reply_MAX_REPLY_SIZE);
	loopback_serve(TERM_REQUEST_PORT, term_request_server, term_request_MAX_REPLY_SIZE);
}

static unsigned failures;

void unix_want(bool ok, const char *what)
{
	if (ok)
		return;
	printf("# wrong answer: %s\n", what);
	failures++;
}

static void exercise_processes(void)
{
	int64_t r = -1;
	int32_t status = 0;
	static char args[] = "prog\0arg\0HOME=/\0";
	uint32_t ids[4] = { 0 };

	unix_want(unix_getpid(UNIX_PORT, &r) == KERN_SUCCESS && r == (UNIX_PORT + 1) % 1000,
	     "unix_getpid");
	unix_want(unix_getppid(UNIX_PORT, &r) == KERN_SUCCESS && r == (UNIX_PORT + 2) % 1000,
	     "unix_getppid");
	unix_want(unix_exit(UNIX_PORT, 3) == KERN_SUCCESS, "unix_exit");
	unix_want(unix_fork(UNIX_PORT, 1, 2, 3, &r) == KERN_SUCCESS &&
		     r == (int64_t)((UNIX_PORT + 1 + 6 + 15) % 1000), "unix_fork");
	unix_want(unix_execve(UNIX_PORT, "/bin/prog", (vm_offset_t)args, sizeof(args) - 1, 2, 1, &r) ==
		     KERN_SUCCESS && r == (UNIX_PORT + 15) % 1000, "unix_execve");
	unix_want(unix_wait4(UNIX_PORT, 5, 0, &r, &status) == KERN_SUCCESS && status == 7 << 8,
	     "unix_wait4");
	unix_want(unix_kill(UNIX_PORT, 5, 15, &r) == KERN_SUCCESS && r == 0, "unix_kill");
	unix_want(unix_umask(UNIX_PORT, 077, &r) == KERN_SUCCESS && r == 022, "unix_umask");
	unix_want(unix_getids(UNIX_PORT, &ids[0], &ids[1], &ids[2], &ids[3]) == KERN_SUCCESS &&
		     ids[0] == 1000 && ids[3] == 101, "unix_getids");
}

static void exercise_proc(void)
{
	int32_t a = 0, b = 0, c = 0, members[UNIX_PROC_MAX];
	mach_msg_type_number_t n = UNIX_PROC_MAX;
	boolean_t adopted = FALSE;
	mach_port_t port = 1;
	vm_offset_t table = 0;

	unix_want(proc_public_port(PROC_PORT, &port) == KERN_SUCCESS && port == MACH_PORT_NULL,
	     "proc_public_port");
	unix_want(proc_fork(PROC_PORT, 4, MACH_PORT_NULL, &a) == KERN_SUCCESS && a == 5, "proc_fork");
	unix_want(proc_exec(PROC_PORT, 5, MACH_PORT_NULL, "sh -c true") == KERN_SUCCESS, "proc_exec");
	unix_want(proc_exit(PROC_PORT, 5, 3, &a, &adopted) == KERN_SUCCESS && a == 4 && adopted,
	     "proc_exit");
	unix_want(proc_wait(PROC_PORT, 4, -1, 0, &a, &b) == KERN_SUCCESS && a == 5 && b == 7 << 8,
	     "proc_wait");
	unix_want(proc_stopped(PROC_PORT, 5, 19, &a) == KERN_SUCCESS && a == 4, "proc_stopped");
	unix_want(proc_setpgid(PROC_PORT, 4, 5, 5) == KERN_SUCCESS, "proc_setpgid");
	unix_want(proc_setsid(PROC_PORT, 6, &a) == KERN_SUCCESS && a == 6, "proc_setsid");
	unix_want(proc_ids(PROC_PORT, 6, &a, &b, &c) == KERN_SUCCESS && a == 5 && c == 6, "proc_ids");
	unix_want(proc_group(PROC_PORT, 8, &a, members, &n) == KERN_SUCCESS && n == 2 &&
		     members[1] == 9, "proc_group");
	unix_want(proc_list(PROC_PORT, &table, &n) == KERN_SUCCESS &&
		     n == sizeof(struct unix_proc_info) &&
		     strcmp(((struct unix_proc_info *)table)->command, "init") == 0, "proc_list");
	free((void *)table);
}

static void exercise_signals(void)
{
	int64_t r = -1;
	uint64_t a = 0, b = 0;
	int32_t flags = 0;

	unix_want(unix_sigaction(UNIX_PORT, 2, TRUE, 0x401000, 6, 0x10000000, &r, &a, &b,
			    &flags) == KERN_SUCCESS && r == 0 && a == 0x401000 && b == 6 &&
		     flags == 0x10000000, "unix_sigaction");
	unix_want(unix_sigprocmask(UNIX_PORT, 1, 0x80, &r, &a) == KERN_SUCCESS && a == 0x80,
	     "unix_sigprocmask");
	unix_want(unix_sigpending(UNIX_PORT, &r, &a) == KERN_SUCCESS && a == 0x42, "unix_sigpending");
	unix_want(unix_sigsuspend(UNIX_PORT, 0, &r) == KERN_SUCCESS && r == -4, "unix_sigsuspend");
	unix_want(unix_setitimer(UNIX_PORT, 0, 5, 7, &r, &a, &b) == KERN_SUCCESS && a == 5 && b == 7,
	     "unix_setitimer");
	unix_want(unix_setpgid(UNIX_PORT, 4, 6, &r) == KERN_SUCCESS && r == 6, "unix_setpgid");
	unix_want(unix_getpgid(UNIX_PORT, 4, &r) == KERN_SUCCESS && r == 5, "unix_getpgid");
	unix_want(unix_setsid(UNIX_PORT, &r) == KERN_SUCCESS && r == 9, "unix_setsid");
	unix_want(unix_getsid(UNIX_PORT, 4, &r) == KERN_SUCCESS && r == 6, "unix_getsid");
	unix_want(unix_tcgetpgrp(UNIX_PORT, 1, &r) == KERN_SUCCESS && r == 4, "unix_tcgetpgrp");
	unix_want(unix_tcsetpgrp(UNIX_PORT, 1, 7, &r) == KERN_SUCCESS && r == 8, "unix_tcsetpgrp");
	unix_want(unix_mmap(UNIX_PORT, 0x1000, 0x2000, 3, 2, 4, 0x5000, &r) == KERN_SUCCESS &&
		     r == 0x8009, "unix_mmap");
	unix_want(unix_munmap(UNIX_PORT, 0x3000, 0x1000, &r) == KERN_SUCCESS && r == 0x2000,
	     "unix_munmap");
	unix_want(unix_mprotect(UNIX_PORT, 0x1000, 0x1000, 3, &r) == KERN_SUCCESS && r == 0x6000,
	     "unix_mprotect");
	mach_port_t server = 1;
	unix_want(unix_proc_server(UNIX_PORT, &server) == KERN_SUCCESS && server == MACH_PORT_NULL,
	     "unix_proc_server");
	uint64_t fds[2] = { 0x100000003ull, 0x400000004ull }, revents[UNIX_POLL_MAX];
	mach_msg_type_number_t n = UNIX_POLL_MAX;
	unix_want(unix_poll(UNIX_PORT, fds, 2, -1, &r, revents, &n) == KERN_SUCCESS && r == 2 &&
		     n == 2 && revents[1] == (fds[1] | 1ull << 48), "unix_poll");
	uint32_t mode = 0;
	unix_want(unix_tcgetattr(UNIX_PORT, 5, &r, &mode) == KERN_SUCCESS && mode == 15,
	     "unix_tcgetattr");
	unix_want(unix_tcsetattr(UNIX_PORT, 5, 9, &r) == KERN_SUCCESS && r == 14, "unix_tcsetattr");
	static char two[] = "/a\0/b";
	unix_want(unix_symlink(UNIX_PORT, (vm_offset_t)two, sizeof(two), &r) == KERN_SUCCESS && r == 6,
	     "unix_symlink");
	unix_want(unix_rename(UNIX_PORT, (vm_offset_t)two, sizeof(two), &r) == KERN_SUCCESS && r == 7,
	     "unix_rename");
	char target[4096];
	unix_want(unix_readlink(UNIX_PORT, "/link", &r, target) == KERN_SUCCESS && r == 5 &&
		     strcmp(target, "/link") == 0, "unix_readlink");
	unix_want(unix_setattr(UNIX_PORT, "", 3, 1, 0644, 0, &r) == KERN_SUCCESS && r == 0644 + 4,
	     "unix_setattr");
	unix_want(unix_setid(UNIX_PORT, 1, 1000, &r) == KERN_SUCCESS && r == 1001, "unix_setid");
	unix_want(unix_reboot(UNIX_PORT, 1, &r) == KERN_SUCCESS && r == -1, "unix_reboot");
	unix_statfs_t sf;
	unix_want(unix_statfs(UNIX_PORT, "/abc", &r, &sf) == KERN_SUCCESS && sf.blocks == 4,
	     "unix_statfs");
	unix_want(unix_sync(UNIX_PORT, &r) == KERN_SUCCESS && r == 0, "unix_sync");
	mach_port_t got = 1;
	unix_want(unix_host_priv(UNIX_PORT, &r, &got) == KERN_SUCCESS && r == 0 && got == MACH_PORT_NULL,
	     "unix_host_priv");
	unix_want(unix_look_up(UNIX_PORT, "fs", &r, &got) == KERN_SUCCESS && r == -2, "unix_look_up");
	unix_want(unix_task_for_pid(UNIX_PORT, -1, &r, &got) == KERN_SUCCESS && r == -3,
	     "unix_task_for_pid");
	uint64_t sp = 0, size = 0;
	flags = 0;
	unix_want(unix_sigaltstack(UNIX_PORT, TRUE, 0x7000, 8192, 2, &r, &sp, &size, &flags) ==
		     KERN_SUCCESS && r == 1 && sp == 0x7000 && size == 8192 && flags == 2,
	     "unix_sigaltstack");
}

static void exercise_files(void)
{
	int64_t r = -1;
	int32_t rfd = -1, wfd = -1;
	char data[UNIX_IO_MAX], path[4096];
	mach_msg_type_number_t n = sizeof(data);
	unix_stat_t st;

	unix_want(unix_open(UNIX_PORT, "/etc/motd", 0, 0644, &r) == KERN_SUCCESS, "unix_open");
	unix_want(unix_close(UNIX_PORT, 3, &r) == KERN_SUCCESS, "unix_close");
	unix_want(unix_read(UNIX_PORT, 0, 100, &r, data, &n) == KERN_SUCCESS && r == 100 && n == 100 &&
		     data[99] == 'r', "unix_read");
	memset(data, 'w', sizeof(data));
	unix_want(unix_write(UNIX_PORT, 1, data, UNIX_IO_MAX, &r) == KERN_SUCCESS && r == UNIX_IO_MAX,
	     "unix_write of UNIX_IO_MAX bytes");
	unix_want(unix_write(UNIX_PORT, 1, data, UNIX_IO_MAX + 1, &r) == MIG_ARRAY_TOO_LARGE,
	     "unix_write refuses UNIX_IO_MAX + 1 bytes");
	unix_want(unix_lseek(UNIX_PORT, 3, 42, 0, &r) == KERN_SUCCESS && r == 42, "unix_lseek");
	unix_want(unix_fstat(UNIX_PORT, 3, &r, &st) == KERN_SUCCESS && st.size == 100, "unix_fstat");
	unix_want(unix_stat(UNIX_PORT, "/tmp", 0, &r, &st) == KERN_SUCCESS && st.ino == 3, "unix_stat");
	unix_want(unix_dup3(UNIX_PORT, 3, 9, 0, &r) == KERN_SUCCESS && r == 9, "unix_dup3");
	unix_want(unix_fcntl(UNIX_PORT, 3, 1, 5, &r) == KERN_SUCCESS && r == 5, "unix_fcntl");
	unix_want(unix_pipe2(UNIX_PORT, 0, &r, &rfd, &wfd) == KERN_SUCCESS && rfd == 3 && wfd == 4,
	     "unix_pipe2");
	unix_want(unix_chdir(UNIX_PORT, "/tmp", &r) == KERN_SUCCESS, "unix_chdir");
	unix_want(unix_getcwd(UNIX_PORT, &r, path) == KERN_SUCCESS && strcmp(path, "/home/user") == 0,
	     "unix_getcwd");
	unix_want(unix_mkdir(UNIX_PORT, "/tmp/d", 0755, &r) == KERN_SUCCESS, "unix_mkdir");
	unix_want(unix_unlinkat(UNIX_PORT, "/tmp/d", 0x200, &r) == KERN_SUCCESS, "unix_unlinkat");
	static char paths[] = "/tmp/a\0/tmp/b";
	unix_want(unix_link(UNIX_PORT, (vm_offset_t)paths, sizeof(paths), &r) == KERN_SUCCESS && r == 0,
	     "unix_link");
	n = sizeof(data);
	unix_want(unix_getdents(UNIX_PORT, 3, 64, &r, data, &n) == KERN_SUCCESS && n == 64,
	     "unix_getdents");
	exercise_signals();
	exercise_proc();
}

static void exercise_replies(void)
{
	uint64_t fds[2] = { 0x100000003ull, 0x400000004ull };
	unix_want(unix_poll_reply(UNIX_REPLY_PORT, KERN_SUCCESS, 2, fds, 2) == KERN_SUCCESS,
	     "unix_poll_reply");
	unix_want(unix_sigsuspend_reply(UNIX_REPLY_PORT, KERN_SUCCESS, -4) == KERN_SUCCESS,
	     "unix_sigsuspend_reply");
	char data[16] = "fifteen bytes..";

	unix_want(unix_wait4_reply(UNIX_REPLY_PORT, KERN_SUCCESS, 5, 0) == KERN_SUCCESS,
	     "unix_wait4_reply");
	unix_want(unix_read_reply(UNIX_REPLY_PORT, KERN_SUCCESS, 15, data, 15) == KERN_SUCCESS,
	     "unix_read_reply");
	unix_want(unix_write_reply(UNIX_REPLY_PORT, KERN_SUCCESS, 15) == KERN_SUCCESS,
	     "unix_write_reply");
	char address[UNIX_SOCKADDR_IN_SIZE] = { 2, 0, 0, 80, 127, 0, 0, 1 };
	unix_want(unix_accept4_reply(UNIX_REPLY_PORT, KERN_SUCCESS, 4, address, sizeof(address)) ==
		     KERN_SUCCESS, "unix_accept4_reply");
	unix_want(unix_connect_reply(UNIX_REPLY_PORT, KERN_SUCCESS, -111) == KERN_SUCCESS,
	     "unix_connect_reply");
	unix_want(unix_sendto_reply(UNIX_REPLY_PORT, KERN_SUCCESS, 15) == KERN_SUCCESS,
	     "unix_sendto_reply");
	unix_want(unix_recvfrom_reply(UNIX_REPLY_PORT, KERN_SUCCESS, 15, data, 15, address,
				 sizeof(address)) == KERN_SUCCESS, "unix_recvfrom_reply");
	unix_want(term_request_read(TERM_REQUEST_PORT, UNIX_REPLY_PORT, 100, 0) == KERN_SUCCESS,
	     "term_request_read");
	unix_want(term_request_write(TERM_REQUEST_PORT, UNIX_REPLY_PORT, data, 15) == KERN_SUCCESS,
	     "term_request_write");
}

unsigned unix_exercise(void)
{
	failures = 0;
	exercise_processes();
	exercise_files();
	unix_exercise_sockets();
	exercise_replies();
	return failures;
}
