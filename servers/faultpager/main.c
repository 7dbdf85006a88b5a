/*
 * faultpager: a pager that misbehaves on command (faultpager.h,
 * idl/defs/faultpager.defs).  Its arguments: name=NAME, the name it
 * registers its port under ("faultpager" without one), and the injection
 * in force from the start, mode=NAME arg=N after=N
 * (servers/faultpager/faultpager_modes.h).  It then serves, on one port
 * set, its clients' requests (mempager.defs and faultpager.defs on one
 * port) and the kernel's for its objects.
 */
#include <bootstrap.h>

#include "faultpager.h"

#define NAME_MAX 63

struct args {
	char name[NAME_MAX + 1];
	unsigned mode;
	uint64_t arg;
	unsigned after;
};

static bool parse_args(int argc, char **argv, struct args *a)
{
	const char *name = mach_arg(argc, argv, "name");
	const char *mode = mach_arg(argc, argv, "mode");
	const char *arg = mach_arg(argc, argv, "arg");
	const char *after = mach_arg(argc, argv, "after");

	*a = (struct args){ .mode = FAULTPAGER_NONE };
	if (name == NULL)
		name = "faultpager";
	if (strlen(name) == 0 || strlen(name) > NAME_MAX) {
		mach_printf("faultpager: name '%s' is empty or too long\n", name);
		return false;
	}
	strlcpy(a->name, name, sizeof(a->name));
	if (mode != NULL && (a->mode = faultpager_mode_of(mode)) == FAULTPAGER_MODES) {
		mach_printf("faultpager: no mode is called '%s'\n", mode);
		return false;
	}
	uint64_t n = 0;
	if ((arg != NULL && !mach_parse_number(arg, UINT64_MAX, &a->arg)) ||
	    (after != NULL && !mach_parse_number(after, UINT32_MAX, &n))) {
		mach_printf("faultpager: arg and after are decimal numbers\n");
		return false;
	}
	a->after = (unsigned)n;
	return true;
}

/* Clients' requests: mempager's routines, then faultpager's. */
static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return mempager_server(in, out) || faultpager_server(in, out);
}

int main(int argc, char **argv, char **envp)
{
	static struct pager_server server;
	mach_port_t names = MACH_PORT_NULL, port = MACH_PORT_NULL;
	struct args a;

	(void)envp;
	if (!parse_args(argc, argv, &a))
		return 1;
	kern_return_t kr = faultpager_set(a.mode, a.arg, a.after);
	if (kr != KERN_SUCCESS)
		mach_printf("faultpager: mode %s takes no arg %lu\n", faultpager_mode_names[a.mode],
			    a.arg);
	if (kr == KERN_SUCCESS)
		kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate_with_send(&port);
	if (kr == KERN_SUCCESS)
		kr = pager_server_init(&server, demux);
	if (kr == KERN_SUCCESS)
		kr = pager_server_add_port(&server, port);
	pager_server_set_hooks(&server, &faultpager_hooks);
	mempager_objects_init(&server, &faultpager_ops);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(names, a.name, port);
	if (kr != KERN_SUCCESS) {
		mach_printf("faultpager: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	mach_printf("faultpager: %s serving, mode %s arg %lu after %u\n", a.name,
		    faultpager_mode_names[a.mode], a.arg, a.after);
	mach_msg_return_t mr = pager_serve(&server);
	mach_printf("faultpager: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
