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
 * DESIGN.md keeps the permanent traps few (mach_msg, reply port, self
 * ports, yield, a few fast VM calls); everything else is a message to a
 * kernel port.  Until ports exist, the calls marked TEMPORARY below reach
 * the same kernel functions directly, naming tasks and threads by
 * identifiers that are never reused.  The ports issue replaces each with a
 * routine in a .defs file (task.defs, thread.defs, host.defs) keeping its
 * C signature, and retires the number: numbers are never reused.
 */
#pragma once

/* Permanent traps. */
#define MACH_TRAP_NULL              0  /* null_trap(): KERN_SUCCESS; the cheapest round trip */
#define MACH_TRAP_THREAD_SWITCH     1  /* thread_switch(thread, option, time_ms) */
#define MACH_TRAP_CLOCK_GET_TIME    2  /* clock_get_time(uint64_t *ns): monotonic nanoseconds */
#define MACH_TRAP_CLOCK_SLEEP       3  /* clock_sleep(uint64_t deadline_ns): sleep until */
#define MACH_TRAP_TASK_SELF         4  /* mach_task_self(): the caller's task, in rax */
#define MACH_TRAP_THREAD_SELF       5  /* mach_thread_self(): the caller's thread, in rax */

/* TEMPORARY: served through task, thread and host ports once IPC exists. */
#define MACH_TRAP_TASK_CREATE       10 /* task_create(parent, task_t *child): an empty task */
#define MACH_TRAP_TASK_TERMINATE    11 /* task_terminate(task) */
#define MACH_TRAP_TASK_SUSPEND      12 /* task_suspend(task) */
#define MACH_TRAP_TASK_RESUME       13 /* task_resume(task) */
#define MACH_TRAP_TASK_INFO         14 /* task_info(task, struct task_basic_info *) */
#define MACH_TRAP_THREAD_CREATE     15 /* thread_create(task, thread_t *): suspended, zero state */
#define MACH_TRAP_THREAD_TERMINATE  16 /* thread_terminate(thread) */
#define MACH_TRAP_THREAD_SUSPEND    17 /* thread_suspend(thread) */
#define MACH_TRAP_THREAD_RESUME     18 /* thread_resume(thread) */
#define MACH_TRAP_THREAD_GET_STATE  19 /* thread_get_state(thread, flavor, void *, size) */
#define MACH_TRAP_THREAD_SET_STATE  20 /* thread_set_state(thread, flavor, const void *, size) */
#define MACH_TRAP_THREAD_INFO       21 /* thread_info(thread, struct thread_basic_info *) */
#define MACH_TRAP_THREAD_PRIORITY   22 /* thread_priority(thread, priority) */
#define MACH_TRAP_HOST_MEMORY_INFO  23 /* host_memory_info(struct host_memory_info *) */
#define MACH_TRAP_HOST_HALT         24 /* host_halt(status): stop the machine */

/* TEMPORARY: bootstrap's tools until IPC, the console and exec exist. */
#define MACH_TRAP_BOOT_MODULE_SPAWN 30 /* boot_module_spawn(name, name_len, args, args_len,
				          task_t *, thread_t *) */
#define MACH_TRAP_KERNEL_LOG        31 /* kernel_log(const char *buf, size_t len) */

#define MACH_TRAP_COUNT             32

/* boot_module_spawn limits: longer names or arguments are
 * KERN_INVALID_ARGUMENT. */
#define BOOT_MODULE_NAME_MAX 63     /* bytes of a module name */
#define BOOT_ARGS_MAX        4096   /* bytes of argument strings, with their NULs */
#define BOOT_ARGV_MAX        64     /* argument strings, the command line's included */

/* thread_switch options (Mach's). */
#define SWITCH_OPTION_NONE 0  /* run `thread` next if it is ready, else yield */

/* host_halt statuses. */
#define HOST_HALT_SUCCESS 0   /* tests passed / orderly power-off */
#define HOST_HALT_FAILURE 1   /* tests failed */
