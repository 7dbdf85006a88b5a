/*
 * consoletest's runner: finds the console, owns the terminal, runs every
 * group, checks that the kernel's memory came back, prints TAP, and
 * halts the machine, successfully only if every test passed.  Started
 * with role=NAME it is a helper task instead.
 */
#include "consoletest.h"

#define RUNNER_PRIORITY 20
/* How long the console may take to register after both modules start. */
#define LOOK_UP_WAIT_MS 5000

mach_port_t console, owner, events;

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
	console = service_look_up("console", LOOK_UP_WAIT_MS);
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
