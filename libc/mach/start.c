/*
 * crt0: a program's first instruction.  The kernel starts the first thread
 * with the System V initial stack (rsp 16-byte aligned, pointing at argc):
 *
 *   argc, argv[0] .. argv[argc - 1], NULL, envp ..., NULL, auxv ... AT_NULL
 *
 * _start clears the frame pointer (the end of any backtrace), passes that
 * stack pointer to mach_start, which runs main and then ends the task: a
 * program's clean exit is task_terminate(mach_task_self()).  Before main
 * it sets up the first thread's per-thread data and takes the task's and
 * the host's ports (mach.h).  main's return
 * value has nowhere to go until there is a process server.
 *
 * Built as build/libc/crt0.o and linked first, outside libmach.a: an
 * archive member is only pulled in by a reference, and nothing refers to
 * _start.
 */
#include <mach/mach.h>

int main(int argc, char **argv, char **envp);
__attribute__((noreturn, used)) void mach_start(uint64_t *initial_stack);

MACH_START_ASM(mach_start);

mach_port_t mach_task_self_;
mach_port_t mach_host_self_;

void mach_start(uint64_t *initial_stack)
{
	static struct mach_thread_data first;
	int argc = (int)initial_stack[0];
	char **argv = (char **)(initial_stack + 1);
	char **envp = argv + argc + 1;

	first.self = &first;
	thread_set_self(&first);
	mach_task_self_ = task_self_trap();
	mach_host_self_ = mach_host_self();
	main(argc, argv, envp);
	task_terminate(mach_task_self());
	/* Unreachable unless the kernel refused; stop this thread at least. */
	thread_terminate(mach_thread_self());
	for (;;)
		clock_sleep(UINT64_MAX);
}
