/*
 * Laundry: pages the kernel returned to their pager and keeps until the
 * pager says they are stored (return_completed, memory_object.defs).  A
 * raw pager cleans a written page with lock_request (RETURN_DIRTY, no
 * flush), which returns it the way page-out does, and then answers, or
 * refuses, or dies without answering; the page's data must survive each.
 */
#include "pagertest.h"

#define SEED 41

static uint64_t laundry_count(void)
{
	struct vm_statistics s = { 0 };

	vm_statistics(mach_task_self(), &s);
	return s.laundry_count;
}

static uint64_t pageout_failures(void)
{
	struct vm_statistics s = { 0 };

	vm_statistics(mach_task_self(), &s);
	return s.pageout_failures;
}

/* A touching thread's access to the raw pager's first page, to its end. */
static bool touch(vm_address_t address, bool write, uint64_t value, uint64_t *read)
{
	struct toucher t = { 0 };

	bool ok = touch_start(&t, address, write, value) && touch_wait(&t, DEADLINE_MS) &&
		  CHECK(!t.faulted);
	if (read != NULL)
		*read = t.value;
	return touch_end(&t) && ok;
}

/* A raw pager with its first page supplied, written with value, and then
 * cleaned: its data_return received, not answered. */
static bool written_and_returned(struct raw_pager *p, uint64_t value)
{
	struct toucher t = { 0 };
	struct raw_event e;

	bool ok = raw_open(p, true) && CHECK_KR(raw_map(p, PAGE, FALSE), KERN_SUCCESS) &&
		  raw_accept_init(p) && touch_start(&t, p->address, true, value) &&
		  raw_expect_request(p, 0, DEADLINE_MS) &&
		  CHECK_KR(raw_supply(p, 0, 1, SEED), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted);
	ok = touch_end(&t) && ok;
	return ok &&
	       CHECK_KR(memory_object_lock_request(p->control, 0, PAGE, MEMORY_OBJECT_RETURN_DIRTY,
						   FALSE, VM_PROT_NONE, MACH_PORT_NULL),
			MACH_MSG_SUCCESS) &&
	       raw_expect(p, RAW_DATA_RETURN, &e, DEADLINE_MS) && CHECK_EQ(e.offset, 0) &&
	       CHECK_EQ(e.length, PAGE);
}

/* Cleans the page again: true if it came back (it was dirty). */
static bool returned_again(struct raw_pager *p)
{
	struct raw_event e;

	return CHECK_KR(memory_object_lock_request(p->control, 0, PAGE,
						   MEMORY_OBJECT_RETURN_DIRTY, FALSE, VM_PROT_NONE,
						   MACH_PORT_NULL),
			MACH_MSG_SUCCESS) &&
	       raw_expect(p, RAW_DATA_RETURN, &e, DEADLINE_MS);
}

static bool returned_page_is_laundry_until_the_pager_says_it_is_stored(void)
{
	struct raw_pager p;
	uint64_t before = laundry_count();

	struct vm_pager_stats s = { 0 };
	bool ok = written_and_returned(&p, 0x5a5a) && CHECK_EQ(laundry_count(), before + 1) &&
		  CHECK_KR(vm_pager_stats(host_priv, p.port, &s), KERN_SUCCESS) &&
		  CHECK_EQ(s.laundry, 1) && CHECK_EQ(s.returned, 1) &&
		  CHECK_KR(memory_object_return_completed(p.control, 0, PAGE, KERN_SUCCESS),
			   MACH_MSG_SUCCESS) &&
		  CHECK_EQ(laundry_count(), before);
	raw_close(&p);
	return ok && CHECK_EQ(laundry_count(), before);
}

/* vm_msync sends a written page as page-out does; one its pager never
 * acknowledges stays, whatever invalidate asks. */
static bool msync_keeps_a_page_its_pager_has_not_stored(void)
{
	struct raw_pager p;
	struct toucher t = { 0 };
	struct raw_event e;
	uint64_t value = 0;

	bool ok = raw_open(&p, true) && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		  raw_accept_init(&p) && touch_start(&t, p.address, true, 0x77) &&
		  raw_expect_request(&p, 0, DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&p, 0, 1, SEED), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted);
	ok = touch_end(&t) && ok;
	ok = ok &&
	     CHECK_KR(vm_msync(mach_task_self(), p.address, PAGE, VM_SYNC_ASYNCHRONOUS),
		      KERN_SUCCESS) &&
	     raw_expect(&p, RAW_DATA_RETURN, &e, DEADLINE_MS) && CHECK_EQ(e.offset, 0) &&
	     CHECK_KR(vm_msync(mach_task_self(), p.address, PAGE,
			       VM_SYNC_ASYNCHRONOUS | VM_SYNC_INVALIDATE), KERN_SUCCESS) &&
	     touch(p.address, false, 0, &value) && CHECK_EQ(value, 0x77);
	raw_close(&p);
	return ok;
}

