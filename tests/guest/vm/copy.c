/*
 * Copies of memory: vm_read, vm_write and vm_copy give the same bytes,
 * and neither side sees the other's later writes, whether the kernel
 * copied the bytes (a copy of a few pages) or mapped them copy-on-write
 * (vmtest.h).
 */
#include "vmtest.h"

#define SMALL (2 * PAGE)    /* below the kernel's virtual-copy threshold */
#define LARGE (64 * PAGE)   /* well above it */

struct copy_names {
	const char *same, *independent, *unaligned;
};

static uint8_t pattern_byte(uint64_t seed, vm_size_t offset)
{
	return (uint8_t)(pattern_word(seed, offset & ~(vm_size_t)7) >> ((offset & 7) * 8));
}

/*
 * Writes a word in the first, middle and last pages of a and of b (at
 * different offsets), then checks that each still holds its seed where
 * the other wrote: neither saw the other's write.
 */
static bool writes_stay_apart(vm_address_t a, uint64_t a_seed, vm_address_t b,
			      uint64_t b_seed, vm_size_t size)
{
	const vm_size_t at[] = { 0, size / 2, size - PAGE };
	bool ok = true;

	for (unsigned i = 0; i < 3; i++)
		if (!writable(a + at[i], 16) || !writable(b + at[i], 16))
			return false;
	for (unsigned i = 0; i < 3; i++) {
		*word(a + at[i]) = 0xaaaa;
		*word(b + at[i] + 8) = 0xbbbb;
	}
	for (unsigned i = 0; i < 3; i++) {
		ok &= CHECK(*word(a + at[i] + 8) == pattern_word(a_seed, at[i] + 8));
		ok &= CHECK(*word(b + at[i]) == pattern_word(b_seed, at[i]));
		ok &= CHECK(*word(a + at[i]) == 0xaaaa && *word(b + at[i] + 8) == 0xbbbb);
	}
	return ok;
}

/* ---- vm_read ---- */

static void read_copy(vm_size_t size, const struct copy_names *names)
{
	vm_address_t src = arena_allocate(size);
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	if (src == 0)
		return;
	fill(src, size, 10);
	/* From byte 100 to 50 bytes short of the end. */
	vm_size_t part = size - 150;
	kern_return_t kr = vm_read(mach_task_self(), src + 100, part, &data, &count);
	bool ok = CHECK_KR(kr, KERN_SUCCESS) && CHECK(count == part) && readable(data, part) &&
		  CHECK(memcmp((const void *)data, (const void *)(src + 100), part) == 0);
	tap_ok(ok, names->unaligned);
	if (kr == KERN_SUCCESS)
		vm_deallocate(mach_task_self(), data, count);

	kr = vm_read(mach_task_self(), src, size, &data, &count);
	tap_ok(kr == KERN_SUCCESS && count == size && data != src && filled(data, size, 10),
	       names->same);
	if (kr != KERN_SUCCESS) {
		diag("vm_read: %d\n", kr);
	} else {
		tap_ok(writes_stay_apart(src, 10, data, 10, size), names->independent);
		vm_deallocate(mach_task_self(), data, count);
	}
	vm_deallocate(mach_task_self(), src, size);
}

static void read_small_pieces(void)
{
	vm_address_t src = arena_allocate(2 * PAGE);
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	if (src == 0)
		return;
	fill(src, 2 * PAGE, 12);
	kern_return_t kr = vm_read(mach_task_self(), src + PAGE - 3, 7, &data, &count);
	bool ok = kr == KERN_SUCCESS && count == 7 && readable(data, 7);
	for (unsigned i = 0; ok && i < 7; i++)
		ok &= CHECK(((volatile uint8_t *)data)[i] == pattern_byte(12, PAGE - 3 + i));
	tap_ok(ok, "vm_read_of_seven_bytes_across_a_page_boundary_gives_those_bytes");
	if (kr == KERN_SUCCESS)
		vm_deallocate(mach_task_self(), data, count);
	vm_deallocate(mach_task_self(), src, 2 * PAGE);
}

