/*
 * A thread's machine state, as thread_get_state and thread_set_state
 * read and write it.  A flavor names one part of the state; its size is
 * fixed, and a call with another size gets KERN_INVALID_ARGUMENT.
 *
 * thread_set_state refuses (KERN_INVALID_ARGUMENT) what would fault in the
 * kernel instead of the thread: a rip, rsp, fs_base or gs_base outside the
 * user half (at or above 0x0000800000000000), and MXCSR reserved bits.
 * Of rflags only the arithmetic flags, TF, DF, AC and ID are the thread's;
 * the kernel keeps IF set and IOPL zero whatever is written.
 */
#pragma once

#include <mach/machine/vm_types.h>

typedef int thread_state_flavor_t;

#define X86_64_THREAD_STATE 1   /* struct x86_64_thread_state */
#define X86_64_FLOAT_STATE  2   /* struct x86_64_float_state */

struct x86_64_thread_state {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t fs_base, gs_base;
};
_Static_assert(sizeof(struct x86_64_thread_state) == 20 * 8, "thread state layout");

/* The FXSAVE image: x87, MMX and SSE registers, MXCSR (Intel SDM vol. 1 §10.5.1). */
struct x86_64_float_state {
	uint16_t fcw, fsw;
	uint8_t ftw, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t reserved1[96];
} __attribute__((aligned(16)));
_Static_assert(sizeof(struct x86_64_float_state) == 512, "FXSAVE layout");

/*
 * On the wire (thread_get_state, thread_set_state, exception_raise) a
 * state is an array of natural_t, THREAD_STATE_MAX at most: the bound of
 * thread_state_t in mach_types.defs.  Each flavor's count is its size in
 * natural_t; a state of another count is KERN_INVALID_ARGUMENT.
 */
typedef natural_t *thread_state_t;

#define THREAD_STATE_MAX 128

#define X86_64_THREAD_STATE_COUNT \
	((natural_t)(sizeof(struct x86_64_thread_state) / sizeof(natural_t)))
#define X86_64_FLOAT_STATE_COUNT \
	((natural_t)(sizeof(struct x86_64_float_state) / sizeof(natural_t)))
_Static_assert(X86_64_THREAD_STATE_COUNT == 40, "thread state count");
_Static_assert(X86_64_FLOAT_STATE_COUNT == 128 &&
	       X86_64_FLOAT_STATE_COUNT <= THREAD_STATE_MAX,
	       "the largest flavor fits thread_state_t");
