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
