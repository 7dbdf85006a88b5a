/*
 * pageouttest: page-out under memory pressure, on a small machine
 * (tests/boot/pageout.sh boots it with -m 48).  By its phase= argument:
 *
 *   external  (default) a mempager object larger than a third of the
 *             machine is mapped and written; then anonymous memory is
 *             touched until the page-out daemon must give much of the
 *             object back to mempager.  Anonymous memory has no pager in
 *             this boot, so the object's pages are what page-out can
 *             reclaim.  Every word written must read back, through the
 *             kernel's pages or mempager's store, and mempager's store
 *             must hold all of it after a clean.
 *   anonymous with the default pager and a swap disk: anonymous memory
 *             three times the machine is written, then checked and
 *             rewritten in a different order on each of several passes;
 *             a copy inherited by a child task keeps its contents while
 *             the parent rewrites the original under pressure; the
 *             default pager's counters match the kernel's, and its swap
 *             is freed when the memory goes.
 *   pair      two tasks run the workload at once, each half as large.
 *   full      a small swap disk fills up: the fault that finds no
 *             memory fails with KERN_MEMORY_ERROR, not a hang.
 *   readerror the swap disk fails every read: a page that went out
 *             cannot come back, and the thread that needs it takes a
 *             memory error.
 *   orphan    an object of a pager task (a second copy of pageouttest,
 *             role=pager, on libpager) is written, and its pager killed:
 *             the pages the kernel holds go to the default pager under
 *             pressure and read back; one it never held has the dead
 *             pager's error.
 *   fallback  the same with a pager that hangs (suspended) under the
 *             policy fallback: a fault on it fails at the deadline, and
 *             its object's written pages go to the default pager.
 *   spill     a pager that hangs (suspended) with its object written:
 *             page-out gives it no more than its bound and spills the
 *             rest to the default pager; spilled pages read back; the
 *             object's end gives the pager everything.
 *   borrow    (no default pager) a pager task that needs a new page to
 *             store the first page it is given is asked only when the
 *             reserve is left: it borrows the page against the pages it
 *             holds unanswered, and memory comes free.
 *   limits    the kernel's heap and a task's wired memory are bounded:
 *             past the bound the requester gets an error, and the
 *             machine goes on.
 *   bench     the figures of make bench (tests/boot/pageout-bench.sh).
 *
 * It prints TAP (tests/guest/vm/tap.c) and halts the machine.
 */
#include "../vm/vmtest.h"

#include <bootstrap.h>
#include <default_pager.h>
#include <mempager.h>

#include "pager.h"

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

/* ---- anonymous memory ---- */

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* True if page p of region a holds the pattern of seed (diag if not). */
static bool page_is(vm_address_t a, uint64_t p, uint64_t seed)
{
	return words_are(a + p * PAGE, PAGE, seed ^ (p * 0x9e3779b97f4a7c15ull));
}

static void page_write(vm_address_t a, uint64_t p, uint64_t seed)
{
	write_words(a + p * PAGE, PAGE, seed ^ (p * 0x9e3779b97f4a7c15ull));
}

/*
 * The workload: `pages` pages of new anonymous memory written in order
 * with one pattern, then `passes` passes that each visit every page in a
 * different order (a stride coprime with the count), check that it holds
 * the last pattern and write the next.  True if every word was right.
 * The region stays mapped, holding the last pattern, in *out.
 */
static bool workload(uint64_t pages, unsigned passes, uint64_t seed, vm_address_t *out)
{
	vm_address_t a = 0;

	*out = 0;
	if (!CHECK_KR(vm_allocate(mach_task_self(), &a, pages * PAGE, TRUE), KERN_SUCCESS))
		return false;
	*out = a;
	for (uint64_t p = 0; p < pages; p++)
		page_write(a, p, seed);
	uint64_t stride = 7919;
	for (unsigned pass = 1; pass <= passes; pass++) {
		stride = stride * 31 + 2 * pass + 1;
		while (gcd(stride, pages) != 1)
			stride++;
		for (uint64_t i = 0; i < pages; i++) {
			uint64_t p = (i * stride + pass) % pages;
			if (!page_is(a, p, seed + pass - 1)) {
				diag("pass %u: page %lu of %lu is wrong\n", pass, p, pages);
				return false;
			}
			page_write(a, p, seed + pass);
		}
	}
	return true;
}

struct default_pager_info {
	uint64_t swap_pages, swap_used, objects, pageouts, pageins, swap_full;
	uint64_t read_errors, write_errors;
};

static mach_port_t default_pager;

static bool info(struct default_pager_info *i)
{
	return CHECK_KR(default_pager_info(default_pager, &i->swap_pages, &i->swap_used,
					   &i->objects, &i->pageouts, &i->pageins, &i->swap_full,
					   &i->read_errors, &i->write_errors),
			KERN_SUCCESS);
}

/* Waits (up to 5 s) until no page waits for its pager. */
static bool laundry_done(void)
{
	for (unsigned i = 0; i < 500; i++) {
		if (vm_stats().laundry_count == 0)
			return true;
		mach_sleep_ns(10 * 1000000ull);
	}
	return false;
}

/* The machine's memory in pages: what is free and what objects hold. */
static uint64_t machine_pages(void)
{
	struct vm_statistics s = vm_stats();

	return s.free_count + s.active_count + s.inactive_count + s.wire_count;
}

/*
 * Receives a message into each of n pages of region a, most of them in
 * swap, at the middle of the page: the kernel's copy of the message out
 * must wait for the page to come back, not fail.  True if every receive
 * worked and brought its payload; *pageins the pages read in meanwhile.
 */
