/*
 * Memory objects as the kernel caches them (Mach's vm_object).
 *
 * An object is a range of bytes [0, size) whose resident pages the kernel
 * holds (vm_resident.h).  Where a page is not resident its contents come
 * from, in order:
 *
 *   the shadow    a copy-on-write object is a shadow of another: a page it
 *                 does not hold is read from its shadow at offset +
 *                 shadow_offset (and so on down the chain); writing makes
 *                 the page its own first
 *   the pager     an external object's data belongs to a pager task,
 *                 asked by message (memory_object.h)
 *   zero          an internal object (anonymous memory) without a pager:
 *                 the page is zero-filled
 *
 * An internal object gets a pager when page-out first writes one of its
 * pages out: the default pager (memory_object.h).  From then on the
 * pages it holds come from it, and the others still from the shadow or
 * zero (existence).
 *
 * A device object is none of these: it is a range of physical memory
 * (a device's registers, or a DMA buffer of contiguous pages it owns)
 * that faults map as it is, with no page descriptors resident.  It is
 * never copied, shadowed or paged (vm_map_copy.c refuses to copy it and
 * task_create shares it).
 *
 * An object is in one state:
 *
 *   alive         referenced (ref_count > 0) by map entries, copies,
 *                 objects that shadow it, or operations in progress
 *   draining      its last reference went while pages it spilled
 *                 (spill) were out at the default pager: page-out holds
 *                 it, takes them back, and lets it go (vm_pageout.h)
 *   terminated    its last reference went: its pages are freed (an
 *                 external object's dirty pages first go back to the
 *                 pager), its pager is told (memory_object_terminate),
 *                 and the reference it held on its shadow is dropped
 *
 * Shadow chains are kept short by collapsing (vm_object_collapse): when
 * the object behind another is referenced by nothing else, its pages move
 * up and it goes, so repeated copying does not grow chains without
 * bound.
 *
 * Delayed copies of an object that is shared (several maps write to it)
 * cannot be symmetric copy-on-write (the sharers must keep writing to
 * the same object): such an object gets a copy object (copy), a shadow
 * of it to which a page's old contents are pushed before the object's
 * page is first written (vm_fault).  Older copies shadow newer ones.
 *
 * Locking: as vm_resident.h: [O] marks the object's lock for SMP, [G]
 * the lock of the list of objects.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/memory_object.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kern/sched.h"

struct vm_page;
struct ipc_port;

struct vm_object {
	uint32_t ref_count;           /* [O] */
	uint32_t paging_in_progress;  /* [O] operations waiting on it: no collapse */
	uint64_t size;                /* [O] bytes, whole pages */
	uint64_t resident_count;      /* [O] pages on its list */
	struct vm_page *pages;        /* [O] its resident pages (obj_next) */
	struct vm_object *shadow;     /* [O] behind it, with a reference */
	uint64_t shadow_offset;       /* [O] where its offset 0 is in shadow */
	struct vm_object *copy;       /* [O] its delayed copy (no reference) */
	struct vm_object *copy_of;    /* [O] the object it is the copy of */
	uint64_t id;                  /* [c] names it in vm_region */
	/* Every object, in the order of their ids (vm_objects). */
	struct vm_object *all_next;   /* [G] */
	struct vm_object *all_prev;   /* [G] */
	bool internal;                /* [c] anonymous: absent pages are zero */

	/* A device object: physical memory mapped as it is. */
	bool device;                  /* [c] */
	bool device_uncached;         /* [c] its mappings bypass the caches */
	int8_t device_order;          /* [c] a DMA block of 2^order pages it owns; -1: none */
	uint64_t device_physical;     /* [c] the physical address of offset 0 */

	/* An external object: its pager (memory_object.c). */
	struct ipc_port *pager;       /* [O] naked send right, or NULL */
	struct ipc_port *control;     /* [O] its control port (kernel-held) */
	bool pager_ready;             /* [O] the pager said ready */
	bool replacing;               /* [O] its pager is being replaced: faults that
					 need the pager wait (memory_object_replace.c) */
	bool pager_failed;            /* [O] died or destroyed: no more requests */
	kern_return_t pager_error;    /* [O] why, for the faults that follow */
	bool may_cache;               /* [O] */
	int copy_strategy;            /* [O] MEMORY_OBJECT_COPY_* */
	uint64_t deadline_ns;         /* [O] how long a wait on the pager may last */
	vm_pager_policy_t policy;     /* [O] what a fault does past it (VM_PAGER_POLICY_*) */
	struct vm_pager_stats stats;  /* [O] its pager's record (policy, deadline, laundry
					 filled in when read) */
	uint32_t requests_pending;    /* [O] data_requests not answered */
	uint32_t laundry;             /* [O] its pages in the laundry (vm_resident.h) */
	/* An external object's dirty pages that page-out could not give its
	 * pager (past its bound on laundry, or refusing): an internal object
	 * as large, paged by the default pager, holds them until a fault or
	 * the object's end takes them back (memory_object.h).  A page is
	 * never in both. */
	struct vm_object *spill;      /* [O] with a reference, or NULL */
	struct vm_object *drain_next; /* [O] on page-out's list of ends waiting for spill */
	/* An internal object handed to the default pager: bit i set once
	 * page i went out to it, so that a fault asks for that page and
	 * zero-fills (or reads the shadow) for the others. */
	uint8_t *existence;           /* [O] kalloc'd, size / PAGE_SIZE bits */
	uint64_t pageout_paused_until; /* [O] ns: its pager refused pages; not before */
	/* An external object whose pager died, its dirty pages since paged
	 * by the default pager: a page not out there has the dead pager's
	 * error (pager_error). */
	bool orphaned;                /* [O] */
	struct wait_queue pager_wait; /* [S] faults waiting for the pager */
};

