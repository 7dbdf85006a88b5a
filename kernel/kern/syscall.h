/*
 * The trap table (mach/syscall_sw.h has the numbers and the calling
 * convention).  syscall_dispatch is called by the syscall entry with the
 * caller's saved registers and puts the result in frame->rax.
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

void syscall_dispatch(struct trap_frame *frame);

/* The temporary traps of syscall_temp.c (mach/syscall_sw.h: TEMPORARY). */
extern const trap_handler_t syscall_temp_table[];
extern const unsigned syscall_temp_first, syscall_temp_count;
