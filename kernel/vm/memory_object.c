/* The kernel's side of the pager protocol; see memory_object.h. */
#include "vm/memory_object.h"
#include "vm/memory_object_priv.h"

#include <mach/mig_support.h>
#include <memory_object.h>
#include <memory_object_default.h>

#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "kern/clock.h"
#include "kern/kalloc.h"
#include "kern/options.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_pageout.h"
#include "vm/vm_resident.h"

uint64_t vm_pager_deadline_ns = 5000000000ull;
vm_pager_policy_t vm_pager_default_policy = VM_PAGER_POLICY_FAIL;

/* A send right to the object's pager for one message: the kernel's stubs
 * consume the naked right they are given (COPY_SEND from the kernel moves
 * the right the caller made). */
struct ipc_port *memory_object_right(struct vm_object *object)
{
	uint64_t flags = ipc_lock_acquire();

	ipc_port_copy_send_locked(object->pager);
	ipc_unlock(flags);
	return object->pager;
}

kern_return_t vm_object_enter_pager(struct ipc_port *port, uint64_t end,
				    struct vm_object **out)
{
	uint64_t flags = ipc_lock_acquire();

	if (!IPC_PORT_VALID(port) || !port->active) {
		ipc_unlock(flags);
		return KERN_INVALID_NAME;
	}
	if (port->kotype != IKOT_NONE) {
		ipc_unlock(flags);
		return KERN_INVALID_ARGUMENT;
	}
	struct vm_object *object = port->memory_object;
	if (object != NULL) {
		ipc_unlock(flags);
		vm_object_reference(object);
		if (object->size < round_page(end))
			object->size = round_page(end);
		*out = object;
		return KERN_SUCCESS;
	}
	ipc_unlock(flags);

	object = vm_object_allocate(end);
	if (object == NULL)
		return KERN_RESOURCE_SHORTAGE;
	object->control = ipc_port_alloc_kernel(IKOT_PAGER_CONTROL, object);
	if (object->control == NULL) {
		vm_object_deallocate(object);
		return KERN_RESOURCE_SHORTAGE;
	}
	object->internal = false;
	object->pager = port;
	object->deadline_ns = vm_pager_deadline_ns;
	object->policy = vm_pager_default_policy;
	flags = ipc_lock_acquire();
	ipc_port_copy_send_locked(port);   /* the object's own */
	port->memory_object = object;
	ipc_unlock(flags);
	/* If init cannot be sent the pager is dead; faults will say so. */
	memory_object_init(memory_object_right(object), object->control, PAGE_SIZE);
	*out = object;
	return KERN_SUCCESS;
}

kern_return_t memory_object_request(struct vm_object *object, uint64_t offset,
				    vm_prot_t access, struct vm_page **out)
{
	struct vm_page *page = vm_page_alloc_object(object, offset);

	if (page == NULL)
		return KERN_RESOURCE_SHORTAGE;
	page->vm_flags |= VM_PAGE_ABSENT;
	object->requests_pending++;
	vm_counters.pager_requests++;
	object->stats.requests++;
	if (memory_object_data_request(memory_object_right(object), offset, PAGE_SIZE, access) !=
	    MACH_MSG_SUCCESS) {
		memory_object_request_failed(object, page);
		return KERN_MEMORY_FAILURE;
	}
	*out = page;
	return KERN_SUCCESS;
}

kern_return_t memory_object_unlock(struct vm_object *object, struct vm_page *page,
				   vm_prot_t access)
{
	if (object->pager == NULL || object->pager_failed)
		return object->pager_failed ? object->pager_error : KERN_PROTECTION_FAILURE;
	if (memory_object_data_unlock(memory_object_right(object), page->offset, PAGE_SIZE,
				      access) !=
	    MACH_MSG_SUCCESS)
		return KERN_MEMORY_FAILURE;
	return KERN_SUCCESS;
}

kern_return_t memory_object_request_again(struct vm_object *object, struct vm_page *page,
					  vm_prot_t access)
{
	if (object->pager == NULL || object->pager_failed)
		return KERN_MEMORY_FAILURE;
	vm_counters.pager_requests++;
	object->stats.requests++;
	object->stats.retries++;
	if (memory_object_data_request(memory_object_right(object), page->offset, PAGE_SIZE,
				       access) !=
	    MACH_MSG_SUCCESS)
		return KERN_MEMORY_FAILURE;
	kprintf("vm: asked the pager of object %lu again for %lx (policy retry)\n", object->id,
		page->offset);
	return KERN_SUCCESS;
}

