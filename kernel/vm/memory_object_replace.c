/*
 * Live pager replacement (host.defs vm_pager_replace; docs/vm.md,
 * "Replacing a pager").
 *
 * The caller's thread does the work in the kernel.  It holds the object
 * (replacing set, pager_ready cleared), so that a fault that needs the
 * pager waits for the end -- held, with no deadline of its own, because
 * every wait of the replacement is bounded -- while faults on resident
 * pages go on.  Then:
 *
 *   settle    the old pager's data_requests in flight are answered, or
 *             the deadline passes and their absent pages go (the held
 *             faults ask again, of the new pager); same store: the
 *             dirty pages go back to the old pager, whose
 *             return_completed are awaited up to a deadline (what it
 *             has not acknowledged then is dirty again: the new pager
 *             gets it); migrate: every page the kernel lacks is asked of
 *             the old pager, REPLACE_BATCH at a time, each batch under a
 *             deadline, and what it gives becomes dirty
 *   bind      the old pager gets terminate and its control port goes;
 *             the new pager becomes the object's, with a control port of
 *             its own, and gets init
 *   migrate   every resident page (clean ones too: the new store starts
 *             empty) goes to the new pager by data_return, and stays
 *             until it acknowledges
 *   release   the held faults are woken: they wait for the new pager's
 *             ready, as after any init, and ask it
 *
 * Each wait on the old pager lasts at most the object's deadline,
 * whatever its policy: a replacement must end, and the pager it replaces
 * is often the one that stopped answering.  The waits are edges of the
 * waits-for graph (vm_waits.h), so a pager that replaces itself is seen.
 * The waits poll (REPLACE_POLL_NS): a replacement is rare, and the paths
 * that answer (data_supply, return_completed) stay as they are.
 */
#include "vm/memory_object.h"

#include <memory_object.h>

#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "kern/clock.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "vm/memory_object_priv.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_pageout.h"
#include "vm/vm_resident.h"
#include "vm/vm_waits.h"

#define REPLACE_BATCH 16
#define REPLACE_POLL_NS 10000000ull

/* Sleeps one poll (not past deadline) as a wait on object's old pager;
 * false if the wait must end: the deadline passed, the thread is being
 * terminated, or a waits-for cycle was broken at it. */
static bool poll_pager(struct vm_object *object, uint64_t deadline)
{
	uint64_t now = clock_coarse_ns();

	if (now >= deadline)
		return false;
	struct vm_wait w = { .object = object, .kind = VM_PAGER_WAIT_REPLACE,
			     .deadline_ns = now + REPLACE_POLL_NS < deadline ? now + REPLACE_POLL_NS
									     : deadline };
	int r = vm_wait_sleep(&w, NULL);
	return r == WAIT_TIMED_OUT || r == WAIT_AWAKENED;
}

/* Frees the absent pages of object whose requests the old pager has not
 * answered: the faults waiting on them ask again (held till the end).
 * Returns how many. */
static uint64_t drop_absent(struct vm_object *object)
{
	struct vm_page *next;
	uint64_t n = 0;

	for (struct vm_page *p = object->pages; p != NULL; p = next) {
		next = p->obj_next;
		if (p->vm_flags & VM_PAGE_ABSENT) {
			memory_object_request_failed(object, p);
			n++;
		}
	}
	return n;
}

/* The old pager's requests in flight, answered or dropped at deadline. */
static uint64_t settle_requests(struct vm_object *object)
{
	uint64_t deadline = clock_coarse_ns() + object->deadline_ns;

	while (object->requests_pending > 0 && !object->pager_failed &&
	       poll_pager(object, deadline))
		;
	return drop_absent(object);
}

/* Same store: the dirty pages go back to the old pager and are kept until
 * it says they are stored, up to the deadline.  Returns how many it has
 * not acknowledged by then (still laundry: the caller makes them dirty
 * again, for the new pager). */
static uint64_t settle_dirty(struct vm_object *object)
{
	uint64_t deadline = clock_coarse_ns() + object->deadline_ns;

	if (object->pager_failed)
		return 0;   /* its laundry is dirty already */
	memory_object_lock_range(object, 0, object->size, MEMORY_OBJECT_RETURN_DIRTY, false,
				 VM_PROT_NONE);
	while (object->laundry > 0 && !object->pager_failed && poll_pager(object, deadline))
		;
	return object->laundry;
}

