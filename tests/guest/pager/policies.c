/*
 * Pager policies (host.defs vm_pager_policy_set): what a fault does when
 * the pager of its object misses the deadline (DEADLINE_MS here) or dies.
 * A raw pager stays silent, or dies, and a touching thread takes the
 * fault under each policy.
 */
#include "pagertest.h"

/* A raw pager with one page mapped under policy, a thread faulting on it,
 * and its data_request received. */
static bool fault_with_policy(struct raw_pager *p, struct toucher *t, vm_pager_policy_t policy)
{
	*t = (struct toucher){ 0 };
	return raw_open(p, true) && CHECK_KR(raw_map(p, PAGE, FALSE), KERN_SUCCESS) &&
	       CHECK_KR(vm_pager_policy_set(host_priv, p->port, policy, DEADLINE_MS),
			KERN_SUCCESS) &&
	       raw_accept_init(p) && touch_start(t, p->address, false, 0) &&
	       raw_expect_request(p, 0, 2 * DEADLINE_MS);
}

/* The kernel's record of p's object (zeroed, with a diagnostic, if the
 * call fails). */
static struct vm_pager_stats stats_of(struct raw_pager *p)
{
	struct vm_pager_stats s = { 0 };

	if (!CHECK_KR(vm_pager_stats(host_priv, p->port, &s), KERN_SUCCESS))
		s = (struct vm_pager_stats){ 0 };
	return s;
}

static bool end_fault(struct raw_pager *p, struct toucher *t)
{
	bool ok = touch_end(t);

	raw_close(p);
	return ok;
}

static bool policy_and_deadline_are_set_and_read_back(void)
{
	struct raw_pager p;
	vm_pager_policy_t policy = -1;
	natural_t deadline = 0;

	bool ok = raw_open(&p, true) && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		  CHECK_KR(vm_pager_policy_get(host_priv, p.port, &policy, &deadline),
			   KERN_SUCCESS) &&
		  CHECK_EQ(policy, VM_PAGER_POLICY_FAIL) && CHECK_EQ(deadline, DEADLINE_MS) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, p.port, VM_PAGER_POLICY_RETRY, 1234),
			   KERN_SUCCESS) &&
		  CHECK_KR(vm_pager_policy_get(host_priv, p.port, &policy, &deadline),
			   KERN_SUCCESS) &&
		  CHECK_EQ(policy, VM_PAGER_POLICY_RETRY) && CHECK_EQ(deadline, 1234) &&
		  CHECK_KR(vm_pager_policy_get(host_priv, MACH_PORT_NULL, &policy, &deadline),
			   KERN_SUCCESS) &&
		  CHECK_EQ(policy, VM_PAGER_POLICY_FAIL) && CHECK_EQ(deadline, DEADLINE_MS);
	raw_close(&p);
	return ok;
}

static bool bad_policy_values_and_ports_are_refused(void)
{
	struct raw_pager p, unmapped;

	bool ok = raw_open(&p, true) && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		  raw_open(&unmapped, false) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, p.port, VM_PAGER_POLICY_MAX + 1,
					       DEADLINE_MS),
			   KERN_INVALID_VALUE) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, p.port, -1, DEADLINE_MS),
			   KERN_INVALID_VALUE) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, p.port, VM_PAGER_POLICY_ZERO, 5),
			   KERN_INVALID_VALUE) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, unmapped.port, VM_PAGER_POLICY_ZERO,
					       DEADLINE_MS),
			   KERN_INVALID_ARGUMENT) &&
		  CHECK_KR(vm_pager_policy_set(mach_host_self(), p.port, VM_PAGER_POLICY_ZERO,
					       DEADLINE_MS),
			   KERN_INVALID_HOST);
	raw_close(&unmapped);
	raw_close(&p);
	return ok;
}

