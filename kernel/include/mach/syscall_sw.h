/*
 * The kernel's traps: the registry of trap numbers and their calling
 * convention.  A trap is the `syscall` instruction with
 *
 *   rax                      the trap number below
 *   rdi, rsi, rdx, r10, r8, r9  up to six arguments
 *   rax on return            a kern_return_t (mach/kern_return.h)
 *
 * rcx and r11 are destroyed (the CPU uses them); every other register is
 * preserved.  Results other than the return code are written through
 * pointer arguments; a pointer that is not a mapped, writable (or
 * readable) user address gives KERN_INVALID_ADDRESS, never a fault.
 * An unknown trap number gives KERN_INVALID_ARGUMENT.
 *
 * DESIGN.md keeps the traps few: these below.  Everything else is a
 * message to a kernel port (task.defs, thread.defs, host.defs,
 * mach_port.defs, vm_map.defs).  Numbers are never reused: 10-31 were the
 * temporary calls that existed before ports, and stay retired.
 */
#pragma once

#define MACH_TRAP_NULL              0  /* null_trap(): KERN_SUCCESS; the cheapest round trip */
#define MACH_TRAP_THREAD_SWITCH     1  /* thread_switch(thread port, option, time_ms) */
#define MACH_TRAP_CLOCK_GET_TIME    2  /* clock_get_time(uint64_t *ns): monotonic nanoseconds */
#define MACH_TRAP_CLOCK_SLEEP       3  /* clock_sleep(uint64_t deadline_ns): sleep until */
#define MACH_TRAP_TASK_SELF         4  /* mach_task_self(): a send right to the caller's task */
#define MACH_TRAP_THREAD_SELF       5  /* mach_thread_self(): ... to the caller's thread */
#define MACH_TRAP_HOST_SELF         6  /* mach_host_self(): ... to the host's name port */
#define MACH_TRAP_REPLY_PORT        7  /* mach_reply_port(): a new receive right */
#define MACH_TRAP_MSG               8  /* mach_msg(msg, option, send_size, rcv_size,
				          rcv_name, timeout): see mach/message.h */
#define MACH_TRAP_THREAD_SET_SELF   9  /* thread_set_self(base): the thread's fs base,
				          which user space uses for its per-thread data */

#define MACH_TRAP_COUNT             32

/* thread_switch options (Mach's). */
#define SWITCH_OPTION_NONE 0  /* run `thread` next if it is ready, else yield */
