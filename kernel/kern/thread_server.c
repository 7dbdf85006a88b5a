/*
 * The thread interface (idl/defs/thread.defs), for whoever holds a send
 * right to a thread's kernel port.  Errors are listed with each routine
 * there; a port that is not a live thread's is KERN_INVALID_ARGUMENT.
 */
#include <mach/task_info.h>
#include <mach/thread_status.h>
#include <threadServer.h>

#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "kern/ipc_tt.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"

kern_return_t S_thread_terminate(thread_t thread)
{
	return thread == NULL ? KERN_INVALID_ARGUMENT : thread_terminate(thread);
}

kern_return_t S_thread_get_state(thread_t thread, thread_state_flavor_t flavor,
				 thread_state_t state, mach_msg_type_number_t *count)
{
	if (thread == NULL)
		return KERN_INVALID_ARGUMENT;
	/* *count is the room the reply has (THREAD_STATE_MAX); the flavor
	 * says how much of it is used. */
	mach_msg_type_number_t n = flavor == X86_64_FLOAT_STATE    ? X86_64_FLOAT_STATE_COUNT
				   : flavor == X86_64_THREAD_STATE ? X86_64_THREAD_STATE_COUNT
								   : 0;
	if (n == 0 || n > *count)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = thread_get_state(thread, flavor, state, (uint64_t)n * sizeof(natural_t));
	if (kr == KERN_SUCCESS)
		*count = n;
	return kr;
}

kern_return_t S_thread_set_state(thread_t thread, thread_state_flavor_t flavor,
				 thread_state_t state, mach_msg_type_number_t count)
{
	if (thread == NULL)
		return KERN_INVALID_ARGUMENT;
	return thread_set_state(thread, flavor, state, (uint64_t)count * sizeof(natural_t));
}

kern_return_t S_thread_suspend(thread_t thread)
{
	return thread == NULL ? KERN_INVALID_ARGUMENT : thread_suspend(thread);
}

kern_return_t S_thread_abort(thread_t thread)
{
	return thread == NULL ? KERN_INVALID_ARGUMENT : thread_abort(thread);
}

kern_return_t S_thread_resume(thread_t thread)
{
	return thread == NULL ? KERN_INVALID_ARGUMENT : thread_resume(thread);
}

kern_return_t S_thread_info(thread_t thread, thread_flavor_t flavor, thread_info_t out,
			    mach_msg_type_number_t *count)
{
	if (thread == NULL)
		return KERN_INVALID_ARGUMENT;
	if (flavor != THREAD_BASIC_INFO || *count < THREAD_BASIC_INFO_COUNT)
		return KERN_INVALID_ARGUMENT;
	struct thread_basic_info info;
	thread_info(thread, &info);
	memcpy(out, &info, sizeof(info));
	*count = THREAD_BASIC_INFO_COUNT;
	return KERN_SUCCESS;
}

kern_return_t S_thread_get_special_port(thread_t thread, int which, mach_port_t *port)
{
	return thread == NULL ? KERN_INVALID_ARGUMENT
			      : ipc_thread_get_special(thread, which, port);
}

kern_return_t S_thread_set_special_port(thread_t thread, int which, mach_port_t port)
{
	if (thread == NULL)
		return KERN_INVALID_ARGUMENT;
	if (port == MACH_PORT_DEAD)
		port = NULL;
	return ipc_thread_set_special(thread, which, port);
}

kern_return_t S_thread_priority(thread_t thread, int priority, boolean_t set_max)
{
	if (thread == NULL)
		return KERN_INVALID_ARGUMENT;
	if (priority < 0)
		return KERN_INVALID_VALUE;
	kern_return_t kr = thread_priority(thread, (unsigned)priority, thread->max_priority);
	if (kr == KERN_SUCCESS && set_max)
		thread->max_priority = (unsigned)priority;
	return kr;
}

kern_return_t S_thread_terminate_release(thread_t thread, mach_port_name_t reply_name,
					 mach_port_name_t thread_name)
{
	if (thread == NULL)
		return KERN_INVALID_ARGUMENT;
	struct ipc_space *space = thread->task->itk_space;
	if (space != NULL) {
		uint64_t flags = ipc_lock_acquire();
		ipc_right_delta_locked(space, reply_name, MACH_PORT_RIGHT_RECEIVE, -1);
		ipc_right_delta_locked(space, thread_name, MACH_PORT_RIGHT_SEND, -1);
		ipc_unlock(flags);
	}
	return thread_terminate(thread);
}
