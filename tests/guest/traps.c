/*
 * Argument checking at the trap boundary and at the host's routines:
 * unknown and retired trap numbers, every kind of bad pointer to every
 * trap that takes one, and the limits of host_log and
 * host_boot_module_load.  Refused calls must leave nothing behind, which
 * host_info(HOST_MEMORY_INFO) shows.
 *
 * Pointers passed to an RPC are read by the caller's own stub, in user
 * space: only the traps take pointers the kernel must check.
 */
#include "traps.h"

#include "helpers.h"

#define USER_END 0x0000800000000000ull
#define KERNEL_TEXT 0xffffffff80000000ull
#define DIRECT_MAP 0xffff800000000000ull

static bool unknown_trap_numbers_are_invalid_arguments(void)
{
	/* The retired numbers (10-31), the end of the table, far beyond, high bits set. */
	static const uint64_t numbers[] = {
		10, 11, 12, 20, 25, 31, MACH_TRAP_COUNT, 33, 255, 1000, 0xffffffffull,
		0x100000000ull, 0x100000001ull, 0x8000000000000000ull, ~0ull,
	};
	bool ok = true;

	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		kern_return_t kr = (kern_return_t)mach_trap_raw(numbers[i], 0, 0, 0, 0, 0, 0);
		if (kr != KERN_INVALID_ARGUMENT) {
			diag("trap %lx returned %s, expected KERN_INVALID_ARGUMENT", numbers[i],
			     error_name(kr));
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
	size_t size;           /* bytes the kernel reads or writes there */
	bool output;           /* written by the kernel (else read) */
	kern_return_t refusal; /* what a bad pointer gets */
};

static uint64_t good_time;
static struct {
	mach_msg_header_t head;
} null_message;

static kern_return_t use_clock_get_time(uintptr_t p)
{
	return clock_get_time((uint64_t *)p);
}

/* A send that cannot get as far as reading where the message goes. */
static kern_return_t use_mach_msg_send(uintptr_t p)
{
	return mach_msg((mach_msg_header_t *)p, MACH_SEND_MSG, sizeof(mach_msg_header_t), 0,
			MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* The same as the first half of an RPC (the path generated stubs take). */
static kern_return_t use_mach_msg_rpc(uintptr_t p)
{
	return mach_msg((mach_msg_header_t *)p, MACH_SEND_MSG | MACH_RCV_MSG,
			sizeof(mach_msg_header_t), sizeof(mach_msg_header_t),
			mig_get_reply_port(), MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static const struct pointer_use pointer_uses[] = {
	{ "clock_get_time", use_clock_get_time, sizeof(uint64_t), true, KERN_INVALID_ADDRESS },
	{ "mach_msg(send)", use_mach_msg_send, sizeof(mach_msg_header_t), false,
	  MACH_SEND_INVALID_DATA },
	{ "mach_msg(send, receive)", use_mach_msg_rpc, sizeof(mach_msg_header_t), false,
	  MACH_SEND_INVALID_DATA },
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
			if (kr != u->refusal) {
				if (report)
					diag("%s at %lx returned %s, expected %s", u->call,
					     addresses[j], error_name(kr), error_name(u->refusal));
				ok = false;
			}
		}
	}
	return ok;
}

/* thread_set_self keeps the caller's fs base in the user half. */
static bool thread_set_self_refuses(uintptr_t base)
{
	kern_return_t kr = thread_set_self((void *)base);

	if (kr == KERN_SUCCESS)   /* put the runner's data back before anything else */
		thread_set_self(mach_thread_data());
	return CHECK_KR(kr, KERN_INVALID_ADDRESS);
}

static bool bad_pointers_are_invalid_addresses_and_leak_nothing(void)
{
	struct host_memory_info before;

	/* A first pass warms up whatever the kernel sets up on first use. */
	bool ok = every_bad_pointer_refused(true);
	ok &= CHECK_KR(get_memory_info(&before), KERN_SUCCESS);
	ok &= every_bad_pointer_refused(false);
	ok &= memory_returns_to(&before);
	ok &= thread_set_self_refuses(USER_END) && thread_set_self_refuses(KERNEL_TEXT) &&
	      thread_set_self_refuses(DIRECT_MAP) && thread_set_self_refuses(~0ull);
	/* The good calls work, so the refusals were about the pointers. */
	ok &= CHECK_KR(use_clock_get_time((uintptr_t)&good_time), KERN_SUCCESS);
	ok &= CHECK_KR(thread_set_self(mach_thread_data()), KERN_SUCCESS);
	/* Readable, but addressed to nobody: refused for what it says, not where. */
	null_message.head = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(mach_msg_header_t),
	};
	ok &= CHECK_KR(use_mach_msg_send((uintptr_t)&null_message), MACH_SEND_INVALID_DEST);
	return ok;
}

/* host_log: 4096 bytes in one call, as 32 comment lines of 128 bytes. */
static bool host_log_takes_up_to_4096_bytes(void)
{
	static char text[HOST_LOG_MAX + 1];
	bool ok = true;

	for (unsigned line = 0; line < 32; line++) {
		char *l = text + 128 * line;
		size_t n = mach_snprintf(l, 128, "# host_log takes 4096 bytes in one call: "
					 "line %u of 32 ", line + 1);
		memset(l + n, '.', 127 - n);
		l[127] = '\n';
	}
	text[HOST_LOG_MAX] = '\n';
	/* Too long for the message: the stub refuses it before sending. */
	ok &= CHECK_KR(host_log(mach_host_self_, text, HOST_LOG_MAX + 1), MIG_ARRAY_TOO_LARGE);
	ok &= CHECK_KR(host_log(mach_host_self_, text, HOST_LOG_MAX), KERN_SUCCESS);
	ok &= CHECK_KR(host_log(mach_host_self_, text, 0), KERN_SUCCESS);
	return ok;
}

/* Loads module `name` with role=spin; a task it should not have made is ended. */
static kern_return_t load_named(const char *name)
{
	static char args[] = "role=spin";
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	kern_return_t kr = host_boot_module_load(host_priv, (char *)name, args, sizeof(args),
						 &task, &thread);

	if (kr == KERN_SUCCESS)   /* the check fails; do not leave it behind */
		end_task(task, thread);
	return kr;
}

/* Loads usertest with argsCnt bytes of args; ends a task it made. */
static kern_return_t load_with_args(const char *args, mach_msg_type_number_t count)
{
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	kern_return_t kr = host_boot_module_load(host_priv, "usertest", (char *)args, count,
						 &task, &thread);

	if (kr == KERN_SUCCESS)
		end_task(task, thread);
	return kr;
}

/* "role=spin" and then `extra` more words: the command line adds one. */
static mach_msg_type_number_t words(char *buf, unsigned extra)
{
	size_t n = (size_t)mach_snprintf(buf, 32, "role=spin");

	for (unsigned i = 0; i < extra; i++) {
		buf[n++] = ' ';
		buf[n++] = 'x';
	}
	buf[n++] = '\0';
	return (mach_msg_type_number_t)n;
}

static bool module_load_refuses_unknown_modules_and_bad_arguments(void)
{
	static char long_name[BOOT_MODULE_NAME_MAX + 2];
	static char args[BOOT_MODULE_ARGS_MAX + 8];
	bool ok = true;

	ok &= CHECK_KR(load_named("nosuchmodule"), KERN_INVALID_NAME);
	ok &= CHECK_KR(load_named("usertes"), KERN_INVALID_NAME);
	ok &= CHECK_KR(load_named("usertestx"), KERN_INVALID_NAME);
	ok &= CHECK_KR(load_named("build/tests/guest/usertest"), KERN_INVALID_NAME);
	memset(long_name, 'x', BOOT_MODULE_NAME_MAX);
	ok &= CHECK_KR(load_named(long_name), KERN_INVALID_NAME);
	long_name[BOOT_MODULE_NAME_MAX] = 'x';
	ok &= CHECK_KR(load_named(long_name), MIG_ARRAY_TOO_LARGE);   /* the stub's bound */
	ok &= CHECK_KR(load_named(""), KERN_INVALID_ARGUMENT);
	/* At most 64 words with the module's command line (one word here). */
	ok &= CHECK_KR(load_with_args(args, words(args, 62)), KERN_SUCCESS);
	ok &= CHECK_KR(load_with_args(args, words(args, 63)), KERN_INVALID_ARGUMENT);
	memset(args, 'x', sizeof(args));
	ok &= CHECK_KR(load_with_args(args, BOOT_MODULE_ARGS_MAX + 1), MIG_ARRAY_TOO_LARGE);
	return ok;
}

const struct test traps_tests[] = {
	ENTRY(unknown_trap_numbers_are_invalid_arguments),
	ENTRY(bad_pointers_are_invalid_addresses_and_leak_nothing),
	ENTRY(host_log_takes_up_to_4096_bytes),
	ENTRY(module_load_refuses_unknown_modules_and_bad_arguments),
};
const unsigned traps_test_count = sizeof(traps_tests) / sizeof(traps_tests[0]);