/* zero: the silent pager's page is zeros at the deadline. */
static bool zero_fills_the_page_at_the_deadline(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_with_policy(&p, &t, VM_PAGER_POLICY_ZERO) &&
		  touch_wait(&t, 4 * DEADLINE_MS) && CHECK(!t.faulted) && CHECK_EQ(t.value, 0) &&
		  CHECK(now_ms() - t.start_ms >= DEADLINE_MS - DEADLINE_MS / 10);
	struct vm_pager_stats s = stats_of(&p);
	ok = ok && CHECK_EQ(s.requests, 1) && CHECK_EQ(s.timeouts, 1) &&
	     CHECK_EQ(s.zero_fills, 1) && CHECK_EQ(s.supplied, 0) &&
	     CHECK_EQ(s.policy, VM_PAGER_POLICY_ZERO) && CHECK_EQ(s.deadline_ms, DEADLINE_MS);
	return end_fault(&p, &t) && ok;
}

/* retry: the pager is asked again at the deadline, and its answer then
 * reaches the thread. */
static bool retry_asks_again_and_takes_the_late_answer(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_with_policy(&p, &t, VM_PAGER_POLICY_RETRY) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&p, 0, 1, 61), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, mempager_pattern(61, 0)) &&
		  CHECK_EQ(stats_of(&p).supplied, 1) && CHECK_EQ(stats_of(&p).retries, 1);
	return end_fault(&p, &t) && ok;
}

/* retry: asked VM_PAGER_RETRIES more times, the deadline doubling, then
 * the fault fails. */
static bool retry_gives_up_after_its_retries(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_with_policy(&p, &t, VM_PAGER_POLICY_RETRY);
	for (unsigned i = 1; ok && i <= VM_PAGER_RETRIES; i++)
		ok = raw_expect_request(&p, 0, (2u << i) * DEADLINE_MS);
	ok = ok && touch_wait(&t, 20 * DEADLINE_MS) &&
	     touch_failed_with(&t, KERN_OPERATION_TIMED_OUT) &&
	     CHECK(t.fault_ms - t.start_ms >= 15 * DEADLINE_MS - DEADLINE_MS);
	struct vm_pager_stats s = stats_of(&p);
	ok = ok && CHECK_EQ(s.requests, 1 + VM_PAGER_RETRIES) &&
	     CHECK_EQ(s.retries, VM_PAGER_RETRIES) && CHECK_EQ(s.timeouts, 1 + VM_PAGER_RETRIES);
	return end_fault(&p, &t) && ok;
}

/* wait: no deadline; the thread waits on well past it, and the late
 * answer reaches it. */
static bool wait_waits_past_the_deadline(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_with_policy(&p, &t, VM_PAGER_POLICY_WAIT);
	touch_serve(&t, 3 * DEADLINE_MS);
	ok = ok && CHECK(!t.done) && CHECK_KR(raw_supply(&p, 0, 1, 62), MACH_MSG_SUCCESS) &&
	     touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
	     CHECK_EQ(t.value, mempager_pattern(62, 0));
	return end_fault(&p, &t) && ok;
}

/* zero: the pager's death zero-fills the waiting page at once. */
static bool zero_fills_at_once_when_the_pager_dies(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_with_policy(&p, &t, VM_PAGER_POLICY_ZERO);
	uint64_t died = now_ms();
	ok = ok && CHECK_KR(mach_port_destroy(mach_task_self(), p.port), KERN_SUCCESS);
	p.port = MACH_PORT_NULL;   /* raw_close: destroyed already */
	ok = ok && touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) && CHECK_EQ(t.value, 0) &&
	     CHECK(now_ms() - died < DEADLINE_MS / 2);
	return end_fault(&p, &t) && ok;
}

/* fallback: the fault fails at the deadline, and the pager is given up:
 * the next fault fails at once, as if it had died (the object's dirty
 * pages go to the default pager then: pageout.sh). */
static bool fallback_fails_the_fault_and_gives_up_the_pager(void)
{
	struct raw_pager p;
	struct toucher t, again = { 0 };

	bool ok = fault_with_policy(&p, &t, VM_PAGER_POLICY_FALLBACK) &&
		  touch_wait(&t, 4 * DEADLINE_MS) &&
		  touch_failed_with(&t, KERN_OPERATION_TIMED_OUT) &&
		  CHECK_EQ(stats_of(&p).fallbacks, 1);
	ok = touch_end(&t) && ok;
	uint64_t start = now_ms();
	ok = ok && touch_start(&again, p.address, false, 0) && touch_wait(&again, DEADLINE_MS) &&
	     touch_failed_with(&again, KERN_MEMORY_FAILURE) &&
	     CHECK(now_ms() - start < DEADLINE_MS / 2);
	return end_fault(&p, &again) && ok;
}

