/* Page faults; see vm_fault.h. */
#include "vm/vm_fault.h"

#include "arch/x86_64/cpu.h"
#include "kern/clock.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "vm/memory_object.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_pageout.h"
#include "vm/vm_resident.h"
#include "vm/vm_waits.h"

/* A fault in progress: where it is on its shadow chain. */
struct fault {
	struct vm_object *first;   /* the entry's object */
	uint64_t first_offset;
	vm_prot_t access;
	vm_prot_t prot;            /* what the mapping may get */
	unsigned flags;
	unsigned retries;          /* data_requests sent again (policy retry) */
	uint64_t deadline;         /* of the waits on pagers, set at the first */
	uint64_t memory_deadline;  /* of the waits for free memory, likewise */
	const struct vm_map *map;  /* the faulting map (NULL: none) and its timestamp when */
	uint64_t stamp;            /* first was found: the entry is unchanged while they agree */
};

#define FAULT_RETRY ((kern_return_t)-1)   /* waited: look the address up again */

/* Why a pager wait ended, as the fault's result. */
static kern_return_t wait_result(struct fault *f, struct vm_object *object, int r)
{
	if (r == WAIT_INTERRUPTED)
		return KERN_ABORTED;
	if (r == WAIT_TIMED_OUT && object->replacing) {
		/* Its deadline passed while the pager is replaced: it is held
		 * now (sleep_on_pager), and starts a deadline afresh after. */
		f->deadline = 0;
		return FAULT_RETRY;
	}
	if (r == WAIT_TIMED_OUT) {
		vm_counters.pager_timeouts++;
		object->stats.timeouts++;
		kprintf("vm: a fault waited past its deadline for the pager of object %lu\n",
			object->id);
		return KERN_OPERATION_TIMED_OUT;
	}
	if (r == WAIT_BROKEN) {
		object->stats.cycles++;   /* vm_waits.c logged the cycle */
		return KERN_DEADLOCK;
	}
	return FAULT_RETRY;
}

/* Whether a wait's result calls for the object's policy: its deadline
 * passed, or it was on a waits-for cycle. */
static bool policy_decides(kern_return_t kr)
{
	return kr == KERN_OPERATION_TIMED_OUT || kr == KERN_DEADLOCK;
}

/* Sets the fault's deadline at its first wait.  None under the policy
 * wait: classic Mach, kept as the baseline that can hang (DESIGN.md 4). */
static uint64_t deadline_of(struct fault *f, const struct vm_object *object)
{
	if (object->policy == VM_PAGER_POLICY_WAIT)
		return SCHED_NO_DEADLINE;
	if (f->deadline == 0)
		f->deadline = clock_coarse_ns() + object->deadline_ns;
	return f->deadline;
}

/*
 * Policy retry: whether the fault may ask the pager again (at most
 * VM_PAGER_RETRIES times); if so it counts the try and waits until a
 * deadline twice as far off as the last.
 */
static bool next_try(struct fault *f, const struct vm_object *object)
{
	if (f->retries >= VM_PAGER_RETRIES)
		return false;
	f->retries++;
	f->deadline = clock_coarse_ns() + (object->deadline_ns << f->retries);
	return true;
}

/*
 * The pager has not answered for the page at offset by the deadline (why
 * is KERN_OPERATION_TIMED_OUT), or the wait was on a waits-for cycle
 * (KERN_DEADLOCK): the object's policy decides (VM_PAGER_POLICY_*).
 * FAULT_RETRY if the fault goes on (the page came meanwhile, was asked
 * for again, or zero-filled), else why; a page still absent then goes,
 * so that the next fault asks again.
 */