static bool receive_into(vm_address_t a, unsigned n, uint64_t *pageins)
{
	struct small {
		mach_msg_header_t h;
		uint64_t payload[8];
	};
	union {
		struct small m;
		uint8_t room[sizeof(struct small) + 64];
	} out;
	mach_port_t port = MACH_PORT_NULL;
	bool ok = CHECK_KR(mach_port_allocate_with_send(&port), KERN_SUCCESS);
	uint64_t before = vm_stats().pageins;

	for (unsigned i = 0; ok && i < n; i++) {
		struct small *in = (struct small *)(a + i * PAGE + PAGE / 2);
		out.m.h = (mach_msg_header_t){
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			.msgh_size = sizeof(struct small),
			.msgh_remote_port = port,
			.msgh_id = (mach_msg_id_t)i,
		};
		for (unsigned w = 0; w < 8; w++)
			out.m.payload[w] = i * 8 + w;
		ok = CHECK_KR(mach_msg(&out.m.h, MACH_SEND_MSG, sizeof(struct small), 0,
				       MACH_PORT_NULL, 0, MACH_PORT_NULL),
			      MACH_MSG_SUCCESS) &&
		     CHECK_KR(mach_msg(&in->h, MACH_RCV_MSG, 0, sizeof(struct small) + 64, port, 0,
				       MACH_PORT_NULL),
			      MACH_MSG_SUCCESS) &&
		     CHECK(in->h.msgh_id == (mach_msg_id_t)i) && CHECK(in->payload[7] == i * 8 + 7);
	}
	*pageins = vm_stats().pageins - before;
	mach_port_destroy(mach_task_self(), port);
	return ok;
}

/* A child inherits a copy of region a; the parent rewrites the first
 * half under pressure; the child's copy must be as it was. */
static bool copy_survives(vm_address_t a, uint64_t pages, uint64_t seed)
{
	task_t child;
	bool ok = child_create(true, &child);

	if (!ok)
		return false;
	for (uint64_t p = 0; p < pages / 2; p++)
		page_write(a, p, seed + 100);
	for (uint64_t p = 0; ok && p < pages; p += 16) {
		vm_offset_t data = 0;
		mach_msg_type_number_t count = 0;
		uint64_t n = pages - p < 16 ? pages - p : 16;
		ok = CHECK_KR(vm_read(child, a + p * PAGE, n * PAGE, &data, &count), KERN_SUCCESS);
		for (uint64_t q = 0; ok && q < n; q++)
			ok = words_are(data + q * PAGE, PAGE,
				       seed ^ ((p + q) * 0x9e3779b97f4a7c15ull));
		if (data != 0)
			vm_deallocate(mach_task_self(), data, count);
	}
	for (uint64_t p = 0; ok && p < pages; p++)
		ok = page_is(a, p, p < pages / 2 ? seed + 100 : seed);
	return child_end(child) && ok;
}

static void anonymous(void)
{
	struct default_pager_info before_dp, after_dp;
	uint64_t machine = machine_pages(), pages = 3 * machine;
	vm_address_t a = 0;

	tap_ok(machine * PAGE < (vm_size_t)48 << 20, "the_machine_is_small");
	default_pager = service_look_up("default_pager", 5000);
	tap_ok(default_pager != MACH_PORT_NULL && info(&before_dp), "the_default_pager_answers");
	struct vm_statistics before = vm_stats();
	bool ok = workload(pages, 3, SEED, &a);
	struct vm_statistics after = vm_stats();
	diag("anonymous: %lu pages (machine %lu): %lu paged out, %lu in, %lu reclaimed, "
	     "%lu memory waits\n",
	     pages, machine, after.pageouts - before.pageouts, after.pageins - before.pageins,
	     after.reclaimed - before.reclaimed, after.memory_waits - before.memory_waits);
	tap_ok(ok, "three_times_the_machine_in_anonymous_memory_reads_back_on_every_pass");
	tap_ok(after.pageouts - before.pageouts >= pages - machine &&
		       after.pageins - before.pageins >= pages - machine,
	       "the_pages_went_out_to_the_default_pager_and_came_back");
	tap_eq(after.memory_timeouts - before.memory_timeouts, 0, "no_fault_gave_up_waiting");

	/* Compared at a quiet moment: the kernel's counts the same on both
	 * sides of the default pager's answer (page-out may still be
	 * finishing its pass). */
	struct vm_statistics now = { 0 };
	bool settled = false;
	for (unsigned i = 0; i < 100 && !settled; i++) {
		struct vm_statistics first = vm_stats();
		settled = laundry_done() && info(&after_dp);
		now = vm_stats();
		settled = settled && first.pageouts == now.pageouts && first.pageins == now.pageins;
		if (!settled)
			mach_sleep_ns(20 * 1000000ull);
	}
	tap_ok(settled && after_dp.pageouts - before_dp.pageouts == now.pageouts - before.pageouts &&
		       /* Every page the kernel took was read; a few reads more
			* are allowed (see the note: not yet explained). */
		       after_dp.pageins - before_dp.pageins >= now.pageins - before.pageins &&
		       after_dp.pageins - before_dp.pageins <=
			       now.pageins - before.pageins + (now.pageins - before.pageins) / 100 &&
		       after_dp.swap_used > before_dp.swap_used && after_dp.objects > 0 &&
		       after_dp.read_errors + after_dp.write_errors + after_dp.swap_full == 0,
	       "the_default_pagers_counters_match_the_kernels");
	diag("default pager: %lu of %lu swap pages used, %lu objects, %lu out, %lu in; "
	     "the kernel: %lu out, %lu in\n",
	     after_dp.swap_used, after_dp.swap_pages, after_dp.objects, after_dp.pageouts,
	     after_dp.pageins, now.pageouts - before.pageouts, now.pageins - before.pageins);

	uint64_t pageins = 0;
	bool received = ok && receive_into(a + pages / 2 * PAGE, 256, &pageins);
	diag("receives into swapped memory: %lu pages read in\n", pageins);
	tap_ok(received && pageins > 0, "a_message_is_received_into_memory_that_went_to_swap");

	tap_ok(ok && copy_survives(a, pages / 2, SEED + 3),
	       "a_copy_inherited_by_a_child_keeps_its_contents_under_pressure");

	/* The region's swap goes with it (other memory paged out meanwhile,
	 * still in use, keeps its own). */
	struct default_pager_info held = { 0 }, end = { 0 };
	bool freed = info(&held);
	if (a != 0)
		vm_deallocate(mach_task_self(), a, pages * PAGE);
	for (unsigned i = 0; i < 500 && freed; i++) {
		freed = info(&end);
		if (freed && held.swap_used - end.swap_used >= pages - machine &&
		    end.objects < held.objects)
			break;
		mach_sleep_ns(10 * 1000000ull);
	}
	diag("swap in use: %lu with the region, %lu after it went; objects %lu -> %lu\n",
	     held.swap_used, end.swap_used, held.objects, end.objects);
	tap_ok(freed && held.swap_used - end.swap_used >= pages - machine &&
		       end.objects < held.objects,
	       "swap_is_freed_when_the_memory_goes");
}

