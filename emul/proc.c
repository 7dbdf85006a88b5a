/*
 * Processes: the table, their ports and tasks, and the calls about a
 * process itself (getpid, exit, kill, umask, ids).  A process's task has
 * the process port as its bootstrap port (libc's way to the server) and
 * the server's exception port; it runs when its first thread is resumed.
 * The process server (proc.defs, proc_server here) keeps the family:
 * pids, parents, groups, sessions, zombies; this server tells it of each
 * birth, exec and death, and asks it.
 */
#include "emul.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <bootstrap.h>
#include <unixServer.h>

struct proc procs[UNIX_PROC_MAX];
bool proc_halt_after_init;
mach_port_t proc_server, proc_public;

/* The task's exceptions come to the process port too (exc.defs). */
static kern_return_t proc_give_ports(struct proc *p, task_t task)
{
	mach_port_t self = mach_task_self();
	kern_return_t kr = mach_port_insert_right(self, p->port, p->port, MACH_MSG_TYPE_MAKE_SEND);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = task_set_special_port(task, TASK_BOOTSTRAP_PORT, p->port);
	if (kr == KERN_SUCCESS)
		kr = task_set_special_port(task, TASK_EXCEPTION_PORT, p->port);
	mach_port_deallocate(self, p->port);
	return kr;
}

/*
 * The live processes by port name: open addressing, twice the table's
 * size, so that every system call finds its caller in a probe or two.
 * A removed entry is a tombstone (PORTS_GONE) until the table is
 * rebuilt, which happens when tombstones fill half of it.
 */
#define PORTS_SIZE (2 * UNIX_PROC_MAX)
#define PORTS_GONE ((struct proc *)1)
static struct proc *by_port[PORTS_SIZE];
static unsigned ports_gone;

static unsigned port_slot(mach_port_t port, unsigned probe)
{
	return (port * 2654435761u + probe) % PORTS_SIZE;
}

static void ports_insert(struct proc *p)
{
	unsigned probe = 0;

	while (by_port[port_slot(p->port, probe)] > PORTS_GONE)
		probe++;
	by_port[port_slot(p->port, probe)] = p;
}

static void ports_remove(struct proc *p)
{
	for (unsigned probe = 0; by_port[port_slot(p->port, probe)] != NULL; probe++) {
		if (by_port[port_slot(p->port, probe)] == p) {
			by_port[port_slot(p->port, probe)] = PORTS_GONE;
			ports_gone++;
			break;
		}
	}
	if (ports_gone < PORTS_SIZE / 2)
		return;
	memset(by_port, 0, sizeof(by_port));
	ports_gone = 0;
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++)
		if (&procs[i] != p && procs[i].port != MACH_PORT_NULL)
			ports_insert(&procs[i]);
}

struct proc *proc_lookup(mach_port_t port)
{
	for (unsigned probe = 0; by_port[port_slot(port, probe)] != NULL; probe++) {
		struct proc *p = by_port[port_slot(port, probe)];
		if (p != PORTS_GONE && p->port == port)
			return p->state == PROC_LIVE ? p : NULL;
	}
	return NULL;
}

