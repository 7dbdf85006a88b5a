/*
 * Scheduling and time: threads and tasks really run side by side, the CPU
 * is shared fairly at one priority, a higher priority preempts at once,
 * sleeps end on time, and thread_switch hands the CPU over.
 *
 * Busy helpers run at HELPER_PRIORITY, below the runner, so the runner
 * wakes on time to take its readings; while it sleeps the helpers share
 * the CPU.  Every figure comes from the kernel's own accounting
 * (run_ticks) or from counters the helpers advance.
 */
#include "sched.h"

#include "helpers.h"

static mach_port_urefs_t send_refs(mach_port_t name)
{
	mach_port_urefs_t refs = 0;

	CHECK_KR(mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, &refs),
		 KERN_SUCCESS);
	return refs;
}

/*
 * The self traps name the caller's own task, thread and host by one name
 * each, however often they are called, and each call adds a user
 * reference to the send right.
 */
static bool self_ports_have_stable_names_and_count_references(void)
{
	mach_port_t task = task_self_trap(), host = mach_host_self();
	mach_port_urefs_t refs = send_refs(runner_thread);
	thread_t thread = mach_thread_self();
	bool ok = true;

	ok &= CHECK(mach_task_self() != MACH_PORT_NULL);
	ok &= CHECK(task == mach_task_self());
	ok &= CHECK(host == mach_host_self_ && host != MACH_PORT_NULL);
	ok &= CHECK(thread == runner_thread && thread != MACH_PORT_NULL);
	ok &= CHECK(thread != task && thread != host && task != host);
	ok &= CHECK(send_refs(runner_thread) == refs + 1);
	ok &= release(thread) && release(task) && release(host);
	ok &= CHECK(send_refs(runner_thread) == refs);
	ok &= CHECK_KR(null_trap(), KERN_SUCCESS);
	return ok;
}

static bool task_and_thread_info_describe_the_runner(void)
{
	struct task_basic_info task;
	struct thread_basic_info thread;
	bool ok = true;

	ok &= CHECK_KR(get_task_info(mach_task_self(), &task), KERN_SUCCESS);
	ok &= CHECK(task.state == TASK_STATE_RUNNING);
	ok &= CHECK(task.suspend_count == 0);
	ok &= CHECK(task.thread_count == 1);
	ok &= CHECK(strcmp(task.name, "usertest") == 0);
	ok &= CHECK_KR(get_thread_info(runner_thread, &thread), KERN_SUCCESS);
	ok &= CHECK(thread.state == THREAD_STATE_RUNNING);
	ok &= CHECK(thread.suspend_count == 0);
	ok &= CHECK(thread.priority == RUNNER_PRIORITY);
	ok &= CHECK(thread.switches >= 1);
	/* Measured before the runner raised itself. */
	ok &= CHECK(runner_initial_thread_info.priority == THREAD_PRIORITY_DEFAULT);
	return ok;
}

static volatile uint64_t counters[2];

/* Starts busy_count threads on counters[0..1]; false if either failed. */
static bool start_two_busy_threads(int priority, thread_t threads[2])
{
	counters[0] = counters[1] = 0;
	threads[0] = threads[1] = MACH_PORT_NULL;
	return start_thread(busy_count, (void *)&counters[0], 0, priority, &threads[0]) &&
	       start_thread(busy_count, (void *)&counters[1], 1, priority, &threads[1]);
}

/* Ends the threads start_two_busy_threads started (in slots 0 and 1). */
static bool stop_threads(thread_t *threads, unsigned n)
{
	bool ok = true;

	for (unsigned i = 0; i < n; i++)
		ok &= end_thread(threads[i], i);
	return ok;
}

static bool two_threads_of_one_task_both_progress(void)
{
	thread_t threads[2];
	bool ok = start_two_busy_threads(HELPER_PRIORITY, threads);

	sleep_ms(100);
	uint64_t a = counters[0], b = counters[1];
	ok &= stop_threads(threads, 2);
	ok &= CHECK(a > 0);
	ok &= CHECK(b > 0);
	return ok;
}