/* ---- two workloads at once ---- */

#define WORKER_DONE 0x77000   /* a worker's result: msgh_id = WORKER_DONE + ok */

/* role=worker port=N: the workload, its result sent to N. */
static int worker(int argc, char **argv)
{
	mach_port_t to = port_argument(argc, argv);
	vm_address_t a = 0;
	uint64_t pages = machine_pages() * 3 / 2;
	bool ok = workload(pages, 2, SEED + 7, &a);
	mach_msg_header_t m = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(m),
		.msgh_remote_port = to,
		.msgh_id = WORKER_DONE + ok,
	};
	mach_msg(&m, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	return 0;
}

static void pair(void)
{
	mach_port_t results = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	char args[48];
	uint64_t pages = machine_pages() * 3 / 2;
	vm_address_t a = 0;
	union {
		mach_msg_header_t h;
		uint8_t room[256];
	} m;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &results);
	size_t len = mach_snprintf(args, sizeof(args), "role=worker port=%u", results) + 1;
	bool started =
		CHECK_KR(host_boot_module_load(host_priv, "pageouttest", args,
					       (mach_msg_type_number_t)len, &task, &thread),
			 KERN_SUCCESS) &&
		CHECK_KR(mach_port_insert_right(task, results, results, MACH_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS) &&
		CHECK_KR(thread_resume(thread), KERN_SUCCESS);
	tap_ok(started, "a_second_task_runs_the_workload");
	struct vm_statistics before = vm_stats();
	bool ok = workload(pages, 2, SEED + 11, &a);
	tap_ok(ok, "the_first_of_two_workloads_reads_back_on_every_pass");
	mach_msg_return_t mr = started ? mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						  sizeof(m), results, 300000, MACH_PORT_NULL)
				       : MACH_RCV_TIMED_OUT;
	struct vm_statistics after = vm_stats();
	if (mr != MACH_MSG_SUCCESS || m.h.msgh_id != WORKER_DONE + 1)
		diag("pair: the worker's answer: %s, id %x; %lu pages wait for pagers, "
		     "%lu memory waits, %lu timeouts\n",
		     mach_error_name(mr), mr == MACH_MSG_SUCCESS ? m.h.msgh_id : 0,
		     after.laundry_count, after.memory_waits, after.memory_timeouts);
	tap_ok(mr == MACH_MSG_SUCCESS && m.h.msgh_id == WORKER_DONE + 1,
	       "the_second_of_two_workloads_reads_back_on_every_pass");
	diag("pair: 2 x %lu pages: %lu paged out, %lu in\n", pages,
	     after.pageouts - before.pageouts, after.pageins - before.pageins);
	tap_ok(after.pageouts - before.pageouts >= pages, "the_pair_was_paged");
	if (a != 0)
		vm_deallocate(mach_task_self(), a, pages * PAGE);
	if (task != MACH_PORT_NULL) {
		task_terminate(task);
		mach_port_deallocate(mach_task_self(), task);
		mach_port_deallocate(mach_task_self(), thread);
	}
}

/* ---- a full swap disk ---- */

#define HOG_REGION ((vm_address_t)0x200000000000ull)

static vm_address_t hog_region;
static uint64_t hog_pages;
static uint8_t hog_stack[16384] __attribute__((aligned(16)));

/* A child's thread: touches page after page of its region, for good. */
static void hog(void)
{
	for (uint64_t p = 0;; p = (p + 1) % hog_pages)
		*word(hog_region + p * PAGE) = p;
}

/*
 * Makes the runner wired (it must outlive memory running out), then a
 * child with a region of `pages` pages at HOG_REGION and a thread running
 * entry on it.  hog_pages and hog_region are set before the child copies
 * them.
 */
static bool hog_child_start(void (*entry)(void), uint64_t pages, task_t *child,
			    thread_t *thread)
{
	vm_address_t at = HOG_REGION;

	tap_kr(vm_privilege(host_priv, mach_task_self()), KERN_SUCCESS,
	       "the_runner_is_made_vm_privileged");
	hog_pages = pages;
	hog_region = HOG_REGION;
	return child_create(true, child) &&
	       CHECK_KR(vm_allocate(*child, &at, pages * PAGE, FALSE), KERN_SUCCESS) &&
	       child_thread_start(*child, entry, hog_stack, sizeof(hog_stack), thread);
}