static void read_errors(void)
{
	vm_address_t a = arena_allocate(2 * PAGE);
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	if (a == 0)
		return;
	tap_kr(vm_read(mach_task_self(), a, 3 * PAGE, &data, &count), KERN_INVALID_ADDRESS,
	       "vm_read_of_a_range_not_all_mapped_is_an_invalid_address");
	tap_kr(vm_read(mach_task_self(), a + ARENA_SLOT / 2, PAGE, &data, &count),
	       KERN_INVALID_ADDRESS, "vm_read_of_unmapped_memory_is_an_invalid_address");
	vm_protect(mach_task_self(), a + PAGE, PAGE, FALSE, VM_PROT_NONE);
	tap_kr(vm_read(mach_task_self(), a, 2 * PAGE, &data, &count), KERN_PROTECTION_FAILURE,
	       "vm_read_of_memory_protected_none_is_a_protection_failure");
	tap_kr(vm_read(mach_task_self(), USER_END - PAGE, 2 * PAGE, &data, &count),
	       KERN_INVALID_ADDRESS, "vm_read_across_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(vm_read(mach_task_self(), KERNEL_ADDRESS, PAGE, &data, &count), KERN_INVALID_ADDRESS,
	       "vm_read_of_a_kernel_address_is_an_invalid_address");
	tap_kr(vm_read(mach_task_self(), WRAPPING_ADDRESS, 2 * PAGE, &data, &count),
	       KERN_INVALID_ADDRESS, "vm_read_of_a_range_that_wraps_is_an_invalid_address");
	vm_deallocate(mach_task_self(), a, 2 * PAGE);
}

/* ---- vm_write ---- */

static void write_copy(vm_size_t size, const struct copy_names *names)
{
	vm_address_t target = arena_allocate(size), data = arena_allocate(size);

	if (target == 0 || data == 0)
		goto out;
	fill(target, size, 20);
	fill(data, size, 21);
	tap_ok(vm_write(mach_task_self(), target, data, size) == KERN_SUCCESS &&
		       filled(target, size, 21),
	       names->same);
	tap_ok(writes_stay_apart(data, 21, target, 21, size), names->independent);
out:
	vm_deallocate(mach_task_self(), target, size);
	vm_deallocate(mach_task_self(), data, size);
}

/* Data that does not start on a page cannot move by entries: the kernel
 * copies its bytes (vm_map_copy_overwrite's slow path). */
static void write_from_unaligned_data(vm_size_t size, const char *name)
{
	vm_address_t target = arena_allocate(size), data = arena_allocate(size + PAGE);

	if (target == 0 || data == 0)
		goto out;
	fill(target, size, 22);
	fill(data + 8, size, 23);
	tap_ok(vm_write(mach_task_self(), target, data + 8, size) == KERN_SUCCESS &&
		       filled(target, size, 23),
	       name);
out:
	vm_deallocate(mach_task_self(), target, size);
	vm_deallocate(mach_task_self(), data, size + PAGE);
}

static void write_errors(void)
{
	vm_address_t target = arena_allocate(2 * PAGE), data = arena_allocate(3 * PAGE);

	if (target == 0 || data == 0)
		goto out;
	fill(target, 2 * PAGE, 22);
	fill(data, 3 * PAGE, 23);
	tap_kr(vm_write(mach_task_self(), target + 8, data, PAGE), KERN_INVALID_ARGUMENT,
	       "vm_write_to_an_unaligned_address_is_an_invalid_argument");
	tap_kr(vm_write(mach_task_self(), target, data, 100), KERN_INVALID_ARGUMENT,
	       "vm_write_of_an_unaligned_count_is_an_invalid_argument");
	tap_kr(vm_write(mach_task_self(), target, data, 3 * PAGE), KERN_INVALID_ADDRESS,
	       "vm_write_over_a_range_not_all_mapped_is_an_invalid_address");
	tap_kr(vm_write(mach_task_self(), target + ARENA_SLOT / 2, data, PAGE),
	       KERN_INVALID_ADDRESS, "vm_write_to_unmapped_memory_is_an_invalid_address");
	tap_kr(vm_write(mach_task_self(), USER_END - PAGE, data, 2 * PAGE), KERN_INVALID_ADDRESS,
	       "vm_write_across_the_end_of_the_user_half_is_an_invalid_address");
	vm_protect(mach_task_self(), target + PAGE, PAGE, FALSE, VM_PROT_READ);
	tap_kr(vm_write(mach_task_self(), target, data, 2 * PAGE), KERN_PROTECTION_FAILURE,
	       "vm_write_over_read_only_memory_is_a_protection_failure");
	tap_ok(filled(target, 2 * PAGE, 22), "refused_vm_writes_leave_the_target_as_it_was");
out:
	vm_deallocate(mach_task_self(), target, 2 * PAGE);
	vm_deallocate(mach_task_self(), data, 3 * PAGE);
}

