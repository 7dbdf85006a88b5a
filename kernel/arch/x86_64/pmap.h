/*
 * Page tables (Mach's "physical map" layer): 4-level x86_64 tables with NX.
 *
 * A pmap is one PML4.  All pmaps share the kernel half (entries 256..511),
 * which holds the direct map of RAM (2 MiB pages) and the kernel image
 * (4 KiB pages, mapped by section: text read+execute, rodata read-only,
 * data read+write, the boot stack's guard page left out).  Intermediate
 * tables are allocated on demand from vm_page and can fail; removing the
 * last page under a table of the user half frees the table.
 *
 * A pmap is a cache of what the VM's maps say (vm/vm_map.h): a mapping
 * can be dropped at any time and is made again by the next fault.
 * VM_PROT_NONE is no mapping.  Every user-half mapping of an allocated
 * page (a page of a vm_object) is recorded in the page's pv list, so that
 * the page can be unmapped or write-protected in every pmap at once
 * (pmap_page_protect: copy-on-write, page-out, a pager's flush), and the
 * dirty bit of a mapping that goes is kept in the page.
 *
 * Locking: the caller serialises operations on one pmap (vm_map.h); the
 * kernel pmap is only changed at boot and by self-tests.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/layout.h"
#include "kern/bootinfo.h"

struct pmap {
	uint64_t *pml4;       /* through the direct map */
	uint64_t pml4_phys;
	struct iopb *iopb;    /* the I/O ports the task may use (iopb.h), or NULL */
	/* The last page table walk() reached, for the 2 MiB it maps: the
	 * next fault nearby skips the walk.  leaf_tag is va >> 21 with bit
	 * 63 set (0: none); a table freed clears it. */
	uint64_t leaf_tag;
	uint64_t *leaf;
};

extern struct pmap kernel_pmap;

static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(DIRECT_MAP_BASE + phys);
}

static inline uint64_t virt_to_phys(const void *virt)
{
	return (uint64_t)virt - DIRECT_MAP_BASE;
}

/* Builds the kernel's own tables (direct map of bi's RAM, kernel image) and
 * switches to them.  Panics if memory for the tables runs out. */
void pmap_bootstrap(const struct boot_info *bi);

/*
 * Maps the page at va to the frame pa with prot (VM_PROT_NONE: unmaps
 * va).  Replaces an existing 4 KiB mapping.  Errors:
 * KERN_INVALID_ARGUMENT (unaligned or non-canonical address, bits outside
 * VM_PROT_ALL, or va inside a 2 MiB mapping), KERN_RESOURCE_SHORTAGE (no
 * page for a table or a pv entry).
 */
kern_return_t pmap_enter(struct pmap *pmap, uint64_t va, uint64_t pa, vm_prot_t prot);

/* pmap_enter for device memory (vm_object.h): uncached, or cached as RAM. */
kern_return_t pmap_enter_device(struct pmap *pmap, uint64_t va, uint64_t pa, vm_prot_t prot,
				bool uncached);

/*
 * The range calls below take page-aligned [start, end) inside one half of
 * the address space (start < end; the last page of the address space
 * cannot be named as an end), and skip missing tables whole: their cost follows the tables present, not
 * the size of the range.
 */

/* Unmaps the 4 KiB pages in [start, end); absent pages are skipped, and
 * page tables of the user half that become empty are freed. */
void pmap_remove(struct pmap *pmap, uint64_t start, uint64_t end);

/* Sets the protection of the mapped 4 KiB pages in [start, end);
 * VM_PROT_NONE unmaps them. */
void pmap_protect(struct pmap *pmap, uint64_t start, uint64_t end, vm_prot_t prot);

struct vm_page;

/* Every mapping of page: removed (VM_PROT_NONE), or made read-only (a
 * protection without VM_PROT_WRITE); a protection with write does nothing. */
void pmap_page_protect(struct vm_page *page, vm_prot_t prot);

/* Whether page was written through a mapping since pmap_clear_modify. */
#define PMAP_PAGE_MODIFIED 0x01
bool pmap_is_modified(struct vm_page *page);
void pmap_clear_modify(struct vm_page *page);

/* Whether a mapping of page was used since the last call (the accessed
 * bits, which it clears): page-out's measure of a page in use. */
bool pmap_clear_reference(struct vm_page *page);

/* The first mapped page (any protection, or a 2 MiB page) in
 * [trunc(va), end), or end if there is none. */
uint64_t pmap_next_mapped(struct pmap *pmap, uint64_t va, uint64_t end);

/*
 * A task's tables: an empty user half and the kernel half shared with
 * kernel_pmap (its top-level entries are copied; after the first
 * pmap_create the kernel may not add top-level entries).
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t pmap_create(struct pmap *pmap);

/* Frees the tables of the user half and the PML4; nothing may be mapped
 * there any more (the map removed it). */
void pmap_destroy(struct pmap *pmap);

/* The frame and protection va maps to, or false if it is not mapped.
 * Protections read back as x86 keeps them: any access includes
 * VM_PROT_READ. */
bool pmap_lookup(struct pmap *pmap, uint64_t va, uint64_t *pa, vm_prot_t *prot);
