/*
 * consoletest's runner: finds the console, owns the terminal, runs every
 * group, checks that the kernel's memory came back, prints TAP, and
 * halts the machine, successfully only if every test passed.  Started
 * with role=NAME it is a helper task instead.
 */
#include "consoletest.h"

#include <bootstrap.h>

#define RUNNER_PRIORITY 20
/* How long the console may take to register after both modules start. */
#define LOOK_UP_WAIT_MS 5000

mach_port_t console, owner, events;

/* The console registers when it has started, perhaps after we did. */
static mach_port_t look_up_console(void)
{
	mach_port_t names = MACH_PORT_NULL, port = MACH_PORT_NULL;
	uint64_t deadline = mach_clock_ns() + LOOK_UP_WAIT_MS * MACH_NS_PER_MS;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	while (bootstrap_look_up(names, "console", &port) == KERN_INVALID_NAME &&
	       mach_clock_ns() < deadline)
		mach_sleep_ns(10 * MACH_NS_PER_MS);
	if (names != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), names);
	return port;
}

static int run_role(const char *role, int argc, char **argv)
{
	if (strcmp(role, "owner") == 0)
		return role_owner(argc, argv);
	mach_printf("consoletest: unknown role '%s'\n", role);
	return 1;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	const char *role = role_of(argc, argv);
	if (role != NULL)
		return run_role(role, argc, argv);
	runner_thread = mach_thread_self();
	thread_priority(runner_thread, RUNNER_PRIORITY, FALSE);
	if (host_priv == MACH_PORT_NULL) {
		mach_printf("consoletest: cannot start: no privileged host port\n");
		return 1;
	}
	console = look_up_console();
	tap_ok(console != MACH_PORT_NULL, "the_console_registers_as_console");
	if (console == MACH_PORT_NULL) {
		tap_finish("consoletest");
		return 1;
	}
	events = new_port();
	tap_kr(claim(), KERN_SUCCESS, "claim_makes_the_caller_the_owner");
	struct usage before = usage();
	test_output();
	test_input();
	test_settings();
	test_hostile();
	test_ownership();
	test_leaks(&before, "the_console_tests_leave_kernel_memory_as_they_found_it");
	tap_finish("consoletest");
	return 0;
}