kern_return_t memory_object_init_again(struct vm_object *object)
{
	if (object->pager == NULL || object->pager_failed)
		return KERN_MEMORY_FAILURE;
	object->stats.retries++;
	if (memory_object_init(memory_object_right(object), object->control, PAGE_SIZE) !=
	    MACH_MSG_SUCCESS)
		return KERN_MEMORY_FAILURE;
	kprintf("vm: sent init again to the pager of object %lu (policy retry)\n", object->id);
	return KERN_SUCCESS;
}

void memory_object_zero_fill(struct vm_object *object, struct vm_page *page, const char *why)
{
	kprintf("vm: page %lx of object %lu zero-filled: %s (policy zero)\n", page->offset,
		object->id, why);
	vm_page_zero(page);
	page->vm_flags &= (uint8_t)~VM_PAGE_DIRTY;
	vm_counters.zero_fill++;
	object->stats.zero_fills++;
	if ((page->vm_flags & VM_PAGE_ABSENT) && object->requests_pending > 0)
		object->requests_pending--;   /* the request it answers */
	vm_page_done(page);
}

void memory_object_request_failed(struct vm_object *object, struct vm_page *page)
{
	if (object->requests_pending > 0)
		object->requests_pending--;
	vm_page_free_object(page);
}

void memory_object_wake_waiters(struct vm_object *object)
{
	uint64_t flags = simple_lock(&sched_lock);
	sched_wakeup_all_locked(&object->pager_wait);
	simple_unlock(&sched_lock, flags);
	for (struct vm_page *p = object->pages; p != NULL; p = p->obj_next)
		if (p->vm_flags & VM_PAGE_WANTED)
			vm_page_wakeup(p);
}

void memory_object_laundry_to_dirty(struct vm_object *object)
{
	for (struct vm_page *p = object->pages; p != NULL && object->laundry > 0; p = p->obj_next) {
		if (p->vm_flags & VM_PAGE_LAUNDRY) {
			vm_page_laundry_leave(p);
			p->vm_flags |= VM_PAGE_DIRTY;
		}
	}
}

/* The pager will answer no more: faults fail (or follow the policy),
 * its laundry is dirty again, waiting threads go on. */
static void pager_gone(struct vm_object *object, kern_return_t error)
{
	object->pager_failed = true;
	object->pager_error = error;
	memory_object_laundry_to_dirty(object);
	memory_object_wake_waiters(object);
}

void memory_object_port_died_locked(struct ipc_port *port)
{
	struct vm_object *object = port->memory_object;

	if (object != NULL && !object->pager_failed)
		pager_gone(object, KERN_MEMORY_FAILURE);
}

void memory_object_fall_back(struct vm_object *object)
{
	if (object->pager_failed || object->internal)
		return;
	kprintf("vm: the pager of object %lu missed its deadline: its dirty pages go to the "
		"default pager (policy fallback)\n", object->id);
	object->stats.fallbacks++;
	pager_gone(object, KERN_MEMORY_FAILURE);
}

struct vm_object *memory_object_of_port(struct ipc_port *port)
{
	uint64_t flags = ipc_lock_acquire();
	struct vm_object *object = IPC_PORT_VALID(port) && port->active && port->kotype == IKOT_NONE
					   ? port->memory_object
					   : NULL;
	ipc_unlock(flags);
	return object;
}

kern_return_t memory_object_policy_set(struct ipc_port *port, vm_pager_policy_t policy,
				       uint32_t deadline_ms)
{
	if (policy < 0 || policy > VM_PAGER_POLICY_MAX || deadline_ms < 10 ||
	    deadline_ms > 3600000)
		return KERN_INVALID_VALUE;
	uint64_t deadline_ns = (uint64_t)deadline_ms * 1000000ull;
	if (!IPC_PORT_VALID(port)) {
		vm_pager_default_policy = policy;
		vm_pager_deadline_ns = deadline_ns;
		return KERN_SUCCESS;
	}
	struct vm_object *object = memory_object_of_port(port);
	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	object->policy = policy;
	object->deadline_ns = deadline_ns;
	return KERN_SUCCESS;
}

