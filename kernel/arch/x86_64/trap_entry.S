/*
 * The ways into the kernel and back out (docs/scheduler.md, "Entry and
 * exit"):
 *
 *  - stubs for all 256 vectors: each pushes an error code (zero when the
 *    CPU pushed none) and its vector, then trap_common saves the general
 *    registers into a struct trap_frame (trap.h) and calls trap_dispatch,
 *    with interrupts off (interrupt gates);
 *  - syscall_entry, which builds the same frame and calls the trap's
 *    handler with interrupts on;
 *  - switch_context and a new thread's first return to user mode.
 *
 * Every return to user mode first checks for pending work (a reschedule,
 * a stop, the end of the thread) with interrupts off.
 */
#include <mach/kern_return.h>
#include <mach/syscall_sw.h>

#include "arch/x86_64/percpu.h"

	.text

/* Vectors for which the CPU pushes an error code. */

	.altmacro
	.macro trap_stub v
	.balign 16
trap_stub_\v:
	.if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
	pushq $0
	.endif
	pushq $\v
	jmp trap_common
	.endm

	.set v, 0
	.rept 256
	trap_stub %v
	.set v, v + 1
	.endr

/* Offsets in struct trap_frame (trap.h checks them). */
#define TF_RCX    96
#define TF_RAX    112
#define TF_R11    32
#define TF_VECTOR 120
#define TF_RIP    136
#define TF_CS     144
#define TF_RFLAGS 152
#define TF_SIZE   176
#define T_SYSCALL 256
#define USER_CS   0x2b
#define USER_SS   0x23
#define RFLAGS_TF_RF 0x10100
#define MSR_GS_BASE 0xc0000101

	.macro save_registers
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro restore_registers
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	.endm

/*
 * Pending work before a return to user mode: a reschedule, or the thread
 * must stop or end (thread.h: ast is the first field of struct thread).
 * Interrupts are off; jumps to `work` if there is any.
 */
	.macro check_user_return work
	movq %gs:CPU_OFF_CURRENT, %rax
	movl (%rax), %eax
	orl %gs:CPU_OFF_NEED_RESCHED, %eax
	jnz \work
	.endm

trap_common:
	save_registers
	testb $3, TF_CS(%rsp)
	jnz 1f
	/* From the kernel.  NMI, #DF and #MC can arrive in the few
	 * instructions of an entry or exit where GS is still the user's. */
	cmpq $2, TF_VECTOR(%rsp)
	je 3f
	cmpq $8, TF_VECTOR(%rsp)
	je 3f
	cmpq $18, TF_VECTOR(%rsp)
	jne 2f
3:	movl $MSR_GS_BASE, %ecx
	rdmsr
	testl %edx, %edx
	js 2f                           /* a kernel address: GS is ours */
1:	swapgs
2:	movq %rsp, %rdi
	/* Give the backtrace a frame that links to the interrupted code. */
	pushq TF_RIP(%rsp)
	pushq %rbp
	movq %rsp, %rbp
	cld
	call trap_dispatch
	addq $16, %rsp
	testb $3, TF_CS(%rsp)
	jz 4f
	cli
	check_user_return trap_user_work
	/* The return to user mode: GS back to the user's, then iret. */
user_iret:
	restore_registers
	addq $16, %rsp                  /* vector, error code */
	swapgs
	iretq
4:	restore_registers
	addq $16, %rsp
	iretq

trap_user_work:
	movq %rsp, %rdi
	call thread_user_return_work    /* returns with interrupts off */
	jmp user_iret

/*
 * The syscall instruction: rip in rcx, rflags in r11, still on the user
 * stack, interrupts off (FMASK).  Builds the same struct trap_frame an
 * interrupt from user mode would, at the top of the thread's kernel stack.
 */
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_OFF_USER_RSP
	movq %gs:CPU_OFF_KERNEL_RSP, %rsp
	pushq $USER_SS
	pushq %gs:CPU_OFF_USER_RSP
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq $0                        /* error code */
	pushq $T_SYSCALL                /* vector */
	save_registers
	xorl %ebp, %ebp                 /* ends the backtrace at the trap */
	/* The arguments are still in their registers: r10 stands in for rcx,
	 * which syscall used.  Handlers take the six and return the result. */
	cmpq $MACH_TRAP_COUNT, %rax
	jae 5f
	movq %r10, %rcx
	sti
	call *syscall_table(, %rax, 8)
	cli
	movq %rax, TF_RAX(%rsp)
6:
	check_user_return syscall_user_work
