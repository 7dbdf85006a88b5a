/*
 * Lazy memory: a page is made, zero-filled, when it is first touched, and
 * vm_region and vm_statistics show it (vmtest.h).
 */
#include "vmtest.h"

#define LAZY_PAGES 16
#define BIG ((vm_size_t)256 << 20)   /* twice the test machine's memory */

static uint64_t resident(vm_address_t a)
{
	struct region r;

	if (!CHECK_KR(region_at(mach_task_self(), a, &r), KERN_SUCCESS))
		return UINT64_MAX;
	return r.info.resident_pages;
}

static void first_touch(void)
{
	vm_address_t a = arena_allocate(LAZY_PAGES * PAGE);
	struct region r;

	if (a == 0)
		return;
	tap_eq(resident(a), 0, "allocated_memory_has_no_resident_pages_until_touched");
	*word(a) = 1;
	tap_eq(resident(a), 1, "the_first_write_to_a_page_makes_it_resident");
	tap_ok(region_at(mach_task_self(), a, &r) == KERN_SUCCESS && r.info.object_id != 0 &&
		       r.info.shadow_depth == 0 && r.info.offset == 0,
	       "the_first_touch_gives_the_region_an_object_of_its_own");
	*word(a + 5 * PAGE) = 2;
	tap_eq(resident(a), 2, "writing_another_page_makes_one_more_resident");
	*word(a + 8) = 3;
	*word(a + 5 * PAGE + 16) = 4;
	tap_eq(resident(a), 2, "writing_resident_pages_again_makes_no_more_resident");

	/* Eight new pages: counted as zero fills and faults, and taken from the free pages. */
	struct vm_statistics before = vm_stats();
	for (unsigned page = 8; page < LAZY_PAGES; page++)
		*word(a + page * PAGE) = page;
	struct vm_statistics after = vm_stats();
	tap_eq(resident(a), 10, "each_page_written_is_resident_once");
	tap_ok(after.zero_fill_count >= before.zero_fill_count + 8,
	       "vm_statistics_counts_a_zero_fill_for_each_new_page");
	tap_ok(after.faults >= before.faults + 8, "vm_statistics_counts_a_fault_for_each_new_page");
	tap_ok(after.free_count + 8 <= before.free_count,
	       "the_free_page_count_falls_by_the_pages_touched");
	if (after.free_count + 8 > before.free_count || after.zero_fill_count <
							       before.zero_fill_count + 8)
		diag("free %lu -> %lu, zero fills %lu -> %lu, faults %lu -> %lu\n",
		     before.free_count, after.free_count, before.zero_fill_count,
		     after.zero_fill_count, before.faults, after.faults);

	bool rest_zero = *word(a) == 1 && *word(a + 8) == 3 && zeroed(a + 16, PAGE - 16) &&
			 zeroed(a + PAGE, 4 * PAGE) && zeroed(a + 6 * PAGE, 2 * PAGE);
	for (unsigned page = 8; page < LAZY_PAGES; page++)
		rest_zero &= *word(a + page * PAGE) == page &&
			     zeroed(a + page * PAGE + 8, PAGE - 8);
	tap_ok(rest_zero, "memory_is_zero_filled_on_first_touch");

	before = vm_stats();
	vm_deallocate(mach_task_self(), a, LAZY_PAGES * PAGE);
	after = vm_stats();
	tap_ok(after.free_count >= before.free_count + 10,
	       "deallocating_touched_memory_frees_its_pages");
}

static void big_allocation(void)
{
	vm_address_t a = 0;
	uint64_t free_before = vm_stats().free_count;

	tap_kr(vm_allocate(mach_task_self(), &a, BIG, TRUE), KERN_SUCCESS,
	       "vm_allocate_of_more_memory_than_the_machine_has_succeeds");
	if (a == 0)
		return;
	uint64_t free_after = vm_stats().free_count;
	tap_ok(free_after + 4 >= free_before, "allocating_memory_takes_no_pages_until_it_is_touched");
	if (free_after + 4 < free_before)
		diag("free pages %lu -> %lu\n", free_before, free_after);
	tap_ok(writes(a + BIG - PAGE, 5) && reads(a + BIG - PAGE, 5) && reads(a + BIG / 2, 0) &&
		       resident(a) <= 2,
	       "touching_a_page_of_a_big_allocation_makes_only_that_page");
	vm_deallocate(mach_task_self(), a, BIG);
}

void test_lazy(void)
{
	first_touch();
	big_allocation();
}
