/*
 * Self-tests of the interim user-memory layer (vm_user.h), on tasks made
 * with task_create and never run.  Page counts are compared with the
 * count taken once the task exists: every test's allocations, and the
 * page tables they needed, must be back by the time it checks.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/trap.h"
#include "kern/clock.h"
#include "kern/kalloc.h"
#include "kern/ktest.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/usercopy.h"
#include "vm/vm_page.h"
#include "vm/vm_page_ktest.h"
#include "vm/vm_user.h"

#define RW (VM_PROT_READ | VM_PROT_WRITE)
#define FIXED_VA 0x0000000200000000ull   /* inside the anywhere range */

static bool page_is_zero(struct task *task, uint64_t va)
{
	uint64_t pa;
	vm_prot_t prot;

	if (!pmap_lookup(&task->pmap, va, &pa, &prot))
		return false;
	const uint64_t *words = phys_to_virt(pa);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		if (words[i] != 0)
			return false;
	return true;
}

static vm_prot_t prot_at(struct task *task, uint64_t va)
{
	uint64_t pa;
	vm_prot_t prot;

	return pmap_lookup(&task->pmap, va, &pa, &prot) ? prot : -1;
}

static bool is_mapped(struct task *task, uint64_t va)
{
	return prot_at(task, va) != -1;
}

KTEST(vm_user, vm_user_allocate_anywhere_returns_aligned_zeroed_writable_memory)
{
	struct task *task;
	uint64_t a = 0x1234, b = 0, old_cr3 = read_cr3(), word = 0;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(vm_user_allocate(task, &a, 3 * PAGE_SIZE + 5, true), KERN_SUCCESS);
	KEXPECT_EQ(a & (PAGE_SIZE - 1), 0);
	KEXPECT(a >= VM_USER_ALLOC_BASE && a + 4 * PAGE_SIZE <= VM_USER_ALLOC_LIMIT);
	for (uint64_t va = a; va < a + 4 * PAGE_SIZE; va += PAGE_SIZE) {
		KEXPECT(page_is_zero(task, va));
		KEXPECT_EQ(prot_at(task, va), RW);
	}
	KEXPECT(!is_mapped(task, a + 4 * PAGE_SIZE));
	KEXPECT_EQ(vm_user_allocate(task, &b, PAGE_SIZE, true), KERN_SUCCESS);
	KEXPECT(b >= a + 4 * PAGE_SIZE);

	/* Through the task's own tables, as its threads would see it. */
	write_cr3(task->pmap.pml4_phys);
	KEXPECT_EQ(copyout("pagoda", a + 4 * PAGE_SIZE - 8, 7), KERN_SUCCESS);
	KEXPECT_EQ(copyin(a + 4 * PAGE_SIZE - 8, &word, 8), KERN_SUCCESS);
	write_cr3(old_cr3);
	KEXPECT_EQ(memcmp(&word, "pagoda", 7), 0);
	task_terminate(task);
}

KTEST(vm_user, vm_user_allocate_anywhere_takes_the_first_hole_that_fits)
{
	struct task *task;
	uint64_t base = VM_USER_ALLOC_BASE, lone = VM_USER_ALLOC_BASE + 3 * PAGE_SIZE, a = 0;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(vm_user_allocate(task, &base, 2 * PAGE_SIZE, false), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_allocate(task, &lone, PAGE_SIZE, false), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_allocate(task, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	KEXPECT_EQ(a, VM_USER_ALLOC_BASE + 4 * PAGE_SIZE);
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, true), KERN_SUCCESS);
	KEXPECT_EQ(a, VM_USER_ALLOC_BASE + 2 * PAGE_SIZE);
	task_terminate(task);
}

