/*
 * usertest: the kernel's tasks, threads and exceptions, tested from user
 * space through their ports.
 *
 * bootstrap starts it with no role, and it is the test runner: it prints
 * the TAP plan, runs every test of every theme file in order (one line
 * per result, each line one host_log call so other tasks' output never
 * splits it), and stops the machine with host_halt on the privileged host
 * port bootstrap gave it: HOST_HALT_SUCCESS if every test passed,
 * HOST_HALT_FAILURE otherwise.
 *
 * Helper tasks are copies of this program, loaded with
 * host_boot_module_load("usertest", "role=NAME ...") (helpers.c) and
 * dispatched here by the role table; the last "role=" word of argv wins,
 * so a role given by the loader overrides the module's own command line.
 *
 * Tests are in sched.c (running, sharing, preemption, time), state.c
 * (thread state, FPU state, suspension), faults.c (unhandled user
 * faults), exceptions.c (exceptions as messages to handlers), traps.c
 * (the traps and argument checking), rights.c (access by capability) and
 * lifecycle.c (creation, ending, leaks).  README.md lists them.
 */
#include "usertest.h"

#include "exceptions.h"
#include "faults.h"
#include "helpers.h"
#include "lifecycle.h"
#include "rights.h"
#include "sched.h"
#include "state.h"
#include "traps.h"
#include "args.h"

thread_t runner_thread;
host_priv_t host_priv;
struct thread_basic_info runner_initial_thread_info;
char *runner_argv0 = "";
int names_kept_for_later;

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

const char *error_name(kern_return_t kr)
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

uint64_t arg_number(int argc, char **argv, const char *key, uint64_t fallback)
{
	const char *s = mach_arg(argc, argv, key);
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
	{ "args", role_args },
	{ "probe", role_probe },
	{ "control", role_control },
	{ "fault-pf", role_fault },
	{ "fault-kernel", role_fault },
	{ "fault-write-text", role_fault },
	{ "fault-gp", role_fault },
	{ "fault-noncanonical", role_fault },
	{ "fault-de", role_fault },
	{ "fault-ud", role_fault },
	{ "fault-exec-data", role_fault },
	{ "fault-then-report", role_fault_then_report },
	{ "breakpoint", role_breakpoint },
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
	{ exceptions_tests, &exceptions_test_count },
	{ traps_tests, &traps_test_count },
	{ rights_tests, &rights_test_count },
	{ lifecycle_tests, &lifecycle_test_count },
	{ args_tests, &args_test_count },
};
#define GROUP_COUNT (sizeof(groups) / sizeof(groups[0]))

/* Runs one test; a test that leaves names behind in the runner's space fails. */
static bool run_test(const struct test *t)
{
	int kept = names_kept_for_later;
	uint32_t names = runner_names();
	bool ok = t->run();
	uint32_t after = runner_names();

	if ((int)after - (int)names != names_kept_for_later - kept) {
		diag("the runner's name space held %u names before the test and %u after", names,
		     after);
		ok = false;
	}
	return ok;
}

static int run_tests(void)
{
	unsigned planned = 0, number = 0, failed = 0;

	runner_thread = mach_thread_self();
	if (task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv) !=
		    KERN_SUCCESS ||
	    host_priv == MACH_PORT_NULL) {
		mach_printf("usertest: no privileged host port: bootstrap gives one\n");
		return 1;
	}
	get_thread_info(runner_thread, &runner_initial_thread_info);
	thread_priority(runner_thread, RUNNER_PRIORITY, FALSE);
	for (unsigned g = 0; g < GROUP_COUNT; g++)
		planned += *groups[g].count;
	mach_printf("1..%u\n", planned);
	for (unsigned g = 0; g < GROUP_COUNT; g++) {
		for (unsigned i = 0; i < *groups[g].count; i++) {
			const struct test *t = &groups[g].tests[i];
			bool ok = run_test(t);
			mach_printf("%sok %u - %s\n", ok ? "" : "not ", ++number, t->name);
			failed += !ok;
		}
	}
	mach_printf("# usertest: %u passed, %u failed\n", planned - failed, failed);
	host_halt(host_priv, failed == 0 ? HOST_HALT_SUCCESS : HOST_HALT_FAILURE);
	return failed != 0;
}

int main(int argc, char **argv, char **envp)
{
	const char *role = mach_arg(argc, argv, "role");

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
