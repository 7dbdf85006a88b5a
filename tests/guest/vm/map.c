/*
 * vm_map with no memory object (new zero-filled memory) and with the
 * ports it must refuse (vmtest.h).  Memory objects that pagers serve are
 * not tested here: vmtest has no pager.
 */
#include "vmtest.h"

/* vm_map of MACH_PORT_NULL with these arguments; the others are plain. */
static kern_return_t map_zero(vm_address_t *address, vm_size_t size, vm_address_t mask,
			      boolean_t anywhere, vm_prot_t cur, vm_prot_t max,
			      vm_inherit_t inheritance)
{
	return vm_map(mach_task_self(), address, size, mask, anywhere, MACH_PORT_NULL, 0, FALSE,
		      cur, max, inheritance);
}

static void zero_memory(void)
{
	for (int copy = 0; copy <= 1; copy++) {
		vm_address_t a = 0;
		struct region r;
		kern_return_t kr = vm_map(mach_task_self(), &a, 4 * PAGE, 0, TRUE, MACH_PORT_NULL, 0,
					  copy, VM_PROT_DEFAULT, VM_PROT_DEFAULT,
					  VM_INHERIT_SHARE);
		tap_kr(kr, KERN_SUCCESS, copy ? "vm_map_of_no_object_with_copy_succeeds"
					      : "vm_map_of_no_object_succeeds");
		if (kr != KERN_SUCCESS)
			continue;
		tap_ok(region_at(mach_task_self(), a, &r) == KERN_SUCCESS && r.start == a &&
			       r.size == 4 * PAGE && r.info.protection == VM_PROT_DEFAULT &&
			       r.info.max_protection == VM_PROT_DEFAULT &&
			       r.info.inheritance == VM_INHERIT_SHARE,
		       copy ? "vm_map_with_copy_maps_with_the_protections_and_inheritance_asked_for"
			    : "vm_map_maps_with_the_protections_and_inheritance_asked_for");
		tap_ok(zeroed(a, 4 * PAGE) && writes(a + 3 * PAGE, 9) && reads(a + 3 * PAGE, 9),
		       copy ? "vm_map_of_no_object_with_copy_gives_zero_filled_writable_memory"
			    : "vm_map_of_no_object_gives_zero_filled_writable_memory");
		vm_deallocate(mach_task_self(), a, 4 * PAGE);
	}
}

