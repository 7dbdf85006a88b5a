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
#include <mach/unix_types.h>

#include "unix_priv.h"

int main(int argc, char **argv, char **envp);
void __libc_init_array(void);
void __libc_fini_array(void);
__attribute__((noreturn, used)) void unix_start(uint64_t *initial_stack);

/*
 * The program's first bytes, in a section of their own: _start, then at
 * the offsets mach/unix_types.h fixes (UNIX_ENTRY_*), which the server
 * takes from the entry point at execve, the signal trampoline and the
 * probes (fault.c).  .org stops the build if one outgrows its room.
 */
#define ENTRY_SECTION ".text.unix_entry, \"ax\", @progbits"
#define STR_(x) #x
#define STR(x) STR_(x)
MACH_START_ASM_IN(ENTRY_SECTION, unix_start);
__asm__(".section " ENTRY_SECTION "\n"
	/* The trampoline: the server starts a handler past the ud2
	 * (UNIX_SIGTRAMP_ENTRY) with rsp + 8 a multiple of 16; the ud2 is
	 * the way back, sigreturn. */
	".org " STR(UNIX_ENTRY_SIGTRAMP) "\n"
	".weak unix_sigtramp_run\n"          /* a program without sigaction has no handler */
	".globl unix_sigtramp\n"
	"unix_sigtramp:\n"
	"\tud2\n"
	"\tsubq $8, %rsp\n"
	"\tcall unix_sigtramp_run\n"
	"\tjmp unix_sigtramp\n"
	/* unix_probe_range(p, n, write), unix_probe_string(s, max). */
	".org " STR(UNIX_ENTRY_PROBE) "\n"
	".globl unix_probe_range, unix_probe_string\n"
	"unix_probe_range:\n"
	"\ttestq %rsi, %rsi\n"
	"\tjz 3f\n"
	"\tmovq %rdi, %rcx\n"
	"\taddq %rsi, %rcx\n"
	"\tjc 9f\n"                          /* wraps around */
	"\tdecq %rcx\n"                      /* the last byte */
	"\tandq $-4096, %rdi\n"
	"1:\ttestl %edx, %edx\n"
	"\tjz 2f\n"
	"\tlock orb $0, (%rdi)\n"
	"\tjmp 4f\n"
	"2:\tmovb (%rdi), %al\n"
	"4:\taddq $4096, %rdi\n"
	"\tcmpq %rcx, %rdi\n"
	"\tjbe 1b\n"
	"3:\txorl %eax, %eax\n"
	"\tret\n"
	"unix_probe_string:\n"
	"\txorl %eax, %eax\n"
	"5:\tcmpq %rsi, %rax\n"
	"\tjae 6f\n"
	"\tcmpb $0, (%rdi,%rax)\n"
	"\tje 6f\n"
	"\tincq %rax\n"
	"\tjmp 5b\n"
	"6:\tret\n"
	/* The probes' fault exit. */
	".org " STR(UNIX_ENTRY_PROBE_FAULT) "\n"
	"9:\tmovq $-1, %rax\n"
	"\tret\n"
	".org " STR(UNIX_ENTRY_PROBE_END) "\n"
	".text\n");

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
	environ = envp;
	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
