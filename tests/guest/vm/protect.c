/* vm_protect and vm_inherit (vmtest.h). */
#include "vmtest.h"

static bool region_is(vm_address_t address, vm_address_t start, vm_size_t size,
		      vm_prot_t protection, vm_prot_t max_protection)
{
	struct region r;

	if (!CHECK_KR(region_at(mach_task_self(), address, &r), KERN_SUCCESS))
		return false;
	bool ok = r.start == start && r.size == size && r.info.protection == protection &&
		  r.info.max_protection == max_protection;
	if (!ok)
		diag("region at 0x%lx: 0x%lx, 0x%lx bytes, protection %d, max %d; expected 0x%lx, "
		     "0x%lx bytes, %d, %d\n", address, r.start, r.size, r.info.protection,
		     r.info.max_protection, start, size, protection, max_protection);
	return ok;
}

static void current_protection(void)
{
	vm_address_t a = arena_allocate(PAGE);

	if (a == 0)
		return;
	*word(a) = 42;
	tap_kr(vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS,
	       "vm_protect_read_only_succeeds");
	tap_ok(region_is(a, a, PAGE, VM_PROT_READ, VM_PROT_ALL),
	       "vm_protect_sets_the_current_protection_and_keeps_the_maximum");
	tap_ok(write_faults(a, KERN_PROTECTION_FAILURE),
	       "writing_read_only_memory_faults_with_a_protection_failure");
	tap_ok(reads(a, 42), "read_only_memory_reads_what_it_held");
	tap_kr(vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_NONE), KERN_SUCCESS,
	       "vm_protect_none_succeeds");
	tap_ok(read_faults(a, KERN_PROTECTION_FAILURE),
	       "reading_memory_protected_none_faults_with_a_protection_failure");
	tap_kr(vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_DEFAULT), KERN_SUCCESS,
	       "vm_protect_back_to_read_write_succeeds");
	tap_ok(reads(a, 42) && writes(a, 43) && reads(a, 43),
	       "memory_protected_read_write_again_keeps_its_contents_and_takes_writes");
	vm_deallocate(mach_task_self(), a, PAGE);
}

static void partial_protection(void)
{
	vm_address_t a = arena_allocate(3 * PAGE);

	if (a == 0)
		return;
	tap_kr(vm_protect(mach_task_self(), a + PAGE, PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS,
	       "vm_protect_of_the_middle_page_succeeds");
	tap_ok(region_is(a, a, PAGE, VM_PROT_DEFAULT, VM_PROT_ALL) &&
		       region_is(a + PAGE, a + PAGE, PAGE, VM_PROT_READ, VM_PROT_ALL) &&
		       region_is(a + 2 * PAGE, a + 2 * PAGE, PAGE, VM_PROT_DEFAULT, VM_PROT_ALL),
	       "vm_protect_of_the_middle_page_splits_the_region_in_three");
	/* [a + 2 * PAGE - 1, a + 2 * PAGE + 1) rounds out to the last two pages. */
	tap_kr(vm_protect(mach_task_self(), a + 2 * PAGE - 1, 2, FALSE, VM_PROT_NONE),
	       KERN_SUCCESS, "vm_protect_of_an_unaligned_range_succeeds");
	tap_ok(read_faults(a + PAGE, KERN_PROTECTION_FAILURE) &&
		       read_faults(a + 2 * PAGE, KERN_PROTECTION_FAILURE) && reads(a, 0),
	       "vm_protect_rounds_an_unaligned_range_out_to_whole_pages");
	vm_deallocate(mach_task_self(), a, 3 * PAGE);
}

static void maximum_protection(void)
{
	vm_address_t a = arena_allocate(PAGE);

	if (a == 0)
		return;
	tap_kr(vm_protect(mach_task_self(), a, PAGE, TRUE, VM_PROT_READ), KERN_SUCCESS,
	       "vm_protect_of_the_maximum_succeeds");
	tap_ok(region_is(a, a, PAGE, VM_PROT_READ, VM_PROT_READ),
	       "lowering_the_maximum_lowers_the_current_protection_with_it");
	tap_kr(vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_DEFAULT),
	       KERN_PROTECTION_FAILURE, "vm_protect_above_the_maximum_is_a_protection_failure");
	tap_kr(vm_protect(mach_task_self(), a, PAGE, TRUE, VM_PROT_DEFAULT),
	       KERN_PROTECTION_FAILURE, "raising_the_maximum_is_a_protection_failure");
	tap_ok(region_is(a, a, PAGE, VM_PROT_READ, VM_PROT_READ) &&
		       write_faults(a, KERN_PROTECTION_FAILURE),
	       "a_refused_vm_protect_leaves_the_protection_as_it_was");
	vm_deallocate(mach_task_self(), a, PAGE);

	/* A maximum above the current protection leaves the current one. */
	a = arena_allocate(PAGE);
	if (a == 0)
		return;
	vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_READ);
	tap_kr(vm_protect(mach_task_self(), a, PAGE, TRUE, VM_PROT_DEFAULT), KERN_SUCCESS,
	       "vm_protect_of_a_maximum_above_the_current_protection_succeeds");
	tap_ok(region_is(a, a, PAGE, VM_PROT_READ, VM_PROT_DEFAULT),
	       "a_maximum_above_the_current_protection_does_not_raise_it");
	vm_deallocate(mach_task_self(), a, PAGE);
}