static bool write_to_a_page_in_the_laundry_is_returned_again(void)
{
	struct raw_pager p;
	uint64_t value = 0;

	bool ok = written_and_returned(&p, 1) && touch(p.address, true, 2, NULL) &&
		  CHECK_KR(memory_object_return_completed(p.control, 0, PAGE, KERN_SUCCESS),
			   MACH_MSG_SUCCESS) &&
		  returned_again(&p) && touch(p.address, false, 0, &value) && CHECK_EQ(value, 2);
	raw_close(&p);
	return ok;
}

static bool page_the_pager_could_not_store_stays_dirty(void)
{
	struct raw_pager p;
	uint64_t before = laundry_count(), failures = pageout_failures();

	bool ok = written_and_returned(&p, 3) &&
		  CHECK_KR(memory_object_return_completed(p.control, 0, PAGE,
							  KERN_RESOURCE_SHORTAGE),
			   MACH_MSG_SUCCESS) &&
		  CHECK_EQ(laundry_count(), before) &&
		  CHECK_EQ(pageout_failures(), failures + 1) && returned_again(&p);
	struct vm_pager_stats s = { 0 };
	ok = ok && CHECK_KR(vm_pager_stats(host_priv, p.port, &s), KERN_SUCCESS) &&
	     CHECK_EQ(s.refused, 1) && CHECK_EQ(s.returned, 2) && CHECK_EQ(s.laundry, 1);
	raw_close(&p);
	return ok;
}

/* The pager's receive right goes before it answers: the page is dirty
 * again, and still here with what was written. */
static bool pager_death_before_the_answer_loses_nothing(void)
{
	struct raw_pager p;
	uint64_t before = laundry_count(), value = 0;

	bool ok = written_and_returned(&p, 0x77) && CHECK_EQ(laundry_count(), before + 1) &&
		  CHECK_KR(mach_port_destroy(mach_task_self(), p.port), KERN_SUCCESS);
	p.port = MACH_PORT_NULL;   /* raw_close: destroyed already */
	ok = ok && CHECK_EQ(laundry_count(), before) && touch(p.address, false, 0, &value) &&
	     CHECK_EQ(value, 0x77);
	raw_close(&p);
	return ok;
}

/* An answer for pages the kernel is not waiting on changes nothing; one
 * outside the object is refused. */
static bool unexpected_return_completed_changes_nothing(void)
{
	struct raw_pager p;
	uint64_t before = laundry_count();

	bool ok = written_and_returned(&p, 5) &&
		  CHECK_KR(memory_object_return_completed(p.control, 0, 3 * PAGE, KERN_SUCCESS),
			   MACH_MSG_SUCCESS) &&
		  CHECK_EQ(laundry_count(), before + 1) &&
		  CHECK_KR(memory_object_return_completed(p.control, PAGE + 1, PAGE,
							  KERN_SUCCESS),
			   MACH_MSG_SUCCESS) &&
		  CHECK_EQ(laundry_count(), before + 1) &&
		  CHECK_KR(memory_object_return_completed(p.control, 0, PAGE, KERN_SUCCESS),
			   MACH_MSG_SUCCESS) &&
		  CHECK_EQ(laundry_count(), before) &&
		  CHECK_KR(memory_object_return_completed(p.control, 0, PAGE, KERN_SUCCESS),
			   MACH_MSG_SUCCESS) &&
		  CHECK_EQ(laundry_count(), before);
	raw_close(&p);
	return ok;
}

void test_laundry(void)
{
	static const struct test tests[] = {
		ENTRY(returned_page_is_laundry_until_the_pager_says_it_is_stored),
		ENTRY(write_to_a_page_in_the_laundry_is_returned_again),
		ENTRY(msync_keeps_a_page_its_pager_has_not_stored),
		ENTRY(page_the_pager_could_not_store_stays_dirty),
		ENTRY(pager_death_before_the_answer_loses_nothing),
		ENTRY(unexpected_return_completed_changes_nothing),
	};

	run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
