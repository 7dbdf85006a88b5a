/*
 * The process table and its rules: pids, parents, groups, sessions,
 * zombies and reaping (proc.defs).  A record is FREE, LIVE (stopped or
 * not) or a ZOMBIE; a zombie keeps its wait status for its parent.
 *
 *   FREE --fork--> LIVE --exit--> ZOMBIE --its parent's wait--> FREE
 *                       (no parent: FREE at once)
 */
#include "proc.h"

#include <procServer.h>

struct process table[UNIX_PROC_MAX];
static int32_t next_pid = 1;

struct process *process_find(int32_t pid)
{
	for (unsigned i = 0; pid > 0 && i < UNIX_PROC_MAX; i++)
		if (table[i].state != PROCESS_FREE && table[i].pid == pid)
			return &table[i];
	return NULL;
}

struct process *process_live(int32_t pid)
{
	struct process *p = process_find(pid);
	return p != NULL && p->state == PROCESS_LIVE ? p : NULL;
}

/* Whether pid is taken as a process's, a group's or a session's id. */
static bool pid_taken(int32_t pid)
{
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		const struct process *p = &table[i];
		if (p->state != PROCESS_FREE && (p->pid == pid || p->pgid == pid || p->sid == pid))
			return true;
	}
	return false;
}

/* The next free pid, wrapping below UNIX_PID_MAX past init's. */
static int32_t pid_alloc(void)
{
	for (;;) {
		int32_t pid = next_pid;
		next_pid = next_pid >= UNIX_PID_MAX - 1 ? 2 : next_pid + 1;
		if (!pid_taken(pid))
			return pid;
	}
}

static void set_task(struct process *p, mach_port_t task)
{
	if (p->task != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), p->task);
	p->task = task;
}

kern_return_t proc_S_fork(mach_port_t server, int32_t parent, mach_port_t task, int32_t *pid)
{
	PROC_ADMIN(server);
	struct process *pp = parent != 0 ? process_live(parent) : NULL, *p = NULL;

	if (parent != 0 && pp == NULL)
		return PROC_NO_SUCH_PROCESS;
	if (pp != NULL && pp->children >= UNIX_CHILD_MAX)
		return PROC_TOO_MANY;
	for (unsigned i = 0; i < UNIX_PROC_MAX && p == NULL; i++)
		if (table[i].state == PROCESS_FREE)
			p = &table[i];
	if (p == NULL)
		return PROC_TOO_MANY;
	*p = (struct process){ .state = PROCESS_LIVE, .pid = pid_alloc(), .ppid = parent };
	p->pgid = pp != NULL ? pp->pgid : p->pid;
	p->sid = pp != NULL ? pp->sid : p->pid;
	if (pp != NULL) {
		pp->children++;
		memcpy(p->command, pp->command, sizeof(p->command));
	}
	set_task(p, task);
	*pid = p->pid;
	return KERN_SUCCESS;
}

kern_return_t proc_S_exec(mach_port_t server, int32_t pid, mach_port_t task, char *command)
{
	PROC_ADMIN(server);
	struct process *p = process_live(pid);

	if (p == NULL)
		return PROC_NO_SUCH_PROCESS;
	set_task(p, task);
	strlcpy(p->command, command, sizeof(p->command));
	return KERN_SUCCESS;
}

/* p's children go to init, or to no one if p is init (then its zombies
 * go at once); whether init got a zombie. */
static bool reparent(struct process *p)
{
	struct process *init = p->pid != 1 ? process_live(1) : NULL;
	bool adopted = false;

	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		struct process *c = &table[i];
		if (c->state == PROCESS_FREE || c->ppid != p->pid)
			continue;
		c->ppid = init != NULL ? 1 : 0;
		if (init != NULL) {
			init->children++;
			adopted |= c->state == PROCESS_ZOMBIE;
		} else if (c->state == PROCESS_ZOMBIE) {
			c->state = PROCESS_FREE;
		}
	}
	p->children = 0;
	return adopted;
}

kern_return_t proc_S_exit(mach_port_t server, int32_t pid, int32_t status, int32_t *parent,
			  boolean_t *adopted)
{
	PROC_ADMIN(server);
	struct process *p = process_live(pid);

	if (p == NULL)
		return PROC_NO_SUCH_PROCESS;
	*adopted = reparent(p);
	set_task(p, MACH_PORT_NULL);
	p->status = status;
	p->stopped = false;
	*parent = process_live(p->ppid) != NULL ? p->ppid : 0;
	p->state = *parent != 0 ? PROCESS_ZOMBIE : PROCESS_FREE;
	return KERN_SUCCESS;
}

static bool matches(const struct process *parent, const struct process *c, int32_t pid)
{
	if (c->state == PROCESS_FREE || c->ppid != parent->pid)
		return false;
	return pid == -1 || (pid > 0 && c->pid == pid) || (pid == 0 && c->pgid == parent->pgid) ||
	       (pid < -1 && c->pgid == -pid);
}

/* What a wait with options learns of c, a matching child: whether it
 * has something to tell, with *status. */
static bool changed(struct process *c, int32_t options, int32_t *status)
{
	if (c->state == PROCESS_ZOMBIE) {
		*status = c->status;
		return true;
	}
	if (c->change == STOP_UNTOLD && (options & UNIX_WUNTRACED)) {
		*status = 0x7f | c->stop_signal << 8;
		return true;
	}
	if (c->change == CONTINUE_UNTOLD && (options & UNIX_WCONTINUED)) {
		*status = 0xffff;
		return true;
	}
	return false;
}

kern_return_t proc_S_wait(mach_port_t server, int32_t parent, int32_t pid, int32_t options,
			  int32_t *child, int32_t *status)
{
	PROC_ADMIN(server);
	struct process *pp = process_live(parent);
	bool any = false;

	if (pp == NULL)
		return PROC_NO_SUCH_PROCESS;
	*child = *status = 0;
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		struct process *c = &table[i];
		if (!matches(pp, c, pid))
			continue;
		any = true;
		if (!changed(c, options, status))
			continue;
		*child = c->pid;
		c->change = TOLD;
		if (c->state == PROCESS_ZOMBIE) {
			c->state = PROCESS_FREE;
			pp->children--;
		}
		return KERN_SUCCESS;
	}
	return any ? KERN_SUCCESS : PROC_NO_CHILDREN;
}

kern_return_t proc_S_stopped(mach_port_t server, int32_t pid, int32_t sig, int32_t *parent)
{
	PROC_ADMIN(server);
	struct process *p = process_live(pid);

	if (p == NULL)
		return PROC_NO_SUCH_PROCESS;
	p->stopped = sig != 0;
	p->stop_signal = sig;
	p->change = sig != 0 ? STOP_UNTOLD : CONTINUE_UNTOLD;
	*parent = process_live(p->ppid) != NULL ? p->ppid : 0;
	return KERN_SUCCESS;
}