static void full(void)
{
	task_t child = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	struct child_event e = { 0 };
	struct default_pager_info dp = { 0 };

	default_pager = service_look_up("default_pager", 5000);
	bool ok = default_pager != MACH_PORT_NULL && info(&dp) &&
		  hog_child_start(hog, 2 * (machine_pages() + dp.swap_pages), &child, &thread);
	tap_ok(ok, "a_child_touches_more_than_memory_and_swap_hold");
	ok = ok && child_wait(&e, 120000);
	tap_ok(ok && e.exception == EXC_BAD_ACCESS && e.code[0] == KERN_MEMORY_ERROR,
	       "when_swap_is_full_the_fault_fails_with_a_memory_error");
	struct default_pager_info full_dp = { 0 };
	tap_ok(info(&full_dp) && full_dp.swap_full > 0 && full_dp.swap_used == full_dp.swap_pages,
	       "the_default_pager_counts_the_refusals");
	if (child != MACH_PORT_NULL)
		child_end(child);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
	/* The memory is back: a new region is usable. */
	vm_address_t a = 0;
	uint64_t pages = machine_pages() / 4;
	bool back = CHECK_KR(vm_allocate(mach_task_self(), &a, pages * PAGE, TRUE), KERN_SUCCESS);
	for (uint64_t p = 0; back && p < pages; p++)
		back = writes(a + p * PAGE, p);
	tap_ok(back, "memory_is_usable_again_once_the_task_has_gone");
	if (a != 0)
		vm_deallocate(mach_task_self(), a, pages * PAGE);
}

/* ---- resource limits ---- */

#define PORTS_MAX 60000u
#define FILLER 2000u   /* bytes of inline data a message carries */

/* Bytes the kernel heap holds now (host_info HOST_MEMORY_INFO). */
static uint64_t heap_bytes(void)
{
	return memory_info().kalloc_bytes;
}

/*
 * Makes kernel objects without end: ports, each with a full queue of
 * messages of FILLER bytes, until the kernel refuses one.  The refusal
 * must be KERN_RESOURCE_SHORTAGE or MACH_SEND_NO_BUFFER, and everything
 * must go back when the ports go.
 */
static void kernel_memory_bound(void)
{
	static mach_port_t ports[PORTS_MAX];
	union {
		mach_msg_header_t h;
		uint8_t b[sizeof(mach_msg_header_t) + FILLER];
	} m;
	uint64_t before = heap_bytes();
	unsigned n = 0;
	kern_return_t refusal = KERN_SUCCESS;

	while (n < PORTS_MAX && refusal == KERN_SUCCESS) {
		refusal = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &ports[n]);
		if (refusal != KERN_SUCCESS)
			break;
		mach_port_t port = ports[n++];
		refusal = mach_port_insert_right(mach_task_self(), port, port,
						 MACH_MSG_TYPE_MAKE_SEND);
		for (unsigned i = 0; i < MACH_PORT_QLIMIT_DEFAULT && refusal == KERN_SUCCESS; i++) {
			m.h = (mach_msg_header_t){
				.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
				.msgh_size = sizeof(m),
				.msgh_remote_port = port,
			};
			refusal = mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
					   MACH_PORT_NULL, 0, MACH_PORT_NULL);
		}
	}
	uint64_t peak = heap_bytes(), half = memory_info().total_pages * PAGE / 2;
	/* Reported once the ports are gone: at the bound, the kernel has no
	 * heap for the messages that carry the report. */
	for (unsigned i = 0; i < n; i++)
		mach_port_destroy(mach_task_self(), ports[i]);
	diag("kernel heap: %lu KiB before, %lu KiB at the refusal (%s, 0x%x) after %u ports; "
	     "the bound is %lu KiB\n",
	     before / 1024, peak / 1024, mach_error_name(refusal), refusal, n, half / 1024);
	tap_ok(refusal == KERN_RESOURCE_SHORTAGE || refusal == MACH_SEND_NO_BUFFER,
	       "a_task_that_makes_kernel_objects_without_end_is_refused");
	/* At the bound, half the machine: not when memory ran out. */
	tap_ok(peak <= half + (256u << 10) && peak >= half - (2u << 20),
	       "the_refusal_comes_at_the_kernels_bound_on_its_heap");
	uint64_t after = heap_bytes();
	diag("kernel heap: %lu KiB once the ports are gone\n", after / 1024);
	/* The name table keeps its size: all but a twentieth comes back. */
	tap_ok(after - before < (peak - before) / 20, "the_kernel_memory_comes_back_when_they_go");
	/* And the machine still works: memory can be used and paged. */
	vm_address_t a = 0;
	uint64_t pages = machine_pages() / 2;
	bool ok = CHECK_KR(vm_allocate(mach_task_self(), &a, pages * PAGE, TRUE), KERN_SUCCESS);
	for (uint64_t p = 0; ok && p < pages; p++)
		ok = writes(a + p * PAGE, p);
	tap_ok(ok, "memory_is_usable_after_the_refusal");
	if (a != 0)
		vm_deallocate(mach_task_self(), a, pages * PAGE);
}

/* vm_wire of half the machine is refused (the bound is a quarter);
 * within the bound it works. */
static void wired_bound(void)
{
	uint64_t half = machine_pages() / 2;
	vm_address_t a = 0;
	struct vm_statistics before = vm_stats();

	bool ok = CHECK_KR(vm_allocate(mach_task_self(), &a, half * PAGE, TRUE), KERN_SUCCESS);
	tap_ok(ok && CHECK_KR(vm_wire(host_priv, mach_task_self(), a, half * PAGE,
				      VM_PROT_READ | VM_PROT_WRITE),
			      KERN_RESOURCE_SHORTAGE) &&
		       CHECK(vm_stats().wire_count == before.wire_count),
	       "wiring_half_the_machine_is_refused");
	tap_ok(ok && CHECK_KR(vm_wire(host_priv, mach_task_self(), a, 64 * PAGE,
				      VM_PROT_READ | VM_PROT_WRITE),
			      KERN_SUCCESS) &&
		       CHECK(vm_stats().wire_count >= before.wire_count + 64) &&
		       CHECK_KR(vm_wire(host_priv, mach_task_self(), a, 64 * PAGE, VM_PROT_NONE),
				KERN_SUCCESS),
	       "wiring_within_the_bound_works");
	if (a != 0)
		vm_deallocate(mach_task_self(), a, half * PAGE);
}