static bool equal_priority_busy_tasks_share_the_cpu(void)
{
	task_t tasks[2] = { MACH_PORT_NULL, MACH_PORT_NULL };
	thread_t threads[2] = { MACH_PORT_NULL, MACH_PORT_NULL };
	uint64_t before[2], after[2];
	bool ok = true;

	for (int i = 0; i < 2; i++)
		ok &= spawn_spin(HELPER_PRIORITY, &tasks[i], &threads[i]);
	if (!ok)
		goto out;
	before[0] = task_run_ticks(tasks[0]);
	before[1] = task_run_ticks(tasks[1]);
	sleep_ms(300);
	after[0] = task_run_ticks(tasks[0]);
	after[1] = task_run_ticks(tasks[1]);
	diag("spin tasks ran %lu and %lu ticks in 300 ms", after[0] - before[0],
	     after[1] - before[1]);
	/* About 15 ticks each: round-robin shares the CPU between equal
	 * priorities, so neither busy task starves the other. */
	uint64_t a = after[0] - before[0], b = after[1] - before[1];
	ok &= CHECK(a >= 5 && b >= 5);
	ok &= CHECK(a * 10 >= (a + b) * 3 && a * 10 <= (a + b) * 7);
out:
	for (int i = 0; i < 2; i++)
		ok &= end_task(tasks[i], threads[i]);
	return ok;
}

/* The spin role's rbx, read while its thread is suspended. */
static bool read_spin_counter(thread_t thread, uint64_t *rbx)
{
	struct x86_64_thread_state state;
	bool ok = CHECK_KR(thread_suspend(thread), KERN_SUCCESS);

	ok &= CHECK_KR(get_thread_state(thread, &state), KERN_SUCCESS);
	*rbx = state.rbx;
	/* Suspended, it cannot move: a second read agrees. */
	ok &= CHECK_KR(get_thread_state(thread, &state), KERN_SUCCESS);
	ok &= CHECK(state.rbx == *rbx);
	ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
	return ok;
}

static bool spin_task_counter_register_advances(void)
{
	task_t task;
	thread_t thread;
	uint64_t first = 0, second = 0;

	if (!spawn_spin(HELPER_PRIORITY, &task, &thread))
		return false;
	sleep_ms(20);
	bool ok = read_spin_counter(thread, &first);
	sleep_ms(30);
	ok &= read_spin_counter(thread, &second);
	diag("spin counter rbx: %lu, then %lu", first, second);
	ok &= CHECK(second > first);
	ok &= end_task(task, thread);
	return ok;
}

static bool busy_thread_cannot_starve_an_equal_priority_one(void)
{
	thread_t threads[2];
	bool ok = start_two_busy_threads(HELPER_PRIORITY, threads);
	uint64_t a = 0, b = 0;

	if (ok) {
		sleep_ms(500);
		a = thread_run_ticks(threads[0]);
		b = thread_run_ticks(threads[1]);
	}
	uint64_t ca = counters[0], cb = counters[1];
	ok &= stop_threads(threads, 2);
	diag("equal-priority busy threads: %lu and %lu ticks, counters %lu and %lu", a, b, ca,
	     cb);
	ok &= CHECK(ca > 0 && cb > 0);
	ok &= CHECK(a + b >= 40);          /* of the 50 ticks the runner slept */
	ok &= CHECK(10 * a >= 3 * (a + b) && 10 * a <= 7 * (a + b));
	return ok;
}

/*
 * The high thread sleeps to a deadline while the low one runs, then runs
 * busily itself for 50 ms watching the low counter, which must stand still.
 */
struct preemption {
	uint64_t deadline;
	uint64_t woke;
	uint64_t low_at_wake;
	uint64_t low_after_busy;
	volatile int done;
};

static struct preemption preemption;

static void high_priority_sleeper(void *arg)
{
	struct preemption *p = arg;

	clock_sleep(p->deadline);
	p->woke = now_ns();
	p->low_at_wake = counters[0];
	while (now_ns() < p->woke + 50 * MACH_NS_PER_MS)
		continue;
	p->low_after_busy = counters[0];
	p->done = 1;
}