static void placement(void)
{
	vm_address_t a = 0, slot;
	const vm_address_t mask = (2u << 20) - 1;   /* 2 MiB alignment */

	tap_ok(map_zero(&a, PAGE, mask, TRUE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY) ==
			       KERN_SUCCESS && a != 0 && (a & mask) == 0,
	       "vm_map_anywhere_with_a_mask_gives_an_address_aligned_to_it");
	vm_deallocate(mach_task_self(), a, PAGE);
	slot = arena_next();
	a = slot + 5;   /* [slot + 5, slot + 2 pages): two pages however it is rounded */
	tap_ok(map_zero(&a, 2 * PAGE - 5, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL,
			VM_INHERIT_COPY) == KERN_SUCCESS && a == slot,
	       "vm_map_at_an_address_rounds_it_down_to_a_page");
	a = slot + PAGE;
	tap_kr(map_zero(&a, 2 * PAGE, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
	       KERN_NO_SPACE, "vm_map_over_mapped_memory_is_no_space");
	vm_deallocate(mach_task_self(), slot, 2 * PAGE);

	a = slot;
	kern_return_t kr = map_zero(&a, PAGE, 0, FALSE, VM_PROT_READ, VM_PROT_DEFAULT,
				    VM_INHERIT_COPY);
	tap_ok(kr == KERN_SUCCESS && a == slot && write_faults(slot, KERN_PROTECTION_FAILURE) &&
		       reads(slot, 0),
	       "vm_map_read_only_gives_memory_that_faults_on_writes");
	tap_ok(vm_protect(mach_task_self(), slot, PAGE, FALSE, VM_PROT_DEFAULT) == KERN_SUCCESS &&
		       writes(slot, 3),
	       "vm_map_memory_can_be_raised_up_to_its_maximum");
	tap_kr(vm_protect(mach_task_self(), slot, PAGE, FALSE, VM_PROT_ALL),
	       KERN_PROTECTION_FAILURE, "vm_map_memory_cannot_be_raised_above_its_maximum");
	vm_deallocate(mach_task_self(), slot, PAGE);
}

/* vm_map at slot of obj with these arguments. */
static kern_return_t map_at(vm_address_t slot, mach_port_t obj, vm_offset_t offset,
			    vm_size_t size, vm_prot_t cur, vm_prot_t max, vm_inherit_t inheritance)
{
	vm_address_t a = slot;

	return vm_map(mach_task_self(), &a, size, 0, FALSE, obj, offset, FALSE, cur, max,
		      inheritance);
}

static void refusals(void)
{
	vm_address_t s = arena_next(), a;
	mach_port_t dead = dead_name();
	uint64_t entries = vm_stats().map_entries;
	const vm_prot_t rw = VM_PROT_DEFAULT, all = VM_PROT_ALL;
	const vm_inherit_t copy = VM_INHERIT_COPY;

	tap_kr(map_at(s, MACH_PORT_NULL, 0, 0, rw, all, copy), KERN_INVALID_ARGUMENT,
	       "vm_map_of_size_zero_is_an_invalid_argument");
	tap_kr(map_at(s, MACH_PORT_NULL, 100, PAGE, rw, all, copy), KERN_INVALID_ARGUMENT,
	       "vm_map_of_an_unaligned_offset_is_an_invalid_argument");
	tap_kr(map_at(s, MACH_PORT_NULL, WRAPPING_ADDRESS, 2 * PAGE, rw, all, copy),
	       KERN_INVALID_ARGUMENT, "vm_map_of_an_offset_and_size_that_wrap_is_an_invalid_argument");
	tap_kr(map_at(s, mach_task_self(), 0, PAGE, rw, all, copy), KERN_INVALID_ARGUMENT,
	       "vm_map_of_a_task_port_is_an_invalid_argument");
	tap_kr(map_at(s, runner_thread, 0, PAGE, rw, all, copy), KERN_INVALID_ARGUMENT,
	       "vm_map_of_a_thread_port_is_an_invalid_argument");
	tap_kr(map_at(s, mach_host_self_, 0, PAGE, rw, all, copy), KERN_INVALID_ARGUMENT,
	       "vm_map_of_the_host_port_is_an_invalid_argument");
	tap_kr(map_at(s, dead, 0, PAGE, rw, all, copy), KERN_INVALID_NAME,
	       "vm_map_of_a_dead_name_is_an_invalid_name");
	tap_kr(map_at(s, MACH_PORT_DEAD, 0, PAGE, rw, all, copy), KERN_INVALID_NAME,
	       "vm_map_of_mach_port_dead_is_an_invalid_name");
	tap_kr(map_at(s, MACH_PORT_NULL, 0, PAGE, all | 0x8, all, copy), KERN_INVALID_VALUE,
	       "vm_map_refuses_a_current_protection_besides_vm_prot_all");
	tap_kr(map_at(s, MACH_PORT_NULL, 0, PAGE, VM_PROT_READ, all | 0x10, copy),
	       KERN_INVALID_VALUE, "vm_map_refuses_a_maximum_protection_besides_vm_prot_all");
	tap_kr(map_at(s, MACH_PORT_NULL, 0, PAGE, rw, VM_PROT_READ, copy), KERN_INVALID_VALUE,
	       "vm_map_refuses_a_current_protection_above_the_maximum");
	tap_kr(map_at(s, MACH_PORT_NULL, 0, PAGE, rw, all, 3), KERN_INVALID_VALUE,
	       "vm_map_refuses_an_unknown_inheritance");
	a = USER_END - PAGE;
	tap_kr(map_zero(&a, 2 * PAGE, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
	       KERN_INVALID_ADDRESS, "vm_map_across_the_end_of_the_user_half_is_an_invalid_address");
	a = KERNEL_ADDRESS;
	tap_kr(map_zero(&a, PAGE, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
	       KERN_INVALID_ADDRESS, "vm_map_at_a_kernel_address_is_an_invalid_address");
	a = 0;
	tap_kr(map_zero(&a, USER_END, 0, TRUE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
	       KERN_NO_SPACE, "vm_map_anywhere_of_the_whole_user_half_is_no_space");
	tap_ok(unmapped(mach_task_self(), s, ARENA_SLOT) && vm_stats().map_entries == entries,
	       "refused_vm_maps_map_nothing");
	mach_port_deallocate(mach_task_self(), dead);
}

void test_map(void)
{
	zero_memory();
	placement();
	refusals();
}
