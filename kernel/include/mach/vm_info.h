/*
 * The virtual-memory interface's values (idl/defs/vm_map.defs): the
 * inheritance of a range, what vm_msync does, what vm_region reports of
 * one, and what vm_statistics counts.  Mach's names and values.
 */
#pragma once

#include <mach/machine/vm_types.h>
#include <mach/vm_prot.h>

/* What a child made by task_create(..., inherit_memory = TRUE, ...) gets
 * of a range of its parent's memory. */
typedef int vm_inherit_t;
#define VM_INHERIT_SHARE   ((vm_inherit_t)0)  /* the same memory: writes are seen by both */
#define VM_INHERIT_COPY    ((vm_inherit_t)1)  /* a copy-on-write copy */
#define VM_INHERIT_NONE    ((vm_inherit_t)2)  /* nothing: the range is free in the child */
#define VM_INHERIT_DEFAULT VM_INHERIT_COPY

/* What vm_msync does with a range's pages (OSF Mach's names and values). */
#define VM_SYNC_ASYNCHRONOUS 0x1  /* dirty pages back to their pagers, kept until stored */
#define VM_SYNC_SYNCHRONOUS  0x2  /* and wait for them: not supported */
#define VM_SYNC_INVALIDATE   0x4  /* clean pages the pager has are dropped */

/*
 * vm_region: one region (a range mapped alike) of an address space.
 * shadow_depth is the number of objects behind the region's own on its
 * copy-on-write chain: what collapsing keeps bounded.  object_id names
 * the region's object (equal ids: the same memory), 0 when none is made
 * yet (memory never touched).
 */
struct vm_region_info {
	int32_t protection;      /* VM_PROT_* now */
	int32_t max_protection;  /* the most it may ever have */
	int32_t inheritance;     /* VM_INHERIT_* */
	int32_t shared;          /* mapped by more than one map (share or vm_map) */
	int32_t wired;           /* wired by vm_wire */
	int32_t shadow_depth;
	uint64_t offset;         /* of the region's start in its object */
	uint64_t resident_pages; /* in the region's own object */
	uint64_t object_id;
	int32_t external;        /* the object is a pager's (vm_map of a memory object) */
	int32_t pad;
};
typedef struct vm_region_info vm_region_info_t;
#define VM_REGION_INFO_COUNT ((natural_t)(sizeof(struct vm_region_info) / sizeof(integer_t)))
_Static_assert(sizeof(struct vm_region_info) == 14 * 4, "vm_region_info layout");

/* vm_statistics: the machine's pages and the VM's events since boot. */
struct vm_statistics {
	uint64_t page_size;
	uint64_t free_count;       /* pages free */
	uint64_t active_count;     /* pages of objects on the active queue */
	uint64_t inactive_count;   /* and on the inactive queue */
	uint64_t wire_count;       /* pages wired (vm_wire) */
	uint64_t faults;           /* page faults the VM resolved or refused */
	uint64_t zero_fill_count;  /* faults that gave a zero-filled page */
	uint64_t cow_faults;       /* faults that copied a page (copy-on-write) */
	uint64_t pageins;          /* pages a pager supplied */
	uint64_t pageouts;         /* pages returned to pagers */
	uint64_t pager_requests;   /* data_request messages sent */
	uint64_t pager_timeouts;   /* waits on a pager that passed their deadline */
	uint64_t objects;          /* live vm_objects */
	uint64_t map_entries;      /* live map entries */
	uint64_t laundry_count;    /* pages returned to pagers and not yet
				      acknowledged (return_completed): kept */
	uint64_t reclaimed;        /* pages the page-out daemon freed */
	uint64_t pageout_failures; /* returned pages a pager could not store */
	uint64_t memory_waits;     /* faults that waited for a free page */
	uint64_t memory_timeouts;  /* of those, faults that gave up (memory error) */
	uint64_t pager_cycles;     /* waits-for cycles of pager waits found */
};
typedef struct vm_statistics vm_statistics_data_t;
#define VM_STATISTICS_COUNT ((natural_t)(sizeof(struct vm_statistics) / sizeof(integer_t)))
_Static_assert(sizeof(struct vm_statistics) == 20 * 8, "vm_statistics layout");
