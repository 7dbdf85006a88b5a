/*
 * pagertest's runner: finds mempager in the name service, runs every
 * group, prints TAP, and halts the machine, successfully only if every
 * test passed.  Started with role=sleep it is a helper task instead, one
 * that never answers: the pager whose death failures.c watches; with
 * role=cycle, one of the pagers of cycles.c; with role=study, the
 * liability study's runner (study.c), and role=heartbeat its helper.
 */
#include "pagertest.h"

host_priv_t host_priv;
mach_port_t mempager;
static unsigned tests, failed;

/* ---- TAP and checks ---- */

void diag(const char *fmt, ...)
{
	char line[MACH_PRINTF_MAX - 8];
	va_list ap;

	va_start(ap, fmt);
	mach_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	mach_printf("# %s\n", line);
}

const char *error_name(kern_return_t kr)
{
	const char *name = mach_error_name(kr);

	return name != NULL ? name : "an unknown code";
}

bool check(bool cond, const char *expr, int line)
{
	if (!cond)
		diag("line %d: failed: %s", line, expr);
	return cond;
}

bool check_kr(kern_return_t got, kern_return_t want, const char *expr, int line)
{
	if (got == want)
		return true;
	diag("line %d: %s returned %s (0x%x), expected %s (0x%x)", line, expr, error_name(got),
	     got, error_name(want), want);
	return false;
}

bool check_eq(uint64_t got, uint64_t want, const char *expr, int line)
{
	if (got == want)
		return true;
	diag("line %d: %s is %lu (0x%lx), expected %lu (0x%lx)", line, expr, got, got, want,
	     want);
	return false;
}

void run_tests(const struct test *list, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		bool ok = list[i].run();
		tests++;
		failed += !ok;
		mach_printf("%s %u - %s\n", ok ? "ok" : "not ok", tests, list[i].name);
	}
}

/* ---- time ---- */

uint64_t now_ms(void)
{
	return mach_clock_ns() / MACH_NS_PER_MS;
}

void sleep_ms(uint64_t ms)
{
	mach_sleep_ns(ms * MACH_NS_PER_MS);
}

/* ---- roles and the runner ---- */

/* mempager is started by bootstrap too, maybe after us: wait for its name. */
static bool find_mempager(void)
{
	mach_port_t names = MACH_PORT_NULL;
	kern_return_t kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);

	for (int tries = 0; kr == KERN_SUCCESS && tries < 200; tries++) {
		kr = bootstrap_look_up(names, "mempager", &mempager);
		if (kr != KERN_INVALID_NAME)
			break;
		sleep_ms(10);
	}
	if (kr != KERN_SUCCESS)
		diag("no mempager in the name service: %s", error_name(kr));
	return kr == KERN_SUCCESS;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	const char *role = mach_arg(argc, argv, "role");
	if (role != NULL && strcmp(role, "cycle") == 0)
		serve_as_cycle_pager(argc, argv);
	if (role != NULL && strcmp(role, "heartbeat") == 0)
		serve_as_heartbeat();
	if (role != NULL && strcmp(role, "study") == 0) {
		thread_priority(mach_thread_self(), 20, FALSE);
		/* Its replacement runs replace mempager's objects. */
		bool ok = harness_init() &&
			  (mach_arg(argc, argv, "replace") == NULL || find_mempager()) &&
			  study(argc, argv);
		host_halt(host_priv, ok ? HOST_HALT_SUCCESS : HOST_HALT_FAILURE);
		return ok ? 0 : 1;
	}
	if (role != NULL) {
		if (strcmp(role, "sleep") != 0 && strcmp(role, "cycle") != 0)
			mach_printf("pagertest: unknown role '%s'\n", role);
		for (;;)
			sleep_ms(3600 * 1000);
	}
	thread_priority(mach_thread_self(), 20, FALSE);
	if (!harness_init() || !find_mempager()) {
		mach_printf("# pagertest: cannot start\n");
		host_halt(host_priv, HOST_HALT_FAILURE);
		return 1;
	}
	test_mapped();
	test_failures();
	test_supply();
	test_laundry();
	test_policies();
	test_cycles();
	test_replace();
	test_inject();
	test_observe();
	test_mapped_again();
	mach_printf("1..%u\n", tests);
	mach_printf("# pagertest: %u passed, %u failed\n", tests - failed, failed);
	host_halt(host_priv, failed ? HOST_HALT_FAILURE : HOST_HALT_SUCCESS);
	return 0;
}
