/*
 * What a faulting thread gets from a pager that answers, errs, stays
 * silent, dies or gives up (DESIGN.md section 4): a raw pager of the
 * runner's serves a mapping, and a touching thread takes the fault.
 * Every fault resolves, and one that fails is an EXC_BAD_ACCESS
 * exception with the reason in code[0] and the address in code[1]:
 * KERN_MEMORY_ERROR (data_error), KERN_OPERATION_TIMED_OUT (the deadline,
 * pager_deadline=DEADLINE_MS), KERN_MEMORY_FAILURE (the pager died or
 * destroyed the object), the last at once, not at the deadline.
 */
#include "pagertest.h"

/* A name to give the raw pager's receive right in a helper task. */
#define HELPER_NAME ((mach_port_name_t)((100u << 8) | 1u))

/* How soon after a pager's death its waiting fault must fail. */
#define AT_ONCE_MS 100

/* A raw pager (ready, if served) with one page mapped, a thread faulting
 * on it, and (if served) its data_request received. */
static bool fault_on_raw_page(struct raw_pager *p, bool served, struct toucher *t)
{
	*t = (struct toucher){ 0 };
	return raw_open(p, served) && CHECK_KR(raw_map(p, PAGE, FALSE), KERN_SUCCESS) &&
	       (!served || raw_accept_init(p)) && touch_start(t, p->address, false, 0) &&
	       (!served || raw_expect_request(p, 0, 2 * DEADLINE_MS));
}

static bool end_fault(struct raw_pager *p, struct toucher *t)
{
	bool ok = touch_end(t);

	raw_close(p);
	return ok;
}

/* The baseline: data_supply resumes the thread with the data. */
static bool supplied_page_reaches_the_waiting_thread(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, true, &t) &&
		  CHECK_KR(raw_supply(&p, 0, 1, 21), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, mempager_pattern(21, 0));
	return end_fault(&p, &t) && ok;
}

/* A fault takes the page it waited for only if its mapping is as it was:
 * made read-only meanwhile, the write fails and the page keeps the
 * pager's data. */
static bool a_write_waiting_while_its_mapping_became_read_only_fails(void)
{
	struct raw_pager p;
	struct toucher t = { 0 };

	bool ok = raw_open(&p, true) && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		  raw_accept_init(&p) && touch_start(&t, p.address, true, 0x5a5a) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS) &&
		  CHECK_KR(vm_protect(mach_task_self(), p.address, PAGE, FALSE, VM_PROT_READ),
			   KERN_SUCCESS) &&
		  CHECK_KR(raw_supply(&p, 0, 1, 22), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && touch_failed_with(&t, KERN_PROTECTION_FAILURE) &&
		  CHECK_EQ(*(volatile uint64_t *)p.address, mempager_pattern(22, 0));
	return end_fault(&p, &t) && ok;
}

/* Unmapped meanwhile, the fault fails: the page it waited for is not
 * mapped where nothing is. */
static bool a_read_waiting_while_its_mapping_went_fails(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, true, &t) &&
		  CHECK_KR(vm_deallocate(mach_task_self(), p.address, PAGE), KERN_SUCCESS) &&
		  CHECK_KR(raw_supply(&p, 0, 1, 23), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && touch_failed_with(&t, KERN_INVALID_ADDRESS);
	p.size = 0;   /* unmapped already */
	return end_fault(&p, &t) && ok;
}

/* data_unavailable: the kernel fills the page with zeros. */
static bool data_unavailable_gives_a_zero_filled_page(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, true, &t) &&
		  CHECK_KR(memory_object_data_unavailable(p.control, 0, PAGE), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) && CHECK_EQ(t.value, 0);
	return end_fault(&p, &t) && ok;
}

/* data_error: the thread takes a memory error at once. */
static bool data_error_is_a_memory_error_for_the_thread(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, true, &t) &&
		  CHECK_KR(memory_object_data_error(p.control, 0, PAGE, KERN_MEMORY_ERROR),
			   MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && touch_failed_with(&t, KERN_MEMORY_ERROR);
	return end_fault(&p, &t) && ok;
}