static kern_return_t deadline_passed(struct fault *f, struct vm_object *object, uint64_t offset,
				     kern_return_t why)
{
	struct vm_page *page = vm_page_lookup(object, offset);

	if (page == NULL || !(page->vm_flags & VM_PAGE_ABSENT))
		return FAULT_RETRY;   /* answered, or gone: look again */
	switch (object->policy) {
	case VM_PAGER_POLICY_RETRY:
		if (next_try(f, object) &&
		    memory_object_request_again(object, page, f->access) == KERN_SUCCESS)
			return FAULT_RETRY;
		break;
	case VM_PAGER_POLICY_ZERO:
		memory_object_zero_fill(object, page,
					why == KERN_DEADLOCK ? "its wait closed a waits-for cycle"
							     : "the pager missed its deadline");
		return FAULT_RETRY;
	case VM_PAGER_POLICY_FALLBACK:
		memory_object_fall_back(object);
		break;
	}
	memory_object_request_failed(object, page);
	return why;
}

/*
 * The pager has not said ready (answered init) by the deadline, or the
 * wait was on a cycle: the policy decides as for a data_request (retry
 * sends init again; zero gives the fault a page of zeros).
 */
static kern_return_t ready_deadline_passed(struct fault *f, struct vm_object *object,
					   uint64_t offset, kern_return_t why)
{
	if (object->pager_ready || object->pager_failed)
		return FAULT_RETRY;   /* it answered, or died: look again */
	if (object->replacing)
		return why;   /* a held fault on a cycle: no pager to ask again */
	switch (object->policy) {
	case VM_PAGER_POLICY_RETRY:
		if (next_try(f, object) && memory_object_init_again(object) == KERN_SUCCESS)
			return FAULT_RETRY;
		break;
	case VM_PAGER_POLICY_ZERO: {
		struct vm_page *page = vm_page_lookup(object, offset);
		if (page == NULL && (page = vm_page_alloc_object(object, offset)) == NULL)
			return KERN_RESOURCE_SHORTAGE;
		memory_object_zero_fill(object, page,
					why == KERN_DEADLOCK ? "its wait closed a waits-for cycle"
							     : "its pager never said ready");
		return FAULT_RETRY;
	}
	case VM_PAGER_POLICY_FALLBACK:
		memory_object_fall_back(object);
		break;
	}
	return why;
}

/* Counts a wait on object's pager that ended in an answer after us. */
static void note_latency(struct vm_object *object, uint64_t us)
{
	unsigned b = us < 2 ? 0 : 63 - (unsigned)__builtin_clzll(us);

	object->stats.latency[b < VM_PAGER_LATENCY_BUCKETS ? b : VM_PAGER_LATENCY_BUCKETS - 1]++;
}

/*
 * Sleeps on page (NULL: until object's pager says ready) up to the
 * fault's deadline, the wait an edge of the waits-for graph (vm_waits.h)
 * while it lasts.  While the object's pager is replaced the fault is
 * held instead, with no deadline of its own: every wait of the
 * replacement is bounded, and its end wakes the held faults
 * (memory_object_replace.c); the next wait starts a deadline afresh.
 * Returns WAIT_*.
 */
static int sleep_on_pager(struct fault *f, struct vm_object *object, struct vm_page *page,
			  uint64_t offset, unsigned kind)
{
	struct vm_wait w = { .object = object, .offset = offset, .kind = kind };

	if (object->replacing) {
		w.kind = VM_PAGER_WAIT_HELD;
		w.deadline_ns = SCHED_NO_DEADLINE;
		f->deadline = 0;
	} else {
		w.deadline_ns = deadline_of(f, object);
	}
	int r = vm_wait_sleep(&w, page != NULL ? vm_page_want(page) : &object->pager_wait);
	if (r == WAIT_AWAKENED && w.kind != VM_PAGER_WAIT_HELD && !object->pager_failed)
		note_latency(object, clock_tsc_us(rdtsc() - w.since_tsc));
	return r;
}

/*
 * Whether page, waited for at offset in object, is what looking the
 * fault's address up again would find: the object is the first on the
 * chain (none before it could have gained a page meanwhile), the map
 * entry is unchanged, and the page is still there and has its data (a
 * page freed meanwhile has no object; one renamed has another).
 */