KTEST(vm_user, vm_user_allocate_fixed_over_a_mapped_page_fails_and_leaves_nothing)
{
	struct task *task;
	uint64_t taken = FIXED_VA, a = FIXED_VA - 2 * PAGE_SIZE;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(vm_user_allocate(task, &taken, PAGE_SIZE, false), KERN_SUCCESS);
	KEXPECT_EQ(taken, FIXED_VA);
	uint64_t free_before = vm_page_stats.free;
	KEXPECT_EQ(vm_user_allocate(task, &a, 4 * PAGE_SIZE, false), KERN_NO_SPACE);
	KEXPECT_EQ(a, FIXED_VA - 2 * PAGE_SIZE);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT_EQ(pmap_next_mapped(&task->pmap, a, a + 4 * PAGE_SIZE), FIXED_VA);
	KEXPECT_EQ(pmap_next_unmapped(&task->pmap, FIXED_VA, a + 4 * PAGE_SIZE),
		   FIXED_VA + PAGE_SIZE);
	/* A page mapped by the ELF loader's call is in the way as well. */
	uint64_t pa, low = 0x400000;
	KEXPECT_EQ(task_map_page(task, 0x401000, VM_PROT_READ, &pa), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_allocate(task, &low, 2 * PAGE_SIZE, false), KERN_NO_SPACE);
	KEXPECT(!is_mapped(task, 0x400000));
	task_terminate(task);
}

KTEST(vm_user, vm_user_deallocate_returns_pages_and_tables_to_vm_page)
{
	struct task *task;
	uint64_t a = 0, fixed = FIXED_VA + 0x40000000;   /* another page directory */

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	uint64_t free_before = vm_page_stats.free;
	KEXPECT_EQ(vm_user_allocate(task, &a, 40 * PAGE_SIZE, true), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_allocate(task, &fixed, 3 * PAGE_SIZE, false), KERN_SUCCESS);
	KEXPECT(vm_page_stats.free <= free_before - 43);

	/* Unaligned bounds widen to the pages they touch: here the middle one. */
	KEXPECT_EQ(vm_user_deallocate(task, fixed + PAGE_SIZE + 100, 10), KERN_SUCCESS);
	KEXPECT(is_mapped(task, fixed));
	KEXPECT(!is_mapped(task, fixed + PAGE_SIZE));
	KEXPECT(is_mapped(task, fixed + 2 * PAGE_SIZE));
	KEXPECT_EQ(vm_user_deallocate(task, fixed, 3 * PAGE_SIZE), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_deallocate(task, a, 40 * PAGE_SIZE), KERN_SUCCESS);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT(task->pages == NULL);
	KEXPECT_EQ(pmap_next_mapped(&task->pmap, 0, USER_ADDRESS_LIMIT), USER_ADDRESS_LIMIT);
	/* Deallocating nothing, or again, is not an error (Mach's rule). */
	KEXPECT_EQ(vm_user_deallocate(task, a, 40 * PAGE_SIZE), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_deallocate(task, a, 0), KERN_SUCCESS);
	task_terminate(task);
}

KTEST(vm_user, vm_user_deallocate_of_the_whole_user_half_is_fast)
{
	struct task *task;
	uint64_t pa, a = 0, far = 0x00007f0000000000ull;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	uint64_t free_before = vm_page_stats.free;
	KEXPECT_EQ(task_map_page(task, 0x400000, VM_PROT_READ | VM_PROT_EXECUTE, &pa),
		   KERN_SUCCESS);
	KEXPECT_EQ(vm_user_allocate(task, &a, 5 * PAGE_SIZE, true), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_allocate(task, &far, PAGE_SIZE, false), KERN_SUCCESS);
	KEXPECT_EQ(task_map_page(task, USER_ADDRESS_LIMIT - PAGE_SIZE, RW, &pa), KERN_SUCCESS);

	/* 2^35 pages: a page-by-page walk would take hours. */
	uint64_t start = clock_now_ns();
	KEXPECT_EQ(vm_user_deallocate(task, 0, USER_ADDRESS_LIMIT), KERN_SUCCESS);
	uint64_t elapsed = clock_now_ns() - start;
	KEXPECT(elapsed < 1000000000ull);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT(task->pages == NULL);
	start = clock_now_ns();
	KEXPECT_EQ(vm_user_deallocate(task, 0, USER_ADDRESS_LIMIT), KERN_SUCCESS);
	KEXPECT(clock_now_ns() - start < 1000000000ull);
	task_terminate(task);
}

