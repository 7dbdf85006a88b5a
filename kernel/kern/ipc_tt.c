/* Task and thread ports; see ipc_tt.h. */
#include "kern/ipc_tt.h"

#include <mach/kernel_server.h>
#include <mach/task_special_ports.h>
#include <mach/thread_special_ports.h>

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "kern/host.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "vm/vm_map.h"

/* A new naked send right to port, if it is a live port. */
static struct ipc_port *copy_send_locked(struct ipc_port *port)
{
	if (!IPC_PORT_VALID(port))
		return NULL;
	ipc_port_copy_send_locked(port);
	return port;
}

static void release_send_locked(struct ipc_port *port)
{
	if (IPC_PORT_VALID(port))
		ipc_port_release_send_locked(port);
}

kern_return_t ipc_task_init(struct task *task, struct task *parent)
{
	if (ipc_space_create(&task->itk_space) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	task->itk_space->task = task;
	task->itk_self = ipc_port_alloc_kernel(IKOT_TASK, task);
	if (task->itk_self == NULL) {
		ipc_space_destroy(task->itk_space);
		return KERN_RESOURCE_SHORTAGE;
	}
	uint64_t flags = ipc_lock_acquire();
	/* Privilege is not inherited: a holder passes it on by choice. */
	task->itk_exception = copy_send_locked(parent->itk_exception);
	task->itk_bootstrap = copy_send_locked(parent->itk_bootstrap);
	ipc_unlock(flags);
	return KERN_SUCCESS;
}

void ipc_task_terminate(struct task *task)
{
	uint64_t flags = ipc_lock_acquire();
	ipc_port_destroy_locked(task->itk_self);
	task->itk_self = NULL;
	release_send_locked(task->itk_exception);
	release_send_locked(task->itk_bootstrap);
	release_send_locked(task->itk_host_priv);
	release_send_locked(task->itk_device);
	task->itk_exception = task->itk_bootstrap = task->itk_host_priv = NULL;
	task->itk_device = NULL;
	ipc_unlock(flags);
	ipc_space_terminate(task->itk_space);
	task->itk_space = NULL;
}

kern_return_t ipc_thread_init(struct thread *thread)
{
	thread->ith_kmsg_own = ipc_kmsg_alloc_own();
	if (thread->ith_kmsg_own == NULL)
		return KERN_RESOURCE_SHORTAGE;
	thread->ith_self = ipc_port_alloc_kernel(IKOT_THREAD, thread);
	if (thread->ith_self == NULL) {
		ipc_kmsg_free_own(thread->ith_kmsg_own);
		thread->ith_kmsg_own = NULL;
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

void ipc_thread_terminate(struct thread *thread)
{
	uint64_t flags = ipc_lock_acquire();
	ipc_port_destroy_locked(thread->ith_self);
	thread->ith_self = NULL;
	release_send_locked(thread->ith_exception);
	thread->ith_exception = NULL;
	if (thread->ith_kernel_reply != NULL)
		ipc_port_destroy_locked(thread->ith_kernel_reply);
	thread->ith_kernel_reply = NULL;
	ipc_unlock(flags);
	ipc_kmsg_free_own(thread->ith_kmsg_own);
	thread->ith_kmsg_own = NULL;
}

/* The slot of a task's special port, or NULL. */
static struct ipc_port **task_slot(struct task *task, int which)
{
	switch (which) {
	case TASK_EXCEPTION_PORT:
		return &task->itk_exception;
	case TASK_BOOTSTRAP_PORT:
		return &task->itk_bootstrap;
	case TASK_HOST_PRIV_PORT:
		return &task->itk_host_priv;
	case TASK_DEVICE_PORT:
		return &task->itk_device;
	}
	return NULL;
}

kern_return_t ipc_task_get_special(struct task *task, int which, struct ipc_port **port)
{
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port **slot = task_slot(task, which);
	kern_return_t kr = KERN_SUCCESS;

	if (which == TASK_KERNEL_PORT && task->itk_self != NULL) {
		ipc_port_make_send_locked(task->itk_self);
		*port = task->itk_self;
	} else if (slot != NULL) {
		*port = copy_send_locked(*slot);
	} else {
		kr = which == TASK_KERNEL_PORT ? KERN_INVALID_TASK : KERN_INVALID_ARGUMENT;
	}
	ipc_unlock(flags);
	return kr;
}

kern_return_t ipc_task_set_special(struct task *task, int which, struct ipc_port *port)
{
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port **slot = task_slot(task, which);

	if (slot == NULL) {
		ipc_unlock(flags);
		return KERN_INVALID_ARGUMENT;
	}
	if (IPC_PORT_VALID(port) &&
	    ((which == TASK_HOST_PRIV_PORT && port->kotype != IKOT_HOST_PRIV) ||
	     (which == TASK_DEVICE_PORT && port->kotype != IKOT_DEVICE_MASTER))) {
		ipc_unlock(flags);
		return KERN_INVALID_CAPABILITY;
	}
	release_send_locked(*slot);
	*slot = port;
	ipc_unlock(flags);
	return KERN_SUCCESS;
}

kern_return_t ipc_thread_get_special(struct thread *thread, int which, struct ipc_port **port)
{
	uint64_t flags = ipc_lock_acquire();
	kern_return_t kr = KERN_SUCCESS;

	if (which == THREAD_KERNEL_PORT && thread->ith_self != NULL) {
		ipc_port_make_send_locked(thread->ith_self);
		*port = thread->ith_self;
	} else if (which == THREAD_EXCEPTION_PORT) {
		*port = copy_send_locked(thread->ith_exception);
	} else {
		kr = KERN_INVALID_ARGUMENT;
	}
	ipc_unlock(flags);
	return kr;
}

kern_return_t ipc_thread_set_special(struct thread *thread, int which, struct ipc_port *port)
{
	if (which != THREAD_EXCEPTION_PORT)
		return KERN_INVALID_ARGUMENT;
	uint64_t flags = ipc_lock_acquire();
	release_send_locked(thread->ith_exception);
	thread->ith_exception = port;
	ipc_unlock(flags);
	return KERN_SUCCESS;
}

/* The object of a kernel port of kotype, or NULL (port not such a one). */
static void *kobject_of_locked(mach_port_t port, enum ipc_kotype kotype)
{
	if (!IPC_PORT_VALID(port) || !port->active || port->kotype != kotype)
		return NULL;
	return port->kobject;
}

task_t convert_port_to_task(mach_port_t port)
{
	uint64_t flags = ipc_lock_acquire();
	struct task *task = kobject_of_locked(port, IKOT_TASK);

	if (task != NULL)
		task_reference(task);
	ipc_unlock(flags);
	return task;
}

vm_task_t convert_port_to_map(mach_port_t port)
{
	task_t task = convert_port_to_task(port);
	struct vm_map *map = NULL;

	if (task == NULL)
		return NULL;
	uint64_t flags = simple_lock(&sched_lock);
	map = task->map;   /* NULL once the task is destroyed */
	if (map != NULL)
		vm_map_reference(map);
	simple_unlock(&sched_lock, flags);
	task_deallocate(task);
	return map;
}

ipc_space_t convert_port_to_space(mach_port_t port)
{
	task_t task = convert_port_to_task(port);

	if (task == NULL)
		return NULL;
	/* The task keeps its space until it is destroyed, and the space
	 * points back to it for space_deallocate. */
	if (task->itk_space == NULL) {
		task_deallocate(task);
		return NULL;
	}
	return task->itk_space;
}

void space_deallocate(ipc_space_t space)
{
	if (space != NULL)
		task_deallocate(space->task);
}

thread_t convert_port_to_thread(mach_port_t port)
{
	uint64_t flags = ipc_lock_acquire();
	struct thread *thread = kobject_of_locked(port, IKOT_THREAD);

	if (thread != NULL)
		thread_reference(thread);
	ipc_unlock(flags);
	return thread;
}

/* A naked send right to a kernel port; consumes the caller's reference
 * to its object (deallocate). */
static mach_port_t make_send(struct ipc_port *port)
{
	uint64_t flags = ipc_lock_acquire();

	if (IPC_PORT_VALID(port) && port->active)
		ipc_port_make_send_locked(port);
	else
		port = NULL;
	ipc_unlock(flags);
	return port;
}

mach_port_t convert_task_to_port(task_t task)
{
	mach_port_t port = make_send(task->itk_self);

	task_deallocate(task);
	return port;
}

mach_port_t convert_thread_to_port(thread_t thread)
{
	mach_port_t port = make_send(thread->ith_self);

	thread_deallocate(thread);
	return port;
}

host_t convert_port_to_host(mach_port_t port)
{
	uint64_t flags = ipc_lock_acquire();
	host_t host = kobject_of_locked(port, IKOT_HOST);

	if (host == NULL)
		host = kobject_of_locked(port, IKOT_HOST_PRIV);
	ipc_unlock(flags);
	return host;
}

host_t convert_port_to_host_priv(mach_port_t port)
{
	uint64_t flags = ipc_lock_acquire();
	host_t host = kobject_of_locked(port, IKOT_HOST_PRIV);

	ipc_unlock(flags);
	return host;
}

device_master_t convert_port_to_device_master(mach_port_t port)
{
	uint64_t flags = ipc_lock_acquire();
	device_master_t master = kobject_of_locked(port, IKOT_DEVICE_MASTER);

	ipc_unlock(flags);
	return master;
}

uint32_t ipc_port_copyout_send(struct ipc_port *port)
{
	struct ipc_space *space = current_thread()->task->itk_space;
	mach_port_name_t name = MACH_PORT_NAME_NULL;
	uint64_t flags = ipc_lock_acquire();

	if (port != NULL &&
	    ipc_right_copyout_locked(space, port, MACH_MSG_TYPE_PORT_SEND, &name) != KERN_SUCCESS) {
		ipc_port_release_send_locked(port);
		name = MACH_PORT_NAME_NULL;
	}
	ipc_unlock(flags);
	return name;
}

uint64_t trap_mach_task_self(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			     uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return ipc_port_copyout_send(make_send(current_thread()->task->itk_self));
}

uint64_t trap_mach_thread_self(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			       uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return ipc_port_copyout_send(make_send(current_thread()->ith_self));
}

uint64_t trap_mach_host_self(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			     uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	return ipc_port_copyout_send(make_send(realhost.self));
}
