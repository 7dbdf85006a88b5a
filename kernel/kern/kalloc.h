/*
 * The kernel heap, Mach style: kalloc(size) and kfree(addr, size), the
 * caller remembering the size.  Every allocation can fail: kalloc returns
 * NULL when memory is exhausted, and every caller has a path for that.
 *
 * Sizes up to KALLOC_SLAB_MAX come from per-size-class slabs (power-of-two
 * classes from 16 bytes; a slab is one page, whose vm_page descriptor keeps
 * its free list and use count, and an empty slab goes back to vm_page at
 * once).  Larger sizes are whole power-of-two blocks of pages.  Memory is
 * addressed through the direct map and is at least 16-byte aligned (page
 * aligned above KALLOC_SLAB_MAX).
 *
 * Locking: kalloc_lock guards the slab lists and the statistics.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define KALLOC_MIN       16
#define KALLOC_SLAB_MAX  2048

struct kalloc_stats {
	uint64_t bytes_in_use;   /* rounded up to the size class */
	uint64_t allocations;    /* live allocations */
	uint64_t failures;       /* kalloc calls that returned NULL */
	uint64_t slab_pages;     /* pages held by slabs */
};

extern struct kalloc_stats kalloc_stats;

/* The most pages the heap may hold (0: no bound), set at boot to half the
 * machine: past it kalloc returns NULL, except to VM-privileged threads
 * (page-out's), so that a task that makes kernel objects without end gets
 * KERN_RESOURCE_SHORTAGE and the kernel still has memory to page with. */
extern uint64_t kalloc_page_limit;

void *kalloc(size_t size);
void kfree(void *addr, size_t size);