/* A pager that said ready and never answers a data_request: the fault
 * fails when the deadline passes, not before and not much after. */
static bool silent_pager_fault_times_out_at_the_deadline(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, true, &t) && touch_wait(&t, 4 * DEADLINE_MS) &&
		  touch_failed_with(&t, KERN_OPERATION_TIMED_OUT) &&
		  CHECK(t.fault_ms - t.start_ms >= DEADLINE_MS - DEADLINE_MS / 10) &&
		  CHECK(t.fault_ms - t.start_ms <= 2 * DEADLINE_MS);
	return end_fault(&p, &t) && ok;
}

/* A port nobody receives on (not even init): the first fault fails once
 * the deadline passes instead of hanging. */
static bool port_no_pager_serves_fails_the_first_fault(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, false, &t) && touch_wait(&t, 4 * DEADLINE_MS) &&
		  touch_failed_with(&t, KERN_OPERATION_TIMED_OUT) &&
		  CHECK(t.fault_ms - t.start_ms <= 2 * DEADLINE_MS);
	return end_fault(&p, &t) && ok;
}

/* The pager's task dies while a thread waits for its data: the kernel
 * sees the object's receive right destroyed and fails the fault at once. */
static bool pager_task_death_fails_a_waiting_fault_at_once(void)
{
	struct raw_pager p;
	struct toucher t;
	task_t helper = MACH_PORT_NULL;

	bool ok = fault_on_raw_page(&p, true, &t) &&
		  CHECK_KR(spawn_sleeper(&helper), KERN_SUCCESS) &&
		  /* The helper becomes the pager: it holds the receive right, and
		   * never receives. */
		  CHECK_KR(mach_port_insert_right(helper, HELPER_NAME, p.port,
						  MACH_MSG_TYPE_MOVE_RECEIVE), KERN_SUCCESS);
	if (ok) {
		touch_serve(&t, 50);
		ok = CHECK(!t.done);
		uint64_t death = now_ms();
		ok &= CHECK_KR(task_terminate(helper), KERN_SUCCESS) &&
		      touch_wait(&t, 2 * DEADLINE_MS) &&
		      touch_failed_with(&t, KERN_MEMORY_FAILURE) &&
		      CHECK(t.fault_ms - death <= AT_ONCE_MS);
	}
	if (helper != MACH_PORT_NULL) {
		task_terminate(helper);
		mach_port_deallocate(mach_task_self(), helper);
	}
	return end_fault(&p, &t) && ok;
}

/* A pager that dies before it said ready fails the fault as much at once. */
static bool pager_death_before_ready_fails_the_fault_at_once(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, false, &t);
	if (ok) {
		touch_serve(&t, 50);
		ok = CHECK(!t.done);
		uint64_t death = now_ms();
		ok &= CHECK_KR(mach_port_mod_refs(mach_task_self(), p.port, MACH_PORT_RIGHT_RECEIVE,
						  -1), KERN_SUCCESS) &&
		      touch_wait(&t, 2 * DEADLINE_MS) &&
		      touch_failed_with(&t, KERN_MEMORY_FAILURE) &&
		      CHECK(t.fault_ms - death <= AT_ONCE_MS);
	}
	return end_fault(&p, &t) && ok;
}

/* memory_object_destroy: the pager gives the object up, and the waiting
 * fault fails at once. */
static bool destroy_fails_the_waiting_fault(void)
{
	struct raw_pager p;
	struct toucher t;

	bool ok = fault_on_raw_page(&p, true, &t);
	uint64_t destroyed = now_ms();
	ok = ok && CHECK_KR(memory_object_destroy(p.control, KERN_ABORTED), MACH_MSG_SUCCESS) &&
	     touch_wait(&t, 2 * DEADLINE_MS) && touch_failed_with(&t, KERN_MEMORY_FAILURE) &&
	     CHECK(t.fault_ms - destroyed <= AT_ONCE_MS);
	return end_fault(&p, &t) && ok;
}

/* A thread terminated while its fault waits on a pager ends alone: the
 * interrupted fault is no exception, and its task lives on (it used to be
 * ended as if the fault had no handler). */
