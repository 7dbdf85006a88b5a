#include "kern/syscall.h"

#include <mach/kern_return.h>
#include <mach/syscall_sw.h>

#include "ipc/mach_msg.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "kern/clock.h"
#include "kern/ipc_tt.h"
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

/* The thread a send right of the caller's names, with a reference. */
static struct thread *thread_from_name(mach_port_name_t name)
{
	struct ipc_space *space = current_thread()->task->itk_space;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);
	struct ipc_port *port = e != NULL ? ipc_entry_port(e) : NULL;
	struct thread *t = NULL;

	if (port != NULL && port->active && port->kotype == IKOT_THREAD) {
		t = port->kobject;
		thread_reference(t);
	}
	ipc_unlock(flags);
	return t;
}

/* thread_switch(thread, option, time): run thread next, or yield (NULL). */
static uint64_t trap_thread_switch(uint64_t name, uint64_t option, uint64_t time,
				   uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)time; (void)a3; (void)a4; (void)a5;
	if (option != SWITCH_OPTION_NONE)
		return KERN_INVALID_ARGUMENT;
	struct thread *target = NULL;
	if ((mach_port_name_t)name != MACH_PORT_NAME_NULL) {
		target = thread_from_name((mach_port_name_t)name);
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

/* thread_set_self(base): the fs base of the calling thread. */
static uint64_t trap_thread_set_self(uint64_t base, uint64_t a1, uint64_t a2, uint64_t a3,
				     uint64_t a4, uint64_t a5)
{
	(void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	if (base >= USER_ADDRESS_LIMIT)
		return KERN_INVALID_ADDRESS;
	pcb_set_fs_base(&current_thread()->pcb, base);
	return KERN_SUCCESS;
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
	[MACH_TRAP_TASK_SELF] = trap_mach_task_self,
	[MACH_TRAP_THREAD_SELF] = trap_mach_thread_self,

	[MACH_TRAP_HOST_SELF] = trap_mach_host_self,
	[MACH_TRAP_REPLY_PORT] = trap_mach_reply_port,
	[MACH_TRAP_MSG] = trap_mach_msg,
	[MACH_TRAP_THREAD_SET_SELF] = trap_thread_set_self,
};
