/*
 * Self-tests of the page tables: map, unmap and protect a page in a window
 * of kernel address space nothing else uses, and check that the kernel's
 * own sections carry the protections pmap_bootstrap gave them.  Faults are
 * observed through the probes, which recover through the exception table.
 * The window's intermediate tables stay allocated after the tests (pmap
 * does not reclaim empty tables yet), so page counts are compared only
 * after the first mapping exists.
 */
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/trap.h"
#include "kern/ktest.h"
#include "kern/usercopy.h"
#include "vm/vm_page.h"
#include "vm/vm_page_ktest.h"

#define TEST_VA 0xffffc00000000000ull

extern char kernel_text_start[], kernel_rodata_start[], kernel_data_start[];
extern char boot_stack_guard[];

static uint64_t fresh_page(uint64_t pattern)
{
	struct vm_page *pg = vm_page_alloc(0);

	if (pg == NULL)
		return 0;
	uint64_t pa = vm_page_to_phys(pg);
	*(uint64_t *)phys_to_virt(pa) = pattern;
	return pa;
}

KTEST(pmap, pmap_enter_maps_the_frame_with_the_protection_asked)
{
	uint64_t pa = fresh_page(0x1234abcd);
	uint64_t got_pa, value;
	vm_prot_t prot;

	if (!KEXPECT(pa != 0))
		return;
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa, VM_PROT_READ | VM_PROT_WRITE),
		   KERN_SUCCESS);
	KEXPECT_EQ(probe_read_u64((void *)TEST_VA, &value), KERN_SUCCESS);
	KEXPECT_EQ(value, 0x1234abcd);
	KEXPECT_EQ(probe_write_u64((void *)TEST_VA, 77), KERN_SUCCESS);
	KEXPECT_EQ(*(uint64_t *)phys_to_virt(pa), 77);
	KEXPECT(pmap_lookup(&kernel_pmap, TEST_VA + 8, &got_pa, &prot));
	KEXPECT_EQ(got_pa, pa + 8);
	KEXPECT_EQ(prot, VM_PROT_READ | VM_PROT_WRITE);
	pmap_remove(&kernel_pmap, TEST_VA, TEST_VA + PAGE_SIZE);
	vm_page_free(vm_page_from_phys(pa), 0);
}

KTEST(pmap, pmap_protect_read_only_makes_writes_fault)
{
	uint64_t pa = fresh_page(5), value;

	if (!KEXPECT(pa != 0))
		return;
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa, VM_PROT_READ | VM_PROT_WRITE),
		   KERN_SUCCESS);
	pmap_protect(&kernel_pmap, TEST_VA, TEST_VA + PAGE_SIZE, VM_PROT_READ);
	uint64_t faults = trap_last_recovery.count;
	KEXPECT_EQ(probe_write_u64((void *)TEST_VA, 6), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(trap_last_recovery.count, faults + 1);
	KEXPECT_EQ(trap_last_recovery.vector, T_PAGE_FAULT);
	KEXPECT_EQ(trap_last_recovery.address, TEST_VA);
	KEXPECT_EQ(probe_read_u64((void *)TEST_VA, &value), KERN_SUCCESS);
	KEXPECT_EQ(value, 5);
	pmap_remove(&kernel_pmap, TEST_VA, TEST_VA + PAGE_SIZE);
	vm_page_free(vm_page_from_phys(pa), 0);
}

KTEST(pmap, pmap_remove_makes_reads_fault)
{
	uint64_t pa = fresh_page(9), value, got_pa;
	vm_prot_t prot;

	if (!KEXPECT(pa != 0))
		return;
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa, VM_PROT_READ), KERN_SUCCESS);
	pmap_remove(&kernel_pmap, TEST_VA, TEST_VA + PAGE_SIZE);
	KEXPECT_EQ(probe_read_u64((void *)TEST_VA, &value), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(trap_last_recovery.address, TEST_VA);
	KEXPECT(!pmap_lookup(&kernel_pmap, TEST_VA, &got_pa, &prot));
	vm_page_free(vm_page_from_phys(pa), 0);
}

KTEST(pmap, pmap_no_access_is_no_mapping)
{
	uint64_t pa = fresh_page(42), value, got_pa;
	vm_prot_t prot;

	if (!KEXPECT(pa != 0))
		return;
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa, VM_PROT_READ), KERN_SUCCESS);
	KEXPECT_EQ(probe_read_u64((void *)TEST_VA, &value), KERN_SUCCESS);
	KEXPECT_EQ(value, 42);
	pmap_protect(&kernel_pmap, TEST_VA, TEST_VA + PAGE_SIZE, VM_PROT_NONE);
	KEXPECT_EQ(probe_read_u64((void *)TEST_VA, &value), KERN_INVALID_ADDRESS);
	KEXPECT(!pmap_lookup(&kernel_pmap, TEST_VA, &got_pa, &prot));
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa, VM_PROT_READ), KERN_SUCCESS);
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa, VM_PROT_NONE), KERN_SUCCESS);
	KEXPECT(!pmap_lookup(&kernel_pmap, TEST_VA, &got_pa, &prot));
	KEXPECT_EQ(pmap_next_mapped(&kernel_pmap, TEST_VA, TEST_VA + PAGE_SIZE),
		   TEST_VA + PAGE_SIZE);
	vm_page_free(vm_page_from_phys(pa), 0);
}