/* ---- a swap disk that fails reads ---- */

/* A child's thread: writes each page of its region, then reads them
 * back; the reads must fault (the swap disk fails them), so reaching
 * the report is a failure. */
static void write_then_read(void)
{
	uint64_t sum = 0;

	for (uint64_t p = 0; p < hog_pages; p++)
		*word(hog_region + p * PAGE) = p + 1;
	for (uint64_t p = 0; p < hog_pages; p++)
		sum += *word(hog_region + p * PAGE);
	child_report(sum, 0, 0, 0);
}

static void read_error(void)
{
	task_t child = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	struct child_event e = { 0 };

	bool ok = hog_child_start(write_then_read, machine_pages() * 3 / 2, &child, &thread);
	ok = ok && child_wait(&e, 120000);
	tap_ok(ok && !e.report && e.exception == EXC_BAD_ACCESS && e.code[0] == KERN_MEMORY_ERROR,
	       "a_page_the_swap_disk_cannot_read_is_a_memory_error");
	struct default_pager_info dp = { 0 };
	tap_ok(info(&dp) && dp.read_errors > 0 && dp.write_errors == 0 && dp.pageouts > 0,
	       "the_default_pager_counts_the_read_errors");
	if (child != MACH_PORT_NULL)
		child_end(child);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
}

/* ---- a pager that dies ---- */

#define ORPHAN_PAGES 1024u
static uint8_t *orphan_store;

static kern_return_t store_read(void *cookie, vm_offset_t offset, void *page, const void **data)
{
	(void)cookie;
	(void)page;
	*data = orphan_store + offset;
	return KERN_SUCCESS;
}

static kern_return_t store_write(void *cookie, vm_offset_t offset, const void *page)
{
	(void)cookie;
	memcpy(orphan_store + offset, page, PAGE);
	return KERN_SUCCESS;
}

/* With role=pager store=logged: where the offsets of the pages stored
 * go, one word each, in memory the pager has not touched until the
 * first. */
static uint64_t *stored_log;
static uint64_t stored_count;

static kern_return_t store_write_logged(void *cookie, vm_offset_t offset, const void *page)
{
	stored_log[stored_count++ % (PAGE / 8)] = offset;
	return store_write(cookie, offset, page);
}

/*
 * role=pager: a libpager pager of one object in its own memory, its send
 * right registered as "pageouttest.object"; serves until it is killed.
 * With store=logged, its store is touched from the start, and it logs
 * each page it stores in a page it touches first when the first comes:
 * storing costs it one new page, once, as a pager's heap grows.
 */
static int pager_role(int argc, char **argv)
{
	static struct pager_server server;
	static struct pager_ops ops = { .read_page = store_read, .write_page = store_write };
	mach_port_t names = MACH_PORT_NULL, object = MACH_PORT_NULL;
	vm_address_t store = 0, log = 0;
	const char *kind = mach_arg(argc, argv, "store");
	bool logged = kind != NULL && strcmp(kind, "logged") == 0;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	if (logged) {
		if (vm_allocate(mach_task_self(), &log, PAGE, TRUE) != KERN_SUCCESS ||
		    vm_allocate(mach_task_self(), &store, ORPHAN_PAGES * PAGE, TRUE) != KERN_SUCCESS) {
			mach_printf("pageouttest: the pager cannot start\n");
			return 1;
		}
		memset((void *)store, 0, ORPHAN_PAGES * PAGE);
		stored_log = (uint64_t *)log;
		ops.write_page = store_write_logged;
	}
	if ((store == 0 &&
	     vm_allocate(mach_task_self(), &store, ORPHAN_PAGES * PAGE, TRUE) != KERN_SUCCESS) ||
	    pager_server_init(&server, NULL) != KERN_SUCCESS ||
	    pager_create(&server, &ops, NULL, ORPHAN_PAGES * PAGE, false, NULL, &object) !=
		    KERN_SUCCESS ||
	    bootstrap_register(names, "pageouttest.object", object) != KERN_SUCCESS) {
		mach_printf("pageouttest: the pager cannot start\n");
		return 1;
	}
	orphan_store = (uint8_t *)store;
	pager_serve(&server);
	return 1;
}

/*
 * An object of a pager that dies with pages written and not yet given
 * back: the kernel gives those to the default pager when memory is
 * short, and they read back; a page the kernel never held has the dead
 * pager's error.
 */
/* Starts a pager task (role=pager, with args after it) and maps its
 * object at *a (if a is not NULL). */
