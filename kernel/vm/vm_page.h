/*
 * Physical pages.
 *
 * Every page frame from 0 up to the highest available address has a
 * struct vm_page in one array (vm_page_array), so a physical address and
 * its page descriptor convert both ways in O(1).  A page is in one state:
 *
 *   RESERVED   never handed out: holes, firmware, the kernel image, boot
 *              modules, the page array itself, the first megabyte
 *   FREE       in the buddy allocator; the first page of a free block
 *              carries the block's order, the others VM_PAGE_NOT_HEAD
 *   ALLOCATED  handed out by vm_page_alloc: to kalloc, to page tables,
 *              or to a vm_object (vm_resident.h: then object is set and
 *              the VM fields below describe it)
 *
 * Free memory is kept by a binary buddy allocator: free_lists[k] holds
 * blocks of 2^k pages aligned to 2^k pages, and freeing merges a block with
 * its buddy while the buddy is free and of the same order.  Contiguous
 * blocks are what DMA buffers will need.  Single pages, the common
 * request, come from a small stack refilled a 16-page block at a time
 * (vm_page.c); its pages count as free and return to the buddy lists
 * when a larger block is wanted.
 *
 * Locking: vm_page_lock guards the free lists, the states and the counts.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/layout.h"

#define VM_PAGE_MAX_ORDER 11   /* blocks of up to 2^10 pages (4 MiB) */
#define VM_PAGE_NOT_HEAD  0xff
#define VM_PAGE_NOT_SLAB  0xffff

enum vm_page_state {
	VM_PAGE_RESERVED = 0,
	VM_PAGE_FREE,
	VM_PAGE_ALLOCATED,
};

struct vm_object;
struct pmap;

/* One mapping of a page: a pmap and the address it maps the page at
 * (pmap.c keeps them: the first in the page, more in a list). */
struct pv_entry {
	struct pmap *pmap;            /* NULL: none */
	uint64_t va;
	struct pv_entry *next;
};

struct vm_page {
	struct vm_page *next, *prev;  /* free list, slab list, or page queue links */
	uint8_t state;                /* enum vm_page_state */
	uint8_t order;                /* FREE: block order, or VM_PAGE_NOT_HEAD */
	uint16_t slab_in_use;         /* kalloc: objects handed out */
	uint16_t slab_bucket;         /* kalloc: size-class index */
	void *slab_free;              /* kalloc: free objects in this page */

	/* A page of a vm_object (vm_resident.h); [O] the object's lock,
	 * [Q] the page queues' lock, [P] the pmap layer's. */
	struct vm_object *object;     /* [O] NULL: not an object's */
	uint64_t offset;              /* [O] in the object */
	struct vm_page *hash_next;    /* [O] the (object, offset) hash chain */
	struct vm_page *obj_next, *obj_prev; /* [O] the object's pages */
	uint8_t queue;                /* [Q] VM_PAGE_Q_* */
	uint8_t vm_flags;             /* [O] VM_PAGE_BUSY ... */
	uint8_t page_lock;            /* [O] access the pager withholds (vm_prot_t) */
	uint8_t pmap_flags;           /* [P] PMAP_PAGE_MODIFIED, _REFERENCED */
	uint16_t wire_count;          /* [O] wirings: never paged out while > 0 */
	struct pv_entry pv;           /* [P] its mappings */
};

struct vm_page_stats {
	uint64_t total;      /* pages handed to the allocator at boot */
	uint64_t free;       /* pages free now */
	uint64_t low_water;  /* fewest free pages seen */
};

extern struct vm_page_stats vm_page_stats;

/*
 * Doubly linked lists of pages through next/prev: the buddy free lists and
 * kalloc's slab lists.  The list's owner serialises access.
 */
static inline void vm_page_list_push(struct vm_page **head, struct vm_page *p)
{
	p->prev = NULL;
	p->next = *head;
	if (p->next != NULL)
		p->next->prev = p;
	*head = p;
}

static inline void vm_page_list_remove(struct vm_page **head, struct vm_page *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		*head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	p->next = p->prev = NULL;
}

/*
 * Starts the allocator with an array of page_count descriptors, all
 * RESERVED; vm_page_release_range then gives it memory.
 */
void vm_page_init(struct vm_page *array, uint64_t page_count);

/* Adds the whole pages inside physical [start, end) to the free memory. */
void vm_page_release_range(uint64_t start, uint64_t end);

/* 2^order contiguous pages, aligned to their size; NULL when none are free. */
struct vm_page *vm_page_alloc(unsigned order);

/* Returns a block from vm_page_alloc of the same order. */
void vm_page_free(struct vm_page *page, unsigned order);

uint64_t vm_page_to_phys(const struct vm_page *page);
/* The descriptor of the page at phys, or NULL if phys is past the array. */
struct vm_page *vm_page_from_phys(uint64_t phys);

/* The smallest order whose block holds size bytes. */
unsigned vm_page_order_for(size_t size);
