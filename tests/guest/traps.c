/*
 * Argument checking at the trap boundary: unknown trap numbers, every
 * kind of bad pointer to every trap that takes one, stale and unknown
 * names, and the limits of boot_module_spawn and kernel_log.  Refused
 * calls must leave nothing behind, which host_memory_info shows.
 */
#include "traps.h"

#include "usertest.h"

#define USER_END 0x0000800000000000ull
#define KERNEL_TEXT 0xffffffff80000000ull
#define DIRECT_MAP 0xffff800000000000ull

static bool unknown_trap_numbers_are_invalid_arguments(void)
{
	/* Gaps in the table, the end of it, far beyond, and high bits set. */
	static const uint64_t numbers[] = {
		6, 7, 8, 9, 25, 26, 27, 28, 29, MACH_TRAP_COUNT, 33, 255, 1000, 0xffffffffull,
		0x100000000ull, 0x100000001ull, 0x8000000000000000ull, ~0ull,
	};
	bool ok = true;

	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		kern_return_t kr = (kern_return_t)mach_trap_raw(numbers[i], 0, 0, 0, 0, 0, 0);
		if (kr != KERN_INVALID_ARGUMENT) {
			diag("trap %lx returned %d, expected KERN_INVALID_ARGUMENT", numbers[i], kr);
			ok = false;
		}
	}
	return ok;
}

/*
 * Every pointer-taking trap, as a call with the pointer under test.  The
 * rest of each call is valid, so that the pointer is the only thing wrong.
 */
struct pointer_use {
	const char *call;
	kern_return_t (*invoke)(uintptr_t p);
	size_t size;      /* bytes the kernel reads or writes there */
	bool output;      /* written by the kernel (else read) */
};

static thread_t stopped_thread;   /* created suspended, for the state calls */
static uint8_t zero_buffer[512] __attribute__((aligned(16)));
static const char spawn_args[] = "role=spin";  /* if a refused spawn leaked, it would show */

static kern_return_t clean_spawn(kern_return_t kr, task_t task)
{
	if (kr == KERN_SUCCESS)
		task_terminate(task);   /* the check fails; do not leave it running */
	return kr;
}

static kern_return_t use_clock_get_time(uintptr_t p)
{
	return clock_get_time((uint64_t *)p);
}

static kern_return_t use_task_create(uintptr_t p)
{
	return task_create(mach_task_self(), (task_t *)p);
}

static kern_return_t use_task_info(uintptr_t p)
{
	return task_info(mach_task_self(), (struct task_basic_info *)p);
}

static kern_return_t use_thread_create(uintptr_t p)
{
	return thread_create(mach_task_self(), (thread_t *)p);
}

static kern_return_t use_get_thread_state(uintptr_t p)
{
	return thread_get_state(stopped_thread, X86_64_THREAD_STATE, (void *)p,
				sizeof(struct x86_64_thread_state));
}

static kern_return_t use_get_float_state(uintptr_t p)
{
	return thread_get_state(stopped_thread, X86_64_FLOAT_STATE, (void *)p,
				sizeof(struct x86_64_float_state));
}

static kern_return_t use_set_thread_state(uintptr_t p)
{
	return thread_set_state(stopped_thread, X86_64_THREAD_STATE, (const void *)p,
				sizeof(struct x86_64_thread_state));
}

static kern_return_t use_set_float_state(uintptr_t p)
{
	return thread_set_state(stopped_thread, X86_64_FLOAT_STATE, (const void *)p,
				sizeof(struct x86_64_float_state));
}

static kern_return_t use_thread_info(uintptr_t p)
{
	return thread_info(mach_thread_self(), (struct thread_basic_info *)p);
}

static kern_return_t use_host_memory_info(uintptr_t p)
{
	return host_memory_info((struct host_memory_info *)p);
}

static kern_return_t use_spawn_name(uintptr_t p)
{
	task_t task = MACH_PORT_NULL;
	thread_t thread;

	return clean_spawn(boot_module_spawn((const char *)p, 8, spawn_args,
					     sizeof(spawn_args) - 1, &task, &thread), task);
}

static kern_return_t use_spawn_args(uintptr_t p)
{
	task_t task = MACH_PORT_NULL;
	thread_t thread;

	return clean_spawn(boot_module_spawn("usertest", 8, (const char *)p, 16, &task, &thread),
			   task);
}

static kern_return_t use_spawn_task_out(uintptr_t p)
{
	thread_t thread;

	return boot_module_spawn("usertest", 8, spawn_args, sizeof(spawn_args) - 1, (task_t *)p,
				 &thread);
}

static kern_return_t use_spawn_thread_out(uintptr_t p)
{
	task_t task = MACH_PORT_NULL;

	return clean_spawn(boot_module_spawn("usertest", 8, spawn_args, sizeof(spawn_args) - 1,
					     &task, (thread_t *)p), task);
}

