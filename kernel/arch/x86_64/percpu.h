/*
 * Per-processor data, reached through the GS base while the processor is
 * in the kernel.  User code has its own GS base: the kernel's is swapped in
 * (SWAPGS) on every entry from ring 3 and swapped out on every return,
 * so MSR_KERNEL_GS_BASE holds the user's value while the kernel runs.
 * Entry code decides whether to swap from the saved CS (ring 3 or not);
 * the NMI, double-fault and machine-check entries, which can interrupt the
 * few instructions around a swap, read MSR_GS_BASE instead.
 *
 * Only this processor touches its struct cpu, with interrupts disabled
 * where an interrupt handler also does (need_resched).
 */
#pragma once

#define CPU_OFF_SELF         0
#define CPU_OFF_KERNEL_RSP   8
#define CPU_OFF_USER_RSP     16
#define CPU_OFF_CURRENT      24
#define CPU_OFF_NEED_RESCHED 32

#ifndef __ASSEMBLER__
#include <stdint.h>

struct thread;

struct cpu {
	struct cpu *self;
	uint64_t kernel_rsp;      /* top of the current thread's kernel stack */
	uint64_t user_rsp;        /* scratch for the syscall entry */
	struct thread *current;   /* the thread running on this processor */
	uint32_t need_resched;    /* set by the clock or a wakeup: pick again
				     before returning to user mode */
	uint32_t reserved;
	struct thread *woken;     /* the last thread a wakeup made ready, held
				     back from the run queue and run next by
				     a wait (kern/sched_priv.h) */
};

_Static_assert(__builtin_offsetof(struct cpu, kernel_rsp) == CPU_OFF_KERNEL_RSP, "");
_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == CPU_OFF_USER_RSP, "");
_Static_assert(__builtin_offsetof(struct cpu, current) == CPU_OFF_CURRENT, "");
_Static_assert(__builtin_offsetof(struct cpu, need_resched) == CPU_OFF_NEED_RESCHED, "");

extern struct cpu cpu0;

/* Not volatile: the kernel's GS base never changes under it, so the
 * compiler may read it once per function. */
static inline struct cpu *cpu_self(void)
{
	struct cpu *c;

	__asm__("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/* Makes GS point at cpu0 and sets up the syscall instruction's MSRs. */
void percpu_init(void);
#endif
