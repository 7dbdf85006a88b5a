/* The page-out daemon and the waits for free memory; see vm_pageout.h. */
#include "vm/vm_pageout.h"

#include "arch/x86_64/pmap.h"
#include "kern/clock.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "kern/thread.h"
#include "vm/memory_object.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_resident.h"
#include "vm/vm_waits.h"

uint64_t vm_page_free_target, vm_page_free_min, vm_page_free_reserved;
uint64_t vm_memory_wait_ns = 10000000000ull;

/* The daemon sleeps on daemon_wait; faults short of memory on memory_wait. */
static struct wait_queue daemon_wait;   /* [S] */
static struct wait_queue memory_wait;   /* [S] */
static kern_return_t last_failure;      /* why a pager last refused pages */

/* When a pass frees nothing, the daemon looks again after a pause that
 * doubles up to a second: the pages it could not take (dirty, with no
 * pager to send them to; waiting for their pagers) change only slowly. */
#define RETRY_FIRST_NS 10000000ull
#define RETRY_MAX_NS 1000000000ull

static void wake_daemon(void)
{
	uint64_t flags = simple_lock(&sched_lock);
	sched_wakeup_one_locked(&daemon_wait);
	simple_unlock(&sched_lock, flags);
}

/*
 * Whether t may borrow a page of the reserve: its task, as a pager,
 * holds more pages of the laundry than the reserve is short of
 * (vm_pageout.h).  Only a pager other than the default pager (which is
 * privileged) needs to; while none holds laundry there is nothing to
 * look up.
 */
static bool may_borrow_locked(const struct thread *t)
{
	uint64_t held = 0;

	if (vm_counters.laundry_untrusted == 0)
		return false;
	for (const struct vm_object *o = vm_objects; o != NULL; o = o->all_next)
		if (o->laundry > 0 && vm_waits_pager_task_locked(o) == t->task)
			held += o->laundry;
	return vm_page_stats.free + held > vm_page_free_reserved;
}

bool vm_page_may_allocate_short(void)
{
	if (daemon_wait.head != NULL)
		wake_daemon();
	const struct thread *self = current_thread();
	if (vm_page_stats.free > vm_page_free_reserved || self->vm_privileged)
		return true;
	uint64_t flags = simple_lock(&sched_lock);
	bool ok = may_borrow_locked(self);
	simple_unlock(&sched_lock, flags);
	return ok;
}

int vm_page_wait(uint64_t deadline_ns)
{
	vm_counters.memory_waits++;
	uint64_t flags = simple_lock(&sched_lock);
	sched_wakeup_one_locked(&daemon_wait);
	int r = sched_wait_locked(&memory_wait, deadline_ns);
	simple_unlock(&sched_lock, flags);
	return r;
}

void vm_page_freed(void)
{
	if (memory_wait.head == NULL || vm_page_stats.free <= vm_page_free_reserved)
		return;
	uint64_t flags = simple_lock(&sched_lock);
	sched_wakeup_all_locked(&memory_wait);
	simple_unlock(&sched_lock, flags);
}

/* Wakes the threads waiting for memory that may borrow now: their
 * pagers were given laundry, or pages came free, since they slept. */
static void wake_borrowers(void)
{
	if (memory_wait.head == NULL)
		return;
	uint64_t flags = simple_lock(&sched_lock);
	for (struct thread *t = memory_wait.head, *next; t != NULL; t = next) {
		next = t->q_next;
		if (may_borrow_locked(t))
			sched_wakeup_thread_locked(t);
	}
	simple_unlock(&sched_lock, flags);
}

void vm_pageout_failed(kern_return_t why)
{
	last_failure = why;
}

void vm_pageout_report_shortage(void)
{
	kprintf("vm: a fault waited %lu ms for a free page and gave up: %lu pages free "
		"(%lu reserved), %lu waiting for their pagers to store them, %lu active, "
		"%lu inactive, %lu wired; %s%d\n",
		vm_memory_wait_ns / 1000000, vm_page_stats.free, vm_page_free_reserved,
		vm_counters.laundry, vm_counters.active, vm_counters.inactive, vm_counters.wired,
		last_failure != KERN_SUCCESS ? "a pager last refused pages with error "
					     : "no pager refused pages; error ",
		last_failure);
}

