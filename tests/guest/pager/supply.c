/*
 * A pager's data_supply is input the kernel checks, never trusts: a
 * supply of pages it did not ask for (another offset, more pages, a page
 * nobody faulted on, a page already resident), of a size or offset that
 * is not whole pages, or on the control port of a cache that is gone, is
 * refused.  The waiting thread keeps waiting, and gets the right data
 * once the pager supplies it properly; the refused data never shows, and
 * a page it claimed to fill is asked for again when touched.
 */
#include "pagertest.h"

/* How long a refused supply is given to (wrongly) take effect. */
#define SETTLE_MS 50

/* A raw pager, ready, with pages mapped. */
static bool raw_ready(struct raw_pager *p, unsigned pages)
{
	return raw_open(p, true) && CHECK_KR(raw_map(p, pages * PAGE, FALSE), KERN_SUCCESS) &&
	       raw_accept_init(p);
}

/* Touches the page at offset of p's mapping in a new thread, answers its
 * data_request with pattern(seed), and checks what the thread read. */
static bool touch_and_supply(struct raw_pager *p, vm_offset_t offset, uint64_t seed)
{
	struct toucher t;

	bool ok = touch_start(&t, p->address + offset, false, 0) &&
		  raw_expect_request(p, offset, 2 * DEADLINE_MS) &&
		  CHECK_KR(raw_supply(p, offset, 1, seed), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, mempager_pattern(seed, offset));
	return touch_end(&t) && ok;
}

/* After a refused supply, t is still waiting; a proper one resumes it. */
static bool still_waits_then_gets(struct raw_pager *p, struct toucher *t, vm_offset_t offset,
				  uint64_t seed)
{
	touch_serve(t, SETTLE_MS);
	return CHECK(!t->done) && CHECK_KR(raw_supply(p, offset, 1, seed), MACH_MSG_SUCCESS) &&
	       touch_wait(t, DEADLINE_MS) && CHECK(!t->faulted) &&
	       CHECK_EQ(t->value, mempager_pattern(seed, offset));
}

static bool supply_at_an_offset_not_requested_is_refused(void)
{
	struct raw_pager p;
	struct toucher t = { 0 };

	bool ok = raw_ready(&p, 2) && touch_start(&t, p.address, false, 0) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&p, PAGE, 1, 31), MACH_MSG_SUCCESS) &&
		  still_waits_then_gets(&p, &t, 0, 32) &&
		  /* The page it claimed to fill was not filled. */
		  touch_and_supply(&p, PAGE, 33);
	ok &= touch_end(&t);
	raw_close(&p);
	return ok;
}

static bool supply_of_a_partial_or_unaligned_page_is_refused(void)
{
	static uint8_t bytes[2 * 4096] __attribute__((aligned(4096)));
	struct raw_pager p;
	struct toucher t = { 0 };

	memset(bytes, 0x5a, sizeof(bytes));
	bool ok = raw_ready(&p, 2) && touch_start(&t, p.address, false, 0) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS) &&
		  CHECK_KR(memory_object_data_supply(p.control, 0, (vm_offset_t)bytes, 100, FALSE,
						     VM_PROT_NONE, FALSE), MACH_MSG_SUCCESS) &&
		  CHECK_KR(memory_object_data_supply(p.control, 100, (vm_offset_t)bytes, PAGE,
						     FALSE, VM_PROT_NONE, FALSE),
			   MACH_MSG_SUCCESS) &&
		  CHECK_KR(memory_object_data_supply(p.control, 0, (vm_offset_t)bytes,
						     PAGE + 8, FALSE, VM_PROT_NONE, FALSE),
			   MACH_MSG_SUCCESS) &&
		  still_waits_then_gets(&p, &t, 0, 34);
	ok &= touch_end(&t);
	raw_close(&p);
	return ok;
}

/* A supply longer than the request: the kernel keeps at most what it
 * asked for (all of it refused, or the extra pages dropped), so the
 * thread reads the right data and the page past the request is asked
 * for again when touched. */
