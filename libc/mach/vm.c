/* What a task's memory holds, from vm_region (mach.h). */
#include <mach/mach.h>
#include <stdbool.h>

/* Distinct objects are told apart by id up to this many; more count again. */
#define SEEN_MAX 256

kern_return_t mach_task_memory(task_t task, uint64_t *objects, uint64_t *resident_pages)
{
	uint64_t seen[SEEN_MAX], size;
	unsigned nseen = 0;
	vm_address_t at = 0;
	struct vm_region_info info;
	kern_return_t kr;

	*objects = *resident_pages = 0;
	while ((kr = vm_region(task, &at, &size, &info)) == KERN_SUCCESS) {
		bool again = info.object_id == 0;
		for (unsigned i = 0; i < nseen && !again; i++)
			again = seen[i] == info.object_id;
		if (!again) {
			if (nseen < SEEN_MAX)
				seen[nseen++] = info.object_id;
			*objects += 1 + (uint64_t)info.shadow_depth;
			*resident_pages += info.resident_pages;
		}
		at += size;
	}
	return kr == KERN_NO_SPACE ? KERN_SUCCESS : kr;
}

kern_return_t mach_port_allocate_with_send(mach_port_t *port)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_insert_right(mach_task_self(), *port, *port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS)
		mach_port_destroy(mach_task_self(), *port);
	return kr;
}