/* Whether a batch's page came: the old pager answered its request. */
static bool batch_done(struct vm_object *object, const uint64_t *offsets, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct vm_page *p = vm_page_lookup(object, offsets[i]);
		if (p != NULL && (p->vm_flags & VM_PAGE_ABSENT))
			return false;
	}
	return true;
}

/* Asks the old pager for the page at offset, waiting for free memory
 * (up to vm_memory_wait_ns) if there is none. */
static kern_return_t request(struct vm_object *object, uint64_t offset)
{
	uint64_t deadline = clock_coarse_ns() + vm_memory_wait_ns;
	struct vm_page *p;
	kern_return_t kr;

	while ((kr = memory_object_request(object, offset, VM_PROT_READ, &p)) ==
		       KERN_RESOURCE_SHORTAGE &&
	       vm_page_wait(deadline) == WAIT_AWAKENED)
		;
	return kr;
}

/*
 * Migrate: asks the old pager for one batch of the pages at offsets and
 * waits for them; those that came are dirty (the new pager has none).
 * Returns how many did not come; *stalled if the old pager left requests
 * unanswered at the deadline.
 */
static uint64_t fetch_batch(struct vm_object *object, uint64_t *offsets, unsigned n,
			    bool *stalled)
{
	uint64_t deadline = clock_coarse_ns() + object->deadline_ns, lost = 0;
	unsigned asked = 0;

	for (unsigned i = 0; i < n; i++) {
		if (request(object, offsets[i]) == KERN_SUCCESS)
			offsets[asked++] = offsets[i];
		else
			lost++;
	}
	while (!batch_done(object, offsets, asked) && !object->pager_failed &&
	       poll_pager(object, deadline))
		;
	uint64_t unanswered = drop_absent(object);
	*stalled = unanswered > 0 || object->pager_failed;
	lost += unanswered;
	for (unsigned i = 0; i < asked; i++) {
		struct vm_page *p = vm_page_lookup(object, offsets[i]);
		if (p != NULL && (p->vm_flags & VM_PAGE_ERROR)) {
			vm_page_free_object(p);   /* the pager's data_error */
			lost++;
		} else if (p != NULL) {
			p->vm_flags |= VM_PAGE_DIRTY;
		}
	}
	return lost;
}

/* Migrate: every page the kernel lacks (neither resident nor spilled) is
 * asked of the old pager.  Once it leaves a batch unanswered (or dies) it
 * is taken to have stopped, and the rest count as lost too.  Returns the
 * pages lost. */
static uint64_t fetch_all(struct vm_object *object)
{
	uint64_t offsets[REPLACE_BATCH], lost = 0;
	bool stalled = object->pager_failed;
	unsigned n = 0;

	for (uint64_t off = 0; off < object->size; off += PAGE_SIZE) {
		if (vm_page_lookup(object, off) != NULL || memory_object_spilled(object, off))
			continue;
		if (stalled) {
			lost++;
			continue;
		}
		offsets[n++] = off;
		if (n == REPLACE_BATCH) {
			lost += fetch_batch(object, offsets, n, &stalled);
			n = 0;
		}
	}
	if (n > 0)
		lost += fetch_batch(object, offsets, n, &stalled);
	return lost;
}

/* The old pager goes (terminate; its control port destroyed) and
 * new_pager (the message's send right, taken) becomes the object's.
 * KERN_INVALID_ARGUMENT if new_pager became another object's pager
 * meanwhile (mapped while this one settled). */
