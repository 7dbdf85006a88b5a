/* The pager tools' shared helpers (pagertools.h). */
#include "pagertools.h"

#include <errno.h>
#include <host.h>
#include <stdlib.h>
#include <string.h>
#include <unix.h>

#include "util.h"

extern mach_port_t unix_port;

/* The answer of a root-only call of unix.defs: its port, or util_fail. */
static mach_port_t root_port(kern_return_t kr, int64_t result, mach_port_t port,
			     const char *what)
{
	pt_check(kr, what);
	if (result == -EPERM)
		util_fail(1, "%s: only root may", what);
	if (result != 0)
		util_fail(1, "%s: %s", what, strerror((int)-result));
	return port;
}

mach_port_t pt_host_priv(void)
{
	mach_port_t port = MACH_PORT_NULL;
	int64_t result = 0;
	kern_return_t kr = unix_host_priv(unix_port, &result, &port);

	return root_port(kr, result, port, "the privileged host port");
}

mach_port_t pt_service(const char *name)
{
	mach_port_t port = MACH_PORT_NULL;
	int64_t result = 0;
	kern_return_t kr = unix_look_up(unix_port, (char *)name, &result, &port);

	if (kr == KERN_SUCCESS && result == -ENOENT)
		util_fail(1, "%s: no such service", name);
	return root_port(kr, result, port, name);
}

void pt_check(kern_return_t kr, const char *what)
{
	if (kr != KERN_SUCCESS)
		util_fail(1, "%s: %s", what, mach_error_name(kr));
}

uint64_t pt_size(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	unsigned shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 : 0;

	if (shift != 0)
		end++;
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || n > (1ull << 40) >> shift)
		util_fail(2, "bad %s '%s' (bytes, K or M)", what, s);
	return (uint64_t)n << shift;
}

bool pt_next_object(mach_port_t host_priv, uint64_t first, struct vm_pager_object *out)
{
	static struct vm_pager_object objects[VM_PAGER_OBJECTS_MAX];
	mach_msg_type_number_t count = VM_PAGER_OBJECTS_MAX * VM_PAGER_OBJECT_COUNT;
	natural_t total;

	pt_check(vm_pager_objects(host_priv, first, (vm_pager_objects_t)objects, &count, &total),
		 "the kernel's pagers");
	if (count < VM_PAGER_OBJECT_COUNT)
		return false;
	*out = objects[0];
	return true;
}

bool pt_object(mach_port_t host_priv, uint64_t id, struct vm_pager_object *out)
{
	return pt_next_object(host_priv, id, out) && out->object == id;
}