KTEST(vm_user, vm_user_protect_read_only_is_what_pmap_lookup_reports)
{
	struct task *task;
	uint64_t a = 0;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(vm_user_allocate(task, &a, 3 * PAGE_SIZE, true), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_protect(task, a + PAGE_SIZE, PAGE_SIZE, false, VM_PROT_READ),
		   KERN_SUCCESS);
	KEXPECT_EQ(prot_at(task, a), RW);
	KEXPECT_EQ(prot_at(task, a + PAGE_SIZE), VM_PROT_READ);
	KEXPECT_EQ(prot_at(task, a + 2 * PAGE_SIZE), RW);
	/* There is no maximum yet: set_maximum applies prot as the current one. */
	KEXPECT_EQ(vm_user_protect(task, a, 3 * PAGE_SIZE, true, VM_PROT_ALL), KERN_SUCCESS);
	KEXPECT_EQ(prot_at(task, a + PAGE_SIZE), VM_PROT_ALL);
	/* Unmapped pages in the range are skipped, not mapped. */
	KEXPECT_EQ(vm_user_protect(task, a - PAGE_SIZE, 5 * PAGE_SIZE, false, VM_PROT_READ),
		   KERN_SUCCESS);
	KEXPECT(!is_mapped(task, a - PAGE_SIZE));
	KEXPECT(!is_mapped(task, a + 3 * PAGE_SIZE));
	KEXPECT_EQ(prot_at(task, a + 2 * PAGE_SIZE), VM_PROT_READ);
	task_terminate(task);
}

KTEST(vm_user, vm_user_protect_none_faults_but_keeps_the_page)
{
	struct task *task;
	uint64_t a = 0, word = 0, old_cr3 = read_cr3();

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	uint64_t free_before = vm_page_stats.free;
	KEXPECT_EQ(vm_user_copyout(task, "secret!", 8, &a), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_protect(task, a, PAGE_SIZE, false, VM_PROT_NONE), KERN_SUCCESS);
	KEXPECT_EQ(prot_at(task, a), VM_PROT_NONE);
	KEXPECT_EQ(vm_user_copyin(task, a, &word, 8), KERN_INVALID_ADDRESS);
	write_cr3(task->pmap.pml4_phys);
	KEXPECT_EQ(copyin(a, &word, 8), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(copyout(&word, a, 8), KERN_INVALID_ADDRESS);
	write_cr3(old_cr3);
	/* Still allocated: not free for a fixed allocation, and the data is kept. */
	uint64_t at = a;
	KEXPECT_EQ(vm_user_allocate(task, &at, PAGE_SIZE, false), KERN_NO_SPACE);
	KEXPECT_EQ(vm_user_protect(task, a, 1, false, VM_PROT_READ), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_copyin(task, a, &word, 8), KERN_SUCCESS);
	KEXPECT_EQ(memcmp(&word, "secret!", 8), 0);
	KEXPECT_EQ(vm_user_protect(task, a, 1, false, VM_PROT_NONE), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_deallocate(task, a, PAGE_SIZE), KERN_SUCCESS);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	task_terminate(task);
}

KTEST(vm_user, task_map_page_with_no_access_records_a_faulting_page)
{
	struct task *task;
	uint64_t pa, word, old_cr3 = read_cr3();

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(task_map_page(task, 0x400000, VM_PROT_NONE, &pa), KERN_SUCCESS);
	KEXPECT_EQ(prot_at(task, 0x400000), VM_PROT_NONE);
	write_cr3(task->pmap.pml4_phys);
	KEXPECT_EQ(probe_read_u64((void *)0x400000, &word), KERN_INVALID_ADDRESS);
	write_cr3(old_cr3);
	task_terminate(task);
}

KTEST(vm_user, vm_user_copyout_then_copyin_round_trips_in_a_task_not_running)
{
	struct task *task;
	uint64_t size = 3 * PAGE_SIZE + 100, a = 0, tail = 0;
	char *src = kalloc(size), *dst = kalloc(size);

	if (!KEXPECT(src != NULL && dst != NULL) ||
	    !KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS)) {
		kfree(src, size);
		kfree(dst, size);
		return;
	}
	for (uint64_t i = 0; i < size; i++)
		src[i] = (char)(i * 7 + 3);
	KEXPECT(read_cr3() != task->pmap.pml4_phys);
	KEXPECT_EQ(vm_user_copyout(task, src, size, &a), KERN_SUCCESS);
	KEXPECT_EQ(a & (PAGE_SIZE - 1), 0);
	KEXPECT(a >= VM_USER_ALLOC_BASE);
	KEXPECT_EQ(prot_at(task, a), RW);
	memset(dst, 0, size);
	KEXPECT_EQ(vm_user_copyin(task, a, dst, size), KERN_SUCCESS);
	KEXPECT_EQ(memcmp(src, dst, size), 0);
	/* From an unaligned address across pages, and the zero-filled tail. */
	memset(dst, 0, size);
	KEXPECT_EQ(vm_user_copyin(task, a + 4001, dst, 200), KERN_SUCCESS);
	KEXPECT_EQ(memcmp(src + 4001, dst, 200), 0);
	KEXPECT_EQ(vm_user_copyin(task, a + size, &tail, 8), KERN_SUCCESS);
	KEXPECT_EQ(tail, 0);
	/* Size 0: nothing allocated, address 0. */
	uint64_t free_before = vm_page_stats.free;
	KEXPECT_EQ(vm_user_copyout(task, src, 0, &a), KERN_SUCCESS);
	KEXPECT_EQ(a, 0);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT_EQ(vm_user_copyin(task, 0, dst, 0), KERN_SUCCESS);
	task_terminate(task);
	kfree(src, size);
	kfree(dst, size);
}