static bool supply_of_more_pages_than_asked_keeps_only_what_was_asked(void)
{
	const unsigned pages = 8;
	struct raw_pager p;
	struct raw_event e = { 0 };
	struct toucher t = { 0 };

	bool ok = raw_ready(&p, pages) && touch_start(&t, p.address, false, 0) &&
		  raw_expect(&p, RAW_DATA_REQUEST, &e, 2 * DEADLINE_MS) &&
		  CHECK_EQ(e.offset, 0) && CHECK(e.length % PAGE == 0) &&
		  CHECK(e.length + PAGE <= pages * PAGE);
	if (ok) {
		unsigned asked = (unsigned)(e.length / PAGE);
		ok = CHECK_KR(raw_supply(&p, 0, asked + 1, 35), MACH_MSG_SUCCESS);
		touch_serve(&t, SETTLE_MS);
		if (ok && !t.done)   /* all of it refused: supply what was asked */
			ok = CHECK_KR(raw_supply(&p, 0, asked, 35), MACH_MSG_SUCCESS);
		ok = ok && touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		     CHECK_EQ(t.value, mempager_pattern(35, 0)) &&
		     touch_and_supply(&p, e.length, 36);
	}
	ok &= touch_end(&t);
	raw_close(&p);
	return ok;
}

static bool supply_of_a_page_never_requested_is_refused(void)
{
	struct raw_pager p;

	bool ok = raw_ready(&p, 2) && CHECK_KR(raw_supply(&p, PAGE, 1, 37), MACH_MSG_SUCCESS);
	touch_serve(NULL, SETTLE_MS);
	ok = ok && touch_and_supply(&p, PAGE, 38);
	raw_close(&p);
	return ok;
}

/* A page already resident keeps its data: a second supply is dropped. */
static bool supply_over_a_resident_page_is_refused(void)
{
	struct raw_pager p;
	struct toucher t = { 0 };

	bool ok = raw_ready(&p, 1) && touch_and_supply(&p, 0, 39) &&
		  CHECK_KR(raw_supply(&p, 0, 1, 40), MACH_MSG_SUCCESS);
	touch_serve(NULL, SETTLE_MS);
	ok = ok && touch_start(&t, p.address, false, 0) && touch_wait(&t, DEADLINE_MS) &&
	     CHECK(!t.faulted) && CHECK_EQ(t.value, mempager_pattern(39, 0));
	ok &= touch_end(&t);
	raw_close(&p);
	return ok;
}

/* After terminate the old control port reaches no cache: a supply there
 * is refused (or lost), and a new mapping gets a new cache that works. */
static bool supply_after_terminate_is_harmless(void)
{
	struct raw_pager p;
	struct raw_event e;

	bool ok = raw_ready(&p, 1) && touch_and_supply(&p, 0, 41);
	if (ok) {
		mach_port_t old = p.control;
		vm_deallocate(mach_task_self(), p.address, PAGE);
		p.size = 0;
		/* The right terminate names: the old control, or dead already. */
		ok = raw_expect(&p, RAW_TERMINATE, &e, 2 * DEADLINE_MS) &&
		     CHECK(e.control == old || e.control == MACH_PORT_DEAD);
		mach_msg_return_t mr = raw_supply(&p, 0, 1, 42);
		if (mr != MACH_SEND_INVALID_DEST)
			ok &= CHECK_KR(mr, MACH_MSG_SUCCESS);
		diag("supply on the old control port: %s", error_name(mr));
		ok = ok && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		     raw_accept_init(&p) &&
		     CHECK(p.control != old) && touch_and_supply(&p, 0, 43);
	}
	raw_close(&p);
	return ok;
}

/*
 * A supply whose data lies in memory another pager serves, not yet paged
 * in (a mapping of a fresh mempager object): the kernel cannot read it in
 * place without waiting, so it copies it first, through the fault that
 * asks mempager, then fills the page.  The thread reads mempager's data.
 */
