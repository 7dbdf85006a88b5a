/*
 * The machine-dependent part of a thread (Mach's "process control block"):
 * its kernel stack, the user registers saved on it, the FPU/SSE image and
 * the FS/GS bases, and what a context switch does with them.
 *
 * A user thread's registers live in the struct trap_frame at the top of its
 * kernel stack: every entry from ring 3 (interrupt, exception, syscall)
 * saves them there and every return restores them from there, so while the
 * thread is anywhere in the kernel the frame is its user state.  A switch
 * saves only the callee-saved registers (switch_context) on the stack of
 * the thread it leaves, and the FPU image eagerly (fxsave/fxrstor): the
 * kernel itself never touches the FPU.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/thread_status.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/iopb.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"

struct thread;

struct pcb {
	uint64_t ksp;                 /* saved stack pointer while switched out */
	void *kstack;                 /* KERNEL_STACK_SIZE bytes (user threads) */
	bool user;                    /* false for the idle thread (boot stack) */
	uint64_t fs_base, gs_base;
	struct x86_64_float_state fpu;
};

/* Reads the CPU's FXSAVE defaults; after fpu_init. */
void pcb_init(void);

/* Prepares a user thread's stack: a zero frame that returns to ring 3 at
 * address 0 until its state is set, and its first run. */
kern_return_t pcb_init_user(struct pcb *pcb);

/* Prepares a kernel thread's stack: its first run calls body, which
 * never returns, with interrupts enabled.  It has no user state (user
 * false: no FPU image, no trap frame). */
kern_return_t pcb_init_kernel(struct pcb *pcb, void (*body)(void));

void pcb_free(struct pcb *pcb);

static inline struct trap_frame *pcb_frame(const struct pcb *pcb)
{
	return (struct trap_frame *)((char *)pcb->kstack + KERNEL_STACK_SIZE) - 1;
}

void switch_context(uint64_t *save_ksp, uint64_t ksp);

/* Switches the processor's state from old to new (new's address space is
 * pml4_phys), all but the stack.  In line: it is half of every RPC's
 * handoff, and the whole of it when the thread that runs next waits
 * without its stack (kern/sched.h, continuations). */
static inline void pcb_switch_state(struct pcb *old, struct pcb *new, uint64_t pml4_phys)
{
	if (old->user)
		__asm__ volatile("fxsave64 %0" : "=m"(old->fpu));
	if (new->user) {
		__asm__ volatile("fxrstor64 %0" : : "m"(new->fpu));
		uint64_t top = (uint64_t)new->kstack + KERNEL_STACK_SIZE;
		gdt_set_kernel_stack(top);
		cpu_self()->kernel_rsp = top;
		if (!old->user || old->fs_base != new->fs_base)
			wrmsr(MSR_FS_BASE, new->fs_base);
		if (!old->user || old->gs_base != new->gs_base)
			wrmsr(MSR_KERNEL_GS_BASE, new->gs_base);
	}
	/* Another address space is another task, which may not use the ports
	 * of the last (its own are loaded at its first use: iopb.h). */
	if (read_cr3() != pml4_phys) {
		write_cr3(pml4_phys);
		iopb_switch();
	}
}

/* Switches from old to new: the state, then the stack. */
static inline void pcb_switch(struct pcb *old, struct pcb *new, uint64_t pml4_phys)
{
	pcb_switch_state(old, new, pml4_phys);
	switch_context(&old->ksp, new->ksp);
}

/*
 * The end of the current thread's trap, from whatever stack this runs on
 * (trap_entry.S): the trap returns result, after work() (if not NULL,
 * called with interrupts on); or it returns what fn() returns, fn called
 * with interrupts off.  Either runs on the top of the current thread's
 * own stack, under its trap frame.
 */
__attribute__((noreturn)) void thread_syscall_return(uint64_t result, void (*work)(void));
__attribute__((noreturn)) void thread_syscall_finish(uint64_t (*fn)(void));

/* Makes a user thread that gave up its stack (it waits in a continuation)
 * start afresh at its next switch: thread_continue, at the top of its
 * stack under its trap frame, calls sched_continue. */
void pcb_prepare_continuation(struct pcb *pcb);

/* The flavor's state of a thread that is not running.  Errors:
 * KERN_INVALID_ARGUMENT (unknown flavor, wrong size, or a state the
 * thread may not have: see mach/thread_status.h). */
kern_return_t pcb_get_state(const struct pcb *pcb, int flavor, void *state, uint64_t size);
kern_return_t pcb_set_state(struct pcb *pcb, int flavor, const void *state, uint64_t size);

/* The running thread's own fs base (thread_set_self). */
void pcb_set_fs_base(struct pcb *pcb, uint64_t base);

/* Sets where a user thread starts: rip and rsp. */
void pcb_set_entry(struct pcb *pcb, uint64_t rip, uint64_t rsp);
