/*
 * Fault injection (servers/faultpager, idl/defs/faultpager.defs): a real
 * pager, mempager's objects and store, made to misbehave in each of its
 * modes while a thread of the runner faults on one of its objects.  The
 * faultpager that pager.sh boots serves the modes it survives; the
 * modes that end the pager (exit, exit_writeback, self_deadlock, cycle)
 * each get fresh ones, started with host_boot_module_load under names
 * of their own.  Each test checks what the faulting thread got and when,
 * against the object's policy: the data, late; an error at the
 * deadline; an error at once when the pager dies.
 */
#include <faultpager.h>

#include "faultpager_modes.h"
#include "pagertest.h"

/* delay: a pager slower than it should be, but within the deadline, only
 * slows the fault. */
static bool delay_within_the_deadline_only_slows_the_fault(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  fp_inject(pager, FAULTPAGER_DELAY, DEADLINE_MS / 2, 0) && victim_read_well(&v, 0, &ms) &&
		  CHECK(ms >= DEADLINE_MS / 2) && CHECK(ms < DEADLINE_MS) &&
		  CHECK_EQ(fp_misbehaved(pager), 1) && fp_inject(pager, FAULTPAGER_NONE, 0, 0);
	victim_close(&v);
	return ok;
}

/* delay past the deadline: under fail, the fault fails at the deadline
 * and the late answer is refused. */
static bool delay_past_the_deadline_fails_the_fault_under_fail(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  fp_inject(pager, FAULTPAGER_DELAY, 2 * DEADLINE_MS, 0) &&
		  victim_read_fails(&v, 0, KERN_OPERATION_TIMED_OUT, &ms) && CHECK(ms >= DEADLINE_MS) &&
		  CHECK(ms < 2 * DEADLINE_MS) && CHECK_EQ(victim_stats(&v).timeouts, 1) &&
		  fp_inject(pager, FAULTPAGER_NONE, 0, 0);   /* after the delayed answer */
	victim_close(&v);
	return ok;
}

/* hang under wait: the baseline that hangs; the fault waits on. */
static bool hang_keeps_the_fault_waiting_under_wait(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	struct toucher t = { 0 };

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_WAIT) &&
		  fp_inject(pager, FAULTPAGER_HANG, 0, 0) &&
		  touch_start(&t, v.address, false, 0);
	touch_serve(&t, 4 * DEADLINE_MS);
	ok = ok && CHECK(!t.done) && CHECK_EQ(fp_misbehaved(pager), 1);
	ok = touch_end(&t) && fp_inject(pager, FAULTPAGER_NONE, 0, 0) && ok;
	victim_close(&v);
	return ok;
}

/* hang under fail: a memory error at the deadline. */
static bool hang_fails_the_fault_at_the_deadline_under_fail(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  fp_inject(pager, FAULTPAGER_HANG, 0, 0) &&
		  victim_read_fails(&v, 1, KERN_OPERATION_TIMED_OUT, &ms) && CHECK(ms >= DEADLINE_MS) &&
		  CHECK(ms < 2 * DEADLINE_MS) && fp_inject(pager, FAULTPAGER_NONE, 0, 0) &&
		  victim_read_well(&v, 1, &ms);   /* the next fault asks again */
	victim_close(&v);
	return ok;
}

/* drop: requests lost now and then; retry asks again and gets every
 * page, the same ones lost on every run (the generator's seed).  A page
 * may wait out every retry's deadline, each twice the last. */
static bool dropped_requests_are_recovered_by_retry(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_RETRY) &&
		  fp_inject(pager, FAULTPAGER_DROP, FAULTPAGER_DROP_ALL / 4, 0);
	for (unsigned page = 0; ok && page < VICTIM_PAGES; page++)
		ok = victim_read_well_within(&v, page, &ms, 32 * DEADLINE_MS);
	struct vm_pager_stats s = victim_stats(&v);
	uint64_t lost = fp_misbehaved(pager);
	ok = ok && CHECK(lost > 0) && CHECK_EQ(s.retries, lost) &&
	     CHECK_EQ(s.requests, VICTIM_PAGES + lost) && fp_inject(pager, FAULTPAGER_NONE, 0, 0);
	victim_close(&v);
	return ok;
}

/* error: the pager's data_error fails the fault at once. */
static bool error_answers_fail_the_fault_at_once(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  fp_inject(pager, FAULTPAGER_ERROR, KERN_MEMORY_ERROR, 1) && victim_read_well(&v, 0, &ms) &&
		  victim_read_fails(&v, 1, KERN_MEMORY_ERROR, &ms) && CHECK(ms < DEADLINE_MS / 2) &&
		  CHECK_EQ(victim_stats(&v).errors, 1) && fp_inject(pager, FAULTPAGER_NONE, 0, 0);
	victim_close(&v);
	return ok;
}

/* wrong data: nothing in the protocol can tell; the program reads the
 * pager's corruption (the study finds it by checksum). */