kern_return_t memory_object_policy_get(struct ipc_port *port, vm_pager_policy_t *policy,
				       uint32_t *deadline_ms)
{
	if (!IPC_PORT_VALID(port)) {
		*policy = vm_pager_default_policy;
		*deadline_ms = (uint32_t)(vm_pager_deadline_ns / 1000000ull);
		return KERN_SUCCESS;
	}
	struct vm_object *object = memory_object_of_port(port);
	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	*policy = object->policy;
	*deadline_ms = (uint32_t)(object->deadline_ns / 1000000ull);
	return KERN_SUCCESS;
}

/*
 * A copy of the object's pages [first, first + n) for data_return: moved
 * out of the object (flush) or copied (the kernel keeps them).
 */
static struct vm_map_copy *pages_copy(struct vm_object *object, uint64_t offset, uint64_t n,
				      bool move)
{
	struct vm_object *holder = vm_object_allocate(n * PAGE_SIZE);
	struct vm_map_copy *copy = NULL;

	if (holder == NULL)
		return NULL;
	for (uint64_t i = 0; i < n; i++) {
		struct vm_page *p = vm_page_lookup(object, offset + i * PAGE_SIZE);
		if (move) {
			pmap_page_protect(p, VM_PROT_NONE);
			vm_page_rename(p, holder, i * PAGE_SIZE);   /* out of the laundry for good */
			continue;
		}
		struct vm_page *q = vm_page_alloc_object(holder, i * PAGE_SIZE);
		if (q == NULL)
			goto fail;
		vm_page_copy(p, q);
		vm_page_done(q);
		/* On its way to the default pager, whose own memory page-out
		 * must never need it: wired until the default pager frees it. */
		if (object->existence != NULL)
			vm_page_wire(q);
	}
	if (vm_map_copy_of_object(holder, n * PAGE_SIZE, &copy) == KERN_SUCCESS)
		return copy;
fail:
	vm_object_deallocate(holder);
	return NULL;
}

/* Whether a resident page goes back to the pager under should_return. */
static bool returned(struct vm_page *p, memory_object_return_t should_return)
{
	if (p->vm_flags & VM_PAGE_BUSY)
		return false;
	if (should_return == MEMORY_OBJECT_RETURN_ALL && (p->vm_flags & VM_PAGE_PRECIOUS))
		return true;
	/* Laundry the pager has not stored yet goes again: dropping it
	 * could lose it. */
	if (should_return != MEMORY_OBJECT_RETURN_NONE && (p->vm_flags & VM_PAGE_LAUNDRY))
		return true;
	return should_return != MEMORY_OBJECT_RETURN_NONE && vm_page_is_dirty(p);
}

/*
 * Sends the run [offset, offset + n pages) back by data_return; the pages
 * are clean after (moved out if move).  False if the pager could not be
 * sent to: the pages stay (and stay dirty).
 */
static bool return_run(struct vm_object *object, uint64_t offset, uint64_t n, bool move)
{
	if (!move) {
		/* Write-protect first, so a write after the copy dirties the page again. */
		for (uint64_t i = 0; i < n; i++)
			pmap_page_protect(vm_page_lookup(object, offset + i * PAGE_SIZE),
					  VM_PROT_READ);
	}
	struct vm_map_copy *copy = pages_copy(object, offset, n, move);
	if (copy == NULL) {
		kprintf("vm: no memory to return %lu pages of object %lu to its pager\n", n,
			object->id);
		return false;
	}
	if (!move) {
		/* Kept, and kept until the pager says the data is stored. */
		for (uint64_t i = 0; i < n; i++) {
			struct vm_page *p = vm_page_lookup(object, offset + i * PAGE_SIZE);
			pmap_clear_modify(p);
			p->vm_flags &= (uint8_t)~VM_PAGE_DIRTY;
			vm_page_laundry_enter(p);
		}
	}
	vm_counters.pageouts += n;
	object->stats.returned += n;
	/* A dead pager: the message and its copy are destroyed by the send. */
	memory_object_data_return(memory_object_right(object), object->control, offset,
				  (vm_offset_t)copy,
				  (mach_msg_type_number_t)(n * PAGE_SIZE), true, !move);
	return true;
}

bool memory_object_page_out(struct vm_object *object, struct vm_page *page)
{
	uint64_t n = page->offset / PAGE_SIZE;

	if (!return_run(object, page->offset, 1, false))
		return false;
	if (object->existence != NULL)
		object->existence[n / 8] |= (uint8_t)(1u << (n % 8));
	return true;
}

/* The default pager (a naked send right), or NULL. */
static struct ipc_port *default_pager;

