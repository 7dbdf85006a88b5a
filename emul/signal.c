/*
 * Signals from the hardware: a process's threads take their exceptions
 * to its process port (exc.defs), and each becomes the signal UNIX
 * gives for it: a memory error (a pager that failed to supply a page,
 * KERN_MEMORY_ERROR) SIGBUS, any other bad access SIGSEGV, a bad
 * instruction SIGILL, arithmetic SIGFPE, a breakpoint SIGTRAP.  Until
 * handlers can be installed, each ends the process as its default
 * action does.
 */
#include "emul.h"

#include <excServer.h>
#include <signal.h>

static int signal_of(exception_type_t exception, const int64_t *code, unsigned count)
{
	switch (exception) {
	case EXC_BAD_ACCESS:
		return count > 0 && code[0] == KERN_MEMORY_ERROR ? SIGBUS : SIGSEGV;
	case EXC_BAD_INSTRUCTION:
		return SIGILL;
	case EXC_ARITHMETIC:
		return SIGFPE;
	case EXC_BREAKPOINT:
		return SIGTRAP;
	default:
		return SIGKILL;
	}
}

kern_return_t S_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
				exception_type_t exception, exception_data_t code,
				mach_msg_type_number_t codeCnt, thread_state_flavor_t flavor,
				thread_state_t old_state, mach_msg_type_number_t old_stateCnt,
				thread_state_t new_state, mach_msg_type_number_t *new_stateCnt)
{
	struct proc *p = proc_lookup(port);

	(void)flavor, (void)old_state, (void)old_stateCnt, (void)new_state;
	if (p == NULL || task != p->task)
		return KERN_INVALID_ARGUMENT;
	int sig = signal_of(exception, (const int64_t *)code, codeCnt);
	mach_printf("emul: pid %d (%s) took exception %d: signal %d\n", p->pid, p->command,
		    exception, sig);
	proc_terminate(p, sig);
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	*new_stateCnt = 0;
	return KERN_SUCCESS;
}
