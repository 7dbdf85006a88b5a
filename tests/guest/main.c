/*
 * usertest: the kernel's tasks and threads, tested from user space.
 *
 * bootstrap starts it with no role, and it is the test runner: it prints
 * the TAP plan, runs every test of every theme file in order (one line
 * per result, each line one kernel_log call so other tasks' output never
 * splits it), and stops the machine with host_halt: HOST_HALT_SUCCESS if
 * every test passed, HOST_HALT_FAILURE otherwise.
 *
 * Helper tasks are copies of this program, spawned with
 * boot_module_spawn("usertest", ..., "role=NAME ...") and dispatched here
 * by the role table; the last "role=" word of argv wins, so a role given
 * by the spawner overrides the module's own command line.
 *
 * Tests are in sched.c (running, sharing, preemption, time), state.c
 * (thread state, FPU state, suspension), faults.c (user exceptions),
 * traps.c (argument checking) and lifecycle.c (creation, ending, leaks).
 * README.md lists them.
 */
#include "usertest.h"

#include "faults.h"
#include "lifecycle.h"
#include "sched.h"
#include "state.h"
#include "traps.h"

struct thread_basic_info runner_initial_thread_info;
char *runner_argv0 = "";

/* ---- TAP ---- */

void diag(const char *fmt, ...)
{
	char line[MACH_PRINTF_MAX - 8];
	va_list ap;

	va_start(ap, fmt);
	mach_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mach_printf("# %s\n", line);
}

bool check(bool cond, const char *expr, const char *file, int line)
{
	if (!cond)
		diag("%s:%d: failed: %s", file, line, expr);
	return cond;
}

static const char *error_name(kern_return_t kr)
{
	const char *name = mach_error_name(kr);

	return name != NULL ? name : "an unknown code";
}

bool check_kr(kern_return_t got, kern_return_t want, const char *expr, const char *file,
	      int line)
{
	if (got == want)
		return true;
	diag("%s:%d: %s returned %s (%d), expected %s (%d)", file, line, expr, error_name(got),
	     got, error_name(want), want);
	return false;
}

/* ---- arguments ---- */

const char *arg_value(int argc, char **argv, const char *key)
{
	size_t len = strlen(key);
	const char *value = NULL;

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, len) == 0 && argv[i][len] == '=')
			value = argv[i] + len + 1;
	return value;
}

uint64_t arg_number(int argc, char **argv, const char *key, uint64_t fallback)
{
	const char *s = arg_value(argc, argv, key);
	uint64_t n = 0;

	if (s == NULL || *s == '\0')
		return fallback;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (uint64_t)(*s - '0');
	return n;
}

/* ---- time ---- */

uint64_t now_ns(void)
{
	return mach_clock_ns();
}

void sleep_ms(uint64_t ms)
{
	mach_sleep_ns(ms * MACH_NS_PER_MS);
}

/* ---- helper threads ---- */

static uint8_t test_stacks[TEST_STACK_SLOTS][TEST_STACK_SIZE] __attribute__((aligned(16)));

bool start_thread(void (*fn)(void *), void *arg, unsigned slot, int priority,
		  thread_t *thread)
{
	if (!CHECK(slot < TEST_STACK_SLOTS))
		return false;
	return CHECK_KR(mach_thread_spawn(fn, arg, test_stacks[slot], TEST_STACK_SIZE, priority,
					  thread), KERN_SUCCESS);
}

void busy_count(void *counter)
{
	volatile uint64_t *c = counter;

	for (;;)
		(*c)++;
}

uint64_t thread_run_ticks(thread_t thread)
{
	struct thread_basic_info info;

	if (!CHECK_KR(thread_info(thread, &info), KERN_SUCCESS))
		return 0;
	return info.run_ticks;
}

