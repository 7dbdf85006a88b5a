/*
 * Task and thread ports (Mach's "ipc_tt"): every task and thread has a
 * kernel port, and a send right to it is what controls it (task.defs,
 * thread.defs, mach_port.defs, vm_map.defs).  A task also has special
 * ports (mach/task_special_ports.h): the exception port and the bootstrap
 * (name service) port, which a child inherits at creation, and the
 * privileged host port, which it does not (bootstrap gives it to the
 * servers it trusts).  A thread has its own
 * exception port, tried before its task's.
 *
 * The special ports are naked send rights held in the task or thread
 * ([I] ipc_lock).  When a task or thread ends, its kernel port is
 * destroyed, so every holder's right becomes a dead name and dead-name
 * notifications go out: that is how a parent learns that a child died.
 */
#pragma once

#include <mach/kern_return.h>
#include <stdint.h>

struct ipc_port;
struct task;
struct thread;

/* The task's name space and kernel port, with special ports inherited
 * from parent.  KERN_RESOURCE_SHORTAGE (nothing is left allocated). */
kern_return_t ipc_task_init(struct task *task, struct task *parent);

/* The task ended: its port dies, its special ports and its space go. */
void ipc_task_terminate(struct task *task);

/* The thread's kernel port.  KERN_RESOURCE_SHORTAGE. */
kern_return_t ipc_thread_init(struct thread *thread);

/* The thread ended: its ports go. */
void ipc_thread_terminate(struct thread *thread);

/* A special port of a task or thread as a new naked send right (or NULL),
 * and setting one (consuming the naked right port).  KERN_INVALID_ARGUMENT
 * for an unknown which. */
kern_return_t ipc_task_get_special(struct task *task, int which, struct ipc_port **port);
kern_return_t ipc_task_set_special(struct task *task, int which, struct ipc_port *port);
kern_return_t ipc_thread_get_special(struct thread *thread, int which, struct ipc_port **port);
kern_return_t ipc_thread_set_special(struct thread *thread, int which, struct ipc_port *port);

/* Gives the current task a send right to port (consumed) and returns its
 * name (MACH_PORT_NULL if it cannot: the right is destroyed). */
uint32_t ipc_port_copyout_send(struct ipc_port *port);

/* The self traps: each gives the caller one more user reference to a
 * send right to its task's, its thread's, or the host's port. */
uint64_t trap_mach_task_self(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t trap_mach_thread_self(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t trap_mach_host_self(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