static bool terminating_a_thread_waiting_on_a_pager_leaves_its_task(void)
{
	struct raw_pager p;
	struct toucher t = { 0 };

	bool ok = raw_open(&p, true) && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, p.port, VM_PAGER_POLICY_WAIT,
					       DEADLINE_MS),
			   KERN_SUCCESS) &&
		  raw_accept_init(&p) && touch_start(&t, p.address, false, 0) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS);
	if (ok) {
		touch_serve(&t, 50);
		ok = CHECK(!t.done) && CHECK_KR(thread_terminate(t.thread), KERN_SUCCESS);
		touch_serve(&t, 50);
		ok = ok && CHECK(!t.faulted) && CHECK(!t.done);
	}
	return end_fault(&p, &t) && ok;
}

static kern_return_t map_port(mach_port_t port, vm_size_t size, vm_offset_t offset,
			      vm_address_t *address)
{
	*address = 0;
	return vm_map(mach_task_self(), address, size, 0, TRUE, port, offset, FALSE,
		      VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY);
}

static uint32_t queued(mach_port_t port)
{
	mach_port_stats_t stats = { 0 };

	CHECK_KR(mach_port_get_stats(mach_task_self(), port, &stats), KERN_SUCCESS);
	return stats.msgcount;
}

/* vm_map refuses what cannot be a pager, and bad ranges, before it sends
 * the pager anything; MACH_PORT_NULL is anonymous memory. */
static bool vm_map_refuses_dead_names_and_kernel_ports(void)
{
	struct raw_pager p;
	mach_port_t dead = MACH_PORT_NULL, thread = mach_thread_self();
	vm_address_t a;

	bool ok = raw_open(&p, false) &&
		  CHECK_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &dead),
			   KERN_SUCCESS) &&
		  CHECK_KR(mach_port_insert_right(mach_task_self(), dead, dead,
						  MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS) &&
		  CHECK_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1),
			   KERN_SUCCESS);
	ok = ok && CHECK_KR(map_port(dead, PAGE, 0, &a), KERN_INVALID_NAME) &&
	     CHECK_KR(map_port(mach_task_self(), PAGE, 0, &a), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(map_port(mach_host_self_, PAGE, 0, &a), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(map_port(thread, PAGE, 0, &a), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(map_port(p.port, 0, 0, &a), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(map_port(p.port, PAGE, 100, &a), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(map_port(p.port, 2 * PAGE, ~(vm_offset_t)0 - PAGE + 1, &a),
		      KERN_INVALID_ARGUMENT) &&
	     CHECK_EQ(queued(p.port), 0);
	if (ok && CHECK_KR(map_port(MACH_PORT_NULL, PAGE, 0, &a), KERN_SUCCESS)) {
		ok = CHECK_EQ(*(volatile uint64_t *)a, 0);
		vm_deallocate(mach_task_self(), a, PAGE);
	}
	if (dead != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), dead);
	mach_port_deallocate(mach_task_self(), thread);
	raw_close(&p);
	return ok;
}

static const struct test failure_tests[] = {
	ENTRY(supplied_page_reaches_the_waiting_thread),
	ENTRY(a_write_waiting_while_its_mapping_became_read_only_fails),
	ENTRY(a_read_waiting_while_its_mapping_went_fails),
	ENTRY(data_unavailable_gives_a_zero_filled_page),
	ENTRY(data_error_is_a_memory_error_for_the_thread),
	ENTRY(silent_pager_fault_times_out_at_the_deadline),
	ENTRY(port_no_pager_serves_fails_the_first_fault),
	ENTRY(pager_task_death_fails_a_waiting_fault_at_once),
	ENTRY(pager_death_before_ready_fails_the_fault_at_once),
	ENTRY(destroy_fails_the_waiting_fault),
	ENTRY(terminating_a_thread_waiting_on_a_pager_leaves_its_task),
	ENTRY(vm_map_refuses_dead_names_and_kernel_ports),
};

void test_failures(void)
{
	run_tests(failure_tests, sizeof(failure_tests) / sizeof(failure_tests[0]));
}
