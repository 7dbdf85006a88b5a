/*
 * The trap table (mach/syscall_sw.h has the numbers and the calling
 * convention).  The syscall entry (trap_entry.S) calls
 * syscall_table[number] with the six argument registers and stores the
 * result in the frame's rax; every number below MACH_TRAP_COUNT has a
 * handler (trap_invalid for the unused ones).
 *
 * Each trap decodes and checks its arguments (copyin, name lookup, rights)
 * and then calls the kernel function that does the work; the work never
 * sees a user pointer.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/trap.h"

#define T_SYSCALL 256   /* trap_frame.vector of a frame built by syscall */

typedef uint64_t (*trap_handler_t)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
				   uint64_t);

#include <mach/syscall_sw.h>

extern const trap_handler_t syscall_table[MACH_TRAP_COUNT];

#define TRAP_HANDLER(name)                                                      \
	uint64_t name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, \
		      uint64_t a5)