static bool higher_priority_preempts_lower_within_two_ticks(void)
{
	struct preemption *p = &preemption;
	thread_t low = MACH_PORT_NULL, high = MACH_PORT_NULL;
	bool ok;

	*p = (struct preemption){ 0 };
	counters[0] = 0;
	ok = start_thread(busy_count, (void *)&counters[0], 0, HELPER_PRIORITY - 2, &low);
	sleep_ms(20);
	p->deadline = now_ns() + 40 * MACH_NS_PER_MS;
	ok &= start_thread(high_priority_sleeper, p, 1, HELPER_PRIORITY + 2, &high);
	for (int i = 0; ok && !p->done && i < 100; i++)
		sleep_ms(10);
	ok &= CHECK(p->done);
	if (p->done && high != MACH_PORT_NULL)
		ok &= wait_thread_gone(high, 100) && reap_thread(high, 1);
	else
		end_thread(high, 1);
	ok &= end_thread(low, 0);
	diag("high thread woke %lu us after its deadline; low counter %lu, then %lu",
	     (p->woke - p->deadline) / 1000, p->low_at_wake, p->low_after_busy);
	ok &= CHECK(p->woke >= p->deadline);
	ok &= CHECK(p->woke - p->deadline <= 2 * TICK_NS);
	ok &= CHECK(p->low_at_wake > 0);
	ok &= CHECK(p->low_after_busy == p->low_at_wake);
	return ok;
}

static bool sleep_of_30_ms_wakes_on_time(void)
{
	uint64_t start = now_ns();
	bool ok = CHECK_KR(clock_sleep(start + 30 * MACH_NS_PER_MS), KERN_SUCCESS);
	uint64_t elapsed = now_ns() - start;

	diag("slept %lu us for 30000", elapsed / 1000);
	ok &= CHECK(elapsed >= 30 * MACH_NS_PER_MS);
	ok &= CHECK(elapsed < 55 * MACH_NS_PER_MS);
	return ok;
}

static bool sleep_with_a_past_deadline_returns_at_once(void)
{
	uint64_t start = now_ns();
	bool ok = CHECK_KR(clock_sleep(start - 1000), KERN_SUCCESS);

	ok &= CHECK_KR(clock_sleep(0), KERN_SUCCESS);
	ok &= CHECK_KR(clock_sleep(start), KERN_SUCCESS);
	ok &= CHECK(now_ns() - start < TICK_NS / 2);
	return ok;
}

static bool clock_is_monotonic(void)
{
	uint64_t first, previous, now;
	bool ok = CHECK_KR(clock_get_time(&first), KERN_SUCCESS);

	previous = first;
	for (int i = 0; i < 10000; i++) {
		if (clock_get_time(&now) != KERN_SUCCESS || now < previous) {
			diag("read %d: %lu after %lu", i, now, previous);
			return false;
		}
		previous = now;
	}
	ok &= CHECK(previous > first);
	return ok;
}

static volatile int switched_to;

static void mark_switched_to(void *arg)
{
	(void)arg;
	switched_to = 1;
}

/* thread_switch to a named thread runs it next, even at a lower priority. */
static bool thread_switch_to_a_named_thread_runs_it_next(void)
{
	thread_t t;

	switched_to = 0;
	if (!start_thread(mark_switched_to, NULL, 0, HELPER_PRIORITY, &t))
		return false;
	bool ok = CHECK_KR(thread_switch(t, SWITCH_OPTION_NONE, 0), KERN_SUCCESS);
	ok &= CHECK(switched_to == 1);
	ok &= wait_thread_gone(t, 100) && reap_thread(t, 0);
	return ok;
}

/* thread_switch(MACH_PORT_NULL) gives the CPU to a ready equal-priority thread. */
static bool thread_switch_yields_to_an_equal_priority_thread(void)
{
	thread_t t;

	switched_to = 0;
	if (!start_thread(mark_switched_to, NULL, 0, RUNNER_PRIORITY, &t))
		return false;
	bool ok = CHECK_KR(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0), KERN_SUCCESS);
	ok &= CHECK(switched_to == 1);
	ok &= wait_thread_gone(t, 100) && reap_thread(t, 0);
	/* Nothing else ready at this priority: the yield returns at once. */
	ok &= CHECK_KR(thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0), KERN_SUCCESS);
	return ok;
}