struct proc *proc_by_pid(pid_t pid)
{
	for (unsigned i = 0; pid > 0 && i < UNIX_PROC_MAX; i++)
		if (procs[i].state == PROC_LIVE && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* A free slot with a new process port, LIVE, a child of parent (NULL:
 * none) running in task (MACH_PORT_NULL: not yet); NULL if the table,
 * the parent's children or ports have run out. */
struct proc *proc_alloc(struct proc *parent, task_t task)
{
	struct proc *p = NULL;
	int32_t pid = 0;

	for (unsigned i = 0; i < UNIX_PROC_MAX && p == NULL; i++)
		if (procs[i].state == PROC_FREE)
			p = &procs[i];
	if (p == NULL || proc_fork(proc_server, parent != NULL ? parent->pid : 0, task, &pid) !=
				 KERN_SUCCESS)
		return NULL;
	if (emul_reply_port(&p->port) != KERN_SUCCESS) {
		int32_t none;
		boolean_t adopted;
		proc_exit(proc_server, pid, 0, &none, &adopted);
		if (parent != NULL)
			proc_wait(proc_server, parent->pid, pid, 0, &none, &none);
		return NULL;
	}
	ports_insert(p);
	memset(p->fds, 0, sizeof(p->fds));
	p->state = PROC_LIVE;
	p->pid = pid;
	p->task = MACH_PORT_NULL;
	p->thread = MACH_PORT_NULL;
	p->cwd = MACH_PORT_NULL;
	signal_fork(p, parent);
	return p;
}

void proc_free_port(struct proc *p)
{
	ports_remove(p);
	emul_reply_port_free(p->port);
	p->port = MACH_PORT_NULL;
}

kern_return_t proc_start_thread(struct proc *p, uint64_t entry, uint64_t stack, uint64_t arg)
{
	struct x86_64_thread_state state = { .rip = entry, .rsp = stack, .rdi = arg,
					     .rflags = 0x202 };
	thread_t thread;
	kern_return_t kr = proc_give_ports(p, p->task);

	if (kr == KERN_SUCCESS)
		kr = thread_create(p->task, &thread);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_set_state(thread, X86_64_THREAD_STATE, (thread_state_t)&state,
			      X86_64_THREAD_STATE_COUNT);
	if (kr == KERN_SUCCESS)
		kr = thread_resume(thread);
	if (kr != KERN_SUCCESS) {
		mach_port_deallocate(mach_task_self(), thread);
		return kr;
	}
	if (p->thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), p->thread);
	p->thread = thread;
	return KERN_SUCCESS;
}

/* The disks synced, the machine stops (returns only if it could not:
 * -EIO). */
static int machine_stop(bool success)
{
	mach_port_t host_priv;

	if (fs_sync(fs_root) != KERN_SUCCESS ||
	    task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv) !=
		    KERN_SUCCESS)
		return -EIO;
	host_halt(host_priv, success ? HOST_HALT_SUCCESS : HOST_HALT_FAILURE);
	return -EIO;
}

/* Init has ended: said on the console; with init-exit=halt the machine
 * stops, successfully if init exited 0. */
static void proc_init_ended(int status)
{
	mach_printf("emul: init ended with status %d\n", status);
	if (proc_halt_after_init)
		machine_stop(status == 0);
}

kern_return_t unix_S_host_priv(mach_port_t port, int64_t *result, mach_port_t *host)
{
	EMUL_CALLER(p, port);
	*host = MACH_PORT_NULL;
	if (p->euid != 0)
		*result = -EPERM;
	else
		*result = task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, host) ==
					  KERN_SUCCESS ? 0 : -EIO;
	return KERN_SUCCESS;
}

kern_return_t unix_S_look_up(mach_port_t port, unix_path_t name, int64_t *result,
			     mach_port_t *service)
{
	EMUL_CALLER(p, port);
	*service = MACH_PORT_NULL;
	if (p->euid != 0)
		*result = -EPERM;
	else if (name[0] == '\0' || strlen(name) >= BOOTSTRAP_NAME_MAX)
		*result = -ENOENT;
	else
		*result = bootstrap_look_up(names_port, name, service) == KERN_SUCCESS ? 0 : -ENOENT;
	return KERN_SUCCESS;
}

kern_return_t unix_S_task_for_pid(mach_port_t port, int32_t pid, int64_t *result,
				  mach_port_t *task)
{
	EMUL_CALLER(p, port);
	struct proc *q = proc_by_pid(pid);
	*task = MACH_PORT_NULL;
	if (p->euid != 0)
		*result = -EPERM;
	else if (q == NULL)
		*result = -ESRCH;
	else {
		*task = q->task;
		*result = 0;
	}
	return KERN_SUCCESS;
}

/* The kernel has no restart: both ways stop the machine (QEMU under
 * -no-reboot ends either way). */