/* ---- vm_copy ---- */

static void copy_copy(vm_size_t size, const struct copy_names *names)
{
	vm_address_t src = arena_allocate(size), dst = arena_allocate(size);

	if (src == 0 || dst == 0)
		goto out;
	fill(src, size, 30);
	fill(dst, size, 31);
	tap_ok(vm_copy(mach_task_self(), src, size, dst) == KERN_SUCCESS && filled(dst, size, 30),
	       names->same);
	tap_ok(writes_stay_apart(src, 30, dst, 30, size), names->independent);
out:
	vm_deallocate(mach_task_self(), src, size);
	vm_deallocate(mach_task_self(), dst, size);
}

#define OVERLAP_PAGES 8

/* Each page of a filled with its own seed: its number. */
static void fill_pages(vm_address_t a)
{
	for (unsigned p = 0; p < OVERLAP_PAGES; p++)
		fill(a + p * PAGE, PAGE, p);
}

/* True if page p of a holds the fill of seed[p]. */
static bool pages_hold(vm_address_t a, const uint64_t seed[OVERLAP_PAGES])
{
	bool ok = true;

	for (unsigned p = 0; p < OVERLAP_PAGES; p++)
		ok &= filled(a + p * PAGE, PAGE, seed[p]);
	return ok;
}

static void copy_overlapping(void)
{
	vm_address_t a = arena_allocate(OVERLAP_PAGES * PAGE);

	if (a == 0)
		return;
	fill_pages(a);
	static const uint64_t up[OVERLAP_PAGES] = { 0, 1, 0, 1, 2, 3, 4, 5 };
	tap_ok(vm_copy(mach_task_self(), a, 6 * PAGE, a + 2 * PAGE) == KERN_SUCCESS &&
		       pages_hold(a, up),
	       "vm_copy_to_an_overlapping_range_above_copies_the_source_as_it_was");
	fill_pages(a);
	static const uint64_t down[OVERLAP_PAGES] = { 2, 3, 4, 5, 6, 7, 6, 7 };
	tap_ok(vm_copy(mach_task_self(), a + 2 * PAGE, 6 * PAGE, a) == KERN_SUCCESS &&
		       pages_hold(a, down),
	       "vm_copy_to_an_overlapping_range_below_copies_the_source_as_it_was");
	vm_deallocate(mach_task_self(), a, OVERLAP_PAGES * PAGE);
}