static bool wrong_data_reaches_the_program(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	struct toucher t = { 0 };
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  fp_inject(pager, FAULTPAGER_WRONG_DATA, 0, 0) &&
		  victim_read(&v, 2, &t, &ms, 4 * DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, ~mempager_pattern(VICTIM_SEED, 2 * PAGE));
	ok = touch_end(&t) && fp_inject(pager, FAULTPAGER_NONE, 0, 0) && ok;
	victim_close(&v);
	return ok;
}

/* wrong offset: the kernel refuses the page it did not ask for, and the
 * fault fails at the deadline. */
static bool wrong_offset_is_refused_and_fails_at_the_deadline(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  fp_inject(pager, FAULTPAGER_WRONG_OFFSET, 0, 0) &&
		  victim_read_fails(&v, 0, KERN_OPERATION_TIMED_OUT, &ms) && CHECK(ms >= DEADLINE_MS) &&
		  CHECK_EQ(victim_stats(&v).supplied, 0) && fp_inject(pager, FAULTPAGER_NONE, 0, 0);
	victim_close(&v);
	return ok;
}

/* no_ack: the pager stores what comes back and never says so; the
 * kernel keeps the pages (laundry) and sends them again at the next
 * clean, which is answered once the injection ends. */
static bool write_backs_never_acknowledged_stay_with_the_kernel(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t sum = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  fp_inject(pager, FAULTPAGER_NO_ACK, 0, 0);
	if (ok)
		*(volatile uint64_t *)v.address = 0x4242;
	ok = ok &&
	     CHECK_KR(mempager_sync(pager, v.object, 0, PAGE, MEMORY_OBJECT_RETURN_DIRTY, FALSE),
		      KERN_SUCCESS) &&
	     CHECK_EQ(victim_stats(&v).laundry, 1) && CHECK_EQ(fp_misbehaved(pager), 1) &&
	     CHECK_KR(mempager_checksum(pager, v.object, 0, 8, &sum), KERN_SUCCESS) &&
	     CHECK_EQ(sum, mempager_sum(MEMPAGER_CHECKSUM_START, &(uint64_t){ 0x4242 }, 1)) &&
	     fp_inject(pager, FAULTPAGER_NONE, 0, 0) &&
	     CHECK_KR(mempager_sync(pager, v.object, 0, PAGE, MEMORY_OBJECT_RETURN_DIRTY, FALSE),
		      KERN_SUCCESS) &&
	     CHECK_EQ(victim_stats(&v).laundry, 0);
	victim_close(&v);
	return ok;
}

/* exit: the pager's death fails the waiting fault at once, long before
 * the deadline. */
static bool exit_at_a_request_fails_the_fault_at_once(void)
{
	static const char args[] = "name=faultpager.exit\0mode=exit\0after=1";
	mach_port_t pager = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_spawn(args, sizeof(args), &pager, &task) &&
		  victim_open(&v, pager, VM_PAGER_POLICY_FAIL) && victim_read_well(&v, 0, &ms) &&
		  victim_read_fails(&v, 1, KERN_MEMORY_FAILURE, &ms) && CHECK(ms < DEADLINE_MS / 2);
	victim_close(&v);
	if (task != MACH_PORT_NULL)
		fp_reap(task, pager);
	return ok;
}

/* exit_writeback: the pager dies holding pages the kernel kept; they stay
 * the program's (laundry made dirty again), and faults on the rest fail
 * at once. */
static bool exit_in_a_write_back_loses_nothing_the_kernel_kept(void)
{
	static const char args[] = "name=faultpager.wb\0mode=exit_writeback";
	mach_port_t pager = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;

	bool ok = fp_spawn(args, sizeof(args), &pager, &task) &&
		  victim_open(&v, pager, VM_PAGER_POLICY_FAIL);
	if (ok)
		*(volatile uint64_t *)v.address = 0x5151;
	/* The pager dies in the sync's data_return: the sync gets no reply. */
	ok = ok &&
	     CHECK(mempager_sync(pager, v.object, 0, PAGE, MEMORY_OBJECT_RETURN_DIRTY, FALSE) !=
		   KERN_SUCCESS) &&
	     CHECK_EQ(*(volatile uint64_t *)v.address, 0x5151) &&
	     victim_read_fails(&v, 1, KERN_MEMORY_FAILURE, &ms) && CHECK(ms < DEADLINE_MS / 2);
	victim_close(&v);
	if (task != MACH_PORT_NULL)
		fp_reap(task, pager);
	return ok;
}

/* self_deadlock: the pager faults on the page it is asked for; its wait
 * closes a waits-for cycle of one task, which fail breaks at once: the
 * pager's fault fails (KERN_DEADLOCK), it dies of it, and the program's
 * fault fails at once with the pager's death. */