static kern_return_t use_kernel_log(uintptr_t p)
{
	return kernel_log((const char *)p, 16);
}

static const struct pointer_use pointer_uses[] = {
	{ "clock_get_time", use_clock_get_time, sizeof(uint64_t), true },
	{ "task_create", use_task_create, sizeof(task_t), true },
	{ "task_info", use_task_info, sizeof(struct task_basic_info), true },
	{ "thread_create", use_thread_create, sizeof(thread_t), true },
	{ "thread_get_state(THREAD)", use_get_thread_state, sizeof(struct x86_64_thread_state),
	  true },
	{ "thread_get_state(FLOAT)", use_get_float_state, sizeof(struct x86_64_float_state),
	  true },
	{ "thread_set_state(THREAD)", use_set_thread_state, sizeof(struct x86_64_thread_state),
	  false },
	{ "thread_set_state(FLOAT)", use_set_float_state, sizeof(struct x86_64_float_state),
	  false },
	{ "thread_info", use_thread_info, sizeof(struct thread_basic_info), true },
	{ "host_memory_info", use_host_memory_info, sizeof(struct host_memory_info), true },
	{ "boot_module_spawn(name)", use_spawn_name, 8, false },
	{ "boot_module_spawn(args)", use_spawn_args, 16, false },
	{ "boot_module_spawn(task)", use_spawn_task_out, sizeof(task_t), true },
	{ "boot_module_spawn(thread)", use_spawn_thread_out, sizeof(thread_t), true },
	{ "kernel_log", use_kernel_log, 16, false },
};
#define POINTER_USES (sizeof(pointer_uses) / sizeof(pointer_uses[0]))

static const uint64_t read_only_word = 0x1234;

/* Addresses no call may use; the last ones are for outputs only. */
static unsigned bad_addresses(const struct pointer_use *u, uintptr_t out[10])
{
	unsigned n = 0;

	out[n++] = 0;
	out[n++] = 0x10;
	out[n++] = KERNEL_TEXT;
	out[n++] = DIRECT_MAP;
	out[n++] = USER_END;                       /* non-canonical */
	out[n++] = 0x8000000000000000ull;          /* non-canonical */
	out[n++] = USER_END - u->size / 2;         /* starts in the user half, ends past it */
	if (u->output) {
		out[n++] = (uintptr_t)unknown_trap_numbers_are_invalid_arguments;   /* text */
		out[n++] = (uintptr_t)&read_only_word;                             /* rodata */
	}
	return n;
}

/* One pass over every call and address; false if any was not refused. */
static bool every_bad_pointer_refused(bool report)
{
	bool ok = true;

	for (unsigned i = 0; i < POINTER_USES; i++) {
		const struct pointer_use *u = &pointer_uses[i];
		uintptr_t addresses[10];
		unsigned n = bad_addresses(u, addresses);
		for (unsigned j = 0; j < n; j++) {
			kern_return_t kr = u->invoke(addresses[j]);
			if (kr != KERN_INVALID_ADDRESS) {
				if (report)
					diag("%s at %lx returned %d, expected KERN_INVALID_ADDRESS",
					     u->call, addresses[j], kr);
				ok = false;
			}
		}
	}
	return ok;
}

static bool bad_pointers_are_invalid_addresses_and_leak_nothing(void)
{
	struct host_memory_info before;

	if (!CHECK_KR(thread_create(mach_task_self(), &stopped_thread), KERN_SUCCESS))
		return false;
	/* A first pass warms up whatever the kernel sets up on first use. */
	bool ok = every_bad_pointer_refused(true);
	ok &= CHECK_KR(host_memory_info(&before), KERN_SUCCESS);
	ok &= every_bad_pointer_refused(false);
	ok &= memory_returns_to(&before);
	ok &= CHECK_KR(thread_terminate(stopped_thread), KERN_SUCCESS);
	/* The good calls work, so the refusals were about the pointers. */
	ok &= CHECK_KR(use_clock_get_time((uintptr_t)zero_buffer), KERN_SUCCESS);
	ok &= CHECK_KR(use_host_memory_info((uintptr_t)zero_buffer), KERN_SUCCESS);
	return ok;
}

/* A task and a thread that existed once, and names that never did. */
static bool stale_names(task_t *task, thread_t *thread)
{
	bool ok = CHECK_KR(task_create(mach_task_self(), task), KERN_SUCCESS);

	ok &= CHECK_KR(task_terminate(*task), KERN_SUCCESS);
	ok &= CHECK_KR(thread_create(mach_task_self(), thread), KERN_SUCCESS);
	ok &= CHECK_KR(thread_terminate(*thread), KERN_SUCCESS);
	return ok;
}

