/*
 * A task's special ports (task_get_special_port, task_set_special_port in
 * idl/defs/task.defs).  Mach 3's values where Mach has the port.
 */
#pragma once

#define TASK_KERNEL_PORT    1 /* the task's own port: a send right to it controls the task */
#define TASK_EXCEPTION_PORT 3 /* where its threads' exceptions go when their own port is null */
#define TASK_BOOTSTRAP_PORT 4 /* the name service (bootstrap.defs) */
/*
 * Pagoda: the privileged host port (host_priv_t).  The kernel sets it in
 * the bootstrap task only; any holder may pass it on, with
 * task_set_special_port or in a message.
 */
#define TASK_HOST_PRIV_PORT 8
/*
 * Pagoda: the device master port (device_master_t, idl/defs/device.defs):
 * interrupts, I/O ports and physical memory for user-level drivers.  The
 * kernel sets it in the bootstrap task only, which passes it to the
 * modules whose command line asks for it.
 */
#define TASK_DEVICE_PORT    9
