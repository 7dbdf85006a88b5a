/*
 * The task interface (idl/defs/task.defs), for whoever holds a send right
 * to a task's kernel port.  Errors are listed with each routine there;
 * a request on a port that is not a live task's is KERN_INVALID_TASK.
 */
#include <mach/task_info.h>
#include <taskServer.h>

#include "ipc/ipc_port.h"
#include "ipc/ipc_space.h"
#include "kern/ipc_tt.h"
#include "kern/kalloc.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"

kern_return_t S_task_create(task_t parent, boolean_t inherit_memory, task_t *child)
{
	if (parent == NULL)
		return KERN_INVALID_TASK;
	kern_return_t kr = task_create(parent, inherit_memory != 0, child);
	if (kr == KERN_SUCCESS)
		task_reference(*child);   /* the reply's send right takes it */
	return kr;
}

kern_return_t S_task_terminate(task_t task)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	return task_terminate(task);
}

kern_return_t S_task_threads(task_t task, thread_array_t *list, mach_msg_type_number_t *count)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	for (;;) {
		uint32_t n = task->thread_count;
		struct thread **buf = n ? kalloc(n * sizeof(*buf)) : NULL;
		if (n != 0 && buf == NULL)
			return KERN_RESOURCE_SHORTAGE;
		uint64_t flags = simple_lock(&task_lock);
		bool same = task->thread_count == n;
		if (same) {
			uint32_t i = 0;
			for (struct thread *t = task->threads; t != NULL; t = t->task_next) {
				t->refs++;
				buf[i++] = t;
			}
		}
		simple_unlock(&task_lock, flags);
		if (!same) {
			if (buf != NULL)
				kfree(buf, n * sizeof(*buf));
			continue;
		}
		/* Each reference becomes a send right, in place. */
		for (uint32_t i = 0; i < n; i++)
			((mach_port_t *)buf)[i] = convert_thread_to_port(buf[i]);
		*list = (thread_array_t)buf;
		*count = n;
		return KERN_SUCCESS;
	}
}

static void task_ipc_info(struct task *task, struct task_ipc_info *info)
{
	uint64_t flags = ipc_lock_acquire();
	struct ipc_space *space = task->itk_space;

	*info = (struct task_ipc_info){
		.msgs_sent = task->msgs_sent,
		.msgs_received = task->msgs_received,
	};
	for (uint32_t i = 1; space != NULL && i < space->size; i++) {
		uint32_t bits = space->table[i].bits;
		if (bits == 0)
			continue;
		info->names++;
		info->send_rights += (bits & IPC_ENTRY_SEND) != 0;
		info->receive_rights += (bits & IPC_ENTRY_RECEIVE) != 0;
		info->send_once_rights += (bits & IPC_ENTRY_SEND_ONCE) != 0;
		info->port_sets += (bits & IPC_ENTRY_PORT_SET) != 0;
		info->dead_names += (bits & IPC_ENTRY_DEAD_NAME) != 0;
	}
	ipc_unlock(flags);
}

kern_return_t S_task_info(task_t task, task_flavor_t flavor, task_info_t out,
			  mach_msg_type_number_t *count)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	if (flavor == TASK_BASIC_INFO && *count >= TASK_BASIC_INFO_COUNT) {
		struct task_basic_info info;
		task_info(task, &info);
		memcpy(out, &info, sizeof(info));
		*count = TASK_BASIC_INFO_COUNT;
		return KERN_SUCCESS;
	}
	if (flavor == TASK_IPC_INFO && *count >= TASK_IPC_INFO_COUNT) {
		struct task_ipc_info info;
		task_ipc_info(task, &info);
		memcpy(out, &info, sizeof(info));
		*count = TASK_IPC_INFO_COUNT;
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}

kern_return_t S_task_set_name(task_t task, task_name_t name)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	if (name[0] == '\0')
		return KERN_INVALID_ARGUMENT;
	task_set_label(task, name);
	return KERN_SUCCESS;
}

kern_return_t S_task_suspend(task_t task)
{
	return task == NULL ? KERN_INVALID_TASK : task_suspend(task);
}

kern_return_t S_task_resume(task_t task)
{
	return task == NULL ? KERN_INVALID_TASK : task_resume(task);
}

kern_return_t S_task_get_special_port(task_t task, int which, mach_port_t *port)
{
	return task == NULL ? KERN_INVALID_TASK : ipc_task_get_special(task, which, port);
}

kern_return_t S_task_set_special_port(task_t task, int which, mach_port_t port)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	if (port == MACH_PORT_DEAD)
		port = NULL;
	return ipc_task_set_special(task, which, port);
}

kern_return_t S_thread_create(task_t task, thread_t *thread)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	kern_return_t kr = thread_create(task, thread);
	if (kr == KERN_SUCCESS)
		thread_reference(*thread);   /* the reply's send right takes it */
	return kr;
}
