/*
 * Planning physical memory at boot: from the loader's memory map and the
 * ranges that must never be handed out (the first megabyte, the kernel
 * image, the boot modules), decide where the page descriptor array goes and
 * which ranges become free memory.  Pure arithmetic on ranges, so the host
 * tests check it directly.
 */
#pragma once

#include <mach/kern_return.h>
#include <stdint.h>

#include "kern/bootinfo.h"

#define VM_BOOT_MAX_RANGES 128

struct phys_range {
	uint64_t start, end;  /* [start, end), page-aligned once planned */
};

struct vm_boot_plan {
	uint64_t page_count;     /* descriptors: one per frame below the top */
	uint64_t array_phys;     /* where the descriptor array lives */
	uint64_t array_bytes;
	struct phys_range free[VM_BOOT_MAX_RANGES];
	unsigned free_count;
	uint64_t free_bytes;
};

/*
 * Fills plan.  Returns KERN_RESOURCE_SHORTAGE with *why set when no range
 * can hold the descriptor array, KERN_INVALID_ARGUMENT when the map has no
 * usable page.
 */
kern_return_t vm_page_boot_plan(const struct boot_info *bi,
				const struct phys_range *reserved, unsigned reserved_count,
				uint64_t descriptor_size, struct vm_boot_plan *plan,
				const char **why);
