/*
 * Copy-on-write chains: a region copied a thousand times, and written
 * after each copy, must not grow a chain of a thousand shadow objects
 * behind it: when a copy goes away, the objects it alone needed go too
 * (vmtest.h).  Each round also checks that the copy held what the source
 * held when it was made.
 */
#include "vmtest.h"

#define ROUNDS 1000
#define COW_SIZE ((vm_size_t)64 * 1024)
#define SHADOW_DEPTH_MAX 2
#define PAGES_SLACK 16      /* page tables, and pages behind the runner's own chains */

/* Writes round into the first word of every page of src. */
static void write_pages(vm_address_t src, uint64_t round)
{
	for (vm_size_t at = 0; at < COW_SIZE; at += PAGE)
		*word(src + at) = round;
}

static int shadow_depth(task_t task, vm_address_t address)
{
	struct region r;

	if (!CHECK_KR(region_at(task, address, &r), KERN_SUCCESS))
		return -1;
	return r.info.shadow_depth;
}

/* The deepest shadow chain of any of the runner's regions. */
static int deepest_chain(void)
{
	static struct region all[64];
	int n = regions_of(mach_task_self(), all, 64), deepest = 0;

	for (int i = 0; i < n; i++)
		if (all[i].info.shadow_depth > deepest)
			deepest = all[i].info.shadow_depth;
	return n < 0 ? -1 : deepest;
}

/* One vm_copy round: copy, check the copy, write the source, drop the copy. */
static bool copy_round(vm_address_t src, uint64_t round)
{
	vm_address_t scratch = 0;

	if (!CHECK_KR(vm_allocate(mach_task_self(), &scratch, COW_SIZE, TRUE), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(vm_copy(mach_task_self(), src, COW_SIZE, scratch), KERN_SUCCESS) &&
		  reads(scratch, round) && reads(scratch + COW_SIZE - PAGE, round);
	write_pages(src, round + 1);
	ok &= reads(scratch + PAGE, round);
	ok &= CHECK_KR(vm_deallocate(mach_task_self(), scratch, COW_SIZE), KERN_SUCCESS);
	return ok;
}

static void vm_copies(void)
{
	vm_address_t src = arena_allocate(COW_SIZE);
	int failed_round = -1;

	if (src == 0)
		return;
	write_pages(src, 0);
	copy_round(src, 0);   /* first use of everything, before the baseline */
	uint64_t objects = foreign_objects();
	for (uint64_t round = 1; round <= ROUNDS && failed_round < 0; round++)
		if (!copy_round(src, round))
			failed_round = (int)round;
	tap_ok(failed_round < 0, "each_of_a_thousand_vm_copies_holds_what_the_source_held");
	if (failed_round >= 0)
		diag("round %d of %d failed\n", failed_round, ROUNDS);
	int depth = shadow_depth(mach_task_self(), src);
	tap_ok(depth >= 0 && depth <= SHADOW_DEPTH_MAX,
	       "after_a_thousand_vm_copies_the_sources_shadow_chain_stays_short");
	if (depth > SHADOW_DEPTH_MAX)
		diag("shadow depth %d\n", depth);
	tap_ok(foreign_objects_return_to(objects),
	       "after_a_thousand_vm_copies_the_vm_object_count_returns_to_its_baseline");
	vm_deallocate(mach_task_self(), src, COW_SIZE);
}

/*
 * One task_create round: the child inherits src by copy, the parent
 * writes src, and every fiftieth round the child's copy is read back.
 */
static bool fork_round(vm_address_t src, uint64_t round)
{
	task_t child;

	if (!child_create(TRUE, &child))
		return false;
	write_pages(src, round + 1);
	bool ok = true;
	if (round % 50 == 0) {
		vm_offset_t data = 0;
		mach_msg_type_number_t count = 0;
		ok &= CHECK_KR(vm_read(child, src, PAGE, &data, &count), KERN_SUCCESS) &&
		      reads(data, round);
		if (data != 0)
			vm_deallocate(mach_task_self(), data, count);
	}
	ok &= child_end(child);
	return ok;
}

static void task_creations(void)
{
	vm_address_t src = arena_allocate(COW_SIZE);
	int failed_round = -1;

	if (src == 0)
		return;
	write_pages(src, 0);
	fork_round(src, 0);
	uint64_t objects = foreign_objects(), pages = free_and_own_pages();
	uint64_t tasks = memory_info().tasks;
	for (uint64_t round = 1; round <= ROUNDS && failed_round < 0; round++)
		if (!fork_round(src, round))
			failed_round = (int)round;
	tap_ok(failed_round < 0,
	       "a_thousand_children_each_keep_their_copy_while_the_parent_writes");
	if (failed_round >= 0)
		diag("round %d of %d failed\n", failed_round, ROUNDS);
	int depth = shadow_depth(mach_task_self(), src), deepest = deepest_chain();
	tap_ok(depth >= 0 && depth <= SHADOW_DEPTH_MAX && deepest >= 0 &&
		       deepest <= SHADOW_DEPTH_MAX,
	       "after_a_thousand_inheriting_children_no_shadow_chain_of_the_parent_is_long");
	if (depth > SHADOW_DEPTH_MAX || deepest > SHADOW_DEPTH_MAX)
		diag("shadow depth of the source %d, deepest %d\n", depth, deepest);
	tap_ok(foreign_objects_return_to(objects),
	       "after_a_thousand_inheriting_children_the_vm_object_count_returns_to_its_baseline");
	uint64_t pages_after = free_and_own_pages();
	tap_ok(memory_info().tasks == tasks && pages_after + PAGES_SLACK >= pages,
	       "a_thousand_inheriting_children_leave_no_task_or_pages_behind");
	if (pages_after + PAGES_SLACK < pages)
		diag("free and own pages %lu -> %lu\n", pages, pages_after);
	vm_deallocate(mach_task_self(), src, COW_SIZE);
}

void test_cow(void)
{
	vm_copies();
	task_creations();
}