kern_return_t memory_object_set_default_pager(struct ipc_port *port)
{
	uint64_t flags = ipc_lock_acquire();

	if (!IPC_PORT_VALID(port)) {
		bool live = IPC_PORT_VALID(default_pager) && default_pager->active;
		ipc_unlock(flags);
		return live ? KERN_SUCCESS : KERN_FAILURE;
	}
	if (port->kotype != IKOT_NONE) {
		ipc_unlock(flags);
		return KERN_INVALID_ARGUMENT;
	}
	struct ipc_port *old = default_pager;
	default_pager = port;   /* the message's right */
	if (IPC_PORT_VALID(old))
		ipc_port_release_send_locked(old);
	ipc_unlock(flags);
	kprintf("vm: a default pager is set\n");
	return KERN_SUCCESS;
}

/* An external object whose pager died: its dirty pages have no other home. */
static bool orphaned(const struct vm_object *object)
{
	return !object->internal && object->pager_failed && object->existence == NULL;
}

bool memory_object_default_attach(struct vm_object *object)
{
	bool orphan = orphaned(object);

	if (default_pager == NULL ||
	    (!orphan && (!object->internal || object->pager != NULL || object->pager_failed)))
		return false;
	uint64_t bytes = vm_object_existence_bytes(object);
	uint8_t *existence = kalloc(bytes);
	struct ipc_port *control = existence != NULL
					   ? ipc_port_alloc_kernel(IKOT_PAGER_CONTROL, object)
					   : NULL;
	if (control == NULL) {
		if (existence != NULL)
			kfree(existence, bytes);
		return false;
	}
	memset(existence, 0, bytes);

	/* The object's port: its receive right goes to the default pager,
	 * the kernel keeps a send right (the object's, and one to send). */
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port *port = default_pager->active
					? ipc_port_alloc_locked(NULL, MACH_PORT_NAME_NULL)
					: NULL;
	if (port == NULL) {
		ipc_port_destroy_locked(control);
		ipc_unlock(flags);
		kfree(existence, bytes);
		return false;
	}
	ipc_port_make_send_locked(port);
	ipc_port_copy_send_locked(default_pager);
	port->memory_object = object;
	if (orphan) {
		/* The dead pager's rights go; what it held and the kernel did
		 * not is lost (faults there keep its error), what the kernel
		 * holds goes to the default pager from now on. */
		if (object->pager->memory_object == object)
			object->pager->memory_object = NULL;
		ipc_port_release_send_locked(object->pager);
		ipc_port_destroy_locked(object->control);
		object->pager_failed = false;
		object->orphaned = true;
	}
	ipc_unlock(flags);
	if (orphan)
		kprintf("vm: object %lu lost its pager: its dirty pages go to the default pager\n",
			object->id);
	object->pager = port;
	object->control = control;
	object->existence = existence;
	object->pager_ready = true;   /* the default pager serves at once */
	object->deadline_ns = vm_pager_deadline_ns;
	/* A dead default pager destroys the message, and the object's port
	 * with it: the object is then failed (memory_object_port_died_locked). */
	memory_object_create(default_pager, port, object->size, control, PAGE_SIZE);
	return !object->pager_failed;
}

/* ---- Spill: dirty pages the default pager keeps in a pager's place ---- */

bool memory_object_may_spill(const struct vm_object *object)
{
	return !object->internal && object->existence == NULL && object->pager != NULL &&
	       !object->pager_failed && IPC_PORT_VALID(default_pager) && default_pager->active;
}

bool memory_object_spill(struct vm_object *object, struct vm_page *page)
{
	struct vm_object *spill = object->spill;

	if (spill == NULL) {
		if ((spill = vm_object_allocate(object->size)) == NULL)
			return false;
		object->spill = spill;
	}
	/* The object may have grown since (a larger mapping): what lies
	 * past its spill's end stays. */
	if (page->offset >= spill->size || vm_page_lookup(spill, page->offset) != NULL ||
	    (spill->pager == NULL && !memory_object_default_attach(spill)) || spill->pager_failed)
		return false;
	vm_page_rename(page, spill, page->offset);
	page->vm_flags |= VM_PAGE_DIRTY;
	object->stats.spilled++;
	memory_object_page_out(spill, page);   /* else with the spill's next page-out */
	return true;
}

bool memory_object_spilled(const struct vm_object *object, uint64_t offset)
{
	struct vm_object *spill = object->spill;

	return spill != NULL && offset < spill->size &&
	       (vm_object_page_out_there(spill, offset) || vm_page_lookup(spill, offset) != NULL);
}

