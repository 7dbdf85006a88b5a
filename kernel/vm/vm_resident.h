/*
 * Resident pages: the pages of vm_objects (Mach's vm_resident.c).
 *
 * A page of an object is an ALLOCATED vm_page with object and offset
 * set.  It is found by (object, offset) in one hash table, and is on its
 * object's list of pages and on one page queue:
 *
 *   active     in use; where a new page goes
 *   inactive   aged, a candidate for page-out (the page-out daemon moves
 *              pages between the two)
 *   none       wired pages (wire_count > 0), which page-out never takes,
 *              and pages being set up
 *
 * The free pages are the buddy allocator's (vm_page.h).  A page's state
 * is its vm_flags:
 *
 *   BUSY       being filled (by a pager, zero-fill or a copy) or cleaned;
 *              no one else may use or change it until it is not busy;
 *              threads that need it wait (vm_page_want)
 *   ABSENT     a placeholder: the data is asked of the pager and not
 *              here yet (always with BUSY)
 *   ERROR      the pager could not supply it (data_error); a fault
 *              takes the error and the page goes
 *   DIRTY      changed since the pager supplied it (the pmap's modified
 *              bit is gathered in as well: vm_page_is_dirty)
 *   PRECIOUS   the pager wants it back even when clean
 *   WANTED     a thread sleeps on it: wake on change
 *   LAUNDRY    its contents went to the pager by a data_return that
 *              the kernel kept it for, and the pager has not yet said
 *              they are stored (return_completed): it is not freed until
 *              then, and goes back to DIRTY if the pager fails
 *
 * Locking: the kernel is uniprocessor and not preemptible and no
 * interrupt handler touches objects or pages, so the code between two
 * blocking points runs alone; the tags ([O] the object's lock, [Q] the
 * queues' lock) mark what SMP will need.  A thread that must wait for a
 * page sleeps on vm_page_want's queue and looks the page up again after.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/vm_info.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm/vm_page.h"

struct vm_object;

#define VM_PAGE_BUSY     0x01
#define VM_PAGE_ABSENT   0x02
#define VM_PAGE_ERROR    0x04
#define VM_PAGE_DIRTY    0x08
#define VM_PAGE_PRECIOUS 0x10
#define VM_PAGE_WANTED   0x20
#define VM_PAGE_LAUNDRY  0x40

#define VM_PAGE_Q_NONE     0
#define VM_PAGE_Q_ACTIVE   1
#define VM_PAGE_Q_INACTIVE 2

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

static inline uint64_t trunc_page(uint64_t a)
{
	return a & ~PAGE_MASK;
}

static inline uint64_t round_page(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

/* The VM's counters (vm_statistics reports them with the queues'). */
struct vm_counters {
	uint64_t faults, zero_fill, cow_faults, pageins, pageouts;
	uint64_t pager_requests, pager_timeouts;
	uint64_t active, inactive, wired;
	uint64_t objects, map_entries;
	uint64_t laundry, reclaimed, pageout_failures, memory_waits, memory_timeouts;
	uint64_t laundry_untrusted;   /* of laundry, pages held by pagers other than the default */
	uint64_t pager_cycles;        /* waits-for cycles found (vm_waits.h) */
};
extern struct vm_counters vm_counters;

/* Sizes the hash table for the machine's pages; before any object. */
void vm_resident_init(uint64_t total_pages);

/* The page of object at offset, or NULL. */
struct vm_page *vm_page_lookup(struct vm_object *object, uint64_t offset);

/*
 * A new page of object at offset (none may be there), BUSY, on the
 * active queue, its contents undefined; NULL when memory is short (only
 * the reserve is left and the thread may not take it: vm_pageout.h).
 */
struct vm_page *vm_page_alloc_object(struct vm_object *object, uint64_t offset);

/* Takes a page out of its object (and its queue) without freeing it. */
void vm_page_remove(struct vm_page *page);

/* Puts a page that belongs to no object into object at offset. */
void vm_page_insert(struct vm_page *page, struct vm_object *object, uint64_t offset);

/* Unmaps a page everywhere, takes it out of its object and frees it;
 * threads waiting on it are woken. */
void vm_page_free_object(struct vm_page *page);

/*
 * The laundry (LAUNDRY): a page returned to its pager and kept until the
 * pager says it is stored.  These keep the counts -- vm_counters.laundry,
 * the object's laundry, and vm_counters.laundry_untrusted for a pager
 * other than the default pager (vm_pageout.h) -- and do nothing to a page
 * already in (out of) it.  A page freed or renamed leaves it.
 */
void vm_page_laundry_enter(struct vm_page *page);
void vm_page_laundry_leave(struct vm_page *page);

/* Moves page to another object and offset (both checked free). */
void vm_page_rename(struct vm_page *page, struct vm_object *object, uint64_t offset);

/* The oldest page of a queue (VM_PAGE_Q_ACTIVE or _INACTIVE), or NULL. */
struct vm_page *vm_page_queue_oldest(uint8_t queue);

/* Moves a page that is on a queue to the newest end of queue (the same
 * or the other); a page on none (wired, being set up) stays there. */
void vm_page_requeue(struct vm_page *page, uint8_t queue);

/* Wiring: a wired page is on no queue and counted in vm_counters.wired. */
void vm_page_wire(struct vm_page *page);
void vm_page_unwire(struct vm_page *page);

/* Zero-fills a page, and copies one page to another (through the direct map). */
void vm_page_zero(struct vm_page *page);
void vm_page_copy(const struct vm_page *from, struct vm_page *to);

/* Whether the page differs from what its pager has: its DIRTY flag or
 * the modified bit of a mapping (gathered into DIRTY). */
bool vm_page_is_dirty(struct vm_page *page);

/* Ends BUSY (and ABSENT), waking the page's waiters. */
void vm_page_done(struct vm_page *page);

/*
 * Marks a BUSY page WANTED and returns the queue its change wakes, for
 * the caller to sleep on (sched_wait_locked, at once).  The page may be
 * gone when the caller wakes: it looks it up again.
 */
struct wait_queue *vm_page_want(struct vm_page *page);

/* Wakes whoever sleeps on page. */
void vm_page_wakeup(struct vm_page *page);

/* Fills a vm_statistics for vm_statistics(). */
void vm_statistics_get(struct vm_statistics *stats);