/* The first of every live object, in the order of their ids (all_next). */
extern struct vm_object *vm_objects;

/* A new internal object of size bytes (whole pages), one reference;
 * NULL when memory is short. */
struct vm_object *vm_object_allocate(uint64_t size);

/*
 * A device object for the physical range [physical, physical + size)
 * (whole pages), one reference; order >= 0: it owns that block of the
 * page allocator (vm_page_alloc(order) at physical) and frees it at its
 * end.  NULL when memory is short.
 */
struct vm_object *vm_object_allocate_device(uint64_t physical, uint64_t size, bool uncached,
					    int order);

void vm_object_reference(struct vm_object *object);

/* Drops a reference; the last one terminates the object (and may drop
 * its shadow's in turn, iteratively). */
void vm_object_deallocate(struct vm_object *object);

/*
 * Makes *object (with its *offset) the shadow of a new object of size
 * bytes, which replaces it in *object (the caller's reference moves to
 * the new object's shadow pointer); *offset becomes 0.  False when memory
 * is short (nothing changes).
 */
bool vm_object_shadow(struct vm_object **object, uint64_t *offset, uint64_t size);

/*
 * Shortens object's shadow chain: a shadow that only object refers to
 * gives its pages up and is bypassed (internal objects without a pager
 * only).  Called after a copy-on-write fault and when references drop.
 */
void vm_object_collapse(struct vm_object *object);

/* The size of an internal object's existence map. */
static inline uint64_t vm_object_existence_bytes(const struct vm_object *object)
{
	return (object->size / 4096 + 7) / 8;
}

/* Whether an internal object's page at offset went out to the default
 * pager (and so must be asked of it). */
static inline bool vm_object_page_out_there(const struct vm_object *object, uint64_t offset)
{
	uint64_t page = offset >> 12;

	return object->existence != NULL && (object->existence[page / 8] >> (page % 8)) & 1;
}

/* The number of objects behind object on its shadow chain. */
uint32_t vm_object_shadow_depth(const struct vm_object *object);

/*
 * A delayed copy of object's [0, size) for a copy of memory that is
 * shared: a new internal object that shadows it and to which object's
 * pages are pushed before they change; object's resident pages are
 * write-protected everywhere.  One reference; NULL when memory is short.
 */
struct vm_object *vm_object_copy_delayed(struct vm_object *object);

/* Frees the pages in [start, end) of object (no pager is told). */
void vm_object_page_remove(struct vm_object *object, uint64_t start, uint64_t end);

/* Write-protects object's resident pages in [start, end) in every map. */
void vm_object_pmap_protect(struct vm_object *object, uint64_t start, uint64_t end);