KTEST(vm_user, vm_user_copyin_refuses_unmapped_and_out_of_range_memory)
{
	struct task *task;
	uint64_t a = 0;
	char buf[16] = "untouched";

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, true), KERN_SUCCESS);
	/* Runs off the end of the page: nothing is copied. */
	KEXPECT_EQ(vm_user_copyin(task, a + PAGE_SIZE - 8, buf, 16), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(strcmp(buf, "untouched"), 0);
	KEXPECT_EQ(vm_user_copyin(task, 0x1000, buf, 8), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_user_copyin(task, 0xffff800000000000ull, buf, 8), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_user_copyin(task, USER_ADDRESS_LIMIT - 8, buf, 16), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_user_copyin(task, a, buf, UINT64_MAX), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(strcmp(buf, "untouched"), 0);
	task_terminate(task);
}

KTEST(vm_user, vm_user_allocate_rejects_bad_addresses_and_sizes)
{
	struct task *task;
	uint64_t a;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	uint64_t free_before = vm_page_stats.free;
	a = FIXED_VA + 8;
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, false), KERN_INVALID_ADDRESS);
	a = USER_ADDRESS_LIMIT - PAGE_SIZE;
	KEXPECT_EQ(vm_user_allocate(task, &a, 2 * PAGE_SIZE, false), KERN_INVALID_ADDRESS);
	a = USER_ADDRESS_LIMIT;
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, false), KERN_INVALID_ADDRESS);
	a = 0xffff800000000000ull;
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, false), KERN_INVALID_ADDRESS);
	a = FIXED_VA;
	KEXPECT_EQ(vm_user_allocate(task, &a, UINT64_MAX - PAGE_SIZE, false),
		   KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_user_allocate(task, &a, UINT64_MAX, true), KERN_NO_SPACE);
	KEXPECT_EQ(vm_user_allocate(task, &a, USER_ADDRESS_LIMIT, true), KERN_NO_SPACE);
	KEXPECT_EQ(vm_user_allocate(task, &a,
				    VM_USER_ALLOC_LIMIT - VM_USER_ALLOC_BASE + 1, true),
		   KERN_NO_SPACE);
	/* The whole anywhere range, with one page taken at its top. */
	a = VM_USER_ALLOC_LIMIT - PAGE_SIZE;
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, false), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_allocate(task, &a, VM_USER_ALLOC_LIMIT - VM_USER_ALLOC_BASE, true),
		   KERN_NO_SPACE);
	KEXPECT_EQ(vm_user_deallocate(task, a, PAGE_SIZE), KERN_SUCCESS);
	/* Size 0 allocates nothing and succeeds, as in Mach. */
	a = FIXED_VA;
	KEXPECT_EQ(vm_user_allocate(task, &a, 0, true), KERN_SUCCESS);
	KEXPECT_EQ(a, 0);
	a = FIXED_VA + 8;
	KEXPECT_EQ(vm_user_allocate(task, &a, 0, false), KERN_SUCCESS);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT(task->pages == NULL);
	task_terminate(task);
}

