/*
 * pageouttest: page-out under memory pressure, on a small machine
 * (tests/boot/pageout.sh boots it with -m 48).  By its phase= argument:
 *
 *   external  (default) a mempager object larger than a third of the
 *             machine is mapped and written; then anonymous memory is
 *             touched until the page-out daemon must give much of the
 *             object back to mempager.  Every word written must read
 *             back, through the kernel's pages or mempager's store, and
 *             mempager's store must hold all of it once the mapping goes.
 *
 * Anonymous memory has no pager here, so it can only take memory: the
 * object's pages are what page-out can reclaim.  It prints TAP
 * (tests/guest/vm/tap.c) and halts the machine.
 */
#include "../vm/vmtest.h"

#include <mempager.h>

#include "pattern.h"

#define OBJECT_SIZE ((vm_size_t)16 << 20)
#define OBJECT_PAGES (OBJECT_SIZE / PAGE)
#define SEED 0x7061676f7574ull   /* "pageout" */

static mach_port_t mempager;

/* Writes the pattern of seed over every word of [address, + size). */
static void write_words(vm_address_t address, vm_size_t size, uint64_t seed)
{
	for (vm_size_t off = 0; off < size; off += 8)
		*word(address + off) = mempager_pattern(seed, off);
}

/* True if every word of [address, + size) is the pattern of seed. */
static bool words_are(vm_address_t address, vm_size_t size, uint64_t seed)
{
	for (vm_size_t off = 0; off < size; off += 8) {
		if (*word(address + off) != mempager_pattern(seed, off)) {
			diag("word at %lx is %lx, expected %lx\n", off, *word(address + off),
			     mempager_pattern(seed, off));
			return false;
		}
	}
	return true;
}

/* Touches one word of each page of a new region holding `pages` pages,
 * returned in *hog (0 if vm_allocate failed). */
static void touch_pages(vm_address_t *hog, uint64_t pages)
{
	*hog = 0;
	if (vm_allocate(mach_task_self(), hog, pages * PAGE, TRUE) != KERN_SUCCESS) {
		*hog = 0;
		return;
	}
	for (uint64_t i = 0; i < pages; i++)
		*word(*hog + i * PAGE) = i;
}

static void external(void)
{
	mach_port_t object = MACH_PORT_NULL;
	vm_address_t a = 0, hog = 0;

	tap_ok(vm_stats().free_count * PAGE < (vm_size_t)48 << 20, "the_machine_is_small");
	bool ok = CHECK_KR(mempager_create(mempager, OBJECT_SIZE, &object), KERN_SUCCESS) &&
		  CHECK_KR(vm_map(mach_task_self(), &a, OBJECT_SIZE, 0, TRUE, object, 0, FALSE,
				  VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
			   KERN_SUCCESS);
	if (ok)
		write_words(a, OBJECT_SIZE, SEED);
	tap_ok(ok, "a_mempager_object_is_mapped_and_written");

	struct vm_statistics before = vm_stats();
	/* Everything free and half the object: the rest must come from it. */
	uint64_t hog_pages = before.free_count + OBJECT_PAGES / 2;
	touch_pages(&hog, hog_pages);
	struct vm_statistics after = vm_stats();
	tap_ok(hog != 0, "anonymous_memory_past_what_is_free_is_touched");
	diag("pressure: %lu pages free before, %lu touched; %lu paged out, %lu reclaimed, "
	     "%lu memory waits\n",
	     before.free_count, hog_pages, after.pageouts - before.pageouts,
	     after.reclaimed - before.reclaimed, after.memory_waits - before.memory_waits);
	tap_ok(after.pageouts - before.pageouts >= OBJECT_PAGES / 4 &&
		       after.reclaimed - before.reclaimed >= OBJECT_PAGES / 4,
	       "dirty_pages_of_the_object_went_back_to_its_pager");
	tap_eq(after.memory_timeouts - before.memory_timeouts, 0, "no_fault_gave_up_waiting");
	if (hog != 0)
		vm_deallocate(mach_task_self(), hog, hog_pages * PAGE);

	struct vm_statistics reread = vm_stats();
	tap_ok(ok && words_are(a, OBJECT_SIZE, SEED), "every_word_written_reads_back");
	tap_ok(vm_stats().pageins - reread.pageins >= OBJECT_PAGES / 4,
	       "the_pages_given_back_came_in_again_from_the_pager");
	tap_eq(vm_stats().laundry_count, 0, "no_page_waits_for_its_pager");

	/* The kernel's last dirty pages go to the store. */
	uint64_t sum = 0, want = MEMPAGER_CHECKSUM_START;
	for (vm_size_t off = 0; off < OBJECT_SIZE; off += 8) {
		uint64_t w = mempager_pattern(SEED, off);
		want = mempager_sum(want, &w, 1);
	}
	tap_ok(ok &&
		       CHECK_KR(mempager_sync(mempager, object, 0, OBJECT_SIZE,
					      MEMORY_OBJECT_RETURN_DIRTY, FALSE),
				KERN_SUCCESS) &&
		       CHECK_KR(mempager_checksum(mempager, object, 0, OBJECT_SIZE, &sum),
				KERN_SUCCESS) &&
		       CHECK(sum == want),
	       "the_store_holds_every_word_after_a_clean");
	uint64_t inits, terminates, requests, supplied, returns, written, locks, refused;
	tap_ok(ok &&
		       CHECK_KR(mempager_stats(mempager, object, &inits, &terminates, &requests,
					       &supplied, &returns, &written, &locks, &refused),
				KERN_SUCCESS) &&
		       CHECK(written >= after.pageouts - before.pageouts) && CHECK(refused == 0),
	       "the_pager_counted_every_page_it_stored");
	vm_deallocate(mach_task_self(), a, OBJECT_SIZE);
	mach_port_deallocate(mach_task_self(), object);
}

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	runner_thread = mach_thread_self();
	mempager = service_look_up("mempager", 5000);
	tap_ok(mempager != MACH_PORT_NULL, "mempager_is_found");
	if (mempager != MACH_PORT_NULL)
		external();
	tap_finish("pageouttest");
	return 0;
}
