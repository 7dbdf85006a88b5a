/*
 * Kernel objects served through ports.  A message to a port the kernel
 * holds for an object (a task, a thread, the host) is not queued: the
 * sending thread runs the interface's generated demux (build/idl/kgen) on
 * it at once, and the reply goes to the request's reply port like any
 * server's.  Ownership follows MIG's rules (mach/mig_support.h).
 */
#pragma once

#include <mach/message.h>

struct ipc_kmsg;

/* Serves a request in transit to a kernel object's port; consumes it. */
void ipc_kobject_server(struct ipc_kmsg *request);

/*
 * Serves a one-way request outside a kmsg (ipc_fast.c): in kernel receive
 * form, with no reply port, holding a send right to the object's port
 * (msgh_local_port), and with only out-of-line regions; consumes them.
 */
void ipc_kobject_serve_oneway(mach_msg_header_t *in);