static bool supply_from_memory_not_yet_paged_in_waits_for_it(void)
{
	struct raw_pager p;
	struct toucher t = { 0 };
	mach_port_t source = MACH_PORT_NULL;
	vm_address_t from = 0;
	uint64_t inits, terminates, requests, supplied, returns, written, locks, refused;

	bool ok = raw_ready(&p, 1) &&
		  CHECK_KR(mempager_create(mempager, PAGE, &source), KERN_SUCCESS) &&
		  CHECK_KR(mempager_fill(mempager, source, 0, PAGE, 44), KERN_SUCCESS) &&
		  CHECK_KR(vm_map(mach_task_self(), &from, PAGE, 0, TRUE, source, 0, FALSE,
				  VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
			   KERN_SUCCESS) &&
		  touch_start(&t, p.address, false, 0) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS) &&
		  CHECK_KR(memory_object_data_supply(p.control, 0, from, PAGE, FALSE, VM_PROT_NONE,
						     FALSE),
			   MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, mempager_pattern(44, 0)) &&
		  CHECK_KR(mempager_stats(mempager, source, &inits, &terminates, &requests,
					  &supplied, &returns, &written, &locks, &refused),
			   KERN_SUCCESS) &&
		  CHECK_EQ(requests, 1) && CHECK_EQ(supplied, 1);
	ok &= touch_end(&t);
	if (from != 0)
		vm_deallocate(mach_task_self(), from, PAGE);
	if (source != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), source);
	raw_close(&p);
	return ok;
}

/*
 * A supply whose data the pager cannot read (unmapped, or mapped without
 * read access): the send fails with MACH_SEND_INVALID_MEMORY and nothing
 * reaches the kernel object, so the page stays absent and a good supply
 * then fills it.
 */
static bool supply_from_unreadable_memory_is_refused_at_the_send(void)
{
	struct raw_pager p;
	struct toucher t = { 0 };
	vm_address_t hidden = 0;

	bool ok = raw_ready(&p, 1) &&
		  CHECK_KR(vm_allocate(mach_task_self(), &hidden, PAGE, TRUE), KERN_SUCCESS) &&
		  CHECK_KR(vm_protect(mach_task_self(), hidden, PAGE, FALSE, VM_PROT_NONE),
			   KERN_SUCCESS) &&
		  touch_start(&t, p.address, false, 0) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS) &&
		  CHECK_KR(memory_object_data_supply(p.control, 0, (vm_offset_t)0x1000, PAGE, FALSE,
						     VM_PROT_NONE, FALSE),
			   MACH_SEND_INVALID_MEMORY) &&
		  CHECK_KR(memory_object_data_supply(p.control, 0, hidden, PAGE, FALSE,
						     VM_PROT_NONE, FALSE),
			   MACH_SEND_INVALID_MEMORY) &&
		  still_waits_then_gets(&p, &t, 0, 45);
	ok &= touch_end(&t);
	if (hidden != 0)
		vm_deallocate(mach_task_self(), hidden, PAGE);
	raw_close(&p);
	return ok;
}

static const struct test supply_tests[] = {
	ENTRY(supply_at_an_offset_not_requested_is_refused),
	ENTRY(supply_of_a_partial_or_unaligned_page_is_refused),
	ENTRY(supply_of_more_pages_than_asked_keeps_only_what_was_asked),
	ENTRY(supply_of_a_page_never_requested_is_refused),
	ENTRY(supply_over_a_resident_page_is_refused),
	ENTRY(supply_after_terminate_is_harmless),
	ENTRY(supply_from_memory_not_yet_paged_in_waits_for_it),
	ENTRY(supply_from_unreadable_memory_is_refused_at_the_send),
};

void test_supply(void)
{
	run_tests(supply_tests, sizeof(supply_tests) / sizeof(supply_tests[0]));
}
