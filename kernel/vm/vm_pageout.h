/*
 * Page-out: keeping free memory for the faults to come (Mach's
 * vm_pageout.c).
 *
 * Three levels of free pages, set at boot from the machine's size:
 *
 *   target     the page-out daemon works until this many pages are free
 *   min        an allocation that leaves fewer wakes the daemon
 *   reserved   the last pages: only VM-privileged threads (the daemon,
 *              and later the default pager, thread.vm_privileged) take
 *              them, so that page-out itself never waits for memory;
 *              and a pager borrows from them (below)
 *
 * The daemon is a kernel thread.  It ages pages from the active queue
 * to the inactive queue (a page used since it was last looked at goes
 * back to active: a second chance), and takes the oldest inactive pages:
 * a clean one it frees at once (its pager, or zero-fill, has its
 * contents); a dirty one of an object with a pager it sends to the pager
 * with data_return, keeping the page (LAUNDRY, vm_resident.h) until the
 * pager answers return_completed (memory_object.h).  Only then is the
 * page freed, so no data is ever only in a pager that has not stored it;
 * a write meanwhile dirties the page again, and it is kept.  At most
 * VM_PAGEOUT_LAUNDRY_MAX pages wait for pagers at once: each holds a
 * second page, the copy in flight, which comes from the reserve.
 *
 * Reclaim never waits on an untrusted pager (any but the default pager,
 * which is wired and trusted): one holds at most VM_PAGER_LAUNDRY_MAX
 * pages unanswered, and all of them at most VM_PAGEOUT_UNTRUSTED_MAX, so
 * that half the laundry is always the default pager's.  A dirty page of a
 * pager past its bound (or paused after a refusal, or not yet ready)
 * spills to the default pager instead (memory_object.h).  An object whose
 * last reference goes while pages it spilled are out at the default
 * pager is held (vm_pageout_hold_end) until the daemon has fetched them
 * back, so that they are returned to its pager with its other pages.
 *
 * A pager may need memory to store what it is given (a page of its
 * store it has not touched yet, its stack, its heap), and at the
 * reserve only its answer frees more.  So a pager's thread may take as
 * many pages of the reserve as its task holds pages of the laundry: the
 * debt is paid back as it answers, and a pager that never answers can
 * take no more than its bound on laundry.  All such loans together are
 * at most VM_PAGEOUT_UNTRUSTED_MAX pages, which the reserve holds beside
 * the copies in flight.  One waiting for memory is woken when it may
 * borrow (after each pass of the daemon, which gives out laundry).
 *
 * A fault that finds no page it may take waits (vm_page_wait) until the
 * daemon or a free makes room, for at most vm_memory_wait_ns; then it
 * fails with KERN_MEMORY_ERROR and the log says why memory ran out.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/memory_object.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm/vm_page.h"

struct vm_object;

struct vm_page;

#define VM_PAGEOUT_LAUNDRY_MAX 32u
/* Of those, what all pagers other than the default pager may hold
 * unanswered (each one VM_PAGER_LAUNDRY_MAX, mach/memory_object.h). */
#define VM_PAGEOUT_UNTRUSTED_MAX (VM_PAGEOUT_LAUNDRY_MAX / 2)
/* How long a fault may wait for a free page (kernel option memory_wait,
 * default 10 s). */
extern uint64_t vm_memory_wait_ns;
/* How long page-out leaves an object alone after its pager refused to
 * store some of its pages (vm_object.pageout_paused_until). */
#define VM_PAGEOUT_PAUSE_NS 1000000000ull

/* The free-page levels (pages); 0 until vm_pageout_init. */
extern uint64_t vm_page_free_target, vm_page_free_min, vm_page_free_reserved;

/* Sets the levels and starts the daemon; after sched_init. */
void vm_pageout_init(void);

/* vm_page_may_allocate below the daemon's minimum (vm_pageout.c). */
bool vm_page_may_allocate_short(void);

/*
 * Whether the caller may take a page for an object now: false when only
 * the reserve is left and the current thread is not VM-privileged.
 * Wakes the daemon when free memory is below its minimum.  In line: above
 * the minimum (the common case) it is one comparison.
 */
static inline bool vm_page_may_allocate(void)
{
	return __builtin_expect(vm_page_stats.free >= vm_page_free_min, 1) ||
	       vm_page_may_allocate_short();
}

/*
 * Waits until free pages may be there for the caller, or deadline_ns;
 * returns WAIT_* (kern/sched.h).  The caller tries again (it may find
 * none yet, and wait again).
 */
int vm_page_wait(uint64_t deadline_ns);

/* A page of an object was freed: wakes the threads waiting for memory
 * when there is some for them. */
void vm_page_freed(void);

/* The pager stored page (return_completed): freed now if page-out still
 * wants it and nothing uses it, else left for the daemon. */
void vm_pageout_laundered(struct vm_page *page);

/* A pager could not store returned pages (why): remembered for the log
 * of a fault that runs out of memory. */
void vm_pageout_failed(kern_return_t why);

/* Logs why a fault found no memory (a fault gave up waiting). */
void vm_pageout_report_shortage(void);

/*
 * vm_msync's work on object's pages of [start, end) (flags VM_SYNC_*,
 * mach/vm_info.h), if its pager is live, ready and not being replaced:
 * with VM_SYNC_ASYNCHRONOUS its dirty pages go to the pager as page-out
 * sends them (kept until stored, and only while the pager holds fewer
 * unanswered pages than page-out's bound); with VM_SYNC_INVALIDATE its
 * clean pages the pager has are freed.  Pages on their way to the pager
 * are left alone.
 */
void vm_pageout_sync(struct vm_object *object, uint64_t start, uint64_t end, int flags);

/* The last reference to object went: true if page-out keeps it (with a
 * reference of its own) to take its spilled pages back first. */
bool vm_pageout_hold_end(struct vm_object *object);