bool wait_thread_gone(thread_t thread, uint64_t timeout_ms)
{
	struct thread_basic_info info;
	uint64_t deadline = now_ns() + timeout_ms * MACH_NS_PER_MS;

	/* Hand it the CPU a few times first: usually it is about to end. */
	for (int tries = 0;; tries++) {
		kern_return_t kr = thread_info(thread, &info);
		if (kr == KERN_INVALID_NAME)
			return true;
		if (kr != KERN_SUCCESS || now_ns() > deadline) {
			diag("thread %u still there after %lu ms (thread_info: %s)", thread,
			     timeout_ms, error_name(kr));
			return false;
		}
		if (tries < 3)
			thread_switch(thread, SWITCH_OPTION_NONE, 0);
		else
			sleep_ms(1);
	}
}

/* ---- helper tasks ---- */

#define USERTEST_MODULE "usertest"

kern_return_t spawn_role(const char *args, task_t *task, thread_t *thread)
{
	return boot_module_spawn(USERTEST_MODULE, strlen(USERTEST_MODULE), args, strlen(args),
				 task, thread);
}

bool spawn_spin(int priority, task_t *task, thread_t *thread)
{
	if (!CHECK_KR(spawn_role("role=spin", task, thread), KERN_SUCCESS))
		return false;
	if (!CHECK_KR(thread_priority(*thread, priority), KERN_SUCCESS)) {
		task_terminate(*task);
		return false;
	}
	return true;
}

uint64_t task_run_ticks(task_t task)
{
	struct task_basic_info info;

	if (!CHECK_KR(task_info(task, &info), KERN_SUCCESS))
		return 0;
	return info.run_ticks;
}

bool wait_task_gone(task_t task, uint64_t timeout_ms)
{
	struct task_basic_info info;
	uint64_t deadline = now_ns() + timeout_ms * MACH_NS_PER_MS;

	for (;;) {
		kern_return_t kr = task_info(task, &info);
		if (kr == KERN_INVALID_NAME)
			return true;
		if (kr != KERN_SUCCESS || now_ns() > deadline) {
			diag("task %u still there after %lu ms (task_info: %s)", task, timeout_ms,
			     error_name(kr));
			return false;
		}
		sleep_ms(1);
	}
}

bool wait_task_halted(task_t task, struct task_basic_info *info, uint64_t timeout_ms)
{
	uint64_t deadline = now_ns() + timeout_ms * MACH_NS_PER_MS;

	for (;;) {
		kern_return_t kr = task_info(task, info);
		if (kr == KERN_SUCCESS && info->state == TASK_STATE_HALTED)
			return true;
		if (kr != KERN_SUCCESS || now_ns() > deadline) {
			diag("task %u not halted after %lu ms (task_info: %s, state %u)", task,
			     timeout_ms, error_name(kr), kr == KERN_SUCCESS ? info->state : 0);
			return false;
		}
		sleep_ms(5);
	}
}

static bool same_memory(const struct host_memory_info *a, const struct host_memory_info *b)
{
	return a->free_pages == b->free_pages && a->kalloc_bytes == b->kalloc_bytes &&
	       a->kalloc_allocations == b->kalloc_allocations && a->tasks == b->tasks &&
	       a->threads == b->threads;
}

static void diag_memory(const char *when, const struct host_memory_info *m)
{
	diag("%s: %lu free pages, %lu kalloc bytes in %lu allocations, %lu tasks, %lu threads",
	     when, m->free_pages, m->kalloc_bytes, m->kalloc_allocations, m->tasks, m->threads);
}

bool memory_returns_to(const struct host_memory_info *before)
{
	struct host_memory_info after;

	/* The kernel may free a dead thread's last pieces a moment later. */
	for (int i = 0; i < 20; i++) {
		if (!CHECK_KR(host_memory_info(&after), KERN_SUCCESS))
			return false;
		if (same_memory(before, &after))
			return true;
		sleep_ms(5);
	}
	diag_memory("before", before);
	diag_memory("after", &after);
	return false;
}

void report_and_spin(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	register uint64_t r12 __asm__("r12") = a;
	register uint64_t r13 __asm__("r13") = b;
	register uint64_t r14 __asm__("r14") = c;
	register uint64_t r15 __asm__("r15") = d;

	__asm__ volatile("1: pause\n\tjmp 1b"
			 : : "b"(REPORT_MAGIC), "r"(r12), "r"(r13), "r"(r14), "r"(r15));
	__builtin_unreachable();
}