static bool page_arrived(const struct fault *f, const struct vm_object *object,
			 const struct vm_page *page, uint64_t offset)
{
	return object == f->first && (f->map == NULL || f->map->timestamp == f->stamp) &&
	       page->object == object && page->offset == offset &&
	       !(page->vm_flags & (VM_PAGE_ABSENT | VM_PAGE_ERROR));
}

/*
 * Waits on a busy page of object (a pager's, being fetched); holds a
 * reference so that the object outlives the wait.  A page still absent at
 * the deadline goes, so that the next fault asks again.  KERN_SUCCESS,
 * with the page in *in and *out, if it came and is the fault's
 * (page_arrived); FAULT_RETRY to look again.
 */
static kern_return_t wait_for_page(struct fault *f, struct vm_object *object,
				   struct vm_page *page, struct vm_object **in, struct vm_page **out)
{
	if (!(f->flags & VM_FAULT_WAIT))
		return KERN_ABORTED;
	uint64_t offset = page->offset;
	vm_object_reference(object);
	object->paging_in_progress++;
	int r = sleep_on_pager(f, object, page, offset, VM_PAGER_WAIT_DATA);
	object->paging_in_progress--;
	kern_return_t kr = wait_result(f, object, r);
	if (policy_decides(kr))
		kr = deadline_passed(f, object, offset, kr);
	if (kr == FAULT_RETRY && page_arrived(f, object, page, offset)) {
		*in = object;
		*out = page;
		kr = KERN_SUCCESS;
	}
	vm_object_deallocate(object);
	return kr;
}

/*
 * The object's pager died (or gave the object up): at once, the policy
 * zero zero-fills the page (absent, the request's; or a new one), any
 * other fails the fault with the pager's error.  FAULT_RETRY if the
 * fault goes on.
 */
static kern_return_t pager_failed(struct vm_object *object, struct vm_page *absent,
				  uint64_t offset)
{
	if (object->policy == VM_PAGER_POLICY_ZERO && !object->orphaned) {
		struct vm_page *page = absent != NULL ? absent
						      : vm_page_alloc_object(object, offset);
		if (page == NULL)
			return KERN_RESOURCE_SHORTAGE;
		memory_object_zero_fill(object, page, "its pager is gone");
		return FAULT_RETRY;
	}
	if (absent != NULL)
		memory_object_request_failed(object, absent);
	return object->pager_error;
}

/* Waits for object's pager to say ready (once per object, and after a
 * replacement: out of the way of the fault's usual path). */
static __attribute__((noinline, cold)) kern_return_t wait_ready(struct fault *f,
								struct vm_object *object,
								uint64_t offset)
{
	vm_object_reference(object);
	int r = sleep_on_pager(f, object, NULL, offset, VM_PAGER_WAIT_READY);
	kern_return_t kr = wait_result(f, object, r);
	if (policy_decides(kr))
		kr = ready_deadline_passed(f, object, offset, kr);
	vm_object_deallocate(object);
	return kr;
}

/* Asks object's pager for the page at offset and waits for it (wait_for_page). */
static kern_return_t request_page(struct fault *f, struct vm_object *object, uint64_t offset,
				  struct vm_object **in, struct vm_page **out)
{
	if (object->pager_failed)
		return pager_failed(object, NULL, offset);
	if (!(f->flags & VM_FAULT_WAIT))
		return KERN_ABORTED;
	if (!object->pager_ready)
		return wait_ready(f, object, offset);
	struct vm_page *page;
	kern_return_t kr = memory_object_request(object, offset, f->access, &page);
	if (kr != KERN_SUCCESS)
		return kr;
	return wait_for_page(f, object, page, in, out);
}

/*
 * Whether a page that object (which has, or had, a pager) lacks is its
 * pager's to give: always for an external object; for one the default
 * pager holds (internal, or orphaned) only if the page went out to it.
 */
static inline bool asks_pager(const struct vm_object *object, uint64_t offset)
{
	return object->existence == NULL ? !object->internal
					 : vm_object_page_out_there(object, offset);
}

