/*
 * Creation and ending: empty tasks, the ways a task ends (main returns,
 * its last thread terminates itself, someone terminates it), who may
 * control whom, and that a thousand threads and two hundred tasks come
 * and go without leaving anything behind in the kernel or reusing a name.
 */
#include "lifecycle.h"

#include "usertest.h"

#define PF_USER  0x4
#define PF_FETCH 0x10
#define HOUR_NS (3600ull * 1000 * MACH_NS_PER_MS)

/* ---- roles ---- */

int role_thread_exit(int argc, char **argv, char **envp)
{
	(void)envp;
	(void)argc;
	(void)argv;
	thread_terminate(mach_thread_self());
	return 1;   /* not reached: it was the task's only thread */
}

int role_sleep(int argc, char **argv, char **envp)
{
	(void)envp;
	(void)argc;
	(void)argv;
	for (;;)
		mach_sleep_ns(HOUR_NS);
}

/* FNV-1a over the argv words joined by single spaces. */
static uint64_t words_hash(int argc, char **argv)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (int i = 0; i < argc; i++) {
		for (const char *c = argv[i]; *c != '\0'; c++)
			h = (h ^ (uint8_t)*c) * 0x100000001b3ull;
		if (i + 1 < argc)
			h = (h ^ ' ') * 0x100000001b3ull;
	}
	return h;
}

#define ARGS_ENV_EMPTY 1      /* envp[0] == NULL */
#define ARGS_AUXV_NULL 2      /* then the auxiliary vector is AT_NULL, 0 */
#define ARGS_ALIGNED 4        /* the initial rsp (just below argv) was 16-byte aligned */

/* role=args: reports argc, the hash of argv and the shape of the initial stack. */
int role_args(int argc, char **argv, char **envp)
{
	uint64_t flags = 0;
	uint64_t *auxv = (uint64_t *)(envp + 1);

	if (envp[0] == NULL) {
		flags |= ARGS_ENV_EMPTY;
		if (auxv[0] == 0 && auxv[1] == 0)
			flags |= ARGS_AUXV_NULL;
	}
	if (((uintptr_t)argv - 8) % 16 == 0)
		flags |= ARGS_ALIGNED;
	report_and_spin((uint64_t)argc, words_hash(argc, argv), flags, 0);
}

/*
 * role=probe: tries to control its parent (the runner), the parent's
 * thread and a sibling, which it may not, and a child of its own, which
 * it may; then reports every result through its registers.
 */
struct probe_targets {
	task_t parent, sibling, child;
	thread_t parent_thread, child_thread;
};

struct probe_call {
	const char *what;
	kern_return_t (*call)(struct probe_targets *p);
	kern_return_t want;
};

static struct task_basic_info probe_task_info;
static struct thread_basic_info probe_thread_info;
static struct x86_64_thread_state probe_state;

static kern_return_t suspend_parent(struct probe_targets *p) { return task_suspend(p->parent); }
static kern_return_t resume_parent(struct probe_targets *p) { return task_resume(p->parent); }
static kern_return_t info_parent(struct probe_targets *p)
{
	return task_info(p->parent, &probe_task_info);
}
static kern_return_t create_in_parent(struct probe_targets *p)
{
	task_t task;
	return task_create(p->parent, &task);
}
static kern_return_t thread_in_parent(struct probe_targets *p)
{
	thread_t thread;
	return thread_create(p->parent, &thread);
}
static kern_return_t suspend_parent_thread(struct probe_targets *p)
{
	return thread_suspend(p->parent_thread);
}
static kern_return_t resume_parent_thread(struct probe_targets *p)
{
	return thread_resume(p->parent_thread);
}
static kern_return_t info_parent_thread(struct probe_targets *p)
{
	return thread_info(p->parent_thread, &probe_thread_info);
}
static kern_return_t state_of_parent_thread(struct probe_targets *p)
{
	return thread_get_state(p->parent_thread, X86_64_THREAD_STATE, &probe_state,
				sizeof(probe_state));
}
static kern_return_t priority_of_parent_thread(struct probe_targets *p)
{
	return thread_priority(p->parent_thread, THREAD_PRIORITY_MIN);
}
static kern_return_t suspend_sibling(struct probe_targets *p) { return task_suspend(p->sibling); }
static kern_return_t info_sibling(struct probe_targets *p)
{
	return task_info(p->sibling, &probe_task_info);
}
static kern_return_t terminate_sibling(struct probe_targets *p)
{
	return task_terminate(p->sibling);
}
static kern_return_t switch_to_parent_thread(struct probe_targets *p)
{
	return thread_switch(p->parent_thread, SWITCH_OPTION_NONE, 0);
}
static kern_return_t spawn_child(struct probe_targets *p)
{
	return spawn_role("role=sleep", &p->child, &p->child_thread);
}
static kern_return_t info_child(struct probe_targets *p)
{
	return task_info(p->child, &probe_task_info);
}
static kern_return_t suspend_child_thread(struct probe_targets *p)
{
	return thread_suspend(p->child_thread);
}
static kern_return_t resume_child_thread(struct probe_targets *p)
{
	return thread_resume(p->child_thread);
}
/* Last: if the kernel wrongly allowed it, the runner is gone and the plan unmet. */
static kern_return_t terminate_parent(struct probe_targets *p)
{
	return task_terminate(p->parent);
}