static bool pager_task_start(char *args, task_t *task, thread_t *thread, mach_port_t *object,
			     vm_address_t *a)
{
	mach_port_t names = MACH_PORT_NULL;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	bool ok = CHECK_KR(host_boot_module_load(host_priv, "pageouttest", args,
						 (mach_msg_type_number_t)strlen(args) + 1, task,
						 thread),
			   KERN_SUCCESS) &&
		  CHECK_KR(task_set_special_port(*task, TASK_BOOTSTRAP_PORT, names), KERN_SUCCESS) &&
		  CHECK_KR(thread_resume(*thread), KERN_SUCCESS);
	for (unsigned i = 0; ok && i < 500; i++) {
		if (bootstrap_look_up(names, "pageouttest.object", object) == KERN_SUCCESS)
			break;
		mach_sleep_ns(10 * 1000000ull);
	}
	mach_port_deallocate(mach_task_self(), names);
	return ok && CHECK(*object != MACH_PORT_NULL) &&
	       (a == NULL ||
		CHECK_KR(vm_map(mach_task_self(), a, ORPHAN_PAGES * PAGE, 0, TRUE, *object, 0,
				FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
			 KERN_SUCCESS));
}

static void orphan(bool hang)
{
	mach_port_t object = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	vm_address_t a = 0, hog = 0;
	const uint64_t written = ORPHAN_PAGES - 1;   /* the last page is never touched */

	bool ok = pager_task_start("role=pager", &task, &thread, &object, &a);
	ok = ok && (!hang || CHECK_KR(vm_pager_policy_set(host_priv, object,
							   VM_PAGER_POLICY_FALLBACK, 500),
				       KERN_SUCCESS));
	for (uint64_t p = 0; ok && p < written; p++)
		page_write(a, p, SEED + 21);
	tap_ok(ok, "an_object_of_a_pager_task_is_mapped_and_written");

	if (hang) {
		/* The pager hangs (suspended): a fault on a page it has never
		 * given fails at the deadline, and the policy gives it up. */
		ok = ok && CHECK_KR(task_suspend(task), KERN_SUCCESS);
		tap_ok(ok && read_faults(a + written * PAGE, KERN_OPERATION_TIMED_OUT),
		       "a_fault_on_the_hung_pager_fails_at_the_deadline");
	} else {
		ok = ok && CHECK_KR(task_terminate(task), KERN_SUCCESS);
		tap_ok(ok, "its_pager_dies_with_the_pages_still_dirty");
	}
	struct vm_statistics before = vm_stats();
	touch_pages(&hog, machine_pages() * 3 / 2);
	struct vm_statistics after = vm_stats();
	diag("orphan: %lu pages out, %lu reclaimed under pressure\n",
	     after.pageouts - before.pageouts, after.reclaimed - before.reclaimed);
	if (hog != 0)
		vm_deallocate(mach_task_self(), hog, machine_pages() * 3 / 2 * PAGE);
	/* Read back with no other memory in use: what comes in now is the
	 * object's, from the default pager. */
	bool back = ok;
	struct vm_statistics reread = vm_stats();
	for (uint64_t p = 0; back && p < written; p++)
		back = page_is(a, p, SEED + 21);
	uint64_t pageins = vm_stats().pageins - reread.pageins;
	diag("orphan: %lu pages in while reading the object back\n", pageins);
	tap_ok(back && pageins >= written / 4,
	       "its_written_pages_went_to_the_default_pager_and_read_back");
	tap_ok(ok && read_faults(a + written * PAGE, KERN_MEMORY_FAILURE),
	       "a_page_the_kernel_never_held_has_the_dead_pagers_error");
	if (a != 0)
		vm_deallocate(mach_task_self(), a, ORPHAN_PAGES * PAGE);
	if (hang)
		task_terminate(task);
	mach_port_deallocate(mach_task_self(), object);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_deallocate(mach_task_self(), thread);
}

/* ---- a pager past its bound on laundry ---- */

static struct vm_pager_stats pager_stats(mach_port_t object)
{
	struct vm_pager_stats st = { 0 };

	vm_pager_stats(host_priv, object, &st);
	return st;
}

/*
 * A pager that answers nothing (suspended) with every page of its object
 * written: under pressure page-out gives it at most VM_PAGER_LAUNDRY_MAX
 * pages and spills the others to the default pager, so memory comes free
 * and no fault waits for it; what was spilled reads back meanwhile.
 * Resumed, it gets every page at the object's end, also those still out
 * at the default pager: mapped again, the object reads back from its
 * store.
 */
static void spill(void)
{
	mach_port_t object = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	vm_address_t a = 0, hog = 0;
	const uint64_t pages = ORPHAN_PAGES, hog_n = machine_pages() * 3 / 2;

	bool ok = pager_task_start("role=pager", &task, &thread, &object, &a);
	for (uint64_t p = 0; ok && p < pages; p++)
		page_write(a, p, SEED + 41);
	ok = ok && CHECK_KR(task_suspend(task), KERN_SUCCESS);
	tap_ok(ok, "an_object_is_written_and_its_pager_stops_answering");

	struct vm_statistics before = vm_stats();
	touch_pages(&hog, hog_n);
	struct vm_statistics after = vm_stats();
	struct vm_pager_stats st = pager_stats(object);
	diag("spill: %lu pages out, %lu reclaimed; the pager holds %lu, %lu spilled\n",
	     after.pageouts - before.pageouts, after.reclaimed - before.reclaimed, st.laundry,
	     st.spilled);
	tap_ok(ok && hog != 0 && after.memory_timeouts == before.memory_timeouts,
	       "memory_comes_free_while_the_pager_answers_nothing");
	tap_ok(ok && st.laundry > 0 && st.laundry <= VM_PAGER_LAUNDRY_MAX,
	       "the_pager_holds_at_most_its_bound_unanswered");
	tap_ok(ok && st.spilled >= pages / 4 && st.spill_held > 0,
	       "the_other_pages_spill_to_the_default_pager");
	if (hog != 0)
		vm_deallocate(mach_task_self(), hog, hog_n * PAGE);

	/* The even pages read back now, the pager still hung: the odd ones
	 * stay spilled for the object's end. */
	bool back = ok;
	for (uint64_t p = 0; back && p < pages; p += 2)
		back = page_is(a, p, SEED + 41);
	st = pager_stats(object);
	tap_ok(back && st.unspilled > 0 && st.spill_lost == 0,
	       "spilled_pages_read_back_while_the_pager_is_hung");

	/* Its end waits for the spilled pages, and gives them to the pager. */
	ok = ok && CHECK_KR(task_resume(task), KERN_SUCCESS) &&
	     CHECK_KR(vm_deallocate(mach_task_self(), a, pages * PAGE), KERN_SUCCESS);
	a = 0;
	bool gone = false;
	for (unsigned i = 0; ok && !gone && i < 3000; i++) {
		gone = vm_pager_stats(host_priv, object, &st) == KERN_INVALID_ARGUMENT;
		if (!gone)
			mach_sleep_ns(10 * 1000000ull);
	}
	tap_ok(gone, "the_object_ends_once_its_spilled_pages_are_back");
	ok = ok && gone &&
	     CHECK_KR(vm_map(mach_task_self(), &a, pages * PAGE, 0, TRUE, object, 0, FALSE,
			     VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
		      KERN_SUCCESS);
	back = ok;
	for (uint64_t p = 0; back && p < pages; p++)
		back = page_is(a, p, SEED + 41);
	tap_ok(back, "its_pager_got_every_page_at_the_end");
	if (a != 0)
		vm_deallocate(mach_task_self(), a, pages * PAGE);
	task_terminate(task);
	mach_port_deallocate(mach_task_self(), object);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_deallocate(mach_task_self(), thread);
}

/* ---- a pager that needs memory to store ---- */

#define BORROW_OBJECT ((vm_address_t)0x300000000000ull)

/* The child's go-ahead: the runner writes its own page over the child's. */
static volatile uint64_t borrow_go[PAGE / 8] __attribute__((aligned(PAGE)));

/* A child's thread: writes the object mapped at BORROW_OBJECT, reports,
 * waits for the go-ahead, and then writes and reads back its region
 * (write_then_read). */
static void write_object_then_hog(void)
{
	for (uint64_t p = 0; p < ORPHAN_PAGES; p++)
		page_write(BORROW_OBJECT, p, SEED + 51);
	child_report(0, 0, 0, 0);
	while (borrow_go[0] == 0)
		__asm__ volatile("pause");
	write_then_read();
}

/* True if the child's copy of the object holds what it wrote. */
static bool child_object_reads_back(task_t child)
{
	bool ok = true;

	for (uint64_t p = 0; ok && p < ORPHAN_PAGES; p += 16) {
		vm_offset_t data = 0;
		mach_msg_type_number_t count = 0;
		ok = CHECK_KR(vm_read(child, BORROW_OBJECT + p * PAGE, 16 * PAGE, &data, &count),
			      KERN_SUCCESS);
		for (uint64_t q = 0; ok && q < 16; q++)
			ok = words_are(data + q * PAGE, PAGE,
				       (SEED + 51) ^ ((p + q) * 0x9e3779b97f4a7c15ull));
		if (data != 0)
			vm_deallocate(mach_task_self(), data, count);
	}
	return ok;
}

/*
 * A pager that needs a new page to store the first page it is given,
 * asked when only the reserve is left.  A child writes the pager's
 * object; the pager is stopped (suspended), and the child touches more
 * memory than is free, until the pager holds its bound of laundry and
 * the child waits for memory.  Resumed, the pager borrows the page
 * against its laundry (no default pager in this boot: its answers are
 * all that can free memory), stores, and the child finishes.  It is
 * first kept from borrowing at once (the runner holds part of the
 * reserve): it waits, and is woken when it may.  The runner is
 * VM-privileged, and so wires what it maps: the object is mapped in the
 * child only.
 */
static void borrow(void)
{
	mach_port_t object = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL, child = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL, hog_thread = MACH_PORT_NULL;
	vm_address_t hog = HOG_REGION, at = BORROW_OBJECT;
	struct child_event e = { 0 };

	tap_kr(vm_privilege(host_priv, mach_task_self()), KERN_SUCCESS,
	       "the_runner_is_made_vm_privileged");
	bool ok = pager_task_start("role=pager store=logged", &task, &thread, &object, NULL);
	/* What is free less the object, and half the object: the rest of
	 * that half must come from the pager. */
	hog_pages = vm_stats().free_count - ORPHAN_PAGES / 2;
	hog_region = HOG_REGION;
	ok = ok && child_create(true, &child) &&
	     CHECK_KR(vm_map(child, &at, ORPHAN_PAGES * PAGE, 0, FALSE, object, 0, FALSE,
			     VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
		      KERN_SUCCESS) &&
	     CHECK_KR(vm_allocate(child, &hog, hog_pages * PAGE, FALSE), KERN_SUCCESS) &&
	     child_thread_start(child, write_object_then_hog, hog_stack, sizeof(hog_stack),
				&hog_thread) &&
	     child_wait(&e, 60000) && CHECK(e.report);
	borrow_go[0] = 1;
	ok = ok && CHECK_KR(task_suspend(task), KERN_SUCCESS) &&
	     CHECK_KR(vm_write(child, (vm_address_t)borrow_go, (vm_offset_t)borrow_go, PAGE),
		      KERN_SUCCESS);
	tap_ok(ok, "a_child_writes_the_object_and_its_pager_stops");

	struct vm_statistics before = vm_stats(), now = before;
	bool short_of_memory = false;
	for (unsigned i = 0; ok && !short_of_memory && i < 500; i++) {
		mach_sleep_ns(10 * 1000000ull);
		now = vm_stats();
		short_of_memory = now.laundry_count == VM_PAGER_LAUNDRY_MAX &&
				  now.memory_waits > before.memory_waits;
	}
	diag("borrow: %lu pages free, %lu wait for the pager, %lu memory waits\n",
	     now.free_count, now.laundry_count, now.memory_waits - before.memory_waits);
	tap_ok(short_of_memory, "memory_runs_out_with_the_pager_holding_its_laundry");

	/* The runner (VM-privileged: what it maps is wired at once) takes
	 * 16 pages of the reserve, so that the pager, resumed, may not
	 * borrow the page it needs: it waits too.  12 of them back leave
	 * the child short still, and the pager room to borrow. */
	vm_address_t taken = 0, kept = 0;
	ok = ok && CHECK_KR(vm_allocate(mach_task_self(), &taken, 12 * PAGE, TRUE), KERN_SUCCESS) &&
	     CHECK_KR(vm_allocate(mach_task_self(), &kept, 4 * PAGE, TRUE), KERN_SUCCESS);
	uint64_t waits = vm_stats().memory_waits;
	ok = ok && CHECK_KR(task_resume(task), KERN_SUCCESS);
	bool pager_waits = false;
	for (unsigned i = 0; ok && !pager_waits && i < 500; i++) {
		mach_sleep_ns(10 * 1000000ull);
		pager_waits = vm_stats().memory_waits > waits;
	}
	tap_ok(pager_waits, "the_pager_waits_while_the_reserve_is_lower_than_its_laundry");
	ok = ok && CHECK_KR(vm_deallocate(mach_task_self(), taken, 12 * PAGE), KERN_SUCCESS) &&
	     child_wait(&e, 120000);
	if (kept != 0)
		vm_deallocate(mach_task_self(), kept, 4 * PAGE);
	tap_ok(ok && e.report && e.state.r12 == hog_pages * (hog_pages + 1) / 2,
	       "the_pager_borrows_the_page_it_needs_and_memory_comes_free");
	if (ok && !e.report)
		diag("borrow: the child took exception %d, code %lx\n", e.exception, e.code[0]);
	struct vm_statistics after = vm_stats();
	tap_eq(after.memory_timeouts - before.memory_timeouts, 0, "no_fault_gave_up_waiting");
	tap_ok(ok && e.report && child_object_reads_back(child) &&
		       vm_stats().pageins > after.pageins,
	       "every_page_reads_back_through_the_pager");
	if (child != MACH_PORT_NULL)
		child_end(child);
	task_terminate(task);
	mach_port_deallocate(mach_task_self(), object);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_deallocate(mach_task_self(), thread);
	if (hog_thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), hog_thread);
}

/* ---- the figures (make bench) ---- */

static uint64_t tsc(void)
{
	uint64_t t;

	__asm__ volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t) : : "rdx");
	return t;
}

