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

task_t mach_task_self(void)
{
	return (task_t)syscall6(MACH_TRAP_TASK_SELF, 0, 0, 0, 0, 0, 0);
}

thread_t mach_thread_self(void)
{
	return (thread_t)syscall6(MACH_TRAP_THREAD_SELF, 0, 0, 0, 0, 0, 0);
}

kern_return_t task_create(task_t parent, task_t *child)
{
	return TRAP(MACH_TRAP_TASK_CREATE, parent, P(child), 0, 0, 0, 0);
}

kern_return_t task_terminate(task_t task)
{
	return TRAP(MACH_TRAP_TASK_TERMINATE, task, 0, 0, 0, 0, 0);
}

kern_return_t task_suspend(task_t task)
{
	return TRAP(MACH_TRAP_TASK_SUSPEND, task, 0, 0, 0, 0, 0);
}

kern_return_t task_resume(task_t task)
{
	return TRAP(MACH_TRAP_TASK_RESUME, task, 0, 0, 0, 0, 0);
}

kern_return_t task_info(task_t task, struct task_basic_info *info)
{
	return TRAP(MACH_TRAP_TASK_INFO, task, P(info), 0, 0, 0, 0);
}

kern_return_t thread_create(task_t task, thread_t *thread)
{
	return TRAP(MACH_TRAP_THREAD_CREATE, task, P(thread), 0, 0, 0, 0);
}

kern_return_t thread_terminate(thread_t thread)
{
	return TRAP(MACH_TRAP_THREAD_TERMINATE, thread, 0, 0, 0, 0, 0);
}

kern_return_t thread_suspend(thread_t thread)
{
	return TRAP(MACH_TRAP_THREAD_SUSPEND, thread, 0, 0, 0, 0, 0);
}

kern_return_t thread_resume(thread_t thread)
{
	return TRAP(MACH_TRAP_THREAD_RESUME, thread, 0, 0, 0, 0, 0);
}

kern_return_t thread_get_state(thread_t thread, thread_state_flavor_t flavor, void *state,
			       size_t size)
{
	return TRAP(MACH_TRAP_THREAD_GET_STATE, thread, (uint64_t)(unsigned)flavor, P(state),
		    size, 0, 0);
}

kern_return_t thread_set_state(thread_t thread, thread_state_flavor_t flavor,
			       const void *state, size_t size)
{
	return TRAP(MACH_TRAP_THREAD_SET_STATE, thread, (uint64_t)(unsigned)flavor, P(state),
		    size, 0, 0);
}

kern_return_t thread_info(thread_t thread, struct thread_basic_info *info)
{
	return TRAP(MACH_TRAP_THREAD_INFO, thread, P(info), 0, 0, 0, 0);
}

kern_return_t thread_priority(thread_t thread, int priority)
{
	return TRAP(MACH_TRAP_THREAD_PRIORITY, thread, (uint64_t)(unsigned)priority, 0, 0, 0, 0);
}

kern_return_t host_memory_info(struct host_memory_info *info)
{
	return TRAP(MACH_TRAP_HOST_MEMORY_INFO, P(info), 0, 0, 0, 0, 0);
}

kern_return_t host_halt(int status)
{
	return TRAP(MACH_TRAP_HOST_HALT, (uint64_t)(unsigned)status, 0, 0, 0, 0, 0);
}

kern_return_t boot_module_spawn(const char *name, size_t name_len, const char *args,
				size_t args_len, task_t *task, thread_t *thread)
{
	return TRAP(MACH_TRAP_BOOT_MODULE_SPAWN, P(name), name_len, P(args), args_len, P(task),
		    P(thread));
}

kern_return_t kernel_log(const char *buf, size_t len)
{
	return TRAP(MACH_TRAP_KERNEL_LOG, P(buf), len, 0, 0, 0, 0);
}
