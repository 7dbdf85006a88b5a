/*
 * The host: the machine as a kernel object (host.defs).  Its name port
 * (mach_host_self) answers questions anyone may ask and prints to the
 * kernel log; its privileged port, given only to bootstrap (as its
 * TASK_HOST_PRIV_PORT), halts the machine and starts boot modules.
 */
#pragma once

#include <mach/kern_return.h>

struct ipc_port;
struct task;

struct host {
	struct ipc_port *self;   /* the name port */
	struct ipc_port *priv;   /* the privileged port */
};

extern struct host realhost;

/* Makes the host's ports; at boot, before the first task. */
void host_init(void);

/* Gives task a send right to the privileged port (bootstrap). */
kern_return_t host_give_priv(struct task *task);
