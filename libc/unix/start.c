/*
 * crt0 of UNIX programs: the System V initial stack the UNIX server
 * builds (argc, argv, NULL, envp, NULL, the auxiliary vector) to
 * main(argc, argv, envp), with newlib set up around it: environ, the
 * constructors (__libc_init_array), and exit(main's value), which runs
 * atexit functions and the destructors and flushes stdio before _exit.
 *
 * Linked first as build/libc/unix-crt0.o.
 */
#include <stdlib.h>

#include "unix_priv.h"

int main(int argc, char **argv, char **envp);
void __libc_init_array(void);
void __libc_fini_array(void);
__attribute__((noreturn, used)) void unix_start(uint64_t *initial_stack);

MACH_START_ASM(unix_start);

mach_port_t mach_task_self_;
mach_port_t mach_host_self_;
mach_port_t unix_port;
extern char **environ;

/* The first (and only) thread's data, at its fs base. */
static struct mach_thread_data first;

/* newlib's __libc_init_array and exit call these; a program has no
 * .init or .fini sections of its own (no crti.o): its constructors are
 * in .init_array. */
void _init(void)
{
}

void _fini(void)
{
}

void unix_ports_reset(void)
{
	first.self = &first;
	first.reply_port = MACH_PORT_NULL;
	thread_set_self(&first);
	mach_task_self_ = task_self_trap();
	mach_host_self_ = mach_host_self();
	if (task_get_special_port(mach_task_self_, TASK_BOOTSTRAP_PORT, &unix_port) !=
	    KERN_SUCCESS)
		unix_port = MACH_PORT_NULL;
}

void unix_start(uint64_t *initial_stack)
{
	int argc = (int)initial_stack[0];
	char **argv = (char **)(initial_stack + 1);
	char **envp = argv + argc + 1;

	unix_ports_reset();
	unix_libc_register();
	environ = envp;
	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