/* Forgets that the spill's page at offset went out to the default pager
 * (its slot there is overwritten if the page spills again). */
static void spill_forget(struct vm_object *spill, uint64_t offset)
{
	uint64_t n = offset / PAGE_SIZE;

	if (spill->existence != NULL)
		spill->existence[n / 8] &= (uint8_t)~(1u << (n % 8));
}

void memory_object_unspill(struct vm_object *object, struct vm_page *page)
{
	spill_forget(object->spill, page->offset);
	vm_page_rename(page, object, page->offset);
	page->vm_flags |= VM_PAGE_DIRTY;   /* the pager has never had it */
	object->stats.unspilled++;
}

bool memory_object_spill_out(const struct vm_object *object)
{
	const struct vm_object *spill = object->spill;

	if (spill == NULL || spill->existence == NULL || object->pager_failed ||
	    object->existence != NULL)
		return false;
	for (uint64_t i = 0; i < vm_object_existence_bytes(spill); i++)
		if (spill->existence[i] != 0)
			return true;
	return false;
}

/* Brings the spilled pages of [start, end) back into object: false if
 * memory ran short before all came (what came stays). */
static bool fetch_spill(struct vm_object *object, uint64_t start, uint64_t end)
{
	struct vm_object *spill = object->spill;

	for (uint64_t off = start; off < end && off < spill->size; off += PAGE_SIZE) {
		struct vm_page *r = vm_page_lookup(spill, off);
		if (r != NULL && !(r->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT)) &&
		    vm_page_lookup(object, off) == NULL) {
			memory_object_unspill(object, r);
			continue;
		}
		if (!vm_object_page_out_there(spill, off))
			continue;
		struct vm_page *p = NULL;
		kern_return_t kr = vm_fault_object_page(spill, off, &p);
		if (kr == KERN_RESOURCE_SHORTAGE)
			return false;
		if (!vm_object_page_out_there(spill, off) && vm_page_lookup(spill, off) == NULL)
			continue;   /* a fault took it back meanwhile */
		if (kr == KERN_SUCCESS && p != NULL && vm_page_lookup(object, off) == NULL) {
			memory_object_unspill(object, p);
			continue;
		}
		kprintf("vm: page %lx that object %lu spilled did not come back from the default "
			"pager (error %d): lost\n", off, object->id, kr);
		object->stats.spill_lost++;
		spill_forget(spill, off);
		if (p != NULL)
			vm_page_free_object(p);
	}
	return true;
}

bool memory_object_fetch_spill(struct vm_object *object)
{
	return fetch_spill(object, 0, object->size);
}

/*
 * A lock_request on [start, end) sees the object's spilled pages as its
 * own: they come back first if it returns dirty pages (a wait on the
 * default pager), and go if it flushes without returning them.
 */
static void spill_for_lock(struct vm_object *object, uint64_t start, uint64_t end,
			   memory_object_return_t should_return, bool flush)
{
	struct vm_object *spill = object->spill;

	if (should_return != MEMORY_OBJECT_RETURN_NONE) {
		fetch_spill(object, start, end);
		return;
	}
	if (!flush)
		return;
	for (uint64_t off = start; off < end && off < spill->size; off += PAGE_SIZE) {
		struct vm_page *p = vm_page_lookup(spill, off);
		if (p != NULL && !(p->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT)))
			vm_page_free_object(p);
		spill_forget(spill, off);
	}
}

/* The spilled pages the kernel holds come back to the object, to be
 * returned with its other dirty pages; those still out are lost (page-out
 * fetched them before letting the object end: memory_object_spill_out). */
static void take_back_spill(struct vm_object *object)
{
	struct vm_page *next;

	for (struct vm_page *p = object->spill->pages; p != NULL; p = next) {
		next = p->obj_next;
		if (!(p->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT)) &&
		    vm_page_lookup(object, p->offset) == NULL)
			memory_object_unspill(object, p);
	}
}

/* Sets a resident page's lock: the access the pager withholds. */
static void set_lock(struct vm_page *p, vm_prot_t lock)
{
	vm_prot_t was = p->page_lock;

	p->page_lock = (uint8_t)lock;
	if (lock & VM_PROT_READ)
		pmap_page_protect(p, VM_PROT_NONE);
	else if (lock & VM_PROT_WRITE)
		pmap_page_protect(p, VM_PROT_READ);
	if (was & ~lock)
		vm_page_wakeup(p);   /* a data_unlock is answered */
}