/* Whether nothing but page-out holds page: it may be freed. */
static bool idle_page(const struct vm_page *page)
{
	return page->wire_count == 0 && page->pv.pmap == NULL &&
	       !(page->vm_flags & (VM_PAGE_BUSY | VM_PAGE_LAUNDRY));
}

static void reclaim(struct vm_page *page)
{
	vm_page_free_object(page);
	vm_counters.reclaimed++;
}

void vm_pageout_laundered(struct vm_page *page)
{
	if (vm_page_stats.free >= vm_page_free_target || page->queue != VM_PAGE_Q_INACTIVE ||
	    !idle_page(page) || vm_page_is_dirty(page))
		return;
	reclaim(page);
	vm_page_freed();
}

/* Keeps a third of the queued pages inactive; each page that goes
 * inactive starts its second chance with its accessed bits clear. */
static void age_active(void)
{
	while (vm_counters.inactive * 3 < vm_counters.active + vm_counters.inactive) {
		struct vm_page *page = vm_page_queue_oldest(VM_PAGE_Q_ACTIVE);
		if (page == NULL)
			return;
		pmap_clear_reference(page);
		vm_page_requeue(page, VM_PAGE_Q_INACTIVE);
	}
}

/* What became of the oldest inactive page. */
enum verdict {
	FREED,      /* free now */
	SENT,       /* on its way to its pager */
	PASSED,     /* in use, busy or unpageable: moved on */
	LAUNDRY_FULL,   /* dirty, and VM_PAGEOUT_LAUNDRY_MAX pages are out */
};

/* Whether object's dirty pages can go to its pager now (can_send hands
 * an internal or orphaned object to the default pager first).  A pager other
 * than the default pager takes at most VM_PAGER_LAUNDRY_MAX pages before
 * it answers for them, and all such pagers VM_PAGEOUT_UNTRUSTED_MAX. */
static bool may_take(const struct vm_object *object)
{
	return object->pager != NULL && !object->pager_failed && object->pager_ready &&
	       object->pageout_paused_until <= clock_coarse_ns() &&
	       (object->existence != NULL || (object->laundry < VM_PAGER_LAUNDRY_MAX &&
					      vm_counters.laundry_untrusted <
						      VM_PAGEOUT_UNTRUSTED_MAX));
}

static bool can_send(struct vm_object *object)
{
	if (object->pager == NULL || (object->pager_failed && !object->internal))
		memory_object_default_attach(object);
	return may_take(object);
}

static enum verdict take(struct vm_page *page)
{
	struct vm_object *object = page->object;

	if (page->wire_count > 0 || (page->vm_flags & (VM_PAGE_BUSY | VM_PAGE_LAUNDRY))) {
		vm_page_requeue(page, VM_PAGE_Q_INACTIVE);
		return PASSED;
	}
	if (pmap_clear_reference(page)) {
		vm_page_requeue(page, VM_PAGE_Q_ACTIVE);   /* used since it went inactive */
		return PASSED;
	}
	/* A dirty page goes to its pager, or, if that pager may not take it
	 * now, spills to the default pager (memory_object.h): reclaim never
	 * waits on an untrusted pager.  A page known dirty with no one to
	 * give it to stays mapped, and counts as in use; the others are
	 * unmapped, which gathers the modified bits. */
	bool sendable = can_send(object);
	bool spillable = !sendable && memory_object_may_spill(object);
	if ((page->vm_flags & (VM_PAGE_DIRTY | VM_PAGE_PRECIOUS)) && !sendable && !spillable) {
		vm_page_requeue(page, VM_PAGE_Q_ACTIVE);
		return PASSED;
	}
	pmap_page_protect(page, VM_PROT_NONE);
	if (!vm_page_is_dirty(page) && !(page->vm_flags & VM_PAGE_PRECIOUS)) {
		reclaim(page);
		return FREED;
	}
	if (!sendable && !spillable) {
		vm_page_requeue(page, VM_PAGE_Q_ACTIVE);
		return PASSED;
	}
	if (vm_counters.laundry >= VM_PAGEOUT_LAUNDRY_MAX)
		return LAUNDRY_FULL;
	vm_page_requeue(page, VM_PAGE_Q_INACTIVE);
	if (!sendable)
		return memory_object_spill(object, page) ? SENT : PASSED;
	return memory_object_page_out(object, page) ? SENT : PASSED;
}

