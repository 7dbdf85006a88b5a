/*
 * The small Mach library (libmach): C calls for the kernel's traps and the
 * few helpers a program needs before newlib is wired in.
 *
 * Programs compile with -Ilibc -Ikernel/include and include <mach/mach.h>;
 * the other <mach/...> headers are the kernel's own (kernel/include/mach),
 * which is why no file in libc/mach/ may share a name with one of them.
 * Programs link build/libc/crt0.o first and build/libc/libmach.a last.
 *
 * Every trap's calling convention and its error codes are in
 * <mach/syscall_sw.h>; each wrapper below is that trap, nothing more.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/mach_types.h>
#include <mach/syscall_sw.h>
#include <mach/task_info.h>
#include <mach/thread_status.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * memcpy, memset, strlen, strcmp, ...: the kernel's kern/string.c is built
 * into libmach as well, so its header is their declaration (until newlib's
 * <string.h> takes over).
 */
#include "../../kernel/kern/string.h"

/* ---- traps.c: one function per trap ---- */

kern_return_t null_trap(void);
kern_return_t thread_switch(thread_t thread, int option, uint32_t time_ms);
kern_return_t clock_get_time(uint64_t *ns);
kern_return_t clock_sleep(uint64_t deadline_ns);
task_t mach_task_self(void);
thread_t mach_thread_self(void);

kern_return_t task_create(task_t parent, task_t *child);
kern_return_t task_terminate(task_t task);
kern_return_t task_suspend(task_t task);
kern_return_t task_resume(task_t task);
kern_return_t task_info(task_t task, struct task_basic_info *info);

kern_return_t thread_create(task_t task, thread_t *thread);
kern_return_t thread_terminate(thread_t thread);
kern_return_t thread_suspend(thread_t thread);
kern_return_t thread_resume(thread_t thread);
kern_return_t thread_get_state(thread_t thread, thread_state_flavor_t flavor, void *state,
			       size_t size);
kern_return_t thread_set_state(thread_t thread, thread_state_flavor_t flavor,
			       const void *state, size_t size);
kern_return_t thread_info(thread_t thread, struct thread_basic_info *info);
kern_return_t thread_priority(thread_t thread, int priority);

kern_return_t host_memory_info(struct host_memory_info *info);
kern_return_t host_halt(int status);

kern_return_t boot_module_spawn(const char *name, size_t name_len, const char *args,
				size_t args_len, task_t *task, thread_t *thread);
kern_return_t kernel_log(const char *buf, size_t len);

/*
 * Any trap with any arguments, exactly as given: for tests that pass what
 * the typed wrappers cannot (unknown trap numbers, wild pointers).
 * Returns rax as the kernel left it.
 */
uint64_t mach_trap_raw(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		       uint64_t a5, uint64_t a6);

/* ---- printf.c: formatted output to the serial console ---- */

/* The longest line mach_printf sends; longer output is cut short. */
#define MACH_PRINTF_MAX 1024

/*
 * Formats like printf (the kernel's format.c: %d %i %u %x %X %p %s %c %%,
 * '-', '0', widths, l/ll/z) and sends the result with one kernel_log call,
 * so that a line is never interleaved with other tasks' output.  Returns
 * kernel_log's result.
 */
kern_return_t mach_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
kern_return_t mach_vprintf(const char *fmt, va_list ap);
/* As snprintf: always NUL-terminates; returns the untruncated length. */
size_t mach_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t mach_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- error.c ---- */

/* "KERN_INVALID_NAME" for 15; NULL for a code the registry does not know. */
const char *mach_error_name(kern_return_t kr);

/* ---- thread.c: threads and time ---- */

/*
 * Starts fn(arg) in a new thread of the caller's task, on the stack
 * [stack, stack + stack_size), at the given priority.  When fn returns
 * the thread terminates itself (if it was the task's last thread, the
 * task ends too).  The stack must stay untouched until the thread is gone.
 * Errors: those of thread_create, thread_set_state, thread_priority and
 * thread_resume; on an error after the thread was created it is
 * terminated and *thread is MACH_PORT_NULL.
 */
kern_return_t mach_thread_spawn(void (*fn)(void *), void *arg, void *stack,
				size_t stack_size, int priority, thread_t *thread);

/* Monotonic nanoseconds since boot (0 if the clock cannot be read). */
uint64_t mach_clock_ns(void);

/* Sleeps at least ns nanoseconds. */
kern_return_t mach_sleep_ns(uint64_t ns);

#define MACH_NS_PER_MS ((uint64_t)1000000)
