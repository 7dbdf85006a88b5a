/* vm_allocate and vm_deallocate: where memory goes, and every error (vmtest.h). */
#include "vmtest.h"

#define FOUR_GIB ((vm_address_t)1 << 32)

static void allocate_anywhere(void)
{
	vm_address_t a = 0, b = 0;
	struct region r;

	tap_kr(vm_allocate(mach_task_self(), &a, 2 * PAGE, TRUE), KERN_SUCCESS,
	       "vm_allocate_anywhere_succeeds");
	tap_ok(a >= FOUR_GIB && a % PAGE == 0 && a + 2 * PAGE <= USER_END,
	       "vm_allocate_anywhere_gives_page_aligned_memory_at_or_above_4_gib");
	if (a != 0)
		diag("anywhere: 0x%lx\n", a);
	tap_ok(region_at(mach_task_self(), a, &r) == KERN_SUCCESS && r.start <= a &&
		       r.start + r.size >= a + 2 * PAGE && r.info.protection == VM_PROT_DEFAULT,
	       "memory_allocated_anywhere_is_mapped_read_write");
	/* The lowest free range: where a was, once a is free again. */
	vm_deallocate(mach_task_self(), a, 2 * PAGE);
	tap_kr(vm_allocate(mach_task_self(), &b, 2 * PAGE, TRUE), KERN_SUCCESS,
	       "vm_allocate_anywhere_succeeds_again");
	tap_eq(b, a, "vm_allocate_anywhere_takes_the_lowest_free_range");
	vm_deallocate(mach_task_self(), b, 2 * PAGE);
	b = 0;
	tap_kr(vm_allocate(mach_task_self(), &b, USER_END, TRUE), KERN_NO_SPACE,
	       "vm_allocate_anywhere_of_the_whole_user_half_is_no_space");
	b = 0;
	tap_kr(vm_allocate(mach_task_self(), &b, (vm_size_t)0 - PAGE / 2, TRUE), KERN_NO_SPACE,
	       "vm_allocate_anywhere_of_a_size_that_wraps_when_rounded_is_no_space");
}

static void allocate_fixed(void)
{
	vm_address_t slot = arena_next(), a = slot + 123;
	struct region r;

	/* [slot + 123, slot + 2 pages): two pages however it is rounded. */
	tap_kr(vm_allocate(mach_task_self(), &a, 2 * PAGE - 123, FALSE), KERN_SUCCESS,
	       "vm_allocate_at_a_free_address_succeeds");
	tap_eq(a, slot, "vm_allocate_at_an_address_rounds_it_down_to_a_page");
	tap_ok(region_at(mach_task_self(), slot, &r) == KERN_SUCCESS && r.start == slot &&
		       r.size == 2 * PAGE,
	       "vm_allocate_at_an_address_maps_exactly_the_pages_asked_for");
	bool wrote = writes(slot + PAGE, 0xfeed);
	vm_address_t over = slot + PAGE;
	tap_kr(vm_allocate(mach_task_self(), &over, 2 * PAGE, FALSE), KERN_NO_SPACE,
	       "vm_allocate_over_mapped_memory_is_no_space");
	over = slot - PAGE;
	tap_kr(vm_allocate(mach_task_self(), &over, 2 * PAGE, FALSE), KERN_NO_SPACE,
	       "vm_allocate_overlapping_the_start_of_mapped_memory_is_no_space");
	tap_ok(wrote && reads(slot + PAGE, 0xfeed) &&
		       region_at(mach_task_self(), slot - PAGE, &r) == KERN_SUCCESS &&
		       r.start == slot && r.size == 2 * PAGE,
	       "a_refused_vm_allocate_leaves_the_memory_as_it_was");
	vm_deallocate(mach_task_self(), slot, 2 * PAGE);

	a = arena_next();
	vm_address_t zero = a;
	tap_kr(vm_allocate(mach_task_self(), &zero, 0, FALSE), KERN_SUCCESS,
	       "vm_allocate_of_size_zero_succeeds");
	tap_ok(zero == 0 && unmapped(mach_task_self(), a, ARENA_SLOT),
	       "vm_allocate_of_size_zero_maps_nothing_and_returns_address_zero");
	zero = 0;
	tap_ok(vm_allocate(mach_task_self(), &zero, 0, TRUE) == KERN_SUCCESS && zero == 0,
	       "vm_allocate_anywhere_of_size_zero_maps_nothing");
}

