/*
 * What the kernel tells of its pagers (host.defs vm_pager_stats and
 * vm_pager_objects): each object's record, filled in with what it is now.
 * docs/vm.md, "Watching the pagers".
 */
#include "vm/memory_object.h"
#include "vm/memory_object_priv.h"

#include "arch/x86_64/layout.h"
#include "ipc/ipc_port.h"
#include "kern/sched.h"
#include "kern/task.h"
#include "vm/vm_object.h"
#include "vm/vm_waits.h"

/* object's record, with its laundry, spill, policy and deadline now. */
static void stats_of(const struct vm_object *object, struct vm_pager_stats *stats)
{
	*stats = object->stats;
	stats->laundry = object->laundry;
	stats->spill_held = 0;
	for (uint64_t off = 0; object->spill != NULL && off < object->spill->size; off += PAGE_SIZE)
		stats->spill_held += memory_object_spilled(object, off);
	stats->policy = (uint64_t)object->policy;
	stats->deadline_ms = object->deadline_ns / 1000000ull;
}

kern_return_t memory_object_stats(struct ipc_port *port, struct vm_pager_stats *stats)
{
	struct vm_object *object = memory_object_of_port(port);

	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	stats_of(object, stats);
	return KERN_SUCCESS;
}

static uint32_t flags_of(const struct vm_object *object)
{
	return (object->internal ? VM_PAGER_OBJECT_INTERNAL : 0) |
	       (object->orphaned ? VM_PAGER_OBJECT_ORPHANED : 0) |
	       (object->pager_ready ? VM_PAGER_OBJECT_READY : 0) |
	       (object->pager_failed ? VM_PAGER_OBJECT_FAILED : 0) |
	       (object->replacing ? VM_PAGER_OBJECT_REPLACING : 0);
}

static void describe(const struct vm_object *object, struct vm_pager_object *out)
{
	uint64_t flags = simple_lock(&sched_lock);
	const struct task *pager = vm_waits_pager_task_locked(object);
	uint32_t pager_task = pager != NULL ? pager->name : 0;
	simple_unlock(&sched_lock, flags);

	*out = (struct vm_pager_object){
		.object = object->id,
		.size = object->size,
		.resident = object->resident_count,
		.pager_task = pager_task,
		.flags = flags_of(object),
		.pending = object->requests_pending,
		.refs = object->ref_count,
	};
	stats_of(object, &out->stats);
}

unsigned memory_object_list(uint64_t first, struct vm_pager_object *out, unsigned max,
			    unsigned *total)
{
	unsigned n = 0;

	*total = 0;
	for (const struct vm_object *o = vm_objects; o != NULL; o = o->all_next) {
		if (o->id < first || o->pager == NULL)
			continue;
		if (n < max)
			describe(o, &out[n++]);
		(*total)++;
	}
	return n;
}

kern_return_t memory_object_port_of(uint64_t id, struct ipc_port **port)
{
	for (const struct vm_object *o = vm_objects; o != NULL; o = o->all_next) {
		if (o->id != id || o->pager == NULL)
			continue;
		uint64_t flags = ipc_lock_acquire();
		bool live = o->pager->active;
		if (live)
			ipc_port_copy_send_locked(o->pager);
		ipc_unlock(flags);
		*port = live ? o->pager : NULL;
		return live ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
	}
	return KERN_INVALID_ARGUMENT;
}
