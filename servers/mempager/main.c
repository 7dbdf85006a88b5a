/*
 * mempager: a pager whose objects keep their data in its own memory, an
 * example of libpager (docs/pagers.md) and the pager that pagertest
 * (tests/guest/pager) maps.  It registers its port in the name service as
 * "mempager" and then serves, on one port set, its clients' requests
 * (idl/defs/mempager.defs) and the kernel's for its objects.
 */
#include <bootstrap.h>

#include "mempager.h"

int main(int argc, char **argv, char **envp)
{
	static struct pager_server server;
	mach_port_t names = MACH_PORT_NULL, port = MACH_PORT_NULL;

	(void)argc;
	(void)argv;
	(void)envp;
	kern_return_t kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate_with_send(&port);
	if (kr == KERN_SUCCESS)
		kr = pager_server_init(&server, mempager_server);
	if (kr == KERN_SUCCESS)
		kr = pager_server_add_port(&server, port);
	mempager_objects_init(&server, &mempager_store_ops);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(names, "mempager", port);
	if (kr != KERN_SUCCESS) {
		mach_printf("mempager: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	mach_printf("mempager: serving\n");
	mach_msg_return_t mr = pager_serve(&server);
	mach_printf("mempager: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
