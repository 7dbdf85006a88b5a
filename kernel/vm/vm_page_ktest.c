/* Self-tests of the physical page allocator on the machine's real memory. */
#include "arch/x86_64/pmap.h"
#include "kern/bootinfo.h"
#include "kern/ktest.h"
#include "vm/vm_page.h"
#include "vm/vm_page_ktest.h"

extern char kernel_phys_start[], kernel_phys_end[];

static bool overlaps(uint64_t pa, uint64_t start, uint64_t end)
{
	return pa + PAGE_SIZE > start && pa < end;
}

uint64_t *vm_page_ktest_drain(uint64_t *count)
{
	uint64_t *chain = NULL;
	struct vm_page *pg;

	*count = 0;
	while ((pg = vm_page_alloc(0)) != NULL) {
		uint64_t *page = phys_to_virt(vm_page_to_phys(pg));
		page[0] = (uint64_t)chain;   /* the page must be mapped and writable */
		chain = page;
		(*count)++;
	}
	return chain;
}

void vm_page_ktest_refill(uint64_t *chain)
{
	while (chain != NULL) {
		uint64_t *next = (uint64_t *)chain[0];
		vm_page_free(vm_page_from_phys(virt_to_phys(chain)), 0);
		chain = next;
	}
}

/* Takes every free page, checks each, and gives them all back. */
KTEST(vm_page, vm_page_hands_out_only_ram_outside_kernel_and_modules)
{
	const struct boot_info *bi = kernel_boot_info;
	uint64_t free_before = vm_page_stats.free;
	uint64_t taken, bad = 0;
	uint64_t *chain = vm_page_ktest_drain(&taken);

	for (uint64_t *page = chain; page != NULL; page = (uint64_t *)page[0]) {
		uint64_t pa = virt_to_phys(page);
		bool ok = pa >= 0x100000 && boot_info_range_is_ram(bi, pa, pa + PAGE_SIZE) &&
			  !overlaps(pa, (uint64_t)kernel_phys_start, (uint64_t)kernel_phys_end);
		for (unsigned i = 0; i < bi->module_count; i++)
			ok = ok && !overlaps(pa, bi->modules[i].start, bi->modules[i].end);
		bad += !ok;
	}
	KEXPECT_EQ(bad, 0);
	KEXPECT_EQ(taken, free_before);
	KEXPECT_EQ(vm_page_stats.free, 0);
	KEXPECT(vm_page_alloc(0) == NULL);
	vm_page_ktest_refill(chain);
	KEXPECT_EQ(vm_page_stats.free, free_before);
}

KTEST(vm_page, vm_page_blocks_are_aligned_to_their_size)
{
	for (unsigned order = 0; order < VM_PAGE_MAX_ORDER; order++) {
		struct vm_page *pg = vm_page_alloc(order);
		if (!KEXPECT(pg != NULL))
			continue;
		KEXPECT_EQ(vm_page_to_phys(pg) % ((uint64_t)PAGE_SIZE << order), 0);
		vm_page_free(pg, order);
	}
}

/* Freeing every piece of a split block must rebuild the big block. */
KTEST(vm_page, vm_page_freed_buddies_merge_back)
{
	uint64_t free_before = vm_page_stats.free;
	struct vm_page *big = vm_page_alloc(VM_PAGE_MAX_ORDER - 1);

	if (!KEXPECT(big != NULL))
		return;
	uint64_t big_pa = vm_page_to_phys(big);
	vm_page_free(big, VM_PAGE_MAX_ORDER - 1);

	struct vm_page *pieces[16];
	for (int i = 0; i < 16; i++)
		pieces[i] = vm_page_alloc(0);
	for (int i = 0; i < 16; i++)
		if (KEXPECT(pieces[i] != NULL))
			vm_page_free(pieces[i], 0);
	struct vm_page *again = vm_page_alloc(VM_PAGE_MAX_ORDER - 1);
	if (KEXPECT(again != NULL)) {
		KEXPECT_EQ(vm_page_to_phys(again), big_pa);
		vm_page_free(again, VM_PAGE_MAX_ORDER - 1);
	}
	KEXPECT_EQ(vm_page_stats.free, free_before);
}

KTEST(vm_page, vm_page_rejects_orders_past_the_largest_block)
{
	KEXPECT(vm_page_alloc(VM_PAGE_MAX_ORDER) == NULL);
	KEXPECT(vm_page_alloc(200) == NULL);
}
