/*
 * vm_region and vm_statistics, and what every vm call says to a port
 * that is not a live task's (vmtest.h).
 */
#include "vmtest.h"

static struct region walked[64];
static volatile uint64_t data_word = 1;   /* in the program's data */

static bool regions_are_ordered_and_page_aligned(const struct region *r, int n)
{
	bool ok = CHECK(n >= 3);   /* at least text, data and stack */
	for (int i = 0; i < n && ok; i++) {
		ok &= CHECK(r[i].start % PAGE == 0 && r[i].size % PAGE == 0 && r[i].size > 0);
		ok &= CHECK(r[i].start + r[i].size <= USER_END);
		if (i > 0)
			ok &= CHECK(r[i].start >= r[i - 1].start + r[i - 1].size);
		if (!ok)
			diag("region %d: 0x%lx, 0x%lx bytes\n", i, r[i].start, r[i].size);
	}
	return ok;
}

/* The walked region that holds address, or NULL. */
static const struct region *holding(const struct region *r, int n, vm_address_t address)
{
	for (int i = 0; i < n; i++)
		if (address >= r[i].start && address - r[i].start < r[i].size)
			return &r[i];
	return NULL;
}

static void walk(void)
{
	volatile uint64_t stack_word = 2;
	int n = regions_of(mach_task_self(), walked, 64);

	tap_ok(n > 0 && regions_are_ordered_and_page_aligned(walked, n),
	       "vm_region_walks_ordered_page_aligned_regions_up_to_no_space");
	const struct region *text = n > 0 ? holding(walked, n, (vm_address_t)walk) : NULL;
	const struct region *data = n > 0 ? holding(walked, n, (vm_address_t)&data_word) : NULL;
	const struct region *stack = n > 0 ? holding(walked, n, (vm_address_t)&stack_word) : NULL;
	tap_ok(text != NULL && text->info.protection == (VM_PROT_READ | VM_PROT_EXECUTE),
	       "vm_region_reports_the_program_text_read_and_execute");
	tap_ok(data != NULL && data->info.protection == VM_PROT_DEFAULT && stack != NULL &&
		       stack->info.protection == VM_PROT_DEFAULT,
	       "vm_region_reports_the_data_and_the_stack_read_write");
	tap_ok(data != NULL && data->info.inheritance == VM_INHERIT_COPY,
	       "program_memory_is_inherited_by_copy");
	if (n > 0) {
		vm_address_t end = walked[n - 1].start + walked[n - 1].size;
		struct region r;
		if (end < USER_END)
			tap_kr(region_at(mach_task_self(), end, &r), KERN_NO_SPACE,
			       "vm_region_above_the_last_region_is_no_space");
	}
}

static void one_region(void)
{
	vm_address_t a = arena_allocate(3 * PAGE);
	struct region r;

	if (a == 0)
		return;
	tap_kr(region_at(mach_task_self(), a + PAGE + 5, &r), KERN_SUCCESS,
	       "vm_region_inside_a_region_succeeds");
	tap_ok(r.start == a && r.size == 3 * PAGE, "vm_region_gives_the_start_and_size_of_the_region");
	tap_ok(r.info.protection == VM_PROT_DEFAULT && r.info.max_protection == VM_PROT_ALL &&
		       r.info.inheritance == VM_INHERIT_COPY,
	       "allocated_memory_is_read_write_at_most_all_and_inherited_by_copy");
	tap_ok(r.info.shared == 0 && r.info.wired == 0 && r.info.shadow_depth == 0 &&
		       r.info.resident_pages == 0 && r.info.object_id == 0 && r.info.external == 0,
	       "untouched_allocated_memory_has_no_object_pages_or_sharing");
	tap_kr(region_at(mach_task_self(), a - ARENA_SLOT / 2, &r), KERN_SUCCESS,
	       "vm_region_in_a_hole_succeeds");
	tap_ok(r.start == a && r.size == 3 * PAGE, "vm_region_in_a_hole_gives_the_next_region_above");
	tap_kr(region_at(mach_task_self(), USER_END, &r), KERN_INVALID_ADDRESS,
	       "vm_region_at_the_end_of_the_user_half_is_an_invalid_address");
	tap_kr(region_at(mach_task_self(), KERNEL_ADDRESS, &r), KERN_INVALID_ADDRESS,
	       "vm_region_of_a_kernel_address_is_an_invalid_address");
	vm_deallocate(mach_task_self(), a, 3 * PAGE);
}