/* One pass over `pages` pages (a write or a read of a word each): the
 * instructions it took (under -icount, halted time taken out), its wall
 * ns, and the pages it paged out (in) meanwhile. */
static void timed_pass(vm_address_t a, uint64_t pages, bool write, uint64_t *instructions,
		       uint64_t *ns, uint64_t *paged)
{
	struct vm_statistics before = vm_stats();
	uint64_t h0 = halted_tsc(), ns0 = 0, ns1 = 0;
	volatile uint64_t sink = 0;

	clock_get_time(&ns0);
	uint64_t t0 = tsc();
	for (uint64_t p = 0; p < pages; p++) {
		if (write)
			*word(a + p * PAGE) = p;
		else
			sink += *word(a + p * PAGE);
	}
	uint64_t t1 = tsc();
	clock_get_time(&ns1);
	struct vm_statistics after = vm_stats();
	*instructions = t1 - t0 - (halted_tsc() - h0);
	*ns = ns1 - ns0;
	*paged = write ? after.pageouts - before.pageouts : after.pageins - before.pageins;
	(void)sink;
}

/* Writes twice the machine in new anonymous memory (page-out), then
 * reads it back (page-in, with the page-outs that make room). */
static void bench(void)
{
	uint64_t pages = 2 * machine_pages(), out_i, out_ns, outs, in_i, in_ns, ins;
	vm_address_t a = 0;

	bool ok = CHECK_KR(vm_allocate(mach_task_self(), &a, pages * PAGE, TRUE), KERN_SUCCESS);
	if (ok) {
		timed_pass(a, pages, true, &out_i, &out_ns, &outs);
		timed_pass(a, pages, false, &in_i, &in_ns, &ins);
	}
	tap_ok(ok && outs > 0 && ins > 0, "twice_the_machine_is_written_and_read_back");
	if (!ok || outs == 0 || ins == 0)
		return;
	mach_printf("BENCH pageout_instructions_per_page %lu\n", out_i / outs);
	mach_printf("BENCH pagein_instructions_per_page %lu\n", in_i / ins);
	mach_printf("BENCH pageout_pages_per_s %lu\n", out_ns ? outs * (uint64_t)1000000000 / out_ns : 0);
	mach_printf("BENCH pagein_pages_per_s %lu\n", in_ns ? ins * (uint64_t)1000000000 / in_ns : 0);
	vm_deallocate(mach_task_self(), a, pages * PAGE);
}

