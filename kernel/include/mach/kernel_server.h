/*
 * What the kernel's generated servers (build/idl/kgen/NAMEServer.c) call
 * besides the server functions: the translations that mach_types.defs
 * names in its KERNEL_SERVER blocks.  The kernel's IPC layer defines them.
 *
 * An intran function turns the port a request names into the object, with
 * a reference, or into NULL when the port is not such an object (null,
 * dead, or another kind); the server function then fails with the error
 * its routine documents (KERN_INVALID_TASK, KERN_INVALID_HOST, ...).  The
 * demux calls the destructor on what the intran returned once the server
 * function is done, so it must accept NULL.  An outtran function turns an
 * object the server function returns (consuming its reference) into a
 * naked send right for the reply.
 */
#pragma once

#ifndef MACH_KERNEL
#error "mach/kernel_server.h is the kernel's: compile with -DMACH_KERNEL"
#endif

#include <mach/mach_types.h>

task_t convert_port_to_task(mach_port_t port);
mach_port_t convert_task_to_port(task_t task);
void task_deallocate(task_t task);

thread_t convert_port_to_thread(mach_port_t port);
mach_port_t convert_thread_to_port(thread_t thread);
void thread_deallocate(thread_t thread);

ipc_space_t convert_port_to_space(mach_port_t port);
void space_deallocate(ipc_space_t space);

vm_task_t convert_port_to_map(mach_port_t port);
void vm_map_deallocate(vm_task_t map);

vm_object_t convert_port_to_pager_object(mach_port_t port);
void vm_object_deallocate(vm_object_t object);

/* The host is static: no references, no destructor. */
host_t convert_port_to_host(mach_port_t port);
host_t convert_port_to_host_priv(mach_port_t port);

/* The device master is static too. */
device_master_t convert_port_to_device_master(mach_port_t port);