static void statistics(void)
{
	struct vm_statistics s = { 0 };
	struct host_memory_info m = memory_info();

	tap_kr(vm_statistics(mach_task_self(), &s), KERN_SUCCESS, "vm_statistics_succeeds");
	tap_ok(s.page_size == PAGE && s.free_count > 0 && s.free_count <= m.total_pages &&
		       s.free_count + s.active_count + s.inactive_count <= m.total_pages &&
		       s.wire_count <= m.total_pages,
	       "vm_statistics_counts_pages_within_the_machines");
	tap_ok(s.objects > 0 && s.map_entries >= 3, "vm_statistics_counts_live_objects_and_entries");
	/* Taken back to back: only the kernel's own work between them. */
	uint64_t host_free = memory_info().free_pages, vm_free = vm_stats().free_count;
	tap_ok(host_free + 16 >= vm_free && vm_free + 16 >= host_free,
	       "vm_statistics_and_host_info_agree_on_free_pages");
	if (host_free + 16 < vm_free || vm_free + 16 < host_free)
		diag("host_info: %lu free, vm_statistics: %lu\n", host_free, vm_free);
}

/* Every vm call with target as its task; true if each returned want. */
static bool every_vm_call_returns(task_t target, kern_return_t want, vm_address_t a)
{
	struct region r;
	struct vm_statistics s;
	vm_address_t address = a, data = 0;
	mach_msg_type_number_t count = 0;
	bool ok = true;

	ok &= CHECK_KR(region_at(target, a, &r), want);
	address = a + PAGE;
	ok &= CHECK_KR(vm_allocate(target, &address, PAGE, FALSE), want);
	ok &= CHECK_KR(vm_deallocate(target, a, PAGE), want);
	ok &= CHECK_KR(vm_protect(target, a, PAGE, FALSE, VM_PROT_READ), want);
	ok &= CHECK_KR(vm_inherit(target, a, PAGE, VM_INHERIT_SHARE), want);
	ok &= CHECK_KR(vm_read(target, a, PAGE, &data, &count), want);
	ok &= CHECK_KR(vm_write(target, a, a, PAGE), want);
	ok &= CHECK_KR(vm_copy(target, a, PAGE, a), want);
	address = 0;
	ok &= CHECK_KR(vm_map(target, &address, PAGE, 0, TRUE, MACH_PORT_NULL, 0, FALSE,
			      VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY), want);
	ok &= CHECK_KR(vm_statistics(target, &s), want);
	if (!ok)
		diag("... with the task port 0x%x\n", target);
	return ok;
}

static void bad_task_ports(void)
{
	vm_address_t a = arena_allocate(PAGE);
	task_t dead = MACH_PORT_NULL;

	if (a == 0)
		return;
	*word(a) = 7;
	tap_ok(every_vm_call_returns(runner_thread, KERN_INVALID_TASK, a),
	       "every_vm_call_on_a_thread_port_is_an_invalid_task");
	tap_ok(every_vm_call_returns(mach_host_self_, KERN_INVALID_TASK, a),
	       "every_vm_call_on_the_host_port_is_an_invalid_task");
	tap_ok(every_vm_call_returns(MACH_PORT_NULL, MACH_SEND_INVALID_DEST, a),
	       "every_vm_call_on_the_null_port_is_an_invalid_destination");
	if (child_create(FALSE, &dead))
		task_terminate(dead);
	tap_ok(dead != MACH_PORT_NULL &&
		       every_vm_call_returns(dead, MACH_SEND_INVALID_DEST, a),
	       "every_vm_call_on_an_ended_tasks_name_is_an_invalid_destination");
	mach_port_deallocate(mach_task_self(), dead);
	struct region r;
	tap_ok(region_at(mach_task_self(), a, &r) == KERN_SUCCESS && r.start == a &&
		       r.size == PAGE && r.info.protection == VM_PROT_DEFAULT &&
		       r.info.inheritance == VM_INHERIT_COPY && *word(a) == 7,
	       "refused_vm_calls_leave_the_callers_memory_as_it_was");
	vm_deallocate(mach_task_self(), a, PAGE);
}

void test_region(void)
{
	walk();
	one_region();
	statistics();
	bad_task_ports();
}