/* The last page table a walk reached is kept as a hint (pmap.h); the
 * table freed with its last entry must not be written through it.  In
 * the kernel pmap's empty user half, whose tables are freed when empty
 * as a task's are (a task's pmap would freeze the kernel's top level
 * for the tests after). */
KTEST(pmap, pmap_enter_after_its_page_table_went_makes_a_new_one)
{
	const uint64_t va = 0x400000;
	uint64_t pa = fresh_page(3);

	if (!KEXPECT(pa != 0))
		return;
	KEXPECT_EQ(pmap_enter(&kernel_pmap, va, pa, VM_PROT_READ), KERN_SUCCESS);
	pmap_remove(&kernel_pmap, va, va + PAGE_SIZE);
	KEXPECT_EQ(pmap_enter(&kernel_pmap, va + PAGE_SIZE, pa, VM_PROT_READ), KERN_SUCCESS);
	/* pmap_next_mapped walks from the top, past any hint. */
	KEXPECT_EQ(pmap_next_mapped(&kernel_pmap, va, va + 2 * PAGE_SIZE), va + PAGE_SIZE);
	pmap_remove(&kernel_pmap, va, va + 2 * PAGE_SIZE);
	KEXPECT_EQ(pmap_next_mapped(&kernel_pmap, 0, USER_ADDRESS_LIMIT), USER_ADDRESS_LIMIT);
	vm_page_free(vm_page_from_phys(pa), 0);
}

KTEST(pmap, pmap_enter_rejects_bad_arguments)
{
	uint64_t pa = fresh_page(0);

	if (!KEXPECT(pa != 0))
		return;
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA + 1, pa, VM_PROT_READ), KERN_INVALID_ARGUMENT);
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa + 8, VM_PROT_READ), KERN_INVALID_ARGUMENT);
	KEXPECT_EQ(pmap_enter(&kernel_pmap, 0x0000900000000000ull, pa, VM_PROT_READ),
		   KERN_INVALID_ARGUMENT);
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, pa, VM_PROT_ALL + 1), KERN_INVALID_ARGUMENT);
	KEXPECT_EQ(pmap_enter(&kernel_pmap, TEST_VA, 1ull << 52, VM_PROT_READ),
		   KERN_INVALID_ARGUMENT);
	/* The direct map is made of 2 MiB pages; 4 KiB mappings cannot go there. */
	KEXPECT_EQ(pmap_enter(&kernel_pmap, (uint64_t)phys_to_virt(pa), pa, VM_PROT_READ),
		   KERN_INVALID_ARGUMENT);
	vm_page_free(vm_page_from_phys(pa), 0);
}

KTEST(pmap, pmap_enter_reports_shortage_when_tables_cannot_be_allocated)
{
	uint64_t free_before = vm_page_stats.free, count;
	uint64_t *chain = vm_page_ktest_drain(&count);

	/* A fresh 512 GiB slot needs three new tables. */
	KEXPECT_EQ(pmap_enter(&kernel_pmap, 0xffffc80000000000ull, 0x200000, VM_PROT_READ),
		   KERN_RESOURCE_SHORTAGE);
	vm_page_ktest_refill(chain);
	KEXPECT_EQ(vm_page_stats.free, free_before);
}

KTEST(pmap, pmap_kernel_sections_have_their_protections)
{
	uint64_t pa, word;
	vm_prot_t prot;

	KEXPECT(pmap_lookup(&kernel_pmap, (uint64_t)kernel_text_start, &pa, &prot));
	KEXPECT_EQ(prot, VM_PROT_READ | VM_PROT_EXECUTE);
	KEXPECT(pmap_lookup(&kernel_pmap, (uint64_t)kernel_rodata_start, &pa, &prot));
	KEXPECT_EQ(prot, VM_PROT_READ);
	KEXPECT(pmap_lookup(&kernel_pmap, (uint64_t)kernel_data_start, &pa, &prot));
	KEXPECT_EQ(prot, VM_PROT_READ | VM_PROT_WRITE);
	KEXPECT(pmap_lookup(&kernel_pmap, DIRECT_MAP_BASE + 0x200000, &pa, &prot));
	KEXPECT_EQ(prot, VM_PROT_READ | VM_PROT_WRITE);
	KEXPECT(!pmap_lookup(&kernel_pmap, (uint64_t)boot_stack_guard, &pa, &prot));
	KEXPECT(!pmap_lookup(&kernel_pmap, 0, &pa, &prot));

	/* Writing code back unchanged is harmless if the protection is wrong. */
	KEXPECT_EQ(probe_read_u64(kernel_text_start, &word), KERN_SUCCESS);
	KEXPECT_EQ(probe_write_u64(kernel_text_start, word), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(probe_read_u64(kernel_rodata_start, &word), KERN_SUCCESS);
	KEXPECT_EQ(probe_write_u64(kernel_rodata_start, word), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(probe_read_u64(boot_stack_guard, &word), KERN_INVALID_ADDRESS);
}