static void copy_errors(void)
{
	vm_address_t src = arena_allocate(2 * PAGE), dst = arena_allocate(2 * PAGE);
	task_t self = mach_task_self();

	if (src == 0 || dst == 0)
		goto out;
	fill(dst, 2 * PAGE, 32);
	tap_kr(vm_copy(self, src + 8, PAGE, dst), KERN_INVALID_ARGUMENT,
	       "vm_copy_from_an_unaligned_address_is_an_invalid_argument");
	tap_kr(vm_copy(self, src, PAGE + 8, dst), KERN_INVALID_ARGUMENT,
	       "vm_copy_of_an_unaligned_size_is_an_invalid_argument");
	tap_kr(vm_copy(self, src, PAGE, dst + 8), KERN_INVALID_ARGUMENT,
	       "vm_copy_to_an_unaligned_address_is_an_invalid_argument");
	tap_kr(vm_copy(self, src, 3 * PAGE, dst), KERN_INVALID_ADDRESS,
	       "vm_copy_from_a_range_not_all_mapped_is_an_invalid_address");
	tap_kr(vm_copy(self, src, 2 * PAGE, dst + PAGE), KERN_INVALID_ADDRESS,
	       "vm_copy_to_a_range_not_all_mapped_is_an_invalid_address");
	tap_kr(vm_copy(self, USER_END - PAGE, 2 * PAGE, dst), KERN_INVALID_ADDRESS,
	       "vm_copy_from_across_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(vm_copy(self, src, 2 * PAGE, USER_END - PAGE), KERN_INVALID_ADDRESS,
	       "vm_copy_to_across_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(vm_copy(self, WRAPPING_ADDRESS, 2 * PAGE, dst), KERN_INVALID_ADDRESS,
	       "vm_copy_from_a_range_that_wraps_is_an_invalid_address");
	vm_protect(self, src + PAGE, PAGE, FALSE, VM_PROT_NONE);
	tap_kr(vm_copy(self, src, 2 * PAGE, dst), KERN_PROTECTION_FAILURE,
	       "vm_copy_from_memory_protected_none_is_a_protection_failure");
	vm_protect(self, src + PAGE, PAGE, FALSE, VM_PROT_DEFAULT);
	vm_protect(self, dst + PAGE, PAGE, FALSE, VM_PROT_READ);
	tap_kr(vm_copy(self, src, 2 * PAGE, dst), KERN_PROTECTION_FAILURE,
	       "vm_copy_over_read_only_memory_is_a_protection_failure");
	tap_ok(filled(dst, 2 * PAGE, 32), "refused_vm_copies_leave_the_destination_as_it_was");
out:
	vm_deallocate(self, src, 2 * PAGE);
	vm_deallocate(self, dst, 2 * PAGE);
}

void test_copy(void)
{
	static const struct copy_names read_small = {
		"vm_read_of_two_pages_gives_the_same_bytes_in_new_memory",
		"a_two_page_vm_read_copy_and_its_source_do_not_see_each_others_writes",
		"vm_read_of_an_unaligned_range_within_two_pages_starts_at_the_byte_asked_for",
	};
	static const struct copy_names read_large = {
		"vm_read_of_sixty_four_pages_gives_the_same_bytes_in_new_memory",
		"a_sixty_four_page_vm_read_copy_and_its_source_do_not_see_each_others_writes",
		"vm_read_of_an_unaligned_range_within_sixty_four_pages_starts_at_the_byte_asked_for",
	};
	static const struct copy_names write_small = {
		"vm_write_of_two_pages_replaces_the_target_with_the_data",
		"after_a_two_page_vm_write_data_and_target_do_not_see_each_others_writes",
		NULL,
	};
	static const struct copy_names write_large = {
		"vm_write_of_sixty_four_pages_replaces_the_target_with_the_data",
		"after_a_sixty_four_page_vm_write_data_and_target_do_not_see_each_others_writes",
		NULL,
	};
	static const struct copy_names copy_small = {
		"vm_copy_of_two_pages_replaces_the_destination_with_the_source",
		"after_a_two_page_vm_copy_source_and_destination_do_not_see_each_others_writes",
		NULL,
	};
	static const struct copy_names copy_large = {
		"vm_copy_of_sixty_four_pages_replaces_the_destination_with_the_source",
		"after_a_sixty_four_page_vm_copy_source_and_destination_do_not_see_each_others_writes",
		NULL,
	};

	read_copy(SMALL, &read_small);
	read_copy(LARGE, &read_large);
	read_small_pieces();
	read_errors();
	write_copy(SMALL, &write_small);
	write_copy(LARGE, &write_large);
	write_from_unaligned_data(SMALL, "vm_write_of_two_pages_from_data_off_a_page_boundary_is_byte_exact");
	write_from_unaligned_data(LARGE,
				  "vm_write_of_sixty_four_pages_from_data_off_a_page_boundary_is_byte_exact");
	write_errors();
	copy_copy(SMALL, &copy_small);
	copy_copy(LARGE, &copy_large);
	copy_overlapping();
	copy_errors();
}