static bool task_name_is_invalid(task_t name)
{
	struct task_basic_info info;
	task_t child;
	thread_t thread;
	bool ok = true;

	ok &= CHECK_KR(task_info(name, &info), KERN_INVALID_NAME);
	ok &= CHECK_KR(task_suspend(name), KERN_INVALID_NAME);
	ok &= CHECK_KR(task_resume(name), KERN_INVALID_NAME);
	ok &= CHECK_KR(task_terminate(name), KERN_INVALID_NAME);
	ok &= CHECK_KR(task_create(name, &child), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_create(name, &thread), KERN_INVALID_NAME);
	if (!ok)
		diag("... for task name %u", name);
	return ok;
}

static bool thread_name_is_invalid(thread_t name)
{
	struct thread_basic_info info;
	bool ok = true;

	ok &= CHECK_KR(thread_info(name, &info), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_suspend(name), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_resume(name), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_priority(name, THREAD_PRIORITY_DEFAULT), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_get_state(name, X86_64_THREAD_STATE, zero_buffer,
					sizeof(struct x86_64_thread_state)), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_set_state(name, X86_64_THREAD_STATE, zero_buffer,
					sizeof(struct x86_64_thread_state)), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_terminate(name), KERN_INVALID_NAME);
	if (name != MACH_PORT_NULL)   /* MACH_PORT_NULL means "anyone" to thread_switch */
		ok &= CHECK_KR(thread_switch(name, SWITCH_OPTION_NONE, 0), KERN_INVALID_NAME);
	if (!ok)
		diag("... for thread name %u", name);
	return ok;
}

static bool stale_and_unknown_names_are_invalid_names(void)
{
	static const mach_port_t unknown[] = { MACH_PORT_NULL, 0x7fffffff, 0xfffffffe,
					       MACH_PORT_DEAD };
	task_t task;
	thread_t thread;
	bool ok = stale_names(&task, &thread);

	ok &= task_name_is_invalid(task);
	ok &= thread_name_is_invalid(thread);
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		ok &= task_name_is_invalid(unknown[i]);
		ok &= thread_name_is_invalid(unknown[i]);
	}
	return ok;
}

static kern_return_t spawn_named(const char *name, size_t len)
{
	task_t task = MACH_PORT_NULL;
	thread_t thread;

	return clean_spawn(boot_module_spawn(name, len, spawn_args, sizeof(spawn_args) - 1,
					     &task, &thread), task);
}

static bool spawn_refuses_missing_modules_and_bad_name_lengths(void)
{
	static char long_name[300];
	bool ok = true;

	memset(long_name, 'x', sizeof(long_name));
	ok &= CHECK_KR(spawn_named("nosuchmodule", 12), KERN_INVALID_NAME);
	ok &= CHECK_KR(spawn_named("usertes", 7), KERN_INVALID_NAME);
	ok &= CHECK_KR(spawn_named("usertestx", 9), KERN_INVALID_NAME);
	ok &= CHECK_KR(spawn_named("build/tests/guest/usertest", 26), KERN_INVALID_NAME);
	ok &= CHECK_KR(spawn_named(long_name, BOOT_MODULE_NAME_MAX), KERN_INVALID_NAME);
	ok &= CHECK_KR(spawn_named(long_name, BOOT_MODULE_NAME_MAX + 1), KERN_INVALID_ARGUMENT);
	ok &= CHECK_KR(spawn_named(long_name, 255), KERN_INVALID_ARGUMENT);
	ok &= CHECK_KR(spawn_named(long_name, 0), KERN_INVALID_ARGUMENT);
	ok &= CHECK_KR(spawn_named("usertest", 0), KERN_INVALID_ARGUMENT);
	return ok;
}

/* 4096 bytes in one call, as 32 comment lines of 128 bytes. */
static bool kernel_log_takes_up_to_4096_bytes(void)
{
	static char text[4097];
	bool ok = true;

	for (unsigned line = 0; line < 32; line++) {
		char *l = text + 128 * line;
		size_t n = mach_snprintf(l, 128, "# kernel_log takes 4096 bytes in one call: "
					 "line %u of 32 ", line + 1);
		memset(l + n, '.', 127 - n);
		l[127] = '\n';
	}
	text[4096] = '\n';
	ok &= CHECK_KR(kernel_log(text, 4097), KERN_INVALID_ARGUMENT);
	ok &= CHECK_KR(kernel_log(text, 4096), KERN_SUCCESS);
	ok &= CHECK_KR(kernel_log(text, 0), KERN_SUCCESS);
	return ok;
}

#define ENTRY(fn) { #fn, fn }

const struct test traps_tests[] = {
	ENTRY(unknown_trap_numbers_are_invalid_arguments),
	ENTRY(bad_pointers_are_invalid_addresses_and_leak_nothing),
	ENTRY(stale_and_unknown_names_are_invalid_names),
	ENTRY(spawn_refuses_missing_modules_and_bad_name_lengths),
	ENTRY(kernel_log_takes_up_to_4096_bytes),
};
const unsigned traps_test_count = sizeof(traps_tests) / sizeof(traps_tests[0]);
