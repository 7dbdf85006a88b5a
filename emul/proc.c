/*
 * Processes: the table, their ports and tasks, and the calls about a
 * process itself (getpid, exit, kill, umask, ids).  A process's task has
 * the process port as its bootstrap port (libc's way to the server) and
 * the server's exception port; it runs when its first thread is resumed.
 */
#include "emul.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unixServer.h>

struct proc procs[UNIX_PROC_MAX];
static pid_t next_pid = 1;
bool proc_halt_after_init;

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
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++)
		if (procs[i].state != PROC_FREE && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* The next pid not in use (wrapping below UNIX_PID_MAX). */
static pid_t pid_alloc(void)
{
	for (;;) {
		pid_t pid = next_pid;
		next_pid = next_pid >= UNIX_PID_MAX ? 2 : next_pid + 1;
		if (proc_by_pid(pid) == NULL)
			return pid;
	}
}

/* A free slot with a new process port, LIVE, a child of parent; NULL if
 * the table, the parent's children or ports have run out. */
struct proc *proc_alloc(struct proc *parent)
{
	struct proc *p = NULL;

	if (parent != NULL && parent->children >= UNIX_CHILD_MAX)
		return NULL;
	for (unsigned i = 0; i < UNIX_PROC_MAX && p == NULL; i++)
		if (procs[i].state == PROC_FREE)
			p = &procs[i];
	if (p == NULL || emul_reply_port(&p->port) != KERN_SUCCESS)
		return NULL;
	ports_insert(p);
	memset(p->fds, 0, sizeof(p->fds));
	p->state = PROC_LIVE;
	p->pid = pid_alloc();
	p->parent = parent;
	p->task = MACH_PORT_NULL;
	p->thread = MACH_PORT_NULL;
	p->cwd = MACH_PORT_NULL;
	p->children = 0;
	p->pgid = parent != NULL ? parent->pgid : p->pid;
	p->sid = parent != NULL ? parent->sid : p->pid;
	signal_fork(p, parent);
	if (parent != NULL)
		parent->children++;
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

/* The children of p go to init (pid 1), or to no one if p is init. */
static void proc_reparent_children(struct proc *p)
{
	struct proc *init = proc_by_pid(1);

	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		struct proc *c = &procs[i];
		if (c->state == PROC_FREE || c->parent != p)
			continue;
		c->parent = init != p ? init : NULL;
		if (c->parent != NULL) {
			c->parent->children++;
			if (c->state == PROC_ZOMBIE)
				wait_child_changed(c->parent);
		}
	}
	p->children = 0;
}

/* Init has ended: said on the console; with init-exit=halt the disks
 * are synced and the machine stops, successfully if init exited 0. */
static void proc_init_ended(int status)
{
	mach_port_t host_priv;

	mach_printf("emul: init ended with status %d\n", status);
	if (!proc_halt_after_init ||
	    task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv) !=
		    KERN_SUCCESS)
		return;
	fs_sync(fs_root);
	host_halt(host_priv, status == 0 ? HOST_HALT_SUCCESS : HOST_HALT_FAILURE);
}

/* p ends with wait status status: a zombie until its parent waits, or
 * gone at once if it has none. */
void proc_terminate(struct proc *p, int status)
{
	mach_port_t self = mach_task_self();

	term_cancel(p, false);
	pipe_cancel(p, false);
	wait_cancel(p, false);
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
	proc_reparent_children(p);
	p->status = status;
	if (p->pid == 1)
		proc_init_ended(status);
	if (p->parent == NULL) {
		p->state = PROC_FREE;
		return;
	}
	p->state = PROC_ZOMBIE;
	wait_child_changed(p->parent);
	signal_post(p->parent, SIGCHLD);
}

/* The first process, pid 1: path run with no arguments but its name. */
int proc_spawn_init(const char *path)
{
	struct proc *p = proc_alloc(NULL);
	char args[FS_PATH_MAX];
	size_t len = strlen(path);

	if (p == NULL || len >= sizeof(args)) {
		mach_printf("emul: cannot start %s: no room\n", path);
		return -1;
	}
	memcpy(args, path, len + 1);
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
		error = -exec_program(p, path, args, len + 1, 1, 0);
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
	*result = p->parent != NULL ? p->parent->pid : 1;
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

/* sig to one process (a zombie takes none). */
static int signal_one(struct proc *from, struct proc *to, int sig)
{
	if (to->state != PROC_LIVE)
		return 0;
	if (!may_signal(from, to))
		return -EPERM;
	signal_post(to, sig);
	return 0;
}

/* sig to every live process that match says, but init for pid -1; how
 * many were found, or the first refusal. */
static int signal_many(struct proc *from, int sig, pid_t pgid, bool all)
{
	int found = 0, error = 0;

	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		struct proc *to = &procs[i];
		if (to->state != PROC_LIVE || (all ? to->pid == 1 : to->pgid != pgid))
			continue;
		int r = signal_one(from, to, sig);
		if (r == 0)
			found++;
		else if (error == 0)
			error = r;
	}
	return found > 0 ? 0 : error != 0 ? error : -ESRCH;
}

kern_return_t unix_S_kill(mach_port_t port, int64_t pid, int32_t sig, int64_t *result)
{
	EMUL_CALLER(p, port);
	if (sig < 0 || sig >= UNIX_NSIG)
		*result = -EINVAL;
	else if (pid == 0 || (pid < -1 && pid > -UNIX_PID_MAX))
		*result = signal_many(p, sig, pid == 0 ? p->pgid : (pid_t)-pid, false);
	else if (pid == -1)
		*result = signal_many(p, sig, 0, true);
	else {
		struct proc *to = pid > 0 && pid < UNIX_PID_MAX ? proc_by_pid((pid_t)pid) : NULL;
		*result = to == NULL ? -ESRCH : signal_one(p, to, sig);
	}
	return KERN_SUCCESS;
}
