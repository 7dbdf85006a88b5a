/*
 * bootstrap: the first task (DESIGN.md §2).  It holds the privileged host
 * port and the device master port (the kernel gives them as its
 * TASK_HOST_PRIV_PORT and TASK_DEVICE_PORT), starts every
 * other boot module (modules.c), and then serves the name service
 * (names.c) for good.
 *
 * The kernel starts bootstrap (module 0) with one argument per boot
 * module: argv[i] is the whole command line of module i, bootstrap's own
 * first.  A module is named by the file name of its command line's first
 * word ("build/tests/guest/usertest foo=1" is module "usertest"), and the
 * kernel gives the new task the words of that command line as its argv.
 */
#include <bootstrapServer.h>

#include "modules.h"
#include "names.h"

/* The name service's port: a receive right and one send right. */
static mach_port_t names_port(void)
{
	mach_port_t port;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) !=
		    KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND) !=
		    KERN_SUCCESS)
		return MACH_PORT_NULL;
	return port;
}

int main(int argc, char **argv, char **envp)
{
	struct boot_ports ports = { .names = names_port() };
	int started = 0;

	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &ports.host_priv);
	task_get_special_port(mach_task_self(), TASK_DEVICE_PORT, &ports.device);
	if (ports.names == MACH_PORT_NULL || ports.host_priv == MACH_PORT_NULL ||
	    ports.device == MACH_PORT_NULL) {
		mach_printf("bootstrap: cannot continue: no %s\n",
			    ports.names == MACH_PORT_NULL ? "name service port"
			    : ports.host_priv == MACH_PORT_NULL ? "host privilege"
								 : "device privilege");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		started += modules_start(argv[i], &ports);
	mach_printf("bootstrap: %d of %d modules started\n", started, argc > 0 ? argc - 1 : 0);
	mach_msg_return_t mr = mach_msg_server(bootstrap_server, bootstrap_MAX_REQUEST_SIZE,
					       ports.names);
	mach_printf("bootstrap: the name service stopped: %s\n", mach_error_name(mr));
	return 1;
}