/* A raw pager that never answers init, its one page mapped under
 * policy, and a thread faulting on it. */
static bool fault_before_ready(struct raw_pager *p, struct toucher *t, vm_pager_policy_t policy)
{
	struct raw_event e;

	*t = (struct toucher){ 0 };
	return raw_open(p, true) && CHECK_KR(raw_map(p, PAGE, FALSE), KERN_SUCCESS) &&
	       CHECK_KR(vm_pager_policy_set(host_priv, p->port, policy, DEADLINE_MS),
			KERN_SUCCESS) &&
	       touch_start(t, p->address, false, 0) && raw_expect(p, RAW_INIT, &e, DEADLINE_MS);
}

/* zero, before ready: the fault gets zeros at the deadline. */
static bool zero_fills_when_the_pager_never_says_ready(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_before_ready(&p, &t, VM_PAGER_POLICY_ZERO) &&
		  touch_wait(&t, 4 * DEADLINE_MS) && CHECK(!t.faulted) && CHECK_EQ(t.value, 0) &&
		  CHECK_EQ(stats_of(&p).zero_fills, 1);
	return end_fault(&p, &t) && ok;
}

/* retry, before ready: init is sent again at the deadline; once the
 * pager answers, the fault goes on to its data. */
static bool retry_sends_init_again(void)
{
	struct raw_pager p;
	struct toucher t;

	/* The second init, sent at the deadline, is the one answered. */
	bool ok = fault_before_ready(&p, &t, VM_PAGER_POLICY_RETRY) && raw_accept_init(&p) &&
		  CHECK_EQ(p.events[RAW_INIT], 2) &&
		  raw_expect_request(&p, 0, DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&p, 0, 1, 63), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, mempager_pattern(63, 0)) && CHECK_EQ(stats_of(&p).retries, 1);
	return end_fault(&p, &t) && ok;
}

/* retry, for an unlock: a write to a page the pager locked against
 * writes sends data_unlock; at the deadline it is sent again, and the
 * pager's unlock then lets the write through. */
static bool retry_sends_data_unlock_again(void)
{
	static uint64_t page[PAGE / 8] __attribute__((aligned(4096)));
	struct raw_pager p;
	struct toucher t = { 0 };
	struct raw_event e;

	bool ok = raw_open(&p, true) && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, p.port, VM_PAGER_POLICY_RETRY,
					       DEADLINE_MS),
			   KERN_SUCCESS) &&
		  raw_accept_init(&p) && touch_start(&t, p.address, true, 0x55) &&
		  raw_expect_request(&p, 0, DEADLINE_MS) &&
		  CHECK_KR(memory_object_data_supply(p.control, 0, (vm_offset_t)page, PAGE, FALSE,
						     VM_PROT_WRITE, FALSE),
			   MACH_MSG_SUCCESS) &&
		  raw_expect(&p, RAW_DATA_UNLOCK, &e, DEADLINE_MS) &&
		  raw_expect(&p, RAW_DATA_UNLOCK, &e, 2 * DEADLINE_MS) &&
		  CHECK_KR(memory_object_lock_request(p.control, 0, PAGE, MEMORY_OBJECT_RETURN_NONE,
						      FALSE, VM_PROT_NONE, MACH_PORT_NULL),
			   MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(stats_of(&p).retries, 1);
	return end_fault(&p, &t) && ok;
}

void test_policies(void)
{
	static const struct test tests[] = {
		ENTRY(policy_and_deadline_are_set_and_read_back),
		ENTRY(bad_policy_values_and_ports_are_refused),
		ENTRY(zero_fills_the_page_at_the_deadline),
		ENTRY(retry_asks_again_and_takes_the_late_answer),
		ENTRY(retry_gives_up_after_its_retries),
		ENTRY(wait_waits_past_the_deadline),
		ENTRY(zero_fills_at_once_when_the_pager_dies),
		ENTRY(fallback_fails_the_fault_and_gives_up_the_pager),
		ENTRY(zero_fills_when_the_pager_never_says_ready),
		ENTRY(retry_sends_init_again),
		ENTRY(retry_sends_data_unlock_again),
	};

	run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