static void allocate_outside(void)
{
	vm_address_t a = USER_END - PAGE;

	tap_kr(vm_allocate(mach_task_self(), &a, 2 * PAGE, FALSE), KERN_INVALID_ADDRESS,
	       "vm_allocate_across_the_end_of_the_user_half_is_an_invalid_address");
	a = KERNEL_ADDRESS;
	tap_kr(vm_allocate(mach_task_self(), &a, PAGE, FALSE), KERN_INVALID_ADDRESS,
	       "vm_allocate_at_a_kernel_address_is_an_invalid_address");
	a = WRAPPING_ADDRESS;
	tap_kr(vm_allocate(mach_task_self(), &a, 2 * PAGE, FALSE), KERN_INVALID_ADDRESS,
	       "vm_allocate_of_a_range_that_wraps_is_an_invalid_address");
	a = PAGE;
	tap_kr(vm_allocate(mach_task_self(), &a, (vm_size_t)0 - PAGE, FALSE),
	       KERN_INVALID_ADDRESS, "vm_allocate_of_a_size_that_wraps_is_an_invalid_address");
	/* The range [USER_END - PAGE, USER_END) lies in the user half. */
	a = USER_END - PAGE;
	tap_kr(vm_allocate(mach_task_self(), &a, PAGE, FALSE), KERN_SUCCESS,
	       "vm_allocate_of_the_last_page_of_the_user_half_succeeds");
	tap_ok(a == USER_END - PAGE && writes(a, 1) && reads(a, 1),
	       "the_last_page_of_the_user_half_is_usable");
	vm_deallocate(mach_task_self(), USER_END - PAGE, PAGE);
}

static void deallocate(void)
{
	vm_address_t a = arena_allocate(3 * PAGE);
	struct region r;

	if (a == 0)
		return;
	fill(a, 3 * PAGE, 1);
	tap_kr(vm_deallocate(mach_task_self(), a + PAGE, PAGE), KERN_SUCCESS,
	       "vm_deallocate_of_a_mapped_page_succeeds");
	tap_ok(region_at(mach_task_self(), a, &r) == KERN_SUCCESS && r.start == a &&
		       r.size == PAGE && region_at(mach_task_self(), a + PAGE, &r) == KERN_SUCCESS &&
		       r.start == a + 2 * PAGE && r.size == PAGE,
	       "vm_deallocate_of_the_middle_page_splits_the_region_in_two");
	tap_ok(read_faults(a + PAGE, KERN_INVALID_ADDRESS),
	       "reading_deallocated_memory_faults_with_an_invalid_address");
	tap_ok(filled(a, PAGE, 1) && *word(a + 2 * PAGE) == pattern_word(1, 2 * PAGE),
	       "vm_deallocate_keeps_the_contents_of_the_pages_around_it");
	/* [a + PAGE - 1, a + PAGE + 1) rounds out to the first two pages. */
	tap_kr(vm_deallocate(mach_task_self(), a + PAGE - 1, 2), KERN_SUCCESS,
	       "vm_deallocate_of_an_unaligned_range_over_a_hole_succeeds");
	tap_ok(unmapped(mach_task_self(), a, 2 * PAGE) &&
		       region_at(mach_task_self(), a, &r) == KERN_SUCCESS && r.start == a + 2 * PAGE,
	       "vm_deallocate_rounds_an_unaligned_range_out_to_whole_pages");
	tap_kr(vm_deallocate(mach_task_self(), a + 2 * PAGE, 0), KERN_SUCCESS,
	       "vm_deallocate_of_size_zero_succeeds");
	tap_ok(region_at(mach_task_self(), a + 2 * PAGE, &r) == KERN_SUCCESS &&
		       r.start == a + 2 * PAGE && r.size == PAGE,
	       "vm_deallocate_of_size_zero_unmaps_nothing");
	tap_kr(vm_deallocate(mach_task_self(), a - PAGE, ARENA_SLOT / 2), KERN_SUCCESS,
	       "vm_deallocate_of_a_range_with_holes_succeeds");
	tap_ok(unmapped(mach_task_self(), a, ARENA_SLOT),
	       "vm_deallocate_over_holes_unmaps_what_is_there");
	tap_kr(vm_deallocate(mach_task_self(), a, ARENA_SLOT), KERN_SUCCESS,
	       "vm_deallocate_of_an_unmapped_range_succeeds");

	/* Memory mapped again at the same place is new memory. */
	vm_address_t again = a;
	tap_ok(vm_allocate(mach_task_self(), &again, PAGE, FALSE) == KERN_SUCCESS && again == a &&
		       zeroed(a, PAGE),
	       "memory_allocated_again_where_memory_was_freed_is_zero");
	vm_deallocate(mach_task_self(), a, PAGE);
}

static void deallocate_outside(void)
{
	tap_kr(vm_deallocate(mach_task_self(), USER_END - PAGE, 2 * PAGE), KERN_INVALID_ADDRESS,
	       "vm_deallocate_across_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(vm_deallocate(mach_task_self(), KERNEL_ADDRESS, PAGE), KERN_INVALID_ADDRESS,
	       "vm_deallocate_of_a_kernel_address_is_an_invalid_address");
	tap_kr(vm_deallocate(mach_task_self(), WRAPPING_ADDRESS, 2 * PAGE), KERN_INVALID_ADDRESS,
	       "vm_deallocate_of_a_range_that_wraps_is_an_invalid_address");
	tap_kr(vm_deallocate(mach_task_self(), PAGE, (vm_size_t)0 - PAGE), KERN_INVALID_ADDRESS,
	       "vm_deallocate_of_a_size_that_wraps_is_an_invalid_address");
}

void test_allocate(void)
{
	allocate_anywhere();
	allocate_fixed();
	allocate_outside();
	deallocate();
	deallocate_outside();
}
