/*
 * The process server (idl/defs/proc.defs, docs/unix.md): one thread,
 * one table.
 */
#pragma once

#include <mach/mach.h>
#include <mach/unix_types.h>
#include <stdbool.h>
#include <kern/string.h>

enum process_state { PROCESS_FREE, PROCESS_LIVE, PROCESS_ZOMBIE };

struct process {
	enum process_state state;
	bool stopped;               /* LIVE: by a stop signal, until continued */
	int32_t stop_signal;        /* and by which */
	enum { TOLD, STOP_UNTOLD, CONTINUE_UNTOLD } change;   /* for a wait */
	int32_t pid, ppid;          /* ppid 0: none */
	int32_t pgid, sid;
	int32_t status;             /* ZOMBIE: the wait status */
	unsigned children;          /* LIVE and ZOMBIE children */
	mach_port_t task;           /* a send right, or MACH_PORT_NULL */
	char command[UNIX_COMMAND_MAX];
};

extern struct process table[UNIX_PROC_MAX];
extern mach_port_t admin_port;

/* The live or zombie process pid, or NULL; process_live: live only. */
struct process *process_find(int32_t pid);
struct process *process_live(int32_t pid);

/* A routine that changes the table answers only on the admin port. */
#define PROC_ADMIN(server)                     \
	do {                                   \
		if ((server) != admin_port)    \
			return KERN_NO_ACCESS; \
	} while (0)
