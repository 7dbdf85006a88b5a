/*
 * Process groups and sessions, and what the server tells anyone: a
 * process's ids, a group's members, the table.
 */
#include "proc.h"

#include <procServer.h>

/* Whether a live process is in group pgid of session sid. */
static bool group_in(int32_t pgid, int32_t sid)
{
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++)
		if (table[i].state == PROCESS_LIVE && table[i].pgid == pgid &&
		    table[i].sid == sid)
			return true;
	return false;
}

kern_return_t proc_S_setpgid(mach_port_t server, int32_t caller, int32_t pid, int32_t pgid)
{
	PROC_ADMIN(server);
	struct process *c = process_live(caller);
	struct process *t = pid == 0 || pid == caller ? c : process_live(pid);

	if (c == NULL)
		return PROC_NO_SUCH_PROCESS;
	if (pgid < 0)
		return KERN_INVALID_ARGUMENT;
	if (t == NULL || (t != c && t->ppid != caller))
		return PROC_NO_SUCH_PROCESS;
	if (t->sid == t->pid || t->sid != c->sid)
		return PROC_NOT_PERMITTED;
	if (pgid != 0 && pgid != t->pid && !group_in(pgid, c->sid))
		return PROC_NOT_PERMITTED;
	t->pgid = pgid == 0 ? t->pid : pgid;
	return KERN_SUCCESS;
}

kern_return_t proc_S_setsid(mach_port_t server, int32_t caller, int32_t *sid)
{
	PROC_ADMIN(server);
	struct process *c = process_live(caller);

	if (c == NULL)
		return PROC_NO_SUCH_PROCESS;
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++)
		if (table[i].state != PROCESS_FREE && table[i].pgid == caller)
			return PROC_NOT_PERMITTED;
	c->sid = c->pgid = caller;
	*sid = caller;
	return KERN_SUCCESS;
}

kern_return_t proc_S_ids(mach_port_t server, int32_t pid, int32_t *ppid, int32_t *pgid,
			 int32_t *sid)
{
	struct process *p = process_find(pid);

	(void)server;
	if (p == NULL)
		return PROC_NO_SUCH_PROCESS;
	*ppid = p->ppid;
	*pgid = p->pgid;
	*sid = p->sid;
	return KERN_SUCCESS;
}

kern_return_t proc_S_group(mach_port_t server, int32_t pgid, int32_t *sid, int32_t *members,
			   mach_msg_type_number_t *count)
{
	unsigned n = 0;

	(void)server;
	*sid = 0;
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		const struct process *p = &table[i];
		if (p->state != PROCESS_LIVE || (pgid != 0 && p->pgid != pgid))
			continue;
		members[n++] = p->pid;
		*sid = p->sid;
	}
	*count = n;
	return n > 0 ? KERN_SUCCESS : PROC_NO_SUCH_PROCESS;
}

static void info_of(const struct process *p, struct unix_proc_info *info)
{
	*info = (struct unix_proc_info){ .pid = p->pid, .ppid = p->ppid, .pgid = p->pgid,
					 .sid = p->sid, .status = p->status };
	info->state = p->state == PROCESS_ZOMBIE ? UNIX_PROC_ZOMBIE
		      : p->stopped		 ? UNIX_PROC_STOPPED
						 : UNIX_PROC_RUNNING;
	memcpy(info->command, p->command, sizeof(info->command));
	struct task_basic_info basic;
	mach_msg_type_number_t n = TASK_BASIC_INFO_COUNT;
	if (p->task != MACH_PORT_NULL &&
	    task_info(p->task, TASK_BASIC_INFO, (task_info_t)&basic, &n) == KERN_SUCCESS) {
		info->virtual_size = basic.virtual_size;
		info->resident_size = basic.resident_size;
	}
}

/* The live and zombie processes into out, by pid; how many. */
static unsigned sorted(const struct process **out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		const struct process *p = &table[i];
		if (p->state == PROCESS_FREE)
			continue;
		unsigned j = n++;
		for (; j > 0 && out[j - 1]->pid > p->pid; j--)
			out[j] = out[j - 1];
		out[j] = p;
	}
	return n;
}

kern_return_t proc_S_list(mach_port_t server, vm_offset_t *data, mach_msg_type_number_t *size)
{
	const struct process *by_pid[UNIX_PROC_MAX];
	unsigned n = sorted(by_pid);
	vm_size_t bytes = n * sizeof(struct unix_proc_info);
	vm_address_t at = 0;

	(void)server;
	*data = 0;
	*size = 0;
	if (n == 0)
		return KERN_SUCCESS;
	/* Whole pages: the send deallocates what it moves. */
	kern_return_t kr = vm_allocate(mach_task_self(), &at, (bytes + 4095) & ~4095ul, TRUE);
	if (kr != KERN_SUCCESS)
		return kr;
	for (unsigned i = 0; i < n; i++)
		info_of(by_pid[i], &((struct unix_proc_info *)at)[i]);
	*data = at;
	*size = (mach_msg_type_number_t)bytes;
	return KERN_SUCCESS;
}
