/*
 * Creation and ending: empty tasks, the ways a task ends (main returns,
 * its last thread terminates itself, someone terminates it), what a
 * loaded task finds on its stack, and that a thousand threads and two
 * hundred tasks come and go without leaving anything behind in the
 * kernel or in the runner's name space, or handing out a name again.
 */
#include "lifecycle.h"

#include "handler.h"
#include "helpers.h"

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

/* ---- tests ---- */

static bool empty_task_has_no_threads_until_terminated(void)
{
	struct task_basic_info info;
	task_t task;

	if (!CHECK_KR(task_create(mach_task_self(), FALSE, &task), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(get_task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(info.state == TASK_STATE_RUNNING);
	ok &= CHECK(info.thread_count == 0);
	ok &= CHECK(info.suspend_count == 0);
	ok &= CHECK(info.run_ticks == 0);
	ok &= CHECK(info.virtual_size == 0 && info.resident_size == 0);
	ok &= CHECK(strcmp(info.name, "usertest") == 0);   /* its parent's */
	ok &= CHECK(task != mach_task_self());
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK_KR(get_task_info(task, &info), MACH_SEND_INVALID_DEST);
	ok &= release(task);
	return ok;
}

/* task_set_name renames a task for task_info; an empty name is refused,
 * a name past the bound never reaches the kernel (the stub's check). */
static bool task_set_name_renames_a_task_and_refuses_an_empty_name(void)
{
	struct task_basic_info info;
	char long_name[TASK_NAME_MAX + 2];
	task_t task;

	if (!CHECK_KR(task_create(mach_task_self(), FALSE, &task), KERN_SUCCESS))
		return false;
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	bool ok = CHECK_KR(task_set_name(task, "renamed"), KERN_SUCCESS);
	ok &= CHECK_KR(get_task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(strcmp(info.name, "renamed") == 0);
	ok &= CHECK_KR(task_set_name(task, ""), KERN_INVALID_ARGUMENT);
	ok &= CHECK(task_set_name(task, long_name) != KERN_SUCCESS);
	ok &= CHECK_KR(get_task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(strcmp(info.name, "renamed") == 0);
	ok &= CHECK_KR(task_set_name(mach_task_self(), "usertest"), KERN_SUCCESS);
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK_KR(task_set_name(task, "gone"), MACH_SEND_INVALID_DEST);
	ok &= release(task);
	return ok;
}

/* task_info's sizes follow the map: 1 MiB allocated, 3 pages of it touched. */
static bool task_info_counts_virtual_and_resident_bytes(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	struct task_basic_info info;
	task_t task;
	vm_address_t at = 0;

	if (!CHECK_KR(task_create(mach_task_self(), FALSE, &task), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(vm_allocate(task, &at, 1 << 20, TRUE), KERN_SUCCESS);
	for (int i = 0; ok && i < 3; i++)
		ok &= CHECK_KR(vm_write(task, at + (vm_address_t)i * 8192, (vm_offset_t)page,
					sizeof(page)), KERN_SUCCESS);
	ok &= CHECK_KR(get_task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(info.virtual_size == 1 << 20);
	ok &= CHECK(info.resident_size == 3 * 4096);
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= release(task);
	return ok;
}

/*
 * An empty task has no memory: its thread's first fetch faults, and the
 * task's exception handler hears of it (and refuses it, ending the task).
 */
static bool thread_in_an_empty_task_faults_on_its_first_instruction(void)
{
	struct x86_64_thread_state state = { 0 };
	struct exc_handler h;
	task_t task;
	thread_t thread = MACH_PORT_NULL;

	if (!exc_handler_open(&h, exc_answer_refuse, NULL))
		return false;
	bool ok = CHECK_KR(task_create(mach_task_self(), FALSE, &task), KERN_SUCCESS);
	if (ok) {
		ok &= CHECK_KR(thread_create(task, &thread), KERN_SUCCESS);
		ok &= CHECK_KR(task_set_special_port(task, TASK_EXCEPTION_PORT, h.port),
			       KERN_SUCCESS);
		state.rip = 0x400000;
		state.rsp = 0x800000;
		ok &= CHECK_KR(set_thread_state(thread, &state), KERN_SUCCESS);
		mach_port_t notify = watch_for_death(task);
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= CHECK_KR(exc_handler_serve(&h, 1000), MACH_MSG_SUCCESS);
		ok &= CHECK(h.count == 1 && h.last.exception == EXC_BAD_ACCESS);
		ok &= CHECK(h.last.code[0] == KERN_INVALID_ADDRESS && h.last.code[1] == 0x400000);
		ok &= CHECK(h.last.state.rip == 0x400000 && h.last.state.rsp == 0x800000);
		ok &= CHECK(h.last.task == task && h.last.thread == thread);
		ok &= wait_for_death(notify, task, 1000);
		ok &= CHECK(is_dead_name(thread));
		if (!is_dead_name(task))
			task_terminate(task);
		ok &= release(task) & release(thread);
	}
	ok &= exc_handler_close(&h);
	return ok;
}

/* Spawns `args` and waits for the task to end by itself. */
static bool spawned_task_ends_by_itself(const char *args)
{
	task_t task;
	thread_t thread;

	if (!CHECK_KR(spawn_role(args, &task, &thread), KERN_SUCCESS))
		return false;
	thread_switch(thread, SWITCH_OPTION_NONE, 0);
	bool ok = wait_task_gone(task, 1000);
	ok &= CHECK(is_dead_name(thread));
	ok &= release(task) & release(thread);
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
	task_t task;
	thread_t first, second = MACH_PORT_NULL;

	if (!CHECK_KR(spawn_role("role=sleep", &task, &first), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(thread_create(task, &second), KERN_SUCCESS);
	ok &= CHECK_KR(get_task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(info.thread_count == 2);
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK(is_dead_name(first) && is_dead_name(second) && is_dead_name(task));
	ok &= release(task) & release(first) & release(second);
	return ok;
}

/*
 * Loads role "args" with argsCnt bytes of args and checks its report
 * against the words it should have got after the command line's.
 */
static bool args_arrive_as(const char *args, mach_msg_type_number_t count, char **want,
			   int want_count)
{
	struct exc_handler h;
	uint64_t report[4];
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&h, exc_answer_report, NULL))
		return false;
	bool ok = CHECK_KR(host_boot_module_load(host_priv, "usertest", (char *)args, count,
						 &task, &thread), KERN_SUCCESS);
	if (ok) {
		ok &= CHECK_KR(task_set_special_port(task, TASK_EXCEPTION_PORT, h.port),
			       KERN_SUCCESS);
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		if (read_report(&h, report, 2000)) {
			ok &= CHECK(report[0] == (uint64_t)want_count);
			ok &= CHECK(report[1] == words_hash(want_count, want));
			ok &= CHECK(report[2] == (ARGS_ENV_EMPTY | ARGS_AUXV_NULL | ARGS_ALIGNED));
			if (report[0] != (uint64_t)want_count)
				diag("the task got %lu words, expected %d", report[0], want_count);
		} else {
			ok = false;
		}
		ok &= end_task(task, thread);
	}
	ok &= exc_handler_close(&h);
	return ok;
}

static bool spawned_task_gets_its_command_line_and_arguments(void)
{
	/* One string of words; extra spaces separate words like one. */
	static const char args[] = "role=args  x=1   yy=22";
	char *want[] = { runner_argv0, "role=args", "x=1", "yy=22" };

	bool ok = args_arrive_as(args, sizeof(args), want, 4);
	/* The runner's own argv[0]: the module's command line names it. */
	const char *base = runner_argv0;
	for (const char *c = runner_argv0; *c != '\0'; c++)
		if (*c == '/')
			base = c + 1;
	ok &= CHECK(strcmp(base, "usertest") == 0);
	return ok;
}

/*
 * host.defs: args are NUL-terminated strings back to back.  The kernel's
 * add_words (kernel/kern/boot_module.c) stops at the first NUL, so a
 * task loaded with several strings gets only the first.
 */
static bool module_load_keeps_the_arguments_after_the_first_nul(void)
{
	static const char args[] = "role=args\0x=1\0yy=22";
	char *want[] = { runner_argv0, "role=args", "x=1", "yy=22" };

	return args_arrive_as(args, sizeof(args), want, 4);
}

/* ---- a thousand threads and two hundred tasks ---- */

#define LEAK_THREADS 1000
#define LEAK_TASKS 200

/* Every name handed out during the run, to show none came back. */
static mach_port_t names_seen[LEAK_THREADS + 2 * LEAK_TASKS + 16];
static unsigned names_seen_count, task_names_seen, thread_names_seen;
static volatile int thread_ran;

static void record_name(mach_port_t name, unsigned *kind_count)
{
	if (name == MACH_PORT_NULL)
		return;
	(*kind_count)++;
	if (names_seen_count < sizeof(names_seen) / sizeof(names_seen[0]))
		names_seen[names_seen_count++] = name;
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
 * One thread's life, in one of four ways: it runs and returns (ending
 * itself); it runs, sleeps, and is terminated; it is terminated ready but
 * never run; it is terminated suspended, never started.
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
		ok = ok && wait_thread_gone(t, 200) && CHECK(thread_ran) && reap_thread(t, 0);
		break;
	case 1:
		ok = start_thread(note_ran_and_sleep, NULL, 0, HELPER_PRIORITY, &t);
		thread_switch(t, SWITCH_OPTION_NONE, 0);
		ok = ok && CHECK(thread_ran) && end_thread(t, 0);
		break;
	case 2:
		ok = start_thread(note_ran, NULL, 0, HELPER_PRIORITY, &t);
		ok = ok && end_thread(t, 0) && CHECK(!thread_ran);
		break;
	default:
		ok = CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS) &&
		     end_thread(t, NO_SLOT);
		break;
	}
	ok = ok && CHECK_KR(get_thread_info(t, &info), MACH_SEND_INVALID_DEST);
	record_name(t, &thread_names_seen);
	return ok;
}

/*
 * One task's life: created empty; created with a suspended thread; spawned
 * and ended by returning from main; spawned and terminated before it ran;
 * spawned and terminated while asleep.
 */
static bool cycle_task(unsigned i)
{
	struct task_basic_info info;
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	bool ok;

	switch (i % 5) {
	case 0:
		ok = CHECK_KR(task_create(mach_task_self(), FALSE, &task), KERN_SUCCESS) &&
		     end_task(task, MACH_PORT_NULL);
		break;
	case 1:
		ok = CHECK_KR(task_create(mach_task_self(), FALSE, &task), KERN_SUCCESS) &&
		     CHECK_KR(thread_create(task, &thread), KERN_SUCCESS) &&
		     end_task(task, thread);
		break;
	case 2:
		ok = CHECK_KR(spawn_role("role=exit", &task, &thread), KERN_SUCCESS);
		thread_switch(thread, SWITCH_OPTION_NONE, 0);
		ok = ok && wait_task_gone(task, 1000) && release(task) && release(thread);
		break;
	case 3:
		ok = CHECK_KR(spawn_role("role=spin", &task, &thread), KERN_SUCCESS) &&
		     end_task(task, thread);
		break;
	default:
		ok = CHECK_KR(spawn_role("role=sleep", &task, &thread), KERN_SUCCESS);
		thread_switch(thread, SWITCH_OPTION_NONE, 0);
		ok = ok && end_task(task, thread);
		break;
	}
	ok = ok && CHECK_KR(get_task_info(task, &info), MACH_SEND_INVALID_DEST);
	record_name(task, &task_names_seen);
	record_name(thread, &thread_names_seen);
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
	names_seen_count = task_names_seen = thread_names_seen = 0;
	uint32_t names = runner_names();
	ok &= CHECK_KR(get_memory_info(&before), KERN_SUCCESS);
	uint64_t start = now_ns();
	ok &= cycle(LEAK_THREADS, LEAK_TASKS);
	diag("%u threads and %u tasks in %lu ms", LEAK_THREADS, LEAK_TASKS,
	     (now_ns() - start) / MACH_NS_PER_MS);
	ok &= memory_returns_to(&before);
	ok &= CHECK(runner_names() == names);
	return ok;
}

static bool all_distinct(const mach_port_t *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = i + 1; j < n; j++) {
			if (names[i] == names[j]) {
				diag("name %x handed out twice (%u and %u)", names[i], i, j);
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

/*
 * Uses the names the leak test recorded.  A freed name's index comes back
 * only after every other free one, and with its generation advanced
 * (ipc_space.h), so a stale name cannot reach a newer object until an
 * index has been reused 256 times, far more than this run does.
 */
static bool names_of_ended_tasks_and_threads_are_not_handed_out_again(void)
{
	task_t task;
	thread_t thread;
	bool ok = CHECK(task_names_seen == LEAK_TASKS);

	/* Four of the five ways a task lives give it a thread. */
	ok &= CHECK(thread_names_seen == LEAK_THREADS + 4 * LEAK_TASKS / 5);
	ok &= all_distinct(names_seen, names_seen_count);
	ok &= CHECK_KR(task_create(mach_task_self(), FALSE, &task), KERN_SUCCESS);
	ok &= CHECK_KR(thread_create(mach_task_self(), &thread), KERN_SUCCESS);
	ok &= CHECK(not_among(task, names_seen, names_seen_count));
	ok &= CHECK(not_among(thread, names_seen, names_seen_count));
	ok &= end_task(task, MACH_PORT_NULL);
	ok &= end_thread(thread, NO_SLOT);
	return ok;
}

const struct test lifecycle_tests[] = {
	ENTRY(task_info_counts_virtual_and_resident_bytes),
	ENTRY(empty_task_has_no_threads_until_terminated),
	ENTRY(task_set_name_renames_a_task_and_refuses_an_empty_name),
	ENTRY(thread_in_an_empty_task_faults_on_its_first_instruction),
	ENTRY(returning_from_main_ends_the_task),
	ENTRY(task_whose_last_thread_terminates_itself_disappears),
	ENTRY(terminating_a_task_ends_all_its_threads),
	ENTRY(spawned_task_gets_its_command_line_and_arguments),
	ENTRY(module_load_keeps_the_arguments_after_the_first_nul),
	ENTRY(thousand_threads_and_two_hundred_tasks_leak_nothing),
	ENTRY(names_of_ended_tasks_and_threads_are_not_handed_out_again),
};
const unsigned lifecycle_test_count = sizeof(lifecycle_tests) / sizeof(lifecycle_tests[0]);