static kern_return_t bind(struct vm_object *object, struct ipc_port *new_pager)
{
	struct ipc_port *control = ipc_port_alloc_kernel(IKOT_PAGER_CONTROL, object);

	if (control == NULL)
		return KERN_RESOURCE_SHORTAGE;
	struct ipc_port *old = object->pager, *old_control = object->control;
	uint64_t flags = ipc_lock_acquire();
	if (new_pager->memory_object != NULL) {
		ipc_port_destroy_locked(control);
		ipc_unlock(flags);
		return KERN_INVALID_ARGUMENT;
	}
	if (old->memory_object == object)
		old->memory_object = NULL;
	new_pager->memory_object = object;
	bool alive = new_pager->active;
	ipc_unlock(flags);
	object->pager = new_pager;
	object->control = control;
	object->pager_ready = false;
	object->pager_failed = !alive;
	object->pager_error = alive ? KERN_SUCCESS : KERN_MEMORY_FAILURE;
	object->pageout_paused_until = 0;
	memory_object_terminate(old, old_control);   /* moves the object's right */
	flags = ipc_lock_acquire();
	ipc_port_destroy_locked(old_control);
	ipc_unlock(flags);
	memory_object_init(memory_object_right(object), control, PAGE_SIZE);
	return KERN_SUCCESS;
}

/* Migrate: every resident page goes to the new pager, kept until stored.
 * Returns how many went (a run that found no memory for its copy stays
 * dirty, for page-out to give the new pager later). */
static uint64_t give_all(struct vm_object *object)
{
	uint64_t before = object->stats.returned;

	for (struct vm_page *p = object->pages; p != NULL; p = p->obj_next)
		if (!(p->vm_flags & VM_PAGE_BUSY))
			p->vm_flags |= VM_PAGE_DIRTY;
	memory_object_lock_range(object, 0, object->size, MEMORY_OBJECT_RETURN_DIRTY, false,
				 VM_PROT_NONE);
	return object->stats.returned - before;
}

/* The checks of vm_pager_replace, with the refusal logged. */
static kern_return_t check(struct vm_object *object, struct ipc_port *new_pager, int mode)
{
	if (mode != VM_PAGER_REPLACE_SAME_STORE && mode != VM_PAGER_REPLACE_MIGRATE)
		return KERN_INVALID_VALUE;
	if (object == NULL)
		return KERN_INVALID_ARGUMENT;
	uint64_t flags = ipc_lock_acquire();
	bool usable = IPC_PORT_VALID(new_pager) && new_pager->active &&
		      new_pager->kotype == IKOT_NONE && new_pager->memory_object == NULL;
	ipc_unlock(flags);
	if (!usable) {
		kprintf("vm: vm_pager_replace of object %lu: the new pager's port is dead, a "
			"kernel object's, or another object's pager; refused\n", object->id);
		return KERN_INVALID_ARGUMENT;
	}
	if (object->internal || object->existence != NULL || object->replacing) {
		kprintf("vm: vm_pager_replace of object %lu: %s; refused\n", object->id,
			object->replacing ? "its pager is being replaced already"
					  : "the default pager holds it");
		return KERN_FAILURE;
	}
	return KERN_SUCCESS;
}

kern_return_t memory_object_replace(struct ipc_port *port, struct ipc_port *new_pager, int mode)
{
	struct vm_object *object = memory_object_of_port(port);
	kern_return_t kr = check(object, new_pager, mode);
	uint64_t dropped, kept = 0, lost = 0, given = 0;

	if (kr != KERN_SUCCESS)
		return kr;
	bool was_ready = object->pager_ready;
	vm_object_reference(object);
	object->replacing = true;
	object->pager_ready = false;
	dropped = settle_requests(object);
	if (mode == VM_PAGER_REPLACE_SAME_STORE)
		kept = settle_dirty(object);
	else
		lost = fetch_all(object);
	memory_object_laundry_to_dirty(object);
	kr = bind(object, new_pager);
	if (kr != KERN_SUCCESS)
		object->pager_ready = was_ready;   /* the old pager stays */
	else if (mode == VM_PAGER_REPLACE_MIGRATE)
		given = give_all(object);
	object->replacing = false;
	memory_object_wake_waiters(object);
	if (kr == KERN_SUCCESS) {
		object->stats.replaced++;
		object->stats.migrated += given;
		object->stats.migrate_lost += lost;
		kprintf("vm: the pager of object %lu replaced (%s): %lu requests asked again, "
			"%lu dirty pages kept for the new pager, %lu pages migrated, %lu lost\n",
			object->id, mode == VM_PAGER_REPLACE_MIGRATE ? "migrated" : "same store",
			dropped, kept, given, lost);
	}
	vm_object_deallocate(object);
	return kr;
}
