/*
 * devicetest's runner: runs every group, checks that the kernel's memory
 * came back, prints TAP, and halts the machine, successfully only if
 * every test passed.  Started with role=NAME it is a helper task instead.
 */
#include "devicetest.h"

#define RUNNER_PRIORITY 20

mach_port_t device_master;

/* The master port is the only key: other ports, and tasks without it,
 * get nothing. */
static void test_privilege(void)
{
	mach_port_t none = MACH_PORT_NULL;
	vm_address_t address = 0;
	uint64_t physical = 0;

	tap_ok(device_master != MACH_PORT_NULL, "a_module_started_with_devices_holds_the_master_port");
	tap_kr(device_io_access(host_priv, mach_task_self(), RTC_INDEX, 2, TRUE), KERN_NO_ACCESS,
	       "io_access_on_another_port_is_refused");
	tap_kr(device_irq_attach(mach_task_self(), RTC_LINE, MACH_PORT_NULL), KERN_NO_ACCESS,
	       "irq_attach_on_another_port_is_refused");
	tap_kr(device_memory_map(host_priv, mach_task_self(), &address, PAGE, 0xb8000, TRUE,
				 DEVICE_MEMORY_UNCACHED), KERN_NO_ACCESS,
	       "memory_map_on_another_port_is_refused");
	tap_kr(device_dma_allocate(host_priv, mach_task_self(), &address, PAGE, TRUE, &physical),
	       KERN_NO_ACCESS, "dma_allocate_on_another_port_is_refused");
	tap_kr(task_set_special_port(mach_task_self(), TASK_DEVICE_PORT, host_priv),
	       KERN_INVALID_CAPABILITY, "only_the_master_port_can_be_a_tasks_device_port");

	/* A task made from a boot module gets no device port of its own. */
	task_t child = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	bool ok = CHECK_KR(host_boot_module_load(host_priv, "devicetest", "role=none", 10, &child,
						 &thread), KERN_SUCCESS) &&
		  CHECK_KR(task_get_special_port(child, TASK_DEVICE_PORT, &none), KERN_SUCCESS);
	tap_ok(ok && none == MACH_PORT_NULL, "a_new_task_holds_no_device_port");
	if (child != MACH_PORT_NULL) {
		task_terminate(child);
		mach_port_deallocate(mach_task_self(), child);
	}
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
	if (none != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), none);
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	task_get_special_port(mach_task_self(), TASK_DEVICE_PORT, &device_master);
	const char *role = role_of(argc, argv);
	if (role != NULL) {
		if (strcmp(role, "irq-holder") == 0)
			return role_irq_holder(argc, argv);
		mach_printf("devicetest: unknown role '%s'\n", role);
		return 1;
	}
	runner_thread = mach_thread_self();
	thread_priority(runner_thread, RUNNER_PRIORITY, FALSE);
	if (host_priv == MACH_PORT_NULL || !exceptions_start()) {
		mach_printf("devicetest: cannot start: no privileged host port or exception thread\n");
		host_halt(host_priv, HOST_HALT_FAILURE);
		return 1;
	}
	struct usage before = usage();
	test_privilege();
	test_io();
	test_irq();
	test_memory();
	test_leaks(&before, "the_device_tests_leave_kernel_memory_as_they_found_it");
	tap_finish("devicetest");
	return 0;
}
