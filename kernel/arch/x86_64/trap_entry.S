/*
 * Entry stubs for all 256 vectors.  Each pushes an error code (zero when
 * the CPU pushed none) and its vector, then trap_common saves the general
 * registers into a struct trap_frame (trap.h) and calls trap_dispatch.
 * The kernel runs with interrupts off in handlers (interrupt gates).
 */
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

trap_common:
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
	movq %rsp, %rdi
	/* Give the backtrace a frame that links to the interrupted code. */
	pushq 17*8(%rsp)                /* interrupted rip */
	pushq %rbp
	movq %rsp, %rbp
	cld
	call trap_dispatch
	addq $16, %rsp
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
	addq $16, %rsp                  /* vector, error code */
	iretq

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

	.section .extable, "a"
	.balign 8
	.quad 1b, probe_fixup
	.quad 2b, probe_fixup

	.section .note.GNU-stack, "", @progbits
