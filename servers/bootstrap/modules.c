/*
 * Starting the other boot modules, in boot-loader order, each as a child
 * task (host_boot_module_load, on the privileged host port), handing it
 * its ports before its first instruction: the name service as its
 * bootstrap port, the privileged host port (every boot module is a
 * system server or a system test that bootstrap trusts), and the device
 * master port to the modules whose command line has the word "devices"
 * (the drivers, and tests of the device interface).  A module whose
 * command line has the word "wired" is made one that page-out depends on
 * (vm_privilege: its memory wired, the reserved pages its own): the
 * default pager and the disk driver it writes through.
 */
#include "modules.h"

#include <bootstrap.h>
#include <stdbool.h>

/* The file name of the command line's first word, and its length. */
static const char *module_name(const char *cmdline, size_t *len)
{
	size_t end = 0;

	while (cmdline[end] != '\0' && cmdline[end] != ' ')
		end++;
	size_t start = end;
	while (start > 0 && cmdline[start - 1] != '/')
		start--;
	*len = end - start;
	return cmdline + start;
}

static void log_error(const char *what, const char *name, kern_return_t kr)
{
	const char *error = mach_error_name(kr);

	if (error != NULL)
		mach_printf("bootstrap: %s %s: %s\n", what, name, error);
	else
		mach_printf("bootstrap: %s %s: error %d\n", what, name, kr);
}

/* Whether the command line has word among its arguments (after the first). */
static bool has_word(const char *cmdline, const char *word)
{
	size_t len = strlen(word);
	const char *p = cmdline;

	for (;;) {
		while (*p != ' ' && *p != '\0')
			p++;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return false;
		if (strncmp(p, word, len) == 0 && (p[len] == ' ' || p[len] == '\0'))
			return true;
	}
}

/* Gives the new task its ports and lets its first thread run. */
static kern_return_t hand_ports(task_t task, thread_t thread, const char *cmdline,
				const struct boot_ports *ports)
{
	kern_return_t kr = task_set_special_port(task, TASK_BOOTSTRAP_PORT, ports->names);
	if (kr == KERN_SUCCESS)
		kr = task_set_special_port(task, TASK_HOST_PRIV_PORT, ports->host_priv);
	if (kr == KERN_SUCCESS && has_word(cmdline, MODULE_DEVICES_WORD))
		kr = task_set_special_port(task, TASK_DEVICE_PORT, ports->device);
	if (kr == KERN_SUCCESS && has_word(cmdline, MODULE_WIRED_WORD))
		kr = vm_privilege(ports->host_priv, task);
	if (kr == KERN_SUCCESS)
		kr = thread_resume(thread);
	return kr;
}

int modules_start(const char *cmdline, const struct boot_ports *ports)
{
	char name[BOOT_MODULE_NAME_MAX + 1];
	size_t len;
	const char *from = module_name(cmdline, &len);
	task_t task;
	thread_t thread;

	if (len == 0 || len > BOOT_MODULE_NAME_MAX) {
		mach_printf("bootstrap: cannot start module '%s': no usable name\n", cmdline);
		return 0;
	}
	memcpy(name, from, len);
	name[len] = '\0';
	kern_return_t kr = host_boot_module_load(ports->host_priv, name, "", 0, &task, &thread);
	if (kr != KERN_SUCCESS) {
		log_error("cannot start", name, kr);
		return 0;
	}
	kr = hand_ports(task, thread, cmdline, ports);
	mach_port_deallocate(mach_task_self(), thread);
	if (kr != KERN_SUCCESS) {
		log_error("cannot give ports to", name, kr);
		task_terminate(task);
		mach_port_deallocate(mach_task_self(), task);
		return 0;
	}
	mach_printf("bootstrap: started %s (task port %u)\n", name, task);
	return 1;
}
