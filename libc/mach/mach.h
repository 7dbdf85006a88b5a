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
 * Everything else the kernel does is an RPC: the stubs generated from
 * idl/defs (task_create, thread_get_state, mach_port_allocate, ...) are
 * part of libmach, and their headers are included here.
 */
#pragma once

#include <mach/exception_types.h>
#include <mach/host_info.h>
#include <mach/kern_return.h>
#include <mach/mach_types.h>
#include <mach/mig_support.h>
#include <mach/notify.h>
#include <mach/syscall_sw.h>
#include <mach/task_info.h>
#include <mach/task_special_ports.h>
#include <mach/thread_special_ports.h>
#include <mach/thread_status.h>

/* The generated user stubs of the kernel's interfaces (build/idl/gen). */
#include <device.h>
#include <host.h>
#include <mach_port.h>
#include <task.h>
#include <thread.h>
#include <vm_map.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * memcpy, memset, strlen, strcmp, ...: the kernel's kern/string.c is built
 * into libmach as well, so its header is their declaration; a program
 * built against newlib (libc/unix.mk) has newlib's.
 */
#if __has_include(<newlib.h>)
#include <string.h>   /* a UNIX program (libc/unix.mk): newlib's */
#else
#include "../../kernel/kern/string.h"
#endif

/* ---- traps.c: one function per trap ---- */

kern_return_t null_trap(void);
kern_return_t thread_switch(mach_port_t thread, int option, uint32_t time_ms);
kern_return_t clock_get_time(uint64_t *ns);
kern_return_t clock_sleep(uint64_t deadline_ns);
mach_port_t task_self_trap(void);     /* a new user reference each call */
mach_port_t mach_thread_self(void);   /* a new user reference each call */
mach_port_t mach_host_self(void);     /* a new user reference each call */
mach_port_t mach_reply_port(void);    /* a new receive right */
kern_return_t thread_set_self(void *base);
/* mach_msg: in <mach/mig_support.h>. */

/*
 * The caller's task port, taken once at start (crt0), as Mach's libc
 * keeps it; and the host's name port.
 */
extern mach_port_t mach_task_self_;
extern mach_port_t mach_host_self_;
#define mach_task_self() (mach_task_self_)

/*
 * Any trap with any arguments, exactly as given: for tests that pass what
 * the typed wrappers cannot (unknown trap numbers, wild pointers).
 * Returns rax as the kernel left it.
 */
uint64_t mach_trap_raw(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		       uint64_t a5, uint64_t a6);

/*
 * A program's first instruction, _start, for a crt0 (libc/mach/start.c,
 * libc/unix/start.c): it clears the frame pointer (the end of any
 * backtrace) and calls target(the initial stack pointer) on a 16-byte
 * aligned stack (the ABI promises it; do not rely on it).
 */
#define MACH_START_ASM(target) MACH_START_ASM_IN(".text", target)
/* The same in a section of the caller's choosing (libc/unix/start.c). */
#define MACH_START_ASM_IN(section, target)                              \
	__asm__(".section " section "\n"                                \
		".globl _start\n"                                       \
		".type _start, @function\n"                             \
		"_start:\n"                                             \
		"	xor %ebp, %ebp\n"                               \
		"	mov %rsp, %rdi\n"                               \
		"	and $-16, %rsp\n"                               \
		"	call " #target "\n"                             \
		"	ud2\n"                                          \
		".size _start, . - _start\n")

/* ---- printf.c: formatted output to the serial console ---- */

/* The longest line mach_printf sends; longer output is cut short. */
#define MACH_PRINTF_MAX 1024

/*
 * Formats like printf (the kernel's format.c: %d %i %u %x %X %p %s %c %%,
 * '-', '0', widths, l/ll/z) and sends the result with one host_log RPC,
 * so that a line is never interleaved with other tasks' output.  Returns
 * host_log's result.
 */
kern_return_t mach_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
kern_return_t mach_vprintf(const char *fmt, va_list ap);
/* As snprintf: always NUL-terminates; returns the untruncated length. */
size_t mach_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t mach_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- mig.c: the run-time of generated stubs and servers ---- */

/*
 * Per-thread data, at the thread's fs base (thread_set_self): crt0 sets
 * the first thread's, mach_thread_spawn each new one's.
 */
