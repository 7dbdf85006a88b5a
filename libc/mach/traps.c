/*
 * The trap wrappers: each is one `syscall` through syscall6, with the
 * register assignment of <mach/syscall_sw.h>.  Pointers and names travel
 * as 64-bit integers; the kernel validates them, so nothing is checked
 * here.
 */
#include <mach/mach.h>

/*
 * rax = number, arguments in rdi rsi rdx r10 r8 r9, result in rax; the CPU
 * destroys rcx and r11.  "memory" because the kernel reads and writes
 * through the pointer arguments.
 */
static inline uint64_t syscall6(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3,
				uint64_t a4, uint64_t a5, uint64_t a6)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	register uint64_t r9 __asm__("r9") = a6;
	uint64_t ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

#define P(x) ((uint64_t)(uintptr_t)(x))
#define TRAP(n, a1, a2, a3, a4, a5, a6) \
	((kern_return_t)syscall6((n), (a1), (a2), (a3), (a4), (a5), (a6)))

uint64_t mach_trap_raw(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		       uint64_t a5, uint64_t a6)
{
	return syscall6(number, a1, a2, a3, a4, a5, a6);
}

kern_return_t null_trap(void)
{
	return TRAP(MACH_TRAP_NULL, 0, 0, 0, 0, 0, 0);
}

kern_return_t thread_switch(thread_t thread, int option, uint32_t time_ms)
{
	return TRAP(MACH_TRAP_THREAD_SWITCH, thread, (uint64_t)(unsigned)option, time_ms, 0, 0, 0);
}

kern_return_t clock_get_time(uint64_t *ns)
{
	return TRAP(MACH_TRAP_CLOCK_GET_TIME, P(ns), 0, 0, 0, 0, 0);
}

kern_return_t clock_sleep(uint64_t deadline_ns)
{
	return TRAP(MACH_TRAP_CLOCK_SLEEP, deadline_ns, 0, 0, 0, 0, 0);
}

mach_port_t task_self_trap(void)
{
	return (mach_port_t)syscall6(MACH_TRAP_TASK_SELF, 0, 0, 0, 0, 0, 0);
}

mach_port_t mach_thread_self(void)
{
	return (mach_port_t)syscall6(MACH_TRAP_THREAD_SELF, 0, 0, 0, 0, 0, 0);
}

mach_port_t mach_host_self(void)
{
	return (mach_port_t)syscall6(MACH_TRAP_HOST_SELF, 0, 0, 0, 0, 0, 0);
}

mach_port_t mach_reply_port(void)
{
	return (mach_port_t)syscall6(MACH_TRAP_REPLY_PORT, 0, 0, 0, 0, 0, 0);
}

#ifdef MACH_MSG_RETRY
/*
 * UNIX processes' libmach (libc/unix.mk) hides an interruption
 * (thread_abort: emul delivering a signal), as Mach's mach_msg does
 * unless asked for it: a send that did not happen goes again; a receive
 * after a send that did is a receive only.  Other tasks' threads are
 * interrupted only when they are being terminated, and never return to
 * user mode then, so their mach_msg is the bare trap: the RPC round trip
 * pays nothing for signals.
 */
static __attribute__((noinline)) mach_msg_return_t
mach_msg_again(mach_msg_return_t mr, mach_msg_header_t *msg, mach_msg_option_t option,
	       mach_msg_size_t send_size, mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
	       mach_msg_timeout_t timeout)
{
	for (;;) {
		if (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT))
			option &= ~MACH_SEND_MSG;
		else if (mr != MACH_SEND_INTERRUPTED || (option & MACH_SEND_INTERRUPT))
			return mr;
		mr = TRAP(MACH_TRAP_MSG, P(msg), option, send_size, rcv_size, rcv_name, timeout);
	}
}
#endif

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	(void)notify;   /* not supported: the trap takes six arguments */
	mach_msg_return_t mr = TRAP(MACH_TRAP_MSG, P(msg), option, send_size, rcv_size, rcv_name,
				    timeout);
#ifdef MACH_MSG_RETRY
	if (__builtin_expect(mr != MACH_MSG_SUCCESS, 0))
		return mach_msg_again(mr, msg, option, send_size, rcv_size, rcv_name, timeout);
#endif
	return mr;
}

kern_return_t thread_set_self(void *base)
{
	return TRAP(MACH_TRAP_THREAD_SET_SELF, P(base), 0, 0, 0, 0, 0);
}
