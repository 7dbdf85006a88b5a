/*
 * bootstrap: the first task (DESIGN.md §2).  It will hold the host and
 * device privileges, keep the name service, and start the other servers
 * in their fixed order.  Until IPC exists its job is smaller: start every
 * other boot module, in boot-loader order, as a child task, log one line
 * for each, and then stay out of the way.
 *
 * The kernel starts bootstrap (module 0) with one argument per boot
 * module: argv[i] is the whole command line of module i, bootstrap's own
 * first.  A module is named by the file name of its command line's first
 * word ("build/tests/guest/usertest foo=1" is module "usertest"), and
 * boot_module_spawn gives the new task the words of that command line as
 * its argv, so bootstrap passes no arguments of its own.
 */
#include <mach/mach.h>

#define IDLE_SLEEP_NS (3600ull * 1000 * MACH_NS_PER_MS)

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

static void log_error(const char *what, size_t len, const char *name, kern_return_t kr)
{
	const char *error = mach_error_name(kr);

	if (error != NULL)
		mach_printf("bootstrap: %s %.*s: %s\n", what, (int)len, name, error);
	else
		mach_printf("bootstrap: %s %.*s: error %d\n", what, (int)len, name, kr);
}

/* Starts the module whose command line is cmdline; true if it runs. */
static int start_module(const char *cmdline)
{
	size_t len;
	const char *name = module_name(cmdline, &len);
	task_t task;
	thread_t thread;
	kern_return_t kr;

	if (len == 0 || len > BOOT_MODULE_NAME_MAX) {
		mach_printf("bootstrap: cannot start module '%s': no usable name\n", cmdline);
		return 0;
	}
	kr = boot_module_spawn(name, len, "", 0, &task, &thread);
	if (kr != KERN_SUCCESS) {
		log_error("cannot start", len, name, kr);
		return 0;
	}
	mach_printf("bootstrap: started %.*s (task %u)\n", (int)len, name, task);
	return 1;
}

/* Sleeps for good, an hour at a time; never spins. */
__attribute__((noreturn)) static void idle_forever(void)
{
	for (;;) {
		if (mach_sleep_ns(IDLE_SLEEP_NS) != KERN_SUCCESS)
			thread_suspend(mach_thread_self());
	}
}

int main(int argc, char **argv, char **envp)
{
	int started = 0;

	(void)envp;
	for (int i = 1; i < argc; i++)
		started += start_module(argv[i]);
	mach_printf("bootstrap: %d of %d modules started\n", started, argc > 0 ? argc - 1 : 0);
	idle_forever();
}