struct mach_thread_data {
	struct mach_thread_data *self;   /* fs:0, so the block can find itself */
	mach_port_t reply_port;          /* mig_get_reply_port's, made on first use */
};
struct mach_thread_data *mach_thread_data(void);

/*
 * The receive loop of a server (docs/idl.md): receives on port into a
 * buffer of max_size bytes, runs demux, sends the reply and receives the
 * next request in one mach_msg, following MIG's rules of who owns what.
 * A reply that cannot be sent at once is destroyed.  Returns only if
 * receiving fails for a reason other than a too-large message (which is
 * received and destroyed), with that error.
 */
mach_msg_return_t mach_msg_server(mig_demux_t demux, mach_msg_size_t max_size,
				  mach_port_t port);

/* The time for one call of a tick (mach_msg_server_timed), read from the
 * kernel's clock on first use. */
struct mach_tick_clock {
	uint64_t ns;
	bool read;
};

uint64_t mach_tick_now(struct mach_tick_clock *clock);

/*
 * The receive loop of a server that keeps deadlines (a driver whose
 * requests wait for a device, emul's timers): before each receive it
 * calls tick(arg, clock), which answers what is due and returns the next
 * deadline (UINT64_MAX: none), and the receive waits no longer than
 * that.  The tick reads the time with mach_tick_now(clock), once, and
 * only if it has a deadline: reading it is a trap (about 225
 * instructions), which a loop with nothing due, such as emul's for every
 * system call, does without.  Otherwise as mach_msg_server, of which a task runs one of these
 * at most; returns only if receiving fails for a reason other than a
 * timeout or a message that could not be received whole.
 */
typedef uint64_t (*mach_msg_tick_t)(void *arg, struct mach_tick_clock *clock);
mach_msg_return_t mach_msg_server_timed(mig_demux_t demux, mach_msg_size_t max_size,
					mach_port_t port, mach_msg_tick_t tick, void *arg);

/* ---- error.c ---- */

/* "KERN_INVALID_NAME" for 15; NULL for a code the registry does not know. */
const char *mach_error_name(kern_return_t kr);

/* ---- thread.c: threads and time ---- */

/*
 * Starts fn(arg) in a new thread of the caller's task, on the stack
 * [stack, stack + stack_size) (the top of which holds its per-thread
 * data), at the given priority.  When fn returns
 * the thread terminates itself (if it was the task's last thread, the
 * task ends too).  The stack must stay untouched until the thread is gone.
 * Errors: those of thread_create, thread_set_state, thread_priority and
 * thread_resume; on an error after the thread was created it is
 * terminated and *thread is MACH_PORT_NULL.
 */
kern_return_t mach_thread_spawn(void (*fn)(void *), void *arg, void *stack,
				size_t stack_size, int priority, thread_t *thread);

/*
 * What task's memory holds (from vm_region): the objects its regions map,
 * each with those behind it on its shadow chain, and the pages resident in
 * the regions' own objects; an object several regions map counts once.
 * Leak checks count the caller's resident pages as its own: they grow as
 * it first touches its stack and data.  Errors: those of vm_region.
 */
kern_return_t mach_task_memory(task_t task, uint64_t *objects, uint64_t *resident_pages);

/* A new receive right of the caller's with one send right under the same
 * name, in *port: a service port.  Errors: those of mach_port_allocate
 * and mach_port_insert_right (the receive right goes if the second fails). */
kern_return_t mach_port_allocate_with_send(mach_port_t *port);

/* Monotonic nanoseconds since boot (0 if the clock cannot be read). */
uint64_t mach_clock_ns(void);

/* Sleeps at least ns nanoseconds. */
kern_return_t mach_sleep_ns(uint64_t ns);

#define MACH_NS_PER_MS ((uint64_t)1000000)

/* ---- args.c: a program's key=value arguments ---- */

/* The value of the last argument key=VALUE in argv[1 .. argc), or NULL. */
const char *mach_arg(int argc, char **argv, const char *key);

/* All of text as a decimal number of at most max, in *out; false (and
 * *out untouched) if it is empty, has anything but digits, or is larger. */
bool mach_parse_number(const char *text, uint64_t max, uint64_t *out);