void vm_pageout_sync(struct vm_object *object, uint64_t start, uint64_t end, int flags)
{
	if (object->pager == NULL || object->pager_failed || !object->pager_ready ||
	    object->replacing)
		return;
	for (uint64_t off = start; off < end; off += PAGE_SIZE) {
		struct vm_page *p = vm_page_lookup(object, off);
		if (p == NULL || p->wire_count > 0 ||
		    (p->vm_flags & (VM_PAGE_BUSY | VM_PAGE_LAUNDRY | VM_PAGE_ERROR)))
			continue;
		if (vm_page_is_dirty(p) || (p->vm_flags & VM_PAGE_PRECIOUS)) {
			if ((flags & VM_SYNC_ASYNCHRONOUS) && may_take(object))
				memory_object_page_out(object, p);
			continue;
		}
		if (!(flags & VM_SYNC_INVALIDATE))
			continue;
		pmap_page_protect(p, VM_PROT_NONE);   /* gathers the modified bit */
		if (!vm_page_is_dirty(p))
			vm_page_free_object(p);
	}
}

/* Objects whose end waits for their spilled pages (vm_pageout_hold_end). */
static struct vm_object *draining;

bool vm_pageout_hold_end(struct vm_object *object)
{
	if (!memory_object_spill_out(object))
		return false;
	object->ref_count = 1;   /* page-out's, until the pages are back */
	object->drain_next = draining;
	draining = object;
	wake_daemon();
	return true;
}

/* Takes back the spilled pages of the objects held, and lets each go
 * (one short of memory is held again, for the next pass). */
static void drain(void)
{
	struct vm_object *list = draining;

	draining = NULL;
	while (list != NULL) {
		struct vm_object *object = list;
		list = object->drain_next;
		object->drain_next = NULL;
		memory_object_fetch_spill(object);
		vm_object_deallocate(object);
	}
}

/*
 * One pass: looks at each queued page at most once, until the target is
 * met.  True if it freed pages or sent some on their way.
 */
static bool scan(void)
{
	uint64_t budget = vm_counters.active + vm_counters.inactive;
	bool progress = false;

	while (vm_page_stats.free < vm_page_free_target && budget-- > 0) {
		age_active();
		struct vm_page *page = vm_page_queue_oldest(VM_PAGE_Q_INACTIVE);
		if (page == NULL)
			break;
		enum verdict v = take(page);
		if (v == LAUNDRY_FULL)
			break;
		progress |= v != PASSED;
	}
	return progress;
}

static __attribute__((noreturn)) void daemon_body(void)
{
	uint64_t pause = RETRY_FIRST_NS;

	for (;;) {
		drain();
		bool progress = scan();
		vm_page_freed();
		wake_borrowers();
		uint64_t deadline = SCHED_NO_DEADLINE;   /* woken by allocations below min */
		if (draining != NULL)
			deadline = clock_coarse_ns() + RETRY_FIRST_NS;
		else if (vm_page_stats.free < vm_page_free_target) {
			pause = progress ? RETRY_FIRST_NS
					 : (pause * 2 < RETRY_MAX_NS ? pause * 2 : RETRY_MAX_NS);
			deadline = clock_coarse_ns() + pause;
		}
		uint64_t flags = simple_lock(&sched_lock);
		sched_wait_locked(&daemon_wait, deadline);
		simple_unlock(&sched_lock, flags);
	}
}

void vm_pageout_init(void)
{
	uint64_t total = vm_page_stats.total;
	struct thread *daemon;

	vm_page_free_target = total / 40 > 96 ? total / 40 : 96;
	vm_page_free_min = vm_page_free_target * 2 / 3;
	/* At least the copies in flight and the pagers' loans (vm_pageout.h). */
	vm_page_free_reserved =
		vm_page_free_target / 3 > VM_PAGEOUT_LAUNDRY_MAX + VM_PAGEOUT_UNTRUSTED_MAX
			? vm_page_free_target / 3
			: VM_PAGEOUT_LAUNDRY_MAX + VM_PAGEOUT_UNTRUSTED_MAX;
	kalloc_page_limit = total / 2;
	vm_map_wired_limit = total / 4;
	if (thread_create_kernel(daemon_body, THREAD_PRIORITY_MAX - 1, &daemon) != KERN_SUCCESS)
		panic("vm: no memory for the page-out daemon");
	kprintf("vm: page-out keeps %lu pages free (wakes below %lu, %lu reserved)\n",
		vm_page_free_target, vm_page_free_min, vm_page_free_reserved);
}