KTEST(vm_user, vm_user_deallocate_and_protect_reject_bad_ranges)
{
	struct task *task;
	uint64_t a = 0;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, true), KERN_SUCCESS);
	KEXPECT_EQ(vm_user_deallocate(task, a, UINT64_MAX), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_user_deallocate(task, USER_ADDRESS_LIMIT - PAGE_SIZE, 2 * PAGE_SIZE),
		   KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_user_deallocate(task, 0xffff800000000000ull, PAGE_SIZE),
		   KERN_INVALID_ADDRESS);
	KEXPECT(is_mapped(task, a));
	KEXPECT_EQ(vm_user_protect(task, a, PAGE_SIZE, false, VM_PROT_ALL + 1),
		   KERN_INVALID_ARGUMENT);
	KEXPECT_EQ(vm_user_protect(task, a, PAGE_SIZE, false, -1), KERN_INVALID_ARGUMENT);
	KEXPECT_EQ(vm_user_protect(task, a, UINT64_MAX, false, VM_PROT_READ),
		   KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_user_protect(task, 0xffff800000000000ull, PAGE_SIZE, false, VM_PROT_READ),
		   KERN_INVALID_ADDRESS);
	KEXPECT_EQ(prot_at(task, a), RW);
	KEXPECT_EQ(vm_user_protect(task, a, 0, false, VM_PROT_READ), KERN_SUCCESS);
	KEXPECT_EQ(prot_at(task, a), RW);
	task_terminate(task);
}

KTEST(vm_user, vm_user_allocate_rolls_back_when_pages_run_out)
{
	struct task *task;
	uint64_t count, a = FIXED_VA, spare = 6;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	uint64_t *chain = vm_page_ktest_drain(&count);
	/* Room for the three tables and a few pages: the allocation fails
	 * part-way, after mapping some of its pages. */
	for (uint64_t i = 0; i < spare && chain != NULL; i++) {
		uint64_t *next = (uint64_t *)chain[0];
		vm_page_free(vm_page_from_phys(virt_to_phys(chain)), 0);
		chain = next;
	}
	KEXPECT_EQ(vm_user_allocate(task, &a, 20 * PAGE_SIZE, false), KERN_RESOURCE_SHORTAGE);
	KEXPECT_EQ(a, FIXED_VA);
	KEXPECT_EQ(vm_page_stats.free, spare);
	KEXPECT_EQ(vm_user_allocate(task, &a, 20 * PAGE_SIZE, true), KERN_RESOURCE_SHORTAGE);
	KEXPECT_EQ(vm_page_stats.free, spare);
	KEXPECT_EQ(vm_user_copyout(task, "x", 1, &a), KERN_SUCCESS);
	KEXPECT_EQ(vm_page_stats.free, spare - 4);
	KEXPECT(task->pages != NULL);
	KEXPECT_EQ(vm_user_deallocate(task, a, 1), KERN_SUCCESS);
	KEXPECT(task->pages == NULL);
	KEXPECT_EQ(vm_page_stats.free, spare);
	vm_page_ktest_refill(chain);
	task_terminate(task);
}