void memory_object_lock_range(struct vm_object *object, uint64_t start, uint64_t end,
		       memory_object_return_t should_return, bool flush, vm_prot_t lock)
{
	if ((end - start) / PAGE_SIZE > 4 * object->resident_count) {
		struct vm_page *next;
		for (struct vm_page *p = object->pages; p != NULL; p = next) {
			next = p->obj_next;
			if (p->offset < start || p->offset >= end || (p->vm_flags & VM_PAGE_BUSY))
				continue;
			if (returned(p, should_return) && return_run(object, p->offset, 1, flush))
				continue;   /* moved out if flush */
			if (flush && p->wire_count == 0)
				vm_page_free_object(p);
			else if (!flush)
				set_lock(p, lock);
		}
		return;
	}
	uint64_t run = 0, run_start = 0;
	for (uint64_t off = start; off <= end; off += PAGE_SIZE) {
		struct vm_page *p = off < end ? vm_page_lookup(object, off) : NULL;
		if (p != NULL && returned(p, should_return)) {
			if (run++ == 0)
				run_start = off;
			continue;
		}
		if (run > 0 && !return_run(object, run_start, run, flush))
			flush = false;   /* keep what could not go back */
		run = 0;
		if (p == NULL || (p->vm_flags & VM_PAGE_BUSY))
			continue;
		if (flush && p->wire_count == 0)
			vm_page_free_object(p);
	}
	if (flush)
		return;
	for (uint64_t off = start; off < end; off += PAGE_SIZE) {
		struct vm_page *p = vm_page_lookup(object, off);
		if (p != NULL && !(p->vm_flags & VM_PAGE_BUSY))
			set_lock(p, lock);
	}
}

void memory_object_terminate_pager(struct vm_object *object)
{
	/* The data of an object the default pager holds dies with it
	 * (internal, or its pager dead): nothing goes back. */
	if (!object->pager_failed && object->existence == NULL) {
		if (object->spill != NULL)
			take_back_spill(object);
		memory_object_lock_range(object, 0, object->size, MEMORY_OBJECT_RETURN_ALL, true,
					 VM_PROT_NONE);
	}
	struct ipc_port *pager = object->pager, *control = object->control;
	uint64_t flags = ipc_lock_acquire();
	if (pager->memory_object == object)
		pager->memory_object = NULL;
	ipc_unlock(flags);
	object->pager = NULL;
	object->control = NULL;
	memory_object_terminate(pager, control);   /* moves our send right */
	flags = ipc_lock_acquire();
	ipc_port_destroy_locked(control);
	ipc_unlock(flags);
}

/* The pager's side: the control port's routines (memory_object_control.defs). */

vm_object_t convert_port_to_pager_object(mach_port_t port)
{
	struct vm_object *object = NULL;
	uint64_t flags = ipc_lock_acquire();

	if (IPC_PORT_VALID(port) && port->active && port->kotype == IKOT_PAGER_CONTROL)
		object = port->kobject;
	ipc_unlock(flags);
	vm_object_reference(object);
	return object;
}

/* Checks a range a pager names; logs why it is refused. */
static kern_return_t check_range(struct vm_object *object, const char *routine,
				 uint64_t offset, uint64_t size)
{
	if (object == NULL) {
		kprintf("vm: %s on a port that is not a control port: refused\n", routine);
		return KERN_INVALID_ARGUMENT;
	}
	if ((offset | size) & PAGE_MASK || size == 0 || offset >= object->size ||
	    size > object->size - offset) {
		kprintf("vm: %s for object %lu at %lx size %lx: not whole pages inside the "
			"object; refused\n", routine, object->id, offset, size);
		return KERN_INVALID_ARGUMENT;
	}
	return KERN_SUCCESS;
}

/* The absent page the kernel asked the pager for at offset, or NULL
 * (logged: the pager answered what was not asked). */
static struct vm_page *requested_page(struct vm_object *object, const char *routine,
				      uint64_t offset)
{
	struct vm_page *p = vm_page_lookup(object, offset);

	if (p != NULL && (p->vm_flags & VM_PAGE_ABSENT))
		return p;
	kprintf("vm: %s for object %lu at %lx: %s; refused\n", routine, object->id, offset,
		p != NULL ? "the page is resident" : "not requested");
	return NULL;
}

/* A requested page got its data (or its error): waiting faults go on. */
static void answered(struct vm_object *object, struct vm_page *p)
{
	if (object->requests_pending > 0)
		object->requests_pending--;
	vm_page_done(p);
}