bool read_report(thread_t thread, uint64_t out[4], uint64_t timeout_ms)
{
	uint64_t deadline = now_ns() + timeout_ms * MACH_NS_PER_MS;
	struct x86_64_thread_state state;

	for (;;) {
		if (!CHECK_KR(thread_suspend(thread), KERN_SUCCESS))
			return false;
		kern_return_t kr = thread_get_state(thread, X86_64_THREAD_STATE, &state,
						    sizeof(state));
		thread_resume(thread);
		if (!CHECK_KR(kr, KERN_SUCCESS))
			return false;
		if (state.rbx == REPORT_MAGIC) {
			out[0] = state.r12;
			out[1] = state.r13;
			out[2] = state.r14;
			out[3] = state.r15;
			return true;
		}
		if (now_ns() > deadline) {
			diag("thread %u made no report in %lu ms (rip %lx)", thread, timeout_ms,
			     state.rip);
			return false;
		}
		sleep_ms(5);
	}
}

/* ---- roles ---- */

/*
 * Counts in rbx for ever, in registers only, so that the runner can watch
 * its progress with thread_get_state from another address space.
 */
static int role_spin(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	__asm__ volatile("xor %%ebx, %%ebx\n"
			 "1:\tinc %%rbx\n\t"
			 "jmp 1b"
			 : : : "rbx");
	__builtin_unreachable();
}

/* Returns from main at once: crt0 ends the task with task_terminate(self). */
static int role_exit(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	return 0;
}

static const struct role roles[] = {
	{ "spin", role_spin },
	{ "exit", role_exit },
	{ "sleep", role_sleep },
	{ "thread-exit", role_thread_exit },
	{ "probe", role_probe },
	{ "args", role_args },
	{ "fault-pf", role_fault },
	{ "fault-kernel", role_fault },
	{ "fault-write-text", role_fault },
	{ "fault-gp", role_fault },
	{ "fault-noncanonical", role_fault },
	{ "fault-de", role_fault },
	{ "fault-ud", role_fault },
	{ "fault-exec-data", role_fault },
};

/* ---- the runner ---- */

struct test_group {
	const struct test *tests;
	const unsigned *count;
};

static const struct test_group groups[] = {
	{ sched_tests, &sched_test_count },
	{ state_tests, &state_test_count },
	{ faults_tests, &faults_test_count },
	{ traps_tests, &traps_test_count },
	{ lifecycle_tests, &lifecycle_test_count },
};
#define GROUP_COUNT (sizeof(groups) / sizeof(groups[0]))

static int run_tests(void)
{
	unsigned planned = 0, number = 0, failed = 0;

	thread_info(mach_thread_self(), &runner_initial_thread_info);
	thread_priority(mach_thread_self(), RUNNER_PRIORITY);
	for (unsigned g = 0; g < GROUP_COUNT; g++)
		planned += *groups[g].count;
	mach_printf("1..%u\n", planned);
	for (unsigned g = 0; g < GROUP_COUNT; g++) {
		for (unsigned i = 0; i < *groups[g].count; i++) {
			const struct test *t = &groups[g].tests[i];
			bool ok = t->run();
			mach_printf("%sok %u - %s\n", ok ? "" : "not ", ++number, t->name);
			failed += !ok;
		}
	}
	mach_printf("# usertest: %u passed, %u failed\n", planned - failed, failed);
	host_halt(failed == 0 ? HOST_HALT_SUCCESS : HOST_HALT_FAILURE);
	return failed != 0;
}

int main(int argc, char **argv, char **envp)
{
	const char *role = arg_value(argc, argv, "role");

	if (role == NULL || strcmp(role, "runner") == 0) {
		if (argc > 0)
			runner_argv0 = argv[0];
		return run_tests();
	}
	for (unsigned i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i].name) == 0)
			return roles[i].run(argc, argv, envp);
	mach_printf("usertest: unknown role '%s'\n", role);
	return 1;
}
