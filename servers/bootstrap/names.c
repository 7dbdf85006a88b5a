/*
 * The name service (idl/defs/bootstrap.defs): a table of send rights by
 * name.  bootstrap holds one user reference to each registered right and
 * gives copies to whoever looks the name up.  A name whose port has died
 * is dropped the next time it is looked up or registered again.
 */
#include "names.h"

#include <bootstrapServer.h>

#define NAMES_MAX 64

static struct {
	char name[BOOTSTRAP_NAME_MAX];
	mach_port_t port;   /* MACH_PORT_NULL: a free slot */
} names[NAMES_MAX];

/* The slot of name, dropping it if its port has died; -1 if none. */
static int find(const char *name)
{
	for (int i = 0; i < NAMES_MAX; i++) {
		if (names[i].port == MACH_PORT_NULL || strcmp(names[i].name, name) != 0)
			continue;
		mach_port_type_t type;
		if (mach_port_type(mach_task_self(), names[i].port, &type) == KERN_SUCCESS &&
		    (type & MACH_PORT_TYPE_SEND))
			return i;
		mach_port_deallocate(mach_task_self(), names[i].port);
		names[i].port = MACH_PORT_NULL;
		return -1;
	}
	return -1;
}

kern_return_t S_bootstrap_register(mach_port_t bootstrap, bootstrap_name_t name,
				   mach_port_t service)
{
	(void)bootstrap;
	if (name[0] == '\0')
		return KERN_INVALID_ARGUMENT;
	if (service == MACH_PORT_NULL || service == MACH_PORT_DEAD)
		return KERN_INVALID_RIGHT;
	if (find(name) >= 0)
		return KERN_NAME_EXISTS;
	for (int i = 0; i < NAMES_MAX; i++) {
		if (names[i].port != MACH_PORT_NULL)
			continue;
		strlcpy(names[i].name, name, sizeof(names[i].name));
		names[i].port = service;   /* keeps the right the request brought */
		mach_printf("bootstrap: registered %s\n", name);
		return KERN_SUCCESS;
	}
	return KERN_RESOURCE_SHORTAGE;
}

kern_return_t S_bootstrap_look_up(mach_port_t bootstrap, bootstrap_name_t name,
				  mach_port_t *service)
{
	(void)bootstrap;
	if (name[0] == '\0')
		return KERN_INVALID_ARGUMENT;
	int i = find(name);
	if (i < 0)
		return KERN_INVALID_NAME;
	*service = names[i].port;   /* the reply copies the send right */
	return KERN_SUCCESS;
}