syscall_exit:
	/*
	 * sysret restores rip from rcx and rflags from r11, and faults in
	 * ring 0, on the user's stack, if rcx is not canonical.  The frame
	 * still says what syscall left (rip in rcx, rflags in r11) unless
	 * thread_set_state changed it, and then AST_IRET sent the thread
	 * through syscall_user_work to iret.  TF or RF, and an rip outside
	 * the user half, return by iret too.
	 */
	testq $RFLAGS_TF_RF, TF_R11(%rsp)
	jnz user_iret
	movq TF_RCX(%rsp), %rax
	shrq $47, %rax
	jnz user_iret                   /* not a user-half address */
	restore_registers
	movq 40(%rsp), %rsp             /* vector, error, rip, cs, rflags, rsp */
	swapgs
	sysretq

syscall_user_work:
	movq %rsp, %rdi
	call thread_user_return_work
	testl %eax, %eax
	jnz user_iret                   /* the frame was set: AST_IRET */
	jmp syscall_exit

5:	movq $KERN_INVALID_ARGUMENT, TF_RAX(%rsp)   /* no such trap */
	jmp 6b

/*
 * The end of the current thread's trap from any stack: a thread resumed
 * by the RPC path's handoff runs on the stack of the thread that handed
 * over, and one resumed in its continuation on a stack it started
 * afresh (kern/sched.h).  The trap frame is at the top of the current
 * thread's own stack (the per-CPU kernel_rsp), and that stack is what
 * the rest runs on; interrupts go off first, as the exit path needs.
 *
 * thread_syscall_return(result, work): the trap returns result, after
 * work() if it is not NULL (called with interrupts on).
 * thread_syscall_finish(fn): the trap returns what fn() returns.
 */
	.globl thread_syscall_return, thread_syscall_finish
thread_syscall_return:
	cli
	movq %gs:CPU_OFF_KERNEL_RSP, %rsp
	subq $TF_SIZE, %rsp
	movq %rdi, TF_RAX(%rsp)
	testq %rsi, %rsi
	jz 6b
	sti
	call *%rsi
	cli
	jmp 6b

thread_syscall_finish:
	cli
	movq %gs:CPU_OFF_KERNEL_RSP, %rsp
	subq $TF_SIZE, %rsp
	call *%rdi
	cli
	movq %rax, TF_RAX(%rsp)
	jmp 6b

/*
 * switch_context(uint64_t *save_ksp, uint64_t ksp): saves the callee-saved
 * registers on this stack and its pointer in *save_ksp, then resumes the
 * thread whose stack pointer is ksp (where it called switch_context, or
 * in thread_start_user below).
 */
	.globl switch_context
switch_context:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* A new user thread's first run: its trap frame is on top of the stack. */
	.globl thread_start_user
thread_start_user:
	call sched_thread_start
	cli
	check_user_return trap_user_work
	jmp user_iret

/* A thread that waited in a continuation, run again by a switch
 * (pcb_prepare_continuation): sched_continue does not return. */
	.globl thread_continue
thread_continue:
	call sched_continue
	ud2

/* A kernel thread's first run (pcb_init_kernel): its body is in r12. */
	.globl thread_start_kernel
thread_start_kernel:
	call sched_thread_start
	sti
	call *%r12
	ud2

	.section .rodata
	.balign 8
	.globl trap_stub_table
trap_stub_table:
	.macro stub_addr v
	.quad trap_stub_\v
	.endm
	.set v, 0
	.rept 256
	stub_addr %v
	.set v, v + 1
	.endr

/*
 * Probes: read or write one 64-bit word, returning KERN_SUCCESS (0) or,
 * when the access faults, KERN_INVALID_ADDRESS (1).  The exception table
 * (trap.c) sends a fault at the access to the fixup.  These are the
 * kernel's only way to touch memory that may not be there; copyin and
 * copyout are built the same way.
 */
	.text
	.globl probe_read_u64, probe_write_u64
probe_read_u64:
1:	movq (%rdi), %rax
	movq %rax, (%rsi)
	xorl %eax, %eax
	ret
probe_write_u64:
2:	movq %rsi, (%rdi)
	xorl %eax, %eax
	ret
probe_fixup:
	movl $1, %eax
	ret

/*
 * copy_user_bytes(dst, src, n): KERN_SUCCESS, or KERN_INVALID_ADDRESS
 * if the copy faults.  The caller has checked that the user side lies in
 * the user half (kern/usercopy.c).  Eight bytes at a time, then the rest:
 * a rep-prefixed instruction costs one guest instruction per iteration.
 */
	.globl copy_user_bytes
copy_user_bytes:
	movq %rdx, %rcx
	shrq $3, %rcx
3:	rep movsq
	movq %rdx, %rcx
	andq $7, %rcx
4:	rep movsb
	xorl %eax, %eax
	ret

	.section .extable, "a"
	.balign 8
	.quad 1b, probe_fixup
	.quad 2b, probe_fixup
	.quad 3b, probe_fixup
	.quad 4b, probe_fixup

	.section .note.GNU-stack, "", @progbits
