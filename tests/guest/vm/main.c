/*
 * vmtest's runner: runs every group, checks that the kernel's memory came
 * back, prints TAP, and halts the machine, successfully only if every
 * test passed.  Started with role=NAME it is a helper task instead
 * (vmtest.h).
 */
#include "vmtest.h"

/* Above the helper tasks and the children's threads (16), so that the
 * runner decides when they run: whenever it waits. */
#define RUNNER_PRIORITY 20

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	const char *role = role_of(argc, argv);
	if (role != NULL) {
		if (strcmp(role, "ool-sink") == 0)
			return role_ool_sink(argc, argv);
		mach_printf("vmtest: unknown role '%s'\n", role);
		return 1;
	}
	runner_thread = mach_thread_self();
	thread_priority(runner_thread, RUNNER_PRIORITY, FALSE);
	if (host_priv == MACH_PORT_NULL || !exceptions_start()) {
		mach_printf("vmtest: cannot start: no privileged host port or exception thread\n");
		host_halt(host_priv, HOST_HALT_FAILURE);
		return 1;
	}
	struct usage before = usage();
	test_region();
	test_allocate();
	test_protect();
	test_map();
	test_lazy();
	test_copy();
	test_inherit();
	test_cow();
	test_ool();
	test_wire();
	test_leaks(&before, "the_vm_tests_leave_kernel_memory_as_they_found_it");
	tap_finish("vmtest");
	return 0;
}