static const struct probe_call probe_calls[] = {
	{ "task_suspend(parent)", suspend_parent, KERN_NO_ACCESS },
	{ "task_resume(parent)", resume_parent, KERN_NO_ACCESS },
	{ "task_info(parent)", info_parent, KERN_NO_ACCESS },
	{ "task_create(parent)", create_in_parent, KERN_NO_ACCESS },
	{ "thread_create(parent)", thread_in_parent, KERN_NO_ACCESS },
	{ "thread_suspend(parent's thread)", suspend_parent_thread, KERN_NO_ACCESS },
	{ "thread_resume(parent's thread)", resume_parent_thread, KERN_NO_ACCESS },
	{ "thread_info(parent's thread)", info_parent_thread, KERN_NO_ACCESS },
	{ "thread_get_state(parent's thread)", state_of_parent_thread, KERN_NO_ACCESS },
	{ "thread_priority(parent's thread)", priority_of_parent_thread, KERN_NO_ACCESS },
	{ "task_suspend(sibling)", suspend_sibling, KERN_NO_ACCESS },
	{ "task_info(sibling)", info_sibling, KERN_NO_ACCESS },
	{ "task_terminate(sibling)", terminate_sibling, KERN_NO_ACCESS },
	{ "thread_switch(parent's thread)", switch_to_parent_thread, KERN_SUCCESS },
	{ "boot_module_spawn(child)", spawn_child, KERN_SUCCESS },
	{ "task_info(child)", info_child, KERN_SUCCESS },
	{ "thread_suspend(child's thread)", suspend_child_thread, KERN_SUCCESS },
	{ "thread_resume(child's thread)", resume_child_thread, KERN_SUCCESS },
	{ "task_terminate(parent)", terminate_parent, KERN_NO_ACCESS },
};
#define PROBE_CALLS (sizeof(probe_calls) / sizeof(probe_calls[0]))
_Static_assert(PROBE_CALLS <= 24, "results fit r12, r13 and r15, one byte each");

/* Results are single bytes: every KERN_* code is below 256. */
int role_probe(int argc, char **argv, char **envp)
{
	(void)envp;
	struct probe_targets p = {
		.parent = (task_t)arg_number(argc, argv, "parent", 0),
		.parent_thread = (thread_t)arg_number(argc, argv, "parent-thread", 0),
		.sibling = (task_t)arg_number(argc, argv, "sibling", 0),
	};
	uint64_t results[3] = { 0, 0, 0 };

	for (unsigned i = 0; i < PROBE_CALLS; i++) {
		uint64_t kr = (uint8_t)probe_calls[i].call(&p);
		results[i / 8] |= kr << (8 * (i % 8));
	}
	report_and_spin(results[0], results[1], (uint64_t)p.child | (uint64_t)p.child_thread << 32,
			results[2]);
}

/* ---- tests ---- */

