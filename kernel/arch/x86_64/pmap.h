/*
 * Page tables (Mach's "physical map" layer): 4-level x86_64 tables with NX.
 *
 * A pmap is one PML4.  All pmaps share the kernel half (entries 256..511),
 * which holds the direct map of RAM (2 MiB pages) and the kernel image
 * (4 KiB pages, mapped by section: text read+execute, rodata read-only,
 * data read+write, the boot stack's guard page left out).  Intermediate
 * tables are allocated on demand from vm_page and can fail.
 *
 * Locking: the caller serialises operations on one pmap (the VM layer's
 * map lock does, later); the kernel pmap is only changed at boot and by
 * self-tests today.
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
 * Maps the page at va to the frame pa with prot (VM_PROT_NONE is refused;
 * use pmap_remove).  Replaces an existing 4 KiB mapping.  Errors:
 * KERN_INVALID_ARGUMENT (unaligned or non-canonical address, no access,
 * or va inside a 2 MiB mapping), KERN_RESOURCE_SHORTAGE (no page for a
 * table).
 */
kern_return_t pmap_enter(struct pmap *pmap, uint64_t va, uint64_t pa, vm_prot_t prot);

/* Unmaps the 4 KiB pages in [start, end); absent pages are skipped. */
void pmap_remove(struct pmap *pmap, uint64_t start, uint64_t end);

/* Sets the protection of the mapped 4 KiB pages in [start, end). */
void pmap_protect(struct pmap *pmap, uint64_t start, uint64_t end, vm_prot_t prot);

/*
 * A task's tables: an empty user half and the kernel half shared with
 * kernel_pmap (its top-level entries are copied; after the first
 * pmap_create the kernel may not add top-level entries).
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t pmap_create(struct pmap *pmap);

/* Frees the tables of the user half (not the pages they map) and the PML4. */
void pmap_destroy(struct pmap *pmap);

/* The frame and protection va maps to, or false if it is not mapped. */
bool pmap_lookup(struct pmap *pmap, uint64_t va, uint64_t *pa, vm_prot_t *prot);