static kern_return_t find_page(struct fault *f, struct vm_object **in, struct vm_page **out);

/*
 * The page object spilled at offset (memory_object.h), taken back: in
 * *out, or FAULT_RETRY after a wait for the default pager, or the error
 * of the spill's fault.  *out NULL: the spill no longer has it.
 */
static kern_return_t unspill(struct fault *f, struct vm_object *object, uint64_t offset,
			     struct vm_page **out)
{
	struct fault sub = { .first = object->spill, .first_offset = offset,
			     .access = VM_PROT_READ, .flags = f->flags };
	struct vm_object *in;
	kern_return_t kr = find_page(&sub, &in, out);

	if (kr == KERN_SUCCESS && *out != NULL)
		memory_object_unspill(object, *out);
	return kr;
}

/*
 * The page that holds the data at first_offset, and the object it is in:
 * the first on the chain that has it resident (or spilled), or NULL (the
 * data is zero: no object has it and none has a pager).
 */
static kern_return_t find_page(struct fault *f, struct vm_object **in, struct vm_page **out)
{
	struct vm_object *object = f->first;
	uint64_t offset = f->first_offset;

	for (;;) {
		struct vm_page *page = vm_page_lookup(object, offset);
		if (page != NULL) {
			if (page->vm_flags & VM_PAGE_ABSENT) {
				if (object->pager_failed)
					return pager_failed(object, page, offset);
				return wait_for_page(f, object, page, in, out);
			}
			if (page->vm_flags & VM_PAGE_ERROR) {
				vm_page_free_object(page);   /* the next fault asks again */
				return KERN_MEMORY_ERROR;
			}
			*in = object;
			*out = page;
			return KERN_SUCCESS;
		}
		if (object->spill != NULL && memory_object_spilled(object, offset)) {
			kern_return_t kr = unspill(f, object, offset, &page);
			if (kr != KERN_SUCCESS || page != NULL) {
				*in = object;
				*out = page;
				return kr;
			}
		}
		if (object->pager != NULL || object->pager_failed) {
			if (asks_pager(object, offset))
				return request_page(f, object, offset, in, out);
			if (object->orphaned)
				return object->pager_error;
		}
		if (object->shadow == NULL) {
			*in = NULL;
			*out = NULL;
			return KERN_SUCCESS;
		}
		offset += object->shadow_offset;
		object = object->shadow;
	}
}

/* The pager withholds the access the fault needs: ask for it, and wait. */
static kern_return_t unlock_page(struct fault *f, struct vm_object *object, struct vm_page *page)
{
	if (!(f->flags & VM_FAULT_WAIT))
		return KERN_ABORTED;
	kern_return_t kr = memory_object_unlock(object, page, f->access);
	if (kr != KERN_SUCCESS)
		return kr;
	vm_object_reference(object);
	object->paging_in_progress++;
	int r = sleep_on_pager(f, object, page, page->offset, VM_PAGER_WAIT_UNLOCK);
	object->paging_in_progress--;
	kr = wait_result(f, object, r);
	if (policy_decides(kr)) {
		/* The policy, as for a data_request: retry asks again (the
		 * fault's next pass sends data_unlock), fallback gives the
		 * pager up; zero would lose the page's data, so it fails. */
		if (object->policy == VM_PAGER_POLICY_RETRY && next_try(f, object)) {
			object->stats.retries++;
			kr = FAULT_RETRY;
		} else if (object->policy == VM_PAGER_POLICY_FALLBACK) {
			memory_object_fall_back(object);
		}
	}
	vm_object_deallocate(object);
	return kr;
}

/* A new page of the fault's first object: a copy of from, or zeros. */
static struct vm_page *new_first_page(struct fault *f, struct vm_page *from)
{
	struct vm_page *page = vm_page_alloc_object(f->first, f->first_offset);

	if (page == NULL)
		return NULL;
	if (from != NULL) {
		vm_page_copy(from, page);
		vm_counters.cow_faults++;
	} else {
		vm_page_zero(page);
		vm_counters.zero_fill++;
	}
	vm_page_done(page);
	return page;
}