static bool self_deadlock_is_broken_at_once_under_fail(void)
{
	static const char args[] = "name=faultpager.self\0mode=self_deadlock";
	mach_port_t pager = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	struct victim v = { 0 };
	uint64_t ms = 0;
	vm_statistics_data_t before = { 0 }, after = { 0 };

	foreign_count = 0;
	bool ok = CHECK_KR(vm_statistics(mach_task_self(), &before), KERN_SUCCESS) &&
		  fp_spawn(args, sizeof(args), &pager, &task) &&
		  victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  victim_read_fails(&v, 0, KERN_MEMORY_FAILURE, &ms) && CHECK(ms < DEADLINE_MS / 2) &&
		  CHECK_KR(vm_statistics(mach_task_self(), &after), KERN_SUCCESS) &&
		  CHECK_EQ(after.pager_cycles - before.pager_cycles, 1) &&
		  CHECK_EQ(foreign_count, 1) &&
		  CHECK_KR((kern_return_t)foreign[0].code[0], KERN_DEADLOCK);
	victim_close(&v);
	if (task != MACH_PORT_NULL)
		fp_reap(task, pager);
	return ok;
}

/* cycle: two faultpagers, each reading the other's object while it
 * serves; a fault on the first's closes the cycle in the second, whose
 * wait fail breaks at once.  Both pagers die of it, one after the
 * other, and the program's fault fails at once. */
static bool two_pagers_reading_each_other_are_broken_at_once_under_fail(void)
{
	static const char args_a[] = "name=faultpager.a\0mode=cycle";
	static const char args_b[] = "name=faultpager.b\0mode=cycle";
	mach_port_t a = MACH_PORT_NULL, b = MACH_PORT_NULL;
	task_t task_a = MACH_PORT_NULL, task_b = MACH_PORT_NULL;
	struct victim va = { 0 }, vb = { 0 };
	uint64_t ms = 0;
	vm_statistics_data_t before = { 0 }, after = { 0 };

	foreign_count = 0;
	bool ok = CHECK_KR(vm_statistics(mach_task_self(), &before), KERN_SUCCESS) &&
		  fp_spawn(args_a, sizeof(args_a), &a, &task_a) &&
		  fp_spawn(args_b, sizeof(args_b), &b, &task_b) &&
		  victim_open(&va, a, VM_PAGER_POLICY_FAIL) &&
		  victim_open(&vb, b, VM_PAGER_POLICY_FAIL) &&
		  CHECK_KR(faultpager_peer(a, vb.object, vb.size), KERN_SUCCESS) &&
		  CHECK_KR(faultpager_peer(b, va.object, va.size), KERN_SUCCESS) &&
		  victim_read_fails(&va, 0, KERN_MEMORY_FAILURE, &ms) && CHECK(ms < DEADLINE_MS / 2) &&
		  CHECK_KR(vm_statistics(mach_task_self(), &after), KERN_SUCCESS) &&
		  CHECK_EQ(after.pager_cycles - before.pager_cycles, 1) &&
		  CHECK_EQ(foreign_count, 2);   /* b of the cycle broken, a of b's death */
	victim_close(&va);
	victim_close(&vb);
	if (task_a != MACH_PORT_NULL)
		fp_reap(task_a, a);
	if (task_b != MACH_PORT_NULL)
		fp_reap(task_b, b);
	return ok;
}

/* Bad values are refused, and the booted pager keeps serving. */
static bool bad_injections_are_refused(void)
{
	mach_port_t pager = MACH_PORT_NULL;

	return fp_booted(&pager) &&
	       CHECK_KR(faultpager_inject(pager, FAULTPAGER_MODES, 0, 0), KERN_INVALID_VALUE) &&
	       CHECK_KR(faultpager_inject(pager, FAULTPAGER_DROP, FAULTPAGER_DROP_ALL + 1, 0),
			KERN_INVALID_VALUE) &&
	       CHECK_KR(faultpager_inject(pager, FAULTPAGER_DELAY, FAULTPAGER_DELAY_MAX_MS + 1, 0),
			KERN_INVALID_VALUE) &&
	       CHECK_KR(faultpager_peer(pager, MACH_PORT_NULL, PAGE), KERN_INVALID_ARGUMENT) &&
	       CHECK_EQ(fp_misbehaved(pager), 0);
}

void test_inject(void)
{
	static const struct test tests[] = {
		ENTRY(bad_injections_are_refused),
		ENTRY(delay_within_the_deadline_only_slows_the_fault),
		ENTRY(delay_past_the_deadline_fails_the_fault_under_fail),
		ENTRY(hang_keeps_the_fault_waiting_under_wait),
		ENTRY(hang_fails_the_fault_at_the_deadline_under_fail),
		ENTRY(dropped_requests_are_recovered_by_retry),
		ENTRY(error_answers_fail_the_fault_at_once),
		ENTRY(wrong_data_reaches_the_program),
		ENTRY(wrong_offset_is_refused_and_fails_at_the_deadline),
		ENTRY(write_backs_never_acknowledged_stay_with_the_kernel),
		ENTRY(exit_at_a_request_fails_the_fault_at_once),
		ENTRY(exit_in_a_write_back_loses_nothing_the_kernel_kept),
		ENTRY(self_deadlock_is_broken_at_once_under_fail),
		ENTRY(two_pagers_reading_each_other_are_broken_at_once_under_fail),
	};

	run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