/* The value of the "phase=" argument, or "external". */
static const char *phase_of(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "phase=", 6) == 0)
			return argv[i] + 6;
	return "external";
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	const char *role = role_of(argc, argv);
	if (role != NULL && strcmp(role, "worker") == 0)
		return worker(argc, argv);
	if (role != NULL && strcmp(role, "pager") == 0)
		return pager_role(argc, argv);
	runner_thread = mach_thread_self();
	const char *phase = phase_of(argc, argv);
	if (!exceptions_start()) {
		mach_printf("pageouttest: cannot start: no exception thread\n");
		host_halt(host_priv, HOST_HALT_FAILURE);
		return 1;
	}
	if (strcmp(phase, "anonymous") == 0) {
		anonymous();
	} else if (strcmp(phase, "pair") == 0) {
		pair();
	} else if (strcmp(phase, "full") == 0) {
		full();
	} else if (strcmp(phase, "bench") == 0) {
		bench();
	} else if (strcmp(phase, "readerror") == 0) {
		default_pager = service_look_up("default_pager", 5000);
		read_error();
	} else if (strcmp(phase, "orphan") == 0) {
		orphan(false);
	} else if (strcmp(phase, "fallback") == 0) {
		orphan(true);
	} else if (strcmp(phase, "spill") == 0) {
		spill();
	} else if (strcmp(phase, "borrow") == 0) {
		borrow();
	} else if (strcmp(phase, "limits") == 0) {
		kernel_memory_bound();
		wired_bound();
	} else {
		mempager = service_look_up("mempager", 5000);
		tap_ok(mempager != MACH_PORT_NULL, "mempager_is_found");
		if (mempager != MACH_PORT_NULL)
			external();
	}
	tap_finish("pageouttest");
	return 0;
}