/*
 * Before the first object's page at the fault's offset changes, its
 * delayed copy gets the old contents (from; NULL: zeros), unless it has a
 * page of its own there already.
 */
static kern_return_t push_to_copy(struct fault *f, struct vm_page *from)
{
	struct vm_object *copy = f->first->copy;
	uint64_t offset = f->first_offset - copy->shadow_offset;

	if (f->first_offset < copy->shadow_offset || offset >= copy->size ||
	    vm_page_lookup(copy, offset) != NULL)
		return KERN_SUCCESS;
	struct vm_page *page = vm_page_alloc_object(copy, offset);
	if (page == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (from != NULL)
		vm_page_copy(from, page);
	else
		vm_page_zero(page);
	vm_page_done(page);
	return KERN_SUCCESS;
}

/* Whether the first object's page at the fault's offset still needs a
 * push before it may be written. */
static bool push_pending(const struct fault *f)
{
	struct vm_object *copy = f->first->copy;

	return copy != NULL && f->first_offset >= copy->shadow_offset &&
	       f->first_offset - copy->shadow_offset < copy->size &&
	       vm_page_lookup(copy, f->first_offset - copy->shadow_offset) == NULL;
}

/* The page to map for the fault, in *out, with f->prot trimmed to what
 * the mapping may allow. */
static kern_return_t fault_page(struct fault *f, struct vm_page **out)
{
	struct vm_object *object;
	struct vm_page *page;
	kern_return_t kr = find_page(f, &object, &page);

	if (kr != KERN_SUCCESS)
		return kr;
	if (page != NULL && (page->page_lock & f->access))
		return unlock_page(f, object, page);
	if (f->access & VM_PROT_WRITE) {
		if (push_pending(f) && (kr = push_to_copy(f, page)) != KERN_SUCCESS)
			return kr;
		if (object != f->first) {
			page = new_first_page(f, page);
			if (page == NULL)
				return KERN_RESOURCE_SHORTAGE;
			vm_object_collapse(f->first);
		}
		page->vm_flags |= VM_PAGE_DIRTY;
	} else {
		if (page == NULL) {
			page = new_first_page(f, NULL);
			if (page == NULL)
				return KERN_RESOURCE_SHORTAGE;
			object = f->first;
		}
		if (object != f->first || push_pending(f))
			f->prot &= ~VM_PROT_WRITE;
	}
	*out = page;
	return KERN_SUCCESS;
}

/* The entry's object and offset for va, made or shadowed as the access
 * needs (a change of the entry, which map's timestamp records); f->prot
 * is what the entry allows the mapping. */
static kern_return_t prepare_entry(struct vm_map *map, struct vm_map_entry *e, uint64_t va,
				   struct fault *f)
{
	if (f->access & ~e->protection)
		return KERN_PROTECTION_FAILURE;
	if (e->object == NULL) {
		e->object = vm_object_allocate(e->end - e->start);
		if (e->object == NULL)
			return KERN_RESOURCE_SHORTAGE;
		e->offset = 0;
		e->needs_copy = false;
		map->timestamp++;
	}
	if ((f->access & VM_PROT_WRITE) && e->needs_copy) {
		if (!vm_object_shadow(&e->object, &e->offset, e->end - e->start))
			return KERN_RESOURCE_SHORTAGE;
		e->needs_copy = false;
		map->timestamp++;
	}
	f->first = e->object;
	f->first_offset = e->offset + (va - e->start);
	f->prot = e->needs_copy ? e->protection & ~VM_PROT_WRITE : e->protection;
	return KERN_SUCCESS;
}

/*
 * A device object's page is its physical memory, mapped as it is (and
 * never wired: it cannot be paged).  The kernel does not read device
 * memory through the direct map: a caller that wants the physical
 * address (pa) is refused.
 */
static kern_return_t fault_device(struct vm_map *map, uint64_t va, const struct fault *f,
				  uint64_t *pa)
{
	const struct vm_object *object = f->first;

	if (pa != NULL)
		return KERN_PROTECTION_FAILURE;
	return pmap_enter_device(&map->pmap, va, object->device_physical + f->first_offset,
				 f->prot, object->device_uncached);
}

/*
 * The fault found no page (or table, or object) it could take: waits for
 * free memory and says whether to try again; else *kr is the fault's
 * error (KERN_MEMORY_ERROR when the wait passed its deadline).
 */
static bool wait_for_memory(struct fault *f, kern_return_t *kr)
{
	if (!(f->flags & VM_FAULT_WAIT))
		return false;
	if (f->memory_deadline == 0)
		f->memory_deadline = clock_coarse_ns() + vm_memory_wait_ns;
	int r = vm_page_wait(f->memory_deadline);
	if (r == WAIT_INTERRUPTED) {
		*kr = KERN_ABORTED;
		return false;
	}
	if (r == WAIT_TIMED_OUT) {
		vm_counters.memory_timeouts++;
		vm_pageout_report_shortage();
		*kr = KERN_MEMORY_ERROR;
		return false;
	}
	return true;
}

kern_return_t vm_fault_object_page(struct vm_object *object, uint64_t offset,
				   struct vm_page **out)
{
	struct fault f = { .first = object, .first_offset = offset, .access = VM_PROT_READ,
			   .flags = VM_FAULT_WAIT };
	struct vm_object *in;
	kern_return_t kr;

	do
		kr = find_page(&f, &in, out);
	while (kr == FAULT_RETRY);
	if (kr == KERN_SUCCESS && *out != NULL && in != object)
		*out = NULL;   /* a page of its shadow, not its own */
	return kr;
}

kern_return_t vm_fault(struct vm_map *map, uint64_t va, vm_prot_t access, unsigned flags,
		       uint64_t *pa)
{
	struct fault f = { .access = access, .flags = flags };
	kern_return_t kr;

	if (flags & VM_FAULT_WIRE)
		f.flags |= VM_FAULT_WAIT;
	va = trunc_page(va);
	vm_counters.faults++;
	for (;;) {
		struct vm_map_entry *entry;
		struct vm_page *page = NULL;
		if (!vm_map_lookup_entry(map, va, &entry))
			return KERN_INVALID_ADDRESS;
		kr = prepare_entry(map, entry, va, &f);
		if (kr == KERN_RESOURCE_SHORTAGE && wait_for_memory(&f, &kr))
			continue;
		if (kr != KERN_SUCCESS)
			return kr;
		if (f.first->device)
			return fault_device(map, va, &f, pa);
		/* After a wait the entry is looked up again only if the map
		 * changed meanwhile: else f still describes it. */
		f.map = map;
		f.stamp = map->timestamp;
		vm_prot_t allowed = f.prot;
		do {
			f.prot = allowed;   /* fault_page trims it */
			kr = fault_page(&f, &page);
		} while (kr == FAULT_RETRY && map->timestamp == f.stamp);
		if (kr == FAULT_RETRY ||
		    (kr == KERN_RESOURCE_SHORTAGE && wait_for_memory(&f, &kr)))
			continue;
		if (kr != KERN_SUCCESS)
			return kr;
		/* x86 cannot keep reads from a present page: a page locked
		 * against reads is not mapped at all until unlocked. */
		vm_prot_t prot = f.prot & ~(vm_prot_t)page->page_lock;
		if (page->page_lock & VM_PROT_READ)
			prot = VM_PROT_NONE;
		uint64_t phys = vm_page_to_phys(page);
		kr = pmap_enter(&map->pmap, va, phys, prot);
		if (kr == KERN_RESOURCE_SHORTAGE && wait_for_memory(&f, &kr))
			continue;
		if (kr != KERN_SUCCESS)
			return kr;
		if (flags & VM_FAULT_WIRE)
			vm_page_wire(page);
		if (pa != NULL)
			*pa = phys;
		return KERN_SUCCESS;
	}
}