static bool empty_task_has_no_threads_until_terminated(void)
{
	struct task_basic_info info;
	task_t task;

	if (!CHECK_KR(task_create(mach_task_self(), &task), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(info.state == TASK_STATE_RUNNING);
	ok &= CHECK(info.thread_count == 0);
	ok &= CHECK(info.suspend_count == 0);
	ok &= CHECK(info.run_ticks == 0);
	ok &= CHECK(task != mach_task_self());
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK_KR(task_info(task, &info), KERN_INVALID_NAME);
	return ok;
}

static bool thread_in_an_empty_task_faults_on_its_first_instruction(void)
{
	struct x86_64_thread_state state = { 0 };
	struct task_basic_info info;
	task_t task;
	thread_t thread;

	if (!CHECK_KR(task_create(mach_task_self(), &task), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(thread_create(task, &thread), KERN_SUCCESS);
	state.rip = 0x400000;
	state.rsp = 0x800000;
	ok &= CHECK_KR(thread_set_state(thread, X86_64_THREAD_STATE, &state, sizeof(state)),
		       KERN_SUCCESS);
	ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
	if (ok && wait_task_halted(task, &info, 1000)) {
		ok &= CHECK(info.exception == 14);   /* #PF */
		ok &= CHECK(info.rip == 0x400000);
		ok &= CHECK(info.address == 0x400000);
		ok &= CHECK((info.code & (PF_USER | PF_FETCH)) == (PF_USER | PF_FETCH));
	} else {
		ok = false;
	}
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK_KR(thread_info(thread, &(struct thread_basic_info){ 0 }), KERN_INVALID_NAME);
	return ok;
}

/* Spawns `args` and waits for the task to end by itself. */
static bool spawned_task_ends_by_itself(const char *args)
{
	struct thread_basic_info info;
	task_t task;
	thread_t thread;

	if (!CHECK_KR(spawn_role(args, &task, &thread), KERN_SUCCESS))
		return false;
	thread_switch(thread, SWITCH_OPTION_NONE, 0);
	bool ok = wait_task_gone(task, 1000);
	ok &= CHECK_KR(thread_info(thread, &info), KERN_INVALID_NAME);
	return ok;
}

static bool returning_from_main_ends_the_task(void)
{
	return spawned_task_ends_by_itself("role=exit");
}

static bool task_whose_last_thread_terminates_itself_disappears(void)
{
	return spawned_task_ends_by_itself("role=thread-exit");
}

static bool terminating_a_task_ends_all_its_threads(void)
{
	struct task_basic_info info;
	struct thread_basic_info thread_state;
	task_t task;
	thread_t first, second = MACH_PORT_NULL;

	if (!CHECK_KR(spawn_role("role=sleep", &task, &first), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(thread_create(task, &second), KERN_SUCCESS);
	ok &= CHECK_KR(task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(info.thread_count == 2);
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK_KR(thread_info(first, &thread_state), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_info(second, &thread_state), KERN_INVALID_NAME);
	ok &= CHECK_KR(task_info(task, &info), KERN_INVALID_NAME);
	return ok;
}

static bool spawned_task_gets_its_command_line_and_arguments(void)
{
	/* Extra spaces separate words like one. */
	static const char args[] = "role=args  x=1   yy=22";
	char *want[] = { runner_argv0, "role=args", "x=1", "yy=22" };
	uint64_t report[4];
	task_t task;
	thread_t thread;

	if (!CHECK_KR(spawn_role(args, &task, &thread), KERN_SUCCESS))
		return false;
	bool ok = read_report(thread, report, 2000);
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	if (!ok)
		return false;
	ok &= CHECK(report[0] == 4);
	ok &= CHECK(report[1] == words_hash(4, want));
	ok &= CHECK(report[2] == (ARGS_ENV_EMPTY | ARGS_AUXV_NULL | ARGS_ALIGNED));
	/* The runner's own argv[0]: the module's command line names it. */
	const char *base = runner_argv0;
	for (const char *c = runner_argv0; *c != '\0'; c++)
		if (*c == '/')
			base = c + 1;
	ok &= CHECK(strcmp(base, "usertest") == 0);
	return ok;
}

static bool check_probe_results(const uint64_t report[4])
{
	const uint64_t results[3] = { report[0], report[1], report[3] };
	bool ok = true;

	for (unsigned i = 0; i < PROBE_CALLS; i++) {
		kern_return_t got = (kern_return_t)((results[i / 8] >> (8 * (i % 8))) & 0xff);
		if (got != probe_calls[i].want) {
			diag("probe: %s returned %d, expected %d", probe_calls[i].what, got,
			     probe_calls[i].want);
			ok = false;
		}
	}
	return ok;
}

/* The probe's child is the runner's grandchild: the runner controls it too. */
static bool grandchild_is_controllable(task_t task, thread_t thread)
{
	struct task_basic_info info;
	bool ok = CHECK(task != MACH_PORT_NULL);

	ok &= CHECK_KR(task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK_KR(thread_suspend(thread), KERN_SUCCESS);
	ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	return ok;
}

static bool task_controls_descendants_but_not_parent_or_siblings(void)
{
	char args[128];
	task_t sibling, probe = MACH_PORT_NULL;
	thread_t sibling_thread, probe_thread;
	uint64_t report[4];

	if (!CHECK_KR(spawn_role("role=sleep", &sibling, &sibling_thread), KERN_SUCCESS))
		return false;
	mach_snprintf(args, sizeof(args), "role=probe parent=%u parent-thread=%u sibling=%u",
		      mach_task_self(), mach_thread_self(), sibling);
	bool ok = CHECK_KR(spawn_role(args, &probe, &probe_thread), KERN_SUCCESS);
	if (ok && read_report(probe_thread, report, 2000)) {
		ok &= check_probe_results(report);
		ok &= grandchild_is_controllable((task_t)report[2], (thread_t)(report[2] >> 32));
	} else {
		ok = false;
	}
	if (probe != MACH_PORT_NULL)
		ok &= CHECK_KR(task_terminate(probe), KERN_SUCCESS);
	ok &= CHECK_KR(task_terminate(sibling), KERN_SUCCESS);
	/* Had the probe managed to lower it, later tests would mislead. */
	thread_priority(mach_thread_self(), RUNNER_PRIORITY);
	return ok;
}

/* ---- a thousand threads and two hundred tasks ---- */

#define LEAK_THREADS 1000
#define LEAK_TASKS 200

/* Every name handed out during the run, to show none came back. */
static task_t task_names[LEAK_TASKS + 16];
static thread_t thread_names[LEAK_THREADS + LEAK_TASKS + 16];
static unsigned task_names_seen, thread_names_seen;
static volatile int thread_ran;

static void record_names(task_t task, thread_t thread)
{
	if (task != MACH_PORT_NULL && task_names_seen < sizeof(task_names) / sizeof(task_names[0]))
		task_names[task_names_seen++] = task;
	if (thread != MACH_PORT_NULL &&
	    thread_names_seen < sizeof(thread_names) / sizeof(thread_names[0]))
		thread_names[thread_names_seen++] = thread;
}

static void note_ran(void *arg)
{
	(void)arg;
	thread_ran = 1;
}

static void note_ran_and_sleep(void *arg)
{
	(void)arg;
	thread_ran = 1;
	for (;;)
		mach_sleep_ns(HOUR_NS);
}

/*
 * One thread's life, in one of four ways: it runs and terminates itself;
 * it runs, sleeps, and is terminated; it is terminated ready but never
 * run; it is terminated suspended, never started.
 */
static bool cycle_thread(unsigned i)
{
	struct thread_basic_info info;
	thread_t t = MACH_PORT_NULL;
	bool ok;

	thread_ran = 0;
	switch (i % 4) {
	case 0:
		ok = start_thread(note_ran, NULL, 0, HELPER_PRIORITY, &t);
		thread_switch(t, SWITCH_OPTION_NONE, 0);
		ok = ok && wait_thread_gone(t, 200) && CHECK(thread_ran);
		break;
	case 1:
		ok = start_thread(note_ran_and_sleep, NULL, 0, HELPER_PRIORITY, &t);
		thread_switch(t, SWITCH_OPTION_NONE, 0);
		ok = ok && CHECK(thread_ran) && CHECK_KR(thread_terminate(t), KERN_SUCCESS);
		break;
	case 2:
		ok = start_thread(note_ran, NULL, 0, HELPER_PRIORITY, &t);
		ok = ok && CHECK_KR(thread_terminate(t), KERN_SUCCESS) && CHECK(!thread_ran);
		break;
	default:
		ok = CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS) &&
		     CHECK_KR(thread_terminate(t), KERN_SUCCESS);
		break;
	}
	ok = ok && CHECK_KR(thread_info(t, &info), KERN_INVALID_NAME);
	record_names(MACH_PORT_NULL, t);
	return ok;
}

/*
 * One task's life: created empty; created with a suspended thread; spawned
 * and ended by returning from main; spawned and terminated before it ran;
 * spawned and terminated while asleep.
 */
static bool cycle_task(unsigned i)
{
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	bool ok;

	switch (i % 5) {
	case 0:
		ok = CHECK_KR(task_create(mach_task_self(), &task), KERN_SUCCESS) &&
		     CHECK_KR(task_terminate(task), KERN_SUCCESS);
		break;
	case 1:
		ok = CHECK_KR(task_create(mach_task_self(), &task), KERN_SUCCESS) &&
		     CHECK_KR(thread_create(task, &thread), KERN_SUCCESS) &&
		     CHECK_KR(task_terminate(task), KERN_SUCCESS);
		break;
	case 2:
		ok = CHECK_KR(spawn_role("role=exit", &task, &thread), KERN_SUCCESS);
		thread_switch(thread, SWITCH_OPTION_NONE, 0);
		ok = ok && wait_task_gone(task, 1000);
		break;
	case 3:
		ok = CHECK_KR(spawn_role("role=spin", &task, &thread), KERN_SUCCESS) &&
		     CHECK_KR(task_terminate(task), KERN_SUCCESS);
		break;
	default:
		ok = CHECK_KR(spawn_role("role=sleep", &task, &thread), KERN_SUCCESS);
		thread_switch(thread, SWITCH_OPTION_NONE, 0);
		ok = ok && CHECK_KR(task_terminate(task), KERN_SUCCESS);
		break;
	}
	ok = ok && CHECK_KR(task_info(task, &(struct task_basic_info){ 0 }), KERN_INVALID_NAME);
	record_names(task, thread);
	return ok;
}

static bool cycle(unsigned threads, unsigned tasks)
{
	for (unsigned i = 0; i < threads; i++) {
		if (!cycle_thread(i)) {
			diag("thread %u of %u failed", i, threads);
			return false;
		}
	}
	for (unsigned i = 0; i < tasks; i++) {
		if (!cycle_task(i)) {
			diag("task %u of %u failed", i, tasks);
			return false;
		}
	}
	return true;
}

static bool thousand_threads_and_two_hundred_tasks_leak_nothing(void)
{
	struct host_memory_info before;

	/* One of each kind first, so that first-use set-up is not counted. */
	bool ok = cycle(8, 10);
	task_names_seen = thread_names_seen = 0;
	ok &= CHECK_KR(host_memory_info(&before), KERN_SUCCESS);
	uint64_t start = now_ns();
	ok &= cycle(LEAK_THREADS, LEAK_TASKS);
	diag("%u threads and %u tasks in %lu ms", LEAK_THREADS, LEAK_TASKS,
	     (now_ns() - start) / MACH_NS_PER_MS);
	ok &= memory_returns_to(&before);
	return ok;
}

static bool all_distinct(const mach_port_t *names, unsigned n, const char *kind)
{
	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = i + 1; j < n; j++) {
			if (names[i] == names[j]) {
				diag("%s name %u handed out twice (%u and %u)", kind, names[i], i, j);
				return false;
			}
		}
	}
	return true;
}

static bool not_among(mach_port_t name, const mach_port_t *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (names[i] == name)
			return false;
	return true;
}

/* Uses the names the leak test recorded. */
static bool task_and_thread_names_are_never_reused(void)
{
	task_t task;
	thread_t thread;
	bool ok = CHECK(task_names_seen == LEAK_TASKS);

	/* Four of the five ways a task lives give it a thread. */
	ok &= CHECK(thread_names_seen == LEAK_THREADS + 4 * LEAK_TASKS / 5);
	ok &= all_distinct(task_names, task_names_seen, "task");
	ok &= all_distinct(thread_names, thread_names_seen, "thread");
	ok &= CHECK_KR(task_create(mach_task_self(), &task), KERN_SUCCESS);
	ok &= CHECK_KR(thread_create(mach_task_self(), &thread), KERN_SUCCESS);
	ok &= CHECK(not_among(task, task_names, task_names_seen));
	ok &= CHECK(not_among(thread, thread_names, thread_names_seen));
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK_KR(thread_terminate(thread), KERN_SUCCESS);
	return ok;
}

#define ENTRY(fn) { #fn, fn }

const struct test lifecycle_tests[] = {
	ENTRY(empty_task_has_no_threads_until_terminated),
	ENTRY(thread_in_an_empty_task_faults_on_its_first_instruction),
	ENTRY(returning_from_main_ends_the_task),
	ENTRY(task_whose_last_thread_terminates_itself_disappears),
	ENTRY(terminating_a_task_ends_all_its_threads),
	ENTRY(spawned_task_gets_its_command_line_and_arguments),
	ENTRY(task_controls_descendants_but_not_parent_or_siblings),
	ENTRY(thousand_threads_and_two_hundred_tasks_leak_nothing),
	ENTRY(task_and_thread_names_are_never_reused),
};
const unsigned lifecycle_test_count = sizeof(lifecycle_tests) / sizeof(lifecycle_tests[0]);
