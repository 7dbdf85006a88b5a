/*
 * TAP for the guest programs built on vmtest's helpers (vmtest, and
 * devicetest): results, checks, roles, and the end of a run.
 */
#include "vmtest.h"

mach_port_t host_priv;
thread_t runner_thread;
unsigned tap_tests, tap_failed;

void tap_ok(bool ok, const char *name)
{
	tap_tests++;
	if (!ok)
		tap_failed++;
	mach_printf("%s %u - %s\n", ok ? "ok" : "not ok", tap_tests, name);
}

static const char *kr_name(kern_return_t kr)
{
	const char *name = mach_error_name(kr);

	return name != NULL ? name : "?";
}

void tap_kr(kern_return_t got, kern_return_t want, const char *name)
{
	tap_ok(got == want, name);
	if (got != want)
		diag("got %s (0x%x), expected %s (0x%x)\n", kr_name(got), got, kr_name(want),
		     want);
}

void tap_eq(uint64_t got, uint64_t want, const char *name)
{
	tap_ok(got == want, name);
	if (got != want)
		diag("got %lu (0x%lx), expected %lu (0x%lx)\n", got, got, want, want);
}

bool check(bool cond, const char *expr, const char *file, int line)
{
	if (!cond)
		diag("%s:%d: failed: %s\n", file, line, expr);
	return cond;
}

bool check_kr(kern_return_t got, kern_return_t want, const char *expr, const char *file,
	      int line)
{
	if (got == want)
		return true;
	diag("%s:%d: %s returned %s (%d), expected %s (%d)\n", file, line, expr, kr_name(got),
	     got, kr_name(want), want);
	return false;
}

const char *role_of(int argc, char **argv)
{
	return mach_arg(argc, argv, "role");
}

void tap_finish(const char *program)
{
	mach_printf("1..%u\n", tap_tests);
	mach_printf("# %s: %u passed, %u failed\n", program, tap_tests - tap_failed, tap_failed);
	host_halt(host_priv, tap_failed ? HOST_HALT_FAILURE : HOST_HALT_SUCCESS);
}
