#include "kern/syscall.h"

#include <mach/kern_return.h>
#include <mach/syscall_sw.h>

#include "kern/clock.h"
#include "kern/sched.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"

static uint64_t trap_null(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			  uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return KERN_SUCCESS;
}

/* thread_switch(thread, option, time): run thread next, or yield (NULL). */
static uint64_t trap_thread_switch(uint64_t name, uint64_t option, uint64_t time,
				   uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)time; (void)a3; (void)a4; (void)a5;
	if (option != SWITCH_OPTION_NONE)
		return KERN_INVALID_ARGUMENT;
	struct thread *target = NULL;
	if (name != 0) {
		target = name <= UINT32_MAX ? thread_lookup((uint32_t)name) : NULL;
		if (target == NULL)
			return KERN_INVALID_NAME;
	}
	uint64_t flags = simple_lock(&sched_lock);
	if (target != NULL)
		sched_switch_to_locked(target);
	else
		sched_yield_locked();
	simple_unlock(&sched_lock, flags);
	if (target != NULL)
		thread_deallocate(target);
	return KERN_SUCCESS;
}

static uint64_t trap_clock_get_time(uint64_t out, uint64_t a1, uint64_t a2, uint64_t a3,
				    uint64_t a4, uint64_t a5)
{
	(void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	uint64_t now = clock_now_ns();
	return copyout(&now, out, sizeof(now));
}

/* clock_sleep(deadline): KERN_SUCCESS at the deadline, KERN_ABORTED if the
 * thread is being terminated first. */
static uint64_t trap_clock_sleep(uint64_t deadline, uint64_t a1, uint64_t a2, uint64_t a3,
				 uint64_t a4, uint64_t a5)
{
	(void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	uint64_t flags = simple_lock(&sched_lock);
	int r = sched_wait_locked(NULL, deadline);
	simple_unlock(&sched_lock, flags);
	return r == WAIT_INTERRUPTED ? KERN_ABORTED : KERN_SUCCESS;
}

static uint64_t trap_task_self(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			       uint64_t a4, uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return current_thread()->task->name;
}

static uint64_t trap_thread_self(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
				 uint64_t a4, uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return current_thread()->name;
}

static uint64_t trap_invalid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			     uint64_t a4, uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return KERN_INVALID_ARGUMENT;
}

/* Every slot starts as trap_invalid; the entries below override it. */
#pragma GCC diagnostic ignored "-Woverride-init"
const trap_handler_t syscall_table[MACH_TRAP_COUNT] = {
	[0 ... MACH_TRAP_COUNT - 1] = trap_invalid,
	[MACH_TRAP_NULL] = trap_null,
	[MACH_TRAP_THREAD_SWITCH] = trap_thread_switch,
	[MACH_TRAP_CLOCK_GET_TIME] = trap_clock_get_time,
	[MACH_TRAP_CLOCK_SLEEP] = trap_clock_sleep,
	[MACH_TRAP_TASK_SELF] = trap_task_self,
	[MACH_TRAP_THREAD_SELF] = trap_thread_self,

	[MACH_TRAP_TASK_CREATE] = trap_task_create,
	[MACH_TRAP_TASK_TERMINATE] = trap_task_terminate,
	[MACH_TRAP_TASK_SUSPEND] = trap_task_suspend,
	[MACH_TRAP_TASK_RESUME] = trap_task_resume,
	[MACH_TRAP_TASK_INFO] = trap_task_info,
	[MACH_TRAP_THREAD_CREATE] = trap_thread_create,
	[MACH_TRAP_THREAD_TERMINATE] = trap_thread_terminate,
	[MACH_TRAP_THREAD_SUSPEND] = trap_thread_suspend,
	[MACH_TRAP_THREAD_RESUME] = trap_thread_resume,
	[MACH_TRAP_THREAD_GET_STATE] = trap_thread_get_state,
	[MACH_TRAP_THREAD_SET_STATE] = trap_thread_set_state,
	[MACH_TRAP_THREAD_INFO] = trap_thread_info,
	[MACH_TRAP_THREAD_PRIORITY] = trap_thread_priority,
	[MACH_TRAP_HOST_MEMORY_INFO] = trap_host_memory_info,
	[MACH_TRAP_HOST_HALT] = trap_host_halt,
	[MACH_TRAP_BOOT_MODULE_SPAWN] = trap_boot_module_spawn,
	[MACH_TRAP_KERNEL_LOG] = trap_kernel_log,
};
