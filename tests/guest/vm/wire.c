/*
 * vm_wire (host.defs): wiring makes every page resident and keeps it so
 * until unwired; wirings nest; only the privileged host port may (vmtest.h).
 */
#include "vmtest.h"

#define WIRE_PAGES 4

static int wired(vm_address_t a, uint64_t *resident)
{
	struct region r;

	if (!CHECK_KR(region_at(mach_task_self(), a, &r), KERN_SUCCESS))
		return -1;
	if (resident != NULL)
		*resident = r.info.resident_pages;
	return r.info.wired;
}

static void wire_and_unwire(void)
{
	vm_address_t a = arena_allocate(WIRE_PAGES * PAGE);
	const vm_size_t size = WIRE_PAGES * PAGE;
	uint64_t resident = 0;

	if (a == 0)
		return;
	struct vm_statistics before = vm_stats();
	tap_kr(vm_wire(host_priv, mach_task_self(), a, size, VM_PROT_DEFAULT), KERN_SUCCESS,
	       "vm_wire_with_the_privileged_host_port_succeeds");
	struct vm_statistics during = vm_stats();
	tap_ok(wired(a, &resident) == 1 && resident == WIRE_PAGES,
	       "a_wired_range_is_reported_wired_with_every_page_resident");
	tap_ok(during.wire_count >= before.wire_count + WIRE_PAGES,
	       "vm_statistics_counts_the_wired_pages");
	tap_ok(zeroed(a, size) && writes(a + size - PAGE, 6) && reads(a + size - PAGE, 6),
	       "wired_memory_is_zero_filled_and_usable");
	tap_kr(vm_wire(host_priv, mach_task_self(), a, size, VM_PROT_NONE), KERN_SUCCESS,
	       "vm_wire_with_no_access_unwires");
	tap_ok(wired(a, NULL) == 0 && vm_stats().wire_count + WIRE_PAGES <= during.wire_count,
	       "an_unwired_range_is_reported_unwired_and_its_pages_uncounted");
	tap_kr(vm_wire(host_priv, mach_task_self(), a, size, VM_PROT_NONE), KERN_INVALID_ARGUMENT,
	       "unwiring_a_range_that_is_not_wired_is_an_invalid_argument");

	vm_wire(host_priv, mach_task_self(), a, size, VM_PROT_READ);
	vm_wire(host_priv, mach_task_self(), a, size, VM_PROT_READ);
	vm_wire(host_priv, mach_task_self(), a, size, VM_PROT_NONE);
	bool nested = wired(a, NULL) == 1;
	vm_wire(host_priv, mach_task_self(), a, size, VM_PROT_NONE);
	tap_ok(nested && wired(a, NULL) == 0, "wirings_nest_each_wire_needs_its_unwire");

	/* Part of the range: the region splits around it. */
	struct region r;
	tap_ok(vm_wire(host_priv, mach_task_self(), a + PAGE, PAGE, VM_PROT_READ) ==
			       KERN_SUCCESS && wired(a + PAGE, NULL) == 1 && wired(a, NULL) == 0 &&
		       region_at(mach_task_self(), a + PAGE, &r) == KERN_SUCCESS &&
		       r.start == a + PAGE && r.size == PAGE,
	       "wiring_one_page_of_a_region_wires_only_that_page");
	vm_wire(host_priv, mach_task_self(), a + PAGE, PAGE, VM_PROT_NONE);
	vm_deallocate(mach_task_self(), a, size);
}

static void wire_refusals(void)
{
	vm_address_t a = arena_allocate(2 * PAGE);
	mach_port_t host_name = mach_host_self();

	if (a == 0)
		return;
	tap_kr(vm_wire(host_name, mach_task_self(), a, PAGE, VM_PROT_READ), KERN_INVALID_HOST,
	       "vm_wire_with_the_host_name_port_is_refused");
	tap_kr(vm_wire(mach_task_self(), mach_task_self(), a, PAGE, VM_PROT_READ),
	       KERN_INVALID_HOST, "vm_wire_with_a_task_port_as_host_is_refused");
	tap_ok(wired(a, NULL) == 0, "a_refused_vm_wire_wires_nothing");
	tap_kr(vm_wire(host_priv, runner_thread, a, PAGE, VM_PROT_READ), KERN_INVALID_TASK,
	       "vm_wire_of_a_thread_port_is_an_invalid_task");
	tap_kr(vm_wire(host_priv, MACH_PORT_NULL, a, PAGE, VM_PROT_READ), KERN_INVALID_TASK,
	       "vm_wire_of_the_null_port_is_an_invalid_task");
	tap_kr(vm_wire(host_priv, mach_task_self(), a, 3 * PAGE, VM_PROT_READ),
	       KERN_INVALID_ADDRESS, "vm_wire_of_a_range_not_all_mapped_is_an_invalid_address");
	tap_kr(vm_wire(host_priv, mach_task_self(), USER_END - PAGE, 2 * PAGE, VM_PROT_READ),
	       KERN_INVALID_ADDRESS, "vm_wire_across_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(vm_wire(host_priv, mach_task_self(), a, PAGE, VM_PROT_ALL | 0x8),
	       KERN_INVALID_VALUE, "vm_wire_refuses_access_bits_besides_vm_prot_all");
	vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_READ);
	tap_kr(vm_wire(host_priv, mach_task_self(), a, PAGE, VM_PROT_DEFAULT),
	       KERN_PROTECTION_FAILURE, "vm_wire_for_more_access_than_the_protection_is_refused");
	tap_ok(wired(a, NULL) == 0 && wired(a + PAGE, NULL) == 0, "refused_vm_wires_wire_nothing");
	mach_port_deallocate(mach_task_self(), host_name);
	vm_deallocate(mach_task_self(), a, 2 * PAGE);
}

/* A child's memory, wired through the child's port, goes with the child. */
static void wire_a_child(void)
{
	vm_address_t a = arena_allocate(2 * PAGE);
	task_t child;

	if (a == 0)
		return;
	uint64_t wired_before = vm_stats().wire_count;
	if (!child_create(TRUE, &child)) {
		tap_ok(false, "a_child_to_wire_memory_of_is_made");
		vm_deallocate(mach_task_self(), a, 2 * PAGE);
		return;
	}
	struct region r;
	tap_ok(vm_wire(host_priv, child, a, 2 * PAGE, VM_PROT_READ) == KERN_SUCCESS &&
		       region_at(child, a, &r) == KERN_SUCCESS && r.info.wired &&
		       wired(a, NULL) == 0,
	       "vm_wire_of_a_childs_memory_wires_the_child_and_not_the_parent");
	child_end(child);
	uint64_t wired_after = vm_stats().wire_count;
	tap_ok(wired_after <= wired_before, "a_task_that_ends_with_wired_memory_unwires_it");
	if (wired_after > wired_before)
		diag("wired pages %lu -> %lu\n", wired_before, wired_after);
	vm_deallocate(mach_task_self(), a, 2 * PAGE);
}

void test_wire(void)
{
	wire_and_unwire();
	wire_refusals();
	wire_a_child();
}