KTEST(vm_user, vm_user_calls_refuse_a_destroyed_task_and_the_kernel_task)
{
	struct task *task;
	uint64_t a = 0, word;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	struct task *held = task;
	task_reference(held);   /* outlives the task's end */
	KEXPECT(held == task);
	KEXPECT_EQ(vm_user_allocate(task, &a, PAGE_SIZE, true), KERN_SUCCESS);
	task_terminate(task);
	KEXPECT_EQ(vm_user_allocate(held, &a, PAGE_SIZE, true), KERN_INVALID_TASK);
	KEXPECT_EQ(vm_user_deallocate(held, a, PAGE_SIZE), KERN_INVALID_TASK);
	KEXPECT_EQ(vm_user_protect(held, a, PAGE_SIZE, false, VM_PROT_READ), KERN_INVALID_TASK);
	KEXPECT_EQ(vm_user_copyout(held, "x", 1, &a), KERN_INVALID_TASK);
	KEXPECT_EQ(vm_user_copyin(held, a, &word, 8), KERN_INVALID_TASK);
	task_deallocate(held);
	a = 0;
	KEXPECT_EQ(vm_user_allocate(&kernel_task, &a, PAGE_SIZE, true), KERN_INVALID_TASK);
	KEXPECT_EQ(vm_user_copyin(&kernel_task, 0x1000, &word, 8), KERN_INVALID_TASK);
}

/* pmap_remove_each's callback in the test below: counts frames. */
static void count_frame(uint64_t pa, void *arg)
{
	(void)pa;
	(*(uint64_t *)arg)++;
}

/*
 * The pmap range calls on a task's tables (here rather than in
 * pmap_ktest.c: after a pmap_create the kernel may not add top-level
 * entries, which the pmap tests still do).
 */
KTEST(vm_user, pmap_range_calls_skip_missing_tables_and_free_emptied_ones)
{
	struct pmap pmap;
	struct vm_page *pg = vm_page_alloc(0);
	uint64_t frames = 0, got_pa;
	vm_prot_t prot;

	if (!KEXPECT(pg != NULL))
		return;
	uint64_t pa = vm_page_to_phys(pg);
	if (!KEXPECT_EQ(pmap_create(&pmap), KERN_SUCCESS)) {
		vm_page_free(pg, 0);
		return;
	}
	uint64_t free_before = vm_page_stats.free;
	/* One frame at two far addresses: pmap does not mind. */
	KEXPECT_EQ(pmap_enter(&pmap, 0x200000, pa, VM_PROT_READ), KERN_SUCCESS);
	KEXPECT_EQ(pmap_enter(&pmap, 0x7f0000000000ull, pa, VM_PROT_NONE), KERN_SUCCESS);
	KEXPECT_EQ(vm_page_stats.free, free_before - 6);
	KEXPECT_EQ(pmap_next_mapped(&pmap, 0, USER_ADDRESS_LIMIT), 0x200000);
	KEXPECT_EQ(pmap_next_mapped(&pmap, 0x201000, USER_ADDRESS_LIMIT), 0x7f0000000000ull);
	KEXPECT_EQ(pmap_next_mapped(&pmap, 0x7f0000001000ull, USER_ADDRESS_LIMIT),
		   USER_ADDRESS_LIMIT);
	KEXPECT_EQ(pmap_next_mapped(&pmap, 0, 0x200000), 0x200000);
	KEXPECT_EQ(pmap_next_unmapped(&pmap, 0x200000, 0x400000), 0x201000);
	KEXPECT_EQ(pmap_next_unmapped(&pmap, 0x0, 0x400000), 0);

	pmap_protect(&pmap, 0, USER_ADDRESS_LIMIT, VM_PROT_READ | VM_PROT_WRITE);
	KEXPECT(pmap_lookup(&pmap, 0x7f0000000000ull, &got_pa, &prot));
	KEXPECT_EQ(prot, VM_PROT_READ | VM_PROT_WRITE);
	pmap_remove_each(&pmap, 0, USER_ADDRESS_LIMIT, count_frame, &frames);
	KEXPECT_EQ(frames, 2);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT(!pmap_lookup(&pmap, 0x200000, &got_pa, &prot));
	pmap_destroy(&pmap);
	vm_page_free(pg, 0);
}
