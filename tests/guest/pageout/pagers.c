/*
 * The phases of pageouttest with a pager task of its own (orphan,
 * fallback, spill, borrow: main.c's header says what each checks), and
 * the pager task itself (role=pager).
 */
#include <bootstrap.h>

#include "pageout.h"
#include "pager.h"

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
int pager_role(int argc, char **argv)
{
	static struct pager_server server;
	static struct pager_ops ops = { .read_page = store_read, .write_page = store_write };
	mach_port_t names = MACH_PORT_NULL, object = MACH_PORT_NULL;
	vm_address_t store = 0, log = 0;
	const char *kind = mach_arg(argc, argv, "store");
	bool logged = kind != NULL && strcmp(kind, "logged") == 0;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	bool ok = vm_allocate(mach_task_self(), &store, ORPHAN_PAGES * PAGE, TRUE) == KERN_SUCCESS &&
		  (!logged || vm_allocate(mach_task_self(), &log, PAGE, TRUE) == KERN_SUCCESS);
	orphan_store = (uint8_t *)store;
	if (ok && logged) {
		memset(orphan_store, 0, ORPHAN_PAGES * PAGE);
		stored_log = (uint64_t *)log;
		ops.write_page = store_write_logged;
	}
	if (!ok || pager_server_init(&server, NULL) != KERN_SUCCESS ||
	    pager_create(&server, &ops, NULL, ORPHAN_PAGES * PAGE, false, NULL, &object) !=
		    KERN_SUCCESS ||
	    bootstrap_register(names, "pageouttest.object", object) != KERN_SUCCESS) {
		mach_printf("pageouttest: the pager cannot start\n");
		return 1;
	}
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

void orphan(bool hang)
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
void spill(void)
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
void borrow(void)
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
	 * 16 pages of the reserve, a page at a time, so that the pager,
	 * resumed, may not borrow the page it needs: it waits too.  Pages
	 * back until 2 short of where the child stopped leave the child
	 * waiting still, and the pager room to borrow against its 8.  (By
	 * the free count, not a number of pages: freeing may also free a
	 * page table.) */
	vm_address_t taken[16] = { 0 };
	unsigned n_taken = 0, n_back = 0;
	while (ok && n_taken < 16)
		ok = CHECK_KR(vm_allocate(mach_task_self(), &taken[n_taken++], PAGE, TRUE),
			      KERN_SUCCESS);
	uint64_t waits = vm_stats().memory_waits;
	ok = ok && CHECK_KR(task_resume(task), KERN_SUCCESS);
	bool pager_waits = false;
	for (unsigned i = 0; ok && !pager_waits && i < 500; i++) {
		mach_sleep_ns(10 * 1000000ull);
		pager_waits = vm_stats().memory_waits > waits;
	}
	tap_ok(pager_waits, "the_pager_waits_while_the_reserve_is_lower_than_its_laundry");
	while (n_back < n_taken && vm_stats().free_count < now.free_count - 2)
		vm_deallocate(mach_task_self(), taken[n_back++], PAGE);
	ok = ok && child_wait(&e, 120000);
	while (n_back < n_taken)
		vm_deallocate(mach_task_self(), taken[n_back++], PAGE);
	tap_ok(ok && e.report && e.state.r12 == hog_pages * (hog_pages + 1) / 2,
	       "the_pager_borrows_the_page_it_needs_and_memory_comes_free");
	if (ok && !e.report)
		diag("borrow: the child took exception %d, code %lx\n", e.exception, e.code[0]);
	struct vm_statistics after = vm_stats();
	tap_eq(after.memory_timeouts - before.memory_timeouts, 0, "no_fault_gave_up_waiting");
	tap_ok(ok && e.report && child_pages_are(child, BORROW_OBJECT, ORPHAN_PAGES, SEED + 51) &&
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
