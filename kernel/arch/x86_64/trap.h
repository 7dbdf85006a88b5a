/*
 * Exceptions and interrupts.
 *
 * An exception in the kernel is either expected (the faulting instruction
 * is listed in the exception table, as the probes and, later, copyin are:
 * execution resumes at its fixup) or a bug (a register dump that names the
 * exception, the faulting address and the symbolized instruction pointer,
 * a backtrace, and panic).  Device interrupts go to the handler registered
 * for their line.
 */
#pragma once

#include <mach/kern_return.h>
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");
/* trap_entry.S's TF_* offsets. */
_Static_assert(__builtin_offsetof(struct trap_frame, r11) == 32 &&
	       __builtin_offsetof(struct trap_frame, rcx) == 96 &&
	       __builtin_offsetof(struct trap_frame, rax) == 112 &&
	       __builtin_offsetof(struct trap_frame, vector) == 120 &&
	       __builtin_offsetof(struct trap_frame, rip) == 136 &&
	       __builtin_offsetof(struct trap_frame, cs) == 144 &&
	       __builtin_offsetof(struct trap_frame, rflags) == 152,
	       "trap frame offsets used by trap_entry.S");

#define T_DIVIDE        0
#define T_NMI           2
#define T_BREAKPOINT    3
#define T_INVALID_OP    6
#define T_DOUBLE_FAULT  8
#define T_GP            13
#define T_PAGE_FAULT    14
#define T_MACHINE_CHECK 18
#define T_IRQ_BASE      32

void trap_init(void);

/* The English name of an exception vector ("page fault"). */
const char *trap_name(uint64_t vector);

/* The last fault the exception table recovered from (for self-tests). */
struct trap_recovery {
	uint64_t count;
	uint64_t vector;
	uint64_t address;  /* cr2 for page faults */
	uint64_t rip;
};
extern struct trap_recovery trap_last_recovery;

/* One 64-bit access that may fault: KERN_INVALID_ADDRESS if it does. */
kern_return_t probe_read_u64(const void *addr, uint64_t *out);
kern_return_t probe_write_u64(void *addr, uint64_t value);

typedef void (*irq_handler_t)(unsigned irq);
void irq_register(unsigned irq, irq_handler_t handler);
/* Masks the line and forgets its handler. */
void irq_unregister(unsigned irq);
