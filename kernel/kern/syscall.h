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

/* The temporary traps of syscall_temp.c (mach/syscall_sw.h: TEMPORARY). */
TRAP_HANDLER(trap_task_create);
TRAP_HANDLER(trap_task_terminate);
TRAP_HANDLER(trap_task_suspend);
TRAP_HANDLER(trap_task_resume);
TRAP_HANDLER(trap_task_info);
TRAP_HANDLER(trap_thread_create);
TRAP_HANDLER(trap_thread_terminate);
TRAP_HANDLER(trap_thread_suspend);
TRAP_HANDLER(trap_thread_resume);
TRAP_HANDLER(trap_thread_get_state);
TRAP_HANDLER(trap_thread_set_state);
TRAP_HANDLER(trap_thread_info);
TRAP_HANDLER(trap_thread_priority);
TRAP_HANDLER(trap_host_memory_info);
TRAP_HANDLER(trap_host_halt);
TRAP_HANDLER(trap_boot_module_spawn);
TRAP_HANDLER(trap_kernel_log);
