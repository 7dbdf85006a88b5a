/*
 * default_pager: the receive loop (see default_pager.h).  It makes two
 * ports: a private one, whose send right goes only to the kernel
 * (vm_set_default_memory_manager), for memory_object_create; and a public
 * one, registered as "default_pager", for its clients.  Both are in
 * libpager's port set, with its objects' ports.
 */
#include <bootstrap.h>

#include "default_pager.h"

static mach_port_t private_port, public_port;

/* The demux of both ports: the kernel's create, the clients' info. */
static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return memory_object_default_server(in, out) || default_pager_server(in, out);
}

/* The value of the "swap=" argument, or "disk1". */
static const char *swap_name(int argc, char **argv)
{
	const char *name = mach_arg(argc, argv, "swap");

	return name != NULL && *name != '\0' ? name : "disk1";
}

int main(int argc, char **argv, char **envp)
{
	static struct pager_server server;
	mach_port_t names = MACH_PORT_NULL, host_priv = MACH_PORT_NULL;

	(void)envp;
	kern_return_t kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	if (kr == KERN_SUCCESS)
		kr = task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate_with_send(&private_port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate_with_send(&public_port);
	if (kr == KERN_SUCCESS)
		kr = pager_server_init(&server, demux);
	if (kr == KERN_SUCCESS)
		kr = pager_server_add_port(&server, private_port);
	if (kr == KERN_SUCCESS)
		kr = pager_server_add_port(&server, public_port);
	if (kr == KERN_SUCCESS) {
		objects_init(&server, private_port, public_port);
		swap_init(swap_name(argc, argv), names);
		kr = vm_set_default_memory_manager(host_priv, private_port);
	}
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(names, "default_pager", public_port);
	if (kr != KERN_SUCCESS) {
		mach_printf("default_pager: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	mach_printf("default_pager: serving, swap on %s\n", swap_name(argc, argv));
	mach_msg_return_t mr = pager_serve(&server);
	mach_printf("default_pager: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