kern_return_t unix_S_reboot(mach_port_t port, int32_t how, int64_t *result)
{
	EMUL_CALLER(p, port);
	if (how != UNIX_REBOOT_HALT && how != UNIX_REBOOT_RESTART)
		*result = -EINVAL;
	else if (p->euid != 0)
		*result = -EPERM;
	else {
		mach_printf("emul: pid %d stops the machine\n", p->pid);
		*result = machine_stop(true);
	}
	return KERN_SUCCESS;
}

/* p ends with wait status status: the process server keeps it as a
 * zombie until its parent waits, whom SIGCHLD tells. */
void proc_terminate(struct proc *p, int status)
{
	mach_port_t self = mach_task_self();
	int32_t parent = 0;
	boolean_t adopted = FALSE;

	term_cancel(p, false);
	pipe_cancel(p, false);
	socket_cancel(p, false);
	wait_cancel(p, false);
	poll_cancel(p, false);
	signal_cancel(p);
	fd_close_all(p, false);
	if (p->cwd != MACH_PORT_NULL)
		mach_port_deallocate(self, p->cwd);
	p->cwd = MACH_PORT_NULL;
	if (p->task != MACH_PORT_NULL) {
		task_terminate(p->task);
		mach_port_deallocate(self, p->task);
		p->task = MACH_PORT_NULL;
	}
	proc_free_port(p);
	p->state = PROC_FREE;
	proc_exit(proc_server, p->pid, status, &parent, &adopted);
	if (p->pid == 1)
		proc_init_ended(status);
	struct proc *pp = proc_by_pid(parent);
	if (pp != NULL) {
		wait_child_changed(pp);
		signal_post(pp, SIGCHLD);
	}
	if (adopted && proc_by_pid(1) != NULL)
		wait_child_changed(proc_by_pid(1));
}

/* Room for init's path and its environment (emul/main.c's variables). */
#define INIT_ARGS_MAX 1024

/* args (room bytes) filled with path, then each of env's envc strings,
 * each NUL-terminated, as execve's buffer is; its size, or 0 if it does
 * not fit. */
static size_t init_args(char *args, size_t room, const char *path, char *const *env,
			unsigned envc)
{
	size_t size = 0;

	for (unsigned i = 0; i <= envc; i++) {
		const char *s = i == 0 ? path : env[i - 1];
		size_t len = strlen(s) + 1;
		if (len > room - size)
			return 0;
		memcpy(args + size, s, len);
		size += len;
	}
	return size;
}

/* The first process, pid 1: path run with no arguments but its name,
 * and env (envc "NAME=value" strings) as its environment. */
int proc_spawn_init(const char *path, char *const *env, unsigned envc)
{
	struct proc *p = proc_alloc(NULL, MACH_PORT_NULL);
	char args[INIT_ARGS_MAX];
	size_t size = init_args(args, sizeof(args), path, env, envc);

	if (p == NULL || size == 0) {
		mach_printf("emul: cannot start %s: no room\n", path);
		return -1;
	}
	p->cwd_path[0] = '/';
	p->cwd_path[1] = '\0';
	p->umask = 022;
	p->uid = p->euid = p->gid = p->egid = 0;
	int error = file_open_port(p, "/", FS_OPEN_READ | FS_OPEN_DIRECTORY, 0, &p->cwd);
	for (int fd = 0; error == 0 && fd < 3; fd++) {
		int r = fd_open_terminal(p, O_RDWR);
		error = r < 0 ? -r : 0;
	}
	if (error == 0)
		error = -exec_program(p, path, args, size, 1, envc);
	if (error != 0) {
		mach_printf("emul: cannot start %s: %s\n", path, strerror(error));
		proc_terminate(p, 127 << 8);
		return -1;
	}
	mach_printf("emul: started %s as pid 1\n", path);
	return 0;
}

kern_return_t unix_S_getpid(mach_port_t port, int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = p->pid;
	return KERN_SUCCESS;
}