static bool thread_priority_accepts_1_to_24_only(void)
{
	struct thread_basic_info info;
	thread_t t;
	bool ok = CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS);

	if (!ok)
		return false;
	ok &= CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS);
	ok &= CHECK(info.priority == THREAD_PRIORITY_DEFAULT);
	ok &= CHECK_KR(thread_priority(t, THREAD_PRIORITY_MIN, FALSE), KERN_SUCCESS);
	ok &= CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS);
	ok &= CHECK(info.priority == THREAD_PRIORITY_MIN);
	ok &= CHECK_KR(thread_priority(t, THREAD_PRIORITY_USER_MAX, FALSE), KERN_SUCCESS);
	ok &= CHECK_KR(thread_priority(t, 0, FALSE), KERN_INVALID_VALUE);
	ok &= CHECK_KR(thread_priority(t, THREAD_PRIORITY_USER_MAX + 1, FALSE),
		       KERN_INVALID_VALUE);
	ok &= CHECK_KR(thread_priority(t, THREAD_PRIORITY_MAX, FALSE), KERN_INVALID_VALUE);
	ok &= CHECK_KR(thread_priority(t, -1, FALSE), KERN_INVALID_VALUE);
	ok &= CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS);
	ok &= CHECK(info.priority == THREAD_PRIORITY_USER_MAX);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

/* With set_max the priority is also the thread's ceiling from then on. */
static bool thread_priority_with_set_max_lowers_the_ceiling(void)
{
	struct thread_basic_info info;
	thread_t t;
	bool ok = CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS);

	if (!ok)
		return false;
	ok &= CHECK_KR(thread_priority(t, 12, TRUE), KERN_SUCCESS);
	ok &= CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS) && CHECK(info.priority == 12);
	ok &= CHECK_KR(thread_priority(t, 13, FALSE), KERN_INVALID_VALUE);
	ok &= CHECK_KR(thread_priority(t, THREAD_PRIORITY_USER_MAX, TRUE), KERN_INVALID_VALUE);
	ok &= CHECK_KR(thread_priority(t, 10, FALSE), KERN_SUCCESS);
	ok &= CHECK_KR(thread_priority(t, 12, FALSE), KERN_SUCCESS);
	ok &= CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS) && CHECK(info.priority == 12);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

const struct test sched_tests[] = {
	{ "self_ports_have_stable_names_and_count_references",
	  self_ports_have_stable_names_and_count_references },
	{ "task_and_thread_info_describe_the_runner",
	  task_and_thread_info_describe_the_runner },
	{ "two_threads_of_one_task_both_progress", two_threads_of_one_task_both_progress },
	{ "equal_priority_busy_tasks_share_the_cpu",
	  equal_priority_busy_tasks_share_the_cpu },
	{ "spin_task_counter_register_advances_between_reads",
	  spin_task_counter_register_advances },
	{ "busy_thread_cannot_starve_an_equal_priority_one",
	  busy_thread_cannot_starve_an_equal_priority_one },
	{ "higher_priority_thread_preempts_lower_within_two_ticks",
	  higher_priority_preempts_lower_within_two_ticks },
	{ "sleep_of_30_ms_wakes_on_time", sleep_of_30_ms_wakes_on_time },
	{ "sleep_with_a_past_deadline_returns_at_once",
	  sleep_with_a_past_deadline_returns_at_once },
	{ "clock_is_monotonic", clock_is_monotonic },
	{ "thread_switch_to_a_named_thread_runs_it_next",
	  thread_switch_to_a_named_thread_runs_it_next },
	{ "thread_switch_yields_to_an_equal_priority_thread",
	  thread_switch_yields_to_an_equal_priority_thread },
	{ "thread_priority_accepts_1_to_24_only", thread_priority_accepts_1_to_24_only },
	{ "thread_priority_with_set_max_lowers_the_ceiling",
	  thread_priority_with_set_max_lowers_the_ceiling },
};
const unsigned sched_test_count = sizeof(sched_tests) / sizeof(sched_tests[0]);
