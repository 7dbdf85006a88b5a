/*
 * Device capabilities for user-level drivers (idl/defs/device.defs,
 * docs/drivers.md).  The device master port is a kernel object; a send
 * right to it is the device privilege.  The kernel gives it to bootstrap
 * only (TASK_DEVICE_PORT), which passes it on to the drivers.  Through it
 * a driver gets:
 *
 *   I/O ports        a per-task permission bitmap (arch/x86_64/iopb.h)
 *   interrupts       messages to a port it attaches to a line
 *                    (device_irq.c), with an ack that unmasks the line
 *   device memory    physical ranges mapped as they are (device objects,
 *                    vm_object.h): registers (MMIO) and contiguous DMA
 *                    buffers whose physical address it learns
 *
 * What a task got ends with it (device_task_destroyed).
 */
#pragma once

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

struct ipc_port;
struct task;

struct device_master {
	struct ipc_port *port;   /* the device master port */
};

extern struct device_master device_master;

/* Makes the master port; at boot, before the first task. */
void device_init(void);

/* Gives task a send right to the master port (bootstrap). */
kern_return_t device_give_master(struct task *task);

/* task is ending: its interrupt attachments and I/O ports go. */
void device_task_destroyed(struct task *task);

/* device_irq.c: the task's interrupt attachments end; those of a port
 * that is being destroyed end (with ipc_lock held). */
void device_irq_task_destroyed(struct task *task);
void device_irq_port_died_locked(struct ipc_port *port);
