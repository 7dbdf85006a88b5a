/*
 * Kernel objects served through ports.  A message to a port the kernel
 * holds for an object (a task, a thread, the host) is not queued: the
 * sending thread runs the interface's generated demux (build/idl/kgen) on
 * it at once, and the reply goes to the request's reply port like any
 * server's.  Ownership follows MIG's rules (mach/mig_support.h).
 */
#pragma once

struct ipc_kmsg;

/* Serves a request in transit to a kernel object's port; consumes it. */
void ipc_kobject_server(struct ipc_kmsg *request);
