/* The C side of idl/defs/mach_types.defs. */
#pragma once

#include <mach/exception_types.h>
#include <mach/device_types.h>
#include <mach/host_info.h>
#include <mach/memory_object.h>
#include <mach/std_types.h>
#include <mach/task_info.h>
#include <mach/thread_status.h>
#include <mach/vm_info.h>
#include <mach/vm_prot.h>

/*
 * The kernel's objects, as the interfaces name them.  In user space each
 * is a port name (a send right to the object's port).  Inside the kernel
 * the generated servers receive the object itself, translated from the
 * port by the intran functions in mach/kernel_server.h:
 *   task_t       a task (task.defs, and the target of thread_create)
 *   thread_t     a thread (thread.defs)
 *   ipc_space_t  a task's port name space, named by its task port
 *                (mach_port.defs)
 *   host_t       the host, by the host name port (host.defs), which
 *                anyone may hold
 *   host_priv_t  the host, by the privileged host port: the same object,
 *                reached through a port that grants more
 *   vm_task_t    the address space of a task, named by its task port
 *                (vm_map.defs): the task's vm_map
 *   device_master_t  the device master port (device.defs): what
 *                user-level drivers get from the kernel
 *   vm_object_t  (kernel only) the object a memory-object control port
 *                stands for (memory_object_control.defs)
 */
#ifdef MACH_KERNEL
typedef struct task *task_t;
typedef struct thread *thread_t;
typedef struct ipc_space *ipc_space_t;
typedef struct host *host_t;
typedef host_t host_priv_t;
typedef struct vm_map *vm_task_t;
typedef struct vm_object *vm_object_t;
typedef struct device_master *device_master_t;
#else
typedef mach_port_t task_t;
typedef mach_port_t thread_t;
typedef mach_port_t ipc_space_t;
typedef mach_port_t host_t;
typedef mach_port_t host_priv_t;
typedef mach_port_t vm_task_t;
typedef mach_port_t device_master_t;
#endif

/*
 * The threads of a task (task_threads): an array of ports in both
 * worlds, since translations do not apply to the elements of an array.
 * The kernel fills it with convert_thread_to_port() of each thread.
 */
typedef mach_port_t *thread_array_t;