kern_return_t unix_S_getppid(mach_port_t port, int64_t *result)
{
	EMUL_CALLER(p, port);
	int32_t ppid = 0, pgid, sid;
	kern_return_t kr = proc_ids(proc_server, p->pid, &ppid, &pgid, &sid);
	*result = kr != KERN_SUCCESS ? -emul_errno(kr) : ppid;
	return KERN_SUCCESS;
}

kern_return_t unix_S_proc_server(mach_port_t port, mach_port_t *server)
{
	EMUL_CALLER(p, port);
	(void)p;
	*server = proc_public;
	return KERN_SUCCESS;
}

kern_return_t unix_S_exit(mach_port_t port, int32_t status)
{
	EMUL_CALLER(p, port);
	proc_terminate(p, (status & 0xff) << 8);
	return MIG_NO_REPLY;
}

kern_return_t unix_S_umask(mach_port_t port, uint32_t mask, int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = p->umask;
	p->umask = mask & 0777;
	return KERN_SUCCESS;
}

kern_return_t unix_S_getids(mach_port_t port, uint32_t *uid, uint32_t *euid, uint32_t *gid,
			    uint32_t *egid)
{
	EMUL_CALLER(p, port);
	*uid = p->uid;
	*euid = p->euid;
	*gid = p->gid;
	*egid = p->egid;
	return KERN_SUCCESS;
}

/* Whether from may signal to: root, or the same real or effective user. */
static bool may_signal(const struct proc *from, const struct proc *to)
{
	return from->euid == 0 || from->uid == to->uid || from->euid == to->uid;
}

/* sig to one live process. */
static int signal_one(struct proc *from, struct proc *to, int sig)
{
	if (!may_signal(from, to))
		return -EPERM;
	signal_post_from(to, sig, UNIX_SI_USER, 0);
	return 0;
}

int signal_group(struct proc *from, pid_t pgid, int sig)
{
	int32_t members[UNIX_PROC_MAX], sid;
	mach_msg_type_number_t n = UNIX_PROC_MAX;
	int found = 0, error = 0;
	kern_return_t kr = proc_group(proc_server, pgid, &sid, members, &n);

	if (kr != KERN_SUCCESS)
		return -emul_errno(kr);
	for (unsigned i = 0; i < n; i++) {
		struct proc *to = proc_by_pid(members[i]);
		if (to == NULL || (pgid == 0 && to->pid == 1))
			continue;
		int r = from != NULL ? signal_one(from, to, sig) : (signal_post(to, sig), 0);
		if (r == 0)
			found++;
		else if (error == 0)
			error = r;
	}
	return found > 0 ? 0 : error != 0 ? error : -ESRCH;
}

int proc_ids_of(pid_t pid, int32_t *ppid, int32_t *pgid, int32_t *sid)
{
	int32_t unused;
	kern_return_t kr = proc_ids(proc_server, pid, ppid != NULL ? ppid : &unused,
				    pgid != NULL ? pgid : &unused, sid != NULL ? sid : &unused);
	return kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
}

/* kill(pid): pid exactly (a zombie takes no signal, but is there). */
static int signal_pid(struct proc *from, pid_t pid, int sig)
{
	struct proc *to = proc_by_pid(pid);

	if (to != NULL)
		return signal_one(from, to, sig);
	return proc_ids_of(pid, NULL, NULL, NULL);
}

kern_return_t unix_S_kill(mach_port_t port, int64_t pid, int32_t sig, int64_t *result)
{
	EMUL_CALLER(p, port);
	int32_t pgid = 0;

	if (sig < 0 || sig >= UNIX_NSIG)
		*result = -EINVAL;
	else if (pid == 0)
		*result = proc_ids_of(p->pid, NULL, &pgid, NULL) ?: signal_group(p, pgid, sig);
	else if (pid < -1 && pid > -UNIX_PID_MAX)
		*result = signal_group(p, (pid_t)-pid, sig);
	else if (pid == -1)
		*result = signal_group(p, 0, sig);
	else if (pid > 0 && pid < UNIX_PID_MAX)
		*result = signal_pid(p, (pid_t)pid, sig);
	else
		*result = -ESRCH;
	return KERN_SUCCESS;
}
