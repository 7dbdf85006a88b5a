/*
 * Threads and time on top of the traps.  A new thread starts suspended
 * with every register zero (thread_create); mach_thread_spawn gives it a
 * stack and an entry point with thread_set_state and lets it go.
 */
#include <mach/mach.h>

/*
 * Where every spawned thread starts: fn and arg arrive in rdi and rsi, as
 * a call would pass them, and the stack is laid out as just after a call.
 */
__attribute__((noreturn)) static void thread_trampoline(void (*fn)(void *), void *arg)
{
	fn(arg);
	/* One call releases the reply port and the self reference and ends
	 * the thread, so neither outlives it. */
	struct mach_thread_data *d = mach_thread_data();
	mach_port_t self = mach_thread_self();
	thread_terminate_release(self, d->reply_port, self);
	for (;;)
		clock_sleep(UINT64_MAX);
}

static kern_return_t thread_start(thread_t thread, void (*fn)(void *), void *arg,
				  void *stack, size_t stack_size, int priority)
{
	struct x86_64_thread_state state = { 0 };
	/* The per-thread data at the top, then the stack: 16-byte aligned,
	 * minus the return address a call would push. */
	uintptr_t top = ((uintptr_t)stack + stack_size - sizeof(struct mach_thread_data)) &
			~(uintptr_t)15;
	struct mach_thread_data *data = (struct mach_thread_data *)top;
	kern_return_t kr;

	*data = (struct mach_thread_data){ .self = data, .reply_port = MACH_PORT_NULL };
	state.rip = (uintptr_t)thread_trampoline;
	state.rsp = top - 8;
	state.rdi = (uintptr_t)fn;
	state.rsi = (uintptr_t)arg;
	state.fs_base = (uintptr_t)data;
	state.rflags = 0x202;   /* IF and the always-one bit; the kernel forces IF anyway */
	kr = thread_set_state(thread, X86_64_THREAD_STATE, (thread_state_t)&state,
			      X86_64_THREAD_STATE_COUNT);
	if (kr == KERN_SUCCESS)
		kr = thread_priority(thread, priority, FALSE);
	if (kr == KERN_SUCCESS)
		kr = thread_resume(thread);
	return kr;
}

kern_return_t mach_thread_spawn(void (*fn)(void *), void *arg, void *stack,
				size_t stack_size, int priority, thread_t *thread)
{
	thread_t t;
	kern_return_t kr = thread_create(mach_task_self(), &t);

	*thread = MACH_PORT_NULL;
	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_start(t, fn, arg, stack, stack_size, priority);
	if (kr != KERN_SUCCESS) {
		thread_terminate(t);
		mach_port_deallocate(mach_task_self(), t);
		return kr;
	}
	*thread = t;
	return KERN_SUCCESS;
}

uint64_t mach_clock_ns(void)
{
	uint64_t ns;

	if (clock_get_time(&ns) != KERN_SUCCESS)
		return 0;
	return ns;
}

kern_return_t mach_sleep_ns(uint64_t ns)
{
	uint64_t now;
	kern_return_t kr = clock_get_time(&now);

	if (kr != KERN_SUCCESS)
		return kr;
	return clock_sleep(ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
}