kern_return_t memory_object_control_S_data_supply(vm_object_t object, vm_offset_t offset,
						  vm_offset_t data,
						  mach_msg_type_number_t dataCnt,
						  vm_prot_t lock_value, boolean_t precious)
{
	struct vm_map_copy *copy = (struct vm_map_copy *)data;
	kern_return_t kr = check_range(object, "data_supply", offset, dataCnt);

	if (kr != KERN_SUCCESS)
		return kr;
	if (lock_value & ~VM_PROT_ALL)
		return KERN_INVALID_VALUE;
	if (copy == NULL || copy->offset != 0) {
		kprintf("vm: data_supply for object %lu: data not page aligned; refused\n",
			object->id);
		return KERN_INVALID_ARGUMENT;
	}
	for (uint64_t i = 0; i < dataCnt; i += PAGE_SIZE) {
		struct vm_page *p = requested_page(object, "data_supply", offset + i);
		if (p == NULL)
			continue;
		bool in_place = copy->source != NULL;   /* read into p itself */
		bool taken = vm_map_copy_take_page(copy, i, object, p);
		if (!taken && in_place && vm_map_copy_materialize(copy) == KERN_SUCCESS) {
			/* Read in place, it needed a fault that waits; copied now
			 * (waiting), and the wait may have answered the page. */
			p = requested_page(object, "data_supply", offset + i);
			if (p == NULL)
				continue;
			in_place = false;
			taken = vm_map_copy_take_page(copy, i, object, p);
		}
		if (!taken) {
			kprintf("vm: data_supply for object %lu at %lx: the data is not in "
				"memory; refused\n", object->id, offset + i);
			continue;
		}
		if (!in_place)
			p = vm_page_lookup(object, offset + i);   /* the copy's page took p's place */
		p->page_lock = (uint8_t)lock_value;
		p->vm_flags &= (uint8_t)~VM_PAGE_DIRTY;   /* as its pager has it */
		if (precious)
			p->vm_flags |= VM_PAGE_PRECIOUS;
		vm_counters.pageins++;
		object->stats.supplied++;
		answered(object, p);
	}
	vm_map_copy_discard(copy);
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_data_error(vm_object_t object, vm_offset_t offset,
						 vm_size_t size, kern_return_t error_value)
{
	kern_return_t kr = check_range(object, "data_error", offset, size);

	if (kr != KERN_SUCCESS)
		return kr;
	kprintf("vm: pager of object %lu reports error %d for %lx..%lx\n", object->id,
		error_value, offset, offset + size);
	for (uint64_t i = 0; i < size; i += PAGE_SIZE) {
		struct vm_page *p = requested_page(object, "data_error", offset + i);
		if (p != NULL) {
			p->vm_flags |= VM_PAGE_ERROR;
			object->stats.errors++;
			answered(object, p);
		}
	}
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_data_unavailable(vm_object_t object, vm_offset_t offset,
						       vm_size_t size)
{
	kern_return_t kr = check_range(object, "data_unavailable", offset, size);

	if (kr != KERN_SUCCESS)
		return kr;
	for (uint64_t i = 0; i < size; i += PAGE_SIZE) {
		struct vm_page *p = requested_page(object, "data_unavailable", offset + i);
		if (p != NULL) {
			vm_page_zero(p);
			p->vm_flags &= (uint8_t)~VM_PAGE_DIRTY;
			vm_counters.zero_fill++;
			answered(object, p);
		}
	}
	return KERN_SUCCESS;
}

/*
 * A lock_request's range, its end cut at the object's (*end is offset if
 * none of it is inside): the object is as large as its mappings reach,
 * which the pager cannot know, and no page lies past it.
 */
static kern_return_t lock_range(struct vm_object *object, uint64_t offset, uint64_t size,
				uint64_t *end)
{
	if (object == NULL || (offset | size) & PAGE_MASK || size == 0 || offset + size < offset)
		return check_range(object, "lock_request", offset, size);   /* refused */
	*end = offset + size < object->size ? offset + size : object->size;
	if (*end < offset)
		*end = offset;
	return KERN_SUCCESS;
}

/* The range's pages go back (data_return) before the answer, if the
 * pager named a send-once right reply_to for it. */
kern_return_t memory_object_control_S_lock_request(vm_object_t object, vm_offset_t offset,
						   vm_size_t size,
						   memory_object_return_t should_return,
						   boolean_t should_flush, vm_prot_t lock_value,
						   mach_port_t reply_to)
{
	uint64_t end = offset;
	kern_return_t kr = lock_range(object, offset, size, &end);

	if (kr == KERN_SUCCESS && (should_return < MEMORY_OBJECT_RETURN_NONE ||
				   should_return > MEMORY_OBJECT_RETURN_ALL ||
				   (lock_value & ~VM_PROT_ALL)))
		kr = KERN_INVALID_VALUE;
	if (kr != KERN_SUCCESS)
		return kr;   /* the request, and reply_to with it, is destroyed */
	if (!object->pager_failed && end > offset) {
		if (object->spill != NULL)
			spill_for_lock(object, offset, end, should_return, should_flush != 0);
		memory_object_lock_range(object, offset, end, should_return, should_flush != 0,
					 lock_value);
	}
	if (IPC_PORT_VALID(reply_to))
		memory_object_lock_completed(reply_to, MACH_MSG_TYPE_MOVE_SEND_ONCE,
					     object->control, offset, size);
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_return_completed(vm_object_t object, vm_offset_t offset,
						       vm_size_t size, kern_return_t result)
{
	kern_return_t kr = check_range(object, "return_completed", offset, size);

	if (kr != KERN_SUCCESS)
		return kr;
	uint64_t failed = 0;
	for (uint64_t off = offset; off < offset + size; off += PAGE_SIZE) {
		struct vm_page *p = vm_page_lookup(object, off);
		if (p == NULL || !(p->vm_flags & VM_PAGE_LAUNDRY))
			continue;
		vm_page_laundry_leave(p);
		if (result != KERN_SUCCESS) {
			p->vm_flags |= VM_PAGE_DIRTY;
			failed++;
		} else {
			vm_pageout_laundered(p);
		}
	}
	if (failed > 0) {
		/* Page-out leaves the object alone for a while: sending the
		 * same pages again at once would only be refused again. */
		uint64_t now = clock_coarse_ns();
		if (object->pageout_paused_until <= now)
			kprintf("vm: the pager of object %lu could not store %lu pages at "
				"%lx (error %d); they stay in memory\n",
				object->id, failed, offset, result);
		object->pageout_paused_until = now + VM_PAGEOUT_PAUSE_NS;
		vm_counters.pageout_failures += failed;
		object->stats.refused += failed;
		vm_pageout_failed(result);
	}
	return KERN_SUCCESS;
}

static bool strategy_known(memory_object_copy_strategy_t strategy)
{
	return strategy == MEMORY_OBJECT_COPY_NONE || strategy == MEMORY_OBJECT_COPY_CALL ||
	       strategy == MEMORY_OBJECT_COPY_DELAY;
}

kern_return_t memory_object_control_S_change_attributes(vm_object_t object, boolean_t may_cache,
						       memory_object_copy_strategy_t strategy,
						       mach_port_t reply_to)
{
	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	if (!strategy_known(strategy))
		return KERN_INVALID_VALUE;
	object->may_cache = may_cache != 0;
	object->copy_strategy = strategy;
	if (IPC_PORT_VALID(reply_to))
		memory_object_change_completed(reply_to, MACH_MSG_TYPE_MOVE_SEND_ONCE, may_cache,
					       strategy);
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_ready(vm_object_t object, boolean_t may_cache,
					    memory_object_copy_strategy_t strategy)
{
	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	if (!strategy_known(strategy))
		return KERN_INVALID_VALUE;
	object->may_cache = may_cache != 0;
	object->copy_strategy = strategy;
	object->pager_ready = true;
	memory_object_wake_waiters(object);
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_destroy(vm_object_t object, kern_return_t reason)
{
	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	kprintf("vm: the pager of object %lu destroyed it (reason %d)\n", object->id, reason);
	if (!object->pager_failed) {
		object->pager_failed = true;
		object->pager_error = KERN_MEMORY_FAILURE;
		memory_object_wake_waiters(object);
	}
	/* Its data is gone: what is resident (or spilled) goes too, so that
	 * every later fault takes the error. */
	vm_object_page_remove(object, 0, object->size);
	vm_object_deallocate(object->spill);
	object->spill = NULL;
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_get_attributes(vm_object_t object, boolean_t *ready,
						     boolean_t *may_cache,
						     memory_object_copy_strategy_t *strategy)
{
	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	*ready = object->pager_ready;
	*may_cache = object->may_cache;
	*strategy = object->copy_strategy;
	return KERN_SUCCESS;
}