static void protect_errors(void)
{
	vm_address_t a = arena_allocate(PAGE);

	if (a == 0)
		return;
	tap_kr(vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_ALL | 0x8),
	       KERN_INVALID_VALUE, "vm_protect_refuses_bits_besides_vm_prot_all");
	tap_kr(vm_protect(mach_task_self(), a, PAGE, TRUE, 0x10), KERN_INVALID_VALUE,
	       "vm_protect_of_the_maximum_refuses_bits_besides_vm_prot_all");
	tap_kr(vm_protect(mach_task_self(), a, 2 * PAGE, FALSE, VM_PROT_READ),
	       KERN_INVALID_ADDRESS, "vm_protect_of_a_range_not_all_mapped_is_an_invalid_address");
	tap_kr(vm_protect(mach_task_self(), a + PAGE, PAGE, FALSE, VM_PROT_READ),
	       KERN_INVALID_ADDRESS, "vm_protect_of_unmapped_memory_is_an_invalid_address");
	tap_kr(vm_protect(mach_task_self(), USER_END - PAGE, 2 * PAGE, FALSE, VM_PROT_READ),
	       KERN_INVALID_ADDRESS,
	       "vm_protect_across_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(vm_protect(mach_task_self(), KERNEL_ADDRESS, PAGE, FALSE, VM_PROT_READ),
	       KERN_INVALID_ADDRESS, "vm_protect_of_a_kernel_address_is_an_invalid_address");
	tap_kr(vm_protect(mach_task_self(), WRAPPING_ADDRESS, 2 * PAGE, FALSE, VM_PROT_READ),
	       KERN_INVALID_ADDRESS, "vm_protect_of_a_range_that_wraps_is_an_invalid_address");
	tap_ok(region_is(a, a, PAGE, VM_PROT_DEFAULT, VM_PROT_ALL),
	       "refused_vm_protects_leave_the_protection_as_it_was");
	vm_deallocate(mach_task_self(), a, PAGE);
}

static bool inheritance_is(vm_address_t address, vm_inherit_t want)
{
	struct region r;

	if (!CHECK_KR(region_at(mach_task_self(), address, &r), KERN_SUCCESS))
		return false;
	if (r.start > address || r.info.inheritance != want)
		diag("region 0x%lx holding 0x%lx: inheritance %d, expected %d\n", r.start, address,
		     r.info.inheritance, want);
	return r.start <= address && r.info.inheritance == want;
}

static void inheritance(void)
{
	vm_address_t a = arena_allocate(3 * PAGE);
	struct region r;

	if (a == 0)
		return;
	static const struct {
		vm_inherit_t value;
		const char *name;
	} each[] = {
		{ VM_INHERIT_SHARE, "vm_inherit_share_is_reported_by_vm_region" },
		{ VM_INHERIT_NONE, "vm_inherit_none_is_reported_by_vm_region" },
		{ VM_INHERIT_COPY, "vm_inherit_copy_is_reported_by_vm_region" },
	};
	for (unsigned i = 0; i < sizeof(each) / sizeof(each[0]); i++)
		tap_ok(vm_inherit(mach_task_self(), a, 3 * PAGE, each[i].value) == KERN_SUCCESS &&
			       inheritance_is(a, each[i].value),
		       each[i].name);
	tap_kr(vm_inherit(mach_task_self(), a + PAGE, PAGE, VM_INHERIT_SHARE), KERN_SUCCESS,
	       "vm_inherit_of_the_middle_page_succeeds");
	tap_ok(region_at(mach_task_self(), a, &r) == KERN_SUCCESS && r.size == PAGE &&
		       inheritance_is(a, VM_INHERIT_COPY) &&
		       inheritance_is(a + PAGE, VM_INHERIT_SHARE) &&
		       inheritance_is(a + 2 * PAGE, VM_INHERIT_COPY),
	       "vm_inherit_of_the_middle_page_splits_the_region_in_three");
	tap_kr(vm_inherit(mach_task_self(), a, PAGE, 3), KERN_INVALID_ARGUMENT,
	       "vm_inherit_refuses_an_unknown_inheritance");
	tap_kr(vm_inherit(mach_task_self(), a, PAGE, -1), KERN_INVALID_ARGUMENT,
	       "vm_inherit_refuses_a_negative_inheritance");
	tap_ok(inheritance_is(a, VM_INHERIT_COPY), "a_refused_vm_inherit_changes_nothing");

	/* Pages 0 and 2 mapped, 1 not: the hole is skipped. */
	vm_deallocate(mach_task_self(), a + PAGE, PAGE);
	tap_kr(vm_inherit(mach_task_self(), a - PAGE, 5 * PAGE, VM_INHERIT_NONE), KERN_SUCCESS,
	       "vm_inherit_of_a_range_with_holes_succeeds");
	tap_ok(inheritance_is(a, VM_INHERIT_NONE) && inheritance_is(a + 2 * PAGE, VM_INHERIT_NONE),
	       "vm_inherit_over_holes_sets_what_is_mapped");
	tap_kr(vm_inherit(mach_task_self(), a + ARENA_SLOT / 2, PAGE, VM_INHERIT_SHARE),
	       KERN_SUCCESS, "vm_inherit_of_an_unmapped_range_succeeds");
	tap_kr(vm_inherit(mach_task_self(), USER_END - PAGE, 2 * PAGE, VM_INHERIT_SHARE),
	       KERN_INVALID_ADDRESS,
	       "vm_inherit_across_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(vm_inherit(mach_task_self(), WRAPPING_ADDRESS, 2 * PAGE, VM_INHERIT_SHARE),
	       KERN_INVALID_ADDRESS, "vm_inherit_of_a_range_that_wraps_is_an_invalid_address");
	vm_deallocate(mach_task_self(), a, 3 * PAGE);
}

void test_protect(void)
{
	current_protection();
	partial_protection();
	maximum_protection();
	protect_errors();
	inheritance();
}
