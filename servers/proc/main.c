/*
 * proc: the process server (idl/defs/proc.defs, docs/unix.md).  It
 * registers its admin port as "proc" in the name service, where only
 * boot servers look, and serves both of its ports in one set.
 */
#include "proc.h"

#include <bootstrap.h>
#include <procServer.h>

mach_port_t admin_port;
static mach_port_t public, ports;

kern_return_t proc_S_public_port(mach_port_t server, mach_port_t *port)
{
	(void)server;
	*port = public;
	return KERN_SUCCESS;
}

/* A receive right in the set, named *port. */
static kern_return_t port_in_set(mach_port_t *port)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);
	return kr == KERN_SUCCESS ? mach_port_move_member(mach_task_self(), *port, ports) : kr;
}

int main(int argc, char **argv, char **envp)
{
	mach_port_t names = MACH_PORT_NULL;

	(void)argc;
	(void)argv;
	(void)envp;
	kern_return_t kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ports);
	if (kr == KERN_SUCCESS)
		kr = port_in_set(&admin_port);
	if (kr == KERN_SUCCESS)
		kr = port_in_set(&public);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), admin_port, admin_port,
					    MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(names, "proc", admin_port);
	if (kr != KERN_SUCCESS) {
		mach_printf("proc: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	mach_printf("proc: serving\n");
	mach_msg_return_t mr = mach_msg_server(proc_server, MACH_MSG_SIZE_MAX, ports);
	mach_printf("proc: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
