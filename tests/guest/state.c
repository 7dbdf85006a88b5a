/*
 * Thread state: a new thread starts suspended with what thread_set_state
 * gives it; thread_get_state reads back what was set; both refuse what
 * would fault in the kernel, malformed requests, and threads that are
 * not stopped.  FPU/SSE state belongs to each thread.  Suspension counts
 * nest, for threads and for tasks.
 */
#include "state.h"

#include "helpers.h"

#include <stddef.h>

#define USER_END 0x0000800000000000ull     /* first address past the user half */
#define KERNEL_TEXT 0xffffffff80000000ull
#define DIRECT_MAP 0xffff800000000000ull
#define FCW_DEFAULT 0x037f                 /* x87 exceptions masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1f80               /* SSE exceptions masked, round to nearest */
#define MXCSR_FLAGS 0x3f                   /* exception flags, set by arithmetic */

static struct x86_64_thread_state zero_state;
static volatile uint64_t counter;

/* ---- thread state ---- */

static bool created_thread_is_suspended_with_zero_registers(void)
{
	struct x86_64_thread_state state;
	struct thread_basic_info info;
	thread_t t;

	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS);
	ok &= CHECK(info.state == THREAD_STATE_STOPPED);
	ok &= CHECK(info.suspend_count == 1);
	ok &= CHECK(info.run_ticks == 0);
	ok &= CHECK_KR(get_thread_state(t, &state), KERN_SUCCESS);
	state.rflags = 0;   /* the kernel may show IF and the always-one bit */
	ok &= CHECK(memcmp(&state, &zero_state, sizeof(state)) == 0);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

static volatile uint64_t entry_saw;

/*
 * Where a thread started from a bare state begins.  It has no per-thread
 * data for libmach (its fs base is whatever the state said), so it makes
 * no RPC: it records its argument and sleeps, in traps only, until the
 * runner terminates it.
 */
__attribute__((noreturn)) static void record_and_sleep(uint64_t value)
{
	entry_saw = value;
	for (;;)
		clock_sleep(UINT64_MAX);
}

/* Polls until *flag is non-zero; false after timeout_ms. */
static bool wait_for(volatile const uint64_t *flag, uint64_t timeout_ms)
{
	for (uint64_t ms = 0; *flag == 0; ms++) {
		if (ms > timeout_ms)
			return CHECK(*flag != 0);
		sleep_ms(1);
	}
	return true;
}

static uint8_t entry_stack[4096] __attribute__((aligned(16)));

static struct x86_64_thread_state entry_state(uint64_t rdi)
{
	struct x86_64_thread_state state = { 0 };

	state.rip = (uintptr_t)record_and_sleep;
	state.rsp = (uintptr_t)(entry_stack + sizeof(entry_stack)) - 8;
	state.rdi = rdi;
	state.rflags = 0x202;
	return state;
}

static bool created_thread_runs_from_the_state_set(void)
{
	struct x86_64_thread_state state = entry_state(0x5eed5eed5eedull);
	thread_t t;

	entry_saw = 0;
	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(set_thread_state(t, &state), KERN_SUCCESS);
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	ok &= wait_for(&entry_saw, 500);
	ok &= CHECK(entry_saw == 0x5eed5eed5eedull);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

static void sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		sleep_ms(100);
}

/*
 * A thread stopped while it waits in a system call returns to the state
 * set meanwhile, not to where it called from: the kernel must not return
 * by sysret, which takes rip from rcx (0 in the state set).
 */
static bool state_set_during_a_system_call_is_what_it_returns_to(void)
{
	struct x86_64_thread_state state = entry_state(0x5ca11ed5ca11edull);
	struct thread_basic_info info;
	thread_t t;

	entry_saw = 0;
	if (!start_thread(sleep_forever, NULL, 0, HELPER_PRIORITY, &t))
		return false;
	sleep_ms(20);
	bool ok = CHECK_KR(thread_suspend(t), KERN_SUCCESS);
	ok &= CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS);
	ok &= CHECK(info.state == THREAD_STATE_WAITING);   /* still in clock_sleep */
	ok &= CHECK_KR(set_thread_state(t, &state), KERN_SUCCESS);
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	ok &= wait_for(&entry_saw, 500);
	ok &= CHECK(entry_saw == 0x5ca11ed5ca11edull);
	ok &= end_thread(t, 0);
	return ok;
}

/* A receive on abort_port that asks for interruptions; its result goes
 * to abort_saw. */
static mach_port_t abort_port;
static volatile uint64_t abort_saw;

static void receive_once(void *arg)
{
	struct {
		mach_msg_header_t h;
		char room[64];
	} msg;

	(void)arg;
	mach_msg_return_t mr = mach_msg(&msg.h, MACH_RCV_MSG | MACH_RCV_INTERRUPT, 0, sizeof(msg),
					abort_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	abort_saw = mr | 1ull << 32;   /* non-zero even for MACH_MSG_SUCCESS */
	sleep_forever(NULL);
}

/* A receiver started and waiting, suspended: false if it cannot be. */
static bool suspended_receiver(thread_t *t)
{
	abort_saw = 0;
	if (!CHECK_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &abort_port),
		      KERN_SUCCESS))
		return false;
	if (!start_thread(receive_once, NULL, 0, HELPER_PRIORITY, t))
		return false;
	sleep_ms(20);
	return CHECK_KR(thread_suspend(*t), KERN_SUCCESS);
}

/*
 * thread_abort ends a suspended thread's wait and returns once it has
 * stopped, its registers final: rax holds the interrupted receive's
 * result before the thread runs a user instruction.
 */
static bool abort_interrupts_a_receive_and_returns_when_stopped(void)
{
	struct x86_64_thread_state state;
	thread_t t;

	if (!suspended_receiver(&t))
		return false;
	bool ok = CHECK_KR(thread_abort(t), KERN_SUCCESS);
	ok &= CHECK_KR(get_thread_state(t, &state), KERN_SUCCESS);
	ok &= CHECK(state.rax == MACH_RCV_INTERRUPTED);
	ok &= CHECK(abort_saw == 0);
	ok &= CHECK_KR(thread_abort(t), KERN_SUCCESS);   /* stopped already: nothing to do */
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	ok &= wait_for(&abort_saw, 500);
	ok &= CHECK(abort_saw == (MACH_RCV_INTERRUPTED | 1ull << 32));
	ok &= end_thread(t, 0);
	ok &= CHECK_KR(mach_port_mod_refs(mach_task_self(), abort_port, MACH_PORT_RIGHT_RECEIVE, -1),
		       KERN_SUCCESS);
	return ok;
}

/* A sleep ends too: clock_sleep returns KERN_ABORTED (UNIX nanosleep's
 * EINTR).  (libmach's UNIX build retries interrupted receives: the UNIX
 * suite's signal tests, tests/unix/signal.c.) */
static bool abort_ends_a_sleep(void)
{
	struct x86_64_thread_state state;
	thread_t t;

	if (!start_thread(sleep_forever, NULL, 0, HELPER_PRIORITY, &t))
		return false;
	sleep_ms(20);
	bool ok = CHECK_KR(thread_suspend(t), KERN_SUCCESS);
	ok &= CHECK_KR(thread_abort(t), KERN_SUCCESS);
	ok &= CHECK_KR(get_thread_state(t, &state), KERN_SUCCESS);
	ok &= CHECK(state.rax == KERN_ABORTED);
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	ok &= end_thread(t, 0);
	return ok;
}

/* Only a suspended thread other than the caller can be aborted. */
static bool abort_refuses_self_and_running_threads(void)
{
	thread_t t;

	if (!start_thread(sleep_forever, NULL, 0, HELPER_PRIORITY, &t))
		return false;
	thread_t self = mach_thread_self();
	bool ok = CHECK_KR(thread_abort(t), KERN_FAILURE);
	ok &= CHECK_KR(thread_abort(self), KERN_FAILURE);
	ok &= CHECK_KR(mach_port_deallocate(mach_task_self(), self), KERN_SUCCESS);
	ok &= end_thread(t, 0);
	return ok;
}

/* Distinct values in every register, all of them acceptable. */
static struct x86_64_thread_state distinctive_state(void)
{
	struct x86_64_thread_state s;
	uint64_t *words = (uint64_t *)&s;

	for (unsigned i = 0; i < sizeof(s) / sizeof(uint64_t); i++)
		words[i] = 0x0101010101010101ull * (i + 1);
	s.rip = (uintptr_t)record_and_sleep;
	s.rsp = 0x7fffffff0000ull;
	s.rflags = 0x4c3;          /* CF ZF SF DF and the always-one bit */
	s.fs_base = 0x12345000;
	s.gs_base = 0x7ffffffff000ull;
	return s;
}

static bool same_state(const struct x86_64_thread_state *got,
		       const struct x86_64_thread_state *want)
{
	struct x86_64_thread_state a = *got, b = *want;
	bool ok = CHECK((a.rflags & 0x4c1) == (b.rflags & 0x4c1));

	ok &= CHECK(a.rflags & 0x200);    /* IF is always on */
	a.rflags = b.rflags = 0;
	ok &= CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	return ok;
}

static bool get_state_returns_what_was_set(void)
{
	struct x86_64_thread_state want = distinctive_state(), got;
	thread_t t;

	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(set_thread_state(t, &want), KERN_SUCCESS);
	ok &= CHECK_KR(get_thread_state(t, &got), KERN_SUCCESS);
	ok &= same_state(&got, &want);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

/* Sets one bad value on top of a good state; the call must change nothing. */
static bool refused(thread_t t, const struct x86_64_thread_state *good, size_t offset,
		    uint64_t value, const char *what)
{
	struct x86_64_thread_state bad = *good, after;

	memcpy((char *)&bad + offset, &value, sizeof(value));
	kern_return_t kr = set_thread_state(t, &bad);
	bool ok = kr == KERN_INVALID_ARGUMENT;
	if (!ok)
		diag("set_state with %s = %lx returned %s, expected KERN_INVALID_ARGUMENT", what,
		     value, error_name(kr));
	ok &= CHECK_KR(get_thread_state(t, &after), KERN_SUCCESS);
	ok &= same_state(&after, good);
	return ok;
}

#define REFUSED(field, value) \
	refused(t, &good, offsetof(struct x86_64_thread_state, field), (value), #field)

static bool set_state_refuses_addresses_outside_the_user_half(void)
{
	struct x86_64_thread_state good = distinctive_state();
	thread_t t;

	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(set_thread_state(t, &good), KERN_SUCCESS);
	ok &= REFUSED(rip, KERNEL_TEXT);
	ok &= REFUSED(rip, USER_END);
	ok &= REFUSED(rip, ~0ull);
	ok &= REFUSED(rsp, USER_END);
	ok &= REFUSED(rsp, 0x8000000000000000ull);
	ok &= REFUSED(rsp, DIRECT_MAP);
	ok &= REFUSED(fs_base, DIRECT_MAP);
	ok &= REFUSED(fs_base, USER_END);
	ok &= REFUSED(gs_base, KERNEL_TEXT);
	ok &= REFUSED(gs_base, 0x8000000000000000ull);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

/* thread_get_state with room for `room` natural_t. */
static kern_return_t get_state_into(thread_t t, int flavor, mach_msg_type_number_t room,
				    mach_msg_type_number_t *count)
{
	static natural_t buf[THREAD_STATE_MAX + 1];

	*count = room;
	return thread_get_state(t, flavor, buf, count);
}

static kern_return_t set_state_of(thread_t t, int flavor, mach_msg_type_number_t count)
{
	static natural_t buf[THREAD_STATE_MAX + 1];

	return thread_set_state(t, flavor, buf, count);
}

/*
 * thread_set_state takes exactly a flavor's count; thread_get_state takes
 * room for at least that and reports the count.  The stubs refuse what
 * does not fit the message (MIG_ARRAY_TOO_LARGE), the kernel the rest.
 */
static bool state_calls_refuse_wrong_counts_and_flavors(void)
{
	const mach_msg_type_number_t ts = X86_64_THREAD_STATE_COUNT;
	const mach_msg_type_number_t fs = X86_64_FLOAT_STATE_COUNT;
	const int flavors[] = { 0, 3, -1, 0x10001 };
	mach_msg_type_number_t count;
	thread_t t;

	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = true;
	const mach_msg_type_number_t thread_counts[] = { 0, ts - 1, ts + 1, fs };
	for (unsigned i = 0; i < 4; i++)
		ok &= CHECK_KR(set_state_of(t, X86_64_THREAD_STATE, thread_counts[i]),
			       KERN_INVALID_ARGUMENT);
	const mach_msg_type_number_t float_counts[] = { 0, fs - 1, ts };
	for (unsigned i = 0; i < 3; i++)
		ok &= CHECK_KR(set_state_of(t, X86_64_FLOAT_STATE, float_counts[i]),
			       KERN_INVALID_ARGUMENT);
	ok &= CHECK_KR(set_state_of(t, X86_64_FLOAT_STATE, THREAD_STATE_MAX + 1),
		       MIG_ARRAY_TOO_LARGE);
	/* Room for less than the flavor: the stub cannot take the reply. */
	ok &= CHECK_KR(get_state_into(t, X86_64_THREAD_STATE, ts - 1, &count),
		       MIG_ARRAY_TOO_LARGE);
	ok &= CHECK_KR(get_state_into(t, X86_64_FLOAT_STATE, fs - 1, &count),
		       MIG_ARRAY_TOO_LARGE);
	/* Room for more: the flavor's count comes back. */
	ok &= CHECK_KR(get_state_into(t, X86_64_THREAD_STATE, THREAD_STATE_MAX, &count),
		       KERN_SUCCESS) && CHECK(count == ts);
	ok &= CHECK_KR(get_state_into(t, X86_64_FLOAT_STATE, THREAD_STATE_MAX, &count),
		       KERN_SUCCESS) && CHECK(count == fs);
	for (unsigned i = 0; i < 4; i++) {
		ok &= CHECK_KR(get_state_into(t, flavors[i], THREAD_STATE_MAX, &count),
			       KERN_INVALID_ARGUMENT);
		ok &= CHECK_KR(set_state_of(t, flavors[i], ts), KERN_INVALID_ARGUMENT);
	}
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

static bool state_of_a_running_thread_or_of_self_is_refused(void)
{
	struct x86_64_thread_state state = { 0 };
	struct x86_64_float_state fpu;
	thread_t busy, self = runner_thread;

	if (!start_thread(busy_count, (void *)&counter, 0, HELPER_PRIORITY, &busy))
		return false;
	bool ok = CHECK_KR(get_thread_state(busy, &state), KERN_FAILURE);
	state = entry_state(0);
	ok &= CHECK_KR(set_thread_state(busy, &state), KERN_FAILURE);
	ok &= CHECK_KR(get_float_state(busy, &fpu), KERN_FAILURE);
	ok &= CHECK_KR(get_thread_state(self, &state), KERN_FAILURE);
	ok &= CHECK_KR(set_thread_state(self, &state), KERN_FAILURE);
	ok &= CHECK_KR(get_float_state(self, &fpu), KERN_FAILURE);
	ok &= end_thread(busy, 0);
	return ok;
}

/* ---- FPU/SSE state ---- */

static bool new_thread_has_default_fpu_control_words(void)
{
	struct x86_64_float_state fpu;
	thread_t t;

	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(get_float_state(t, &fpu), KERN_SUCCESS);
	diag("new thread: fcw %x, mxcsr %x, mxcsr_mask %x", fpu.fcw, fpu.mxcsr, fpu.mxcsr_mask);
	ok &= CHECK(fpu.fcw == FCW_DEFAULT);
	ok &= CHECK(fpu.mxcsr == MXCSR_DEFAULT);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

static bool float_state_refuses_reserved_mxcsr_bits(void)
{
	struct x86_64_float_state fpu, after;
	const uint32_t bad[] = { MXCSR_DEFAULT | 0x10000, 0xffffffff, 0x80000000 };
	thread_t t;

	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(get_float_state(t, &fpu), KERN_SUCCESS);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct x86_64_float_state b = fpu;
		b.mxcsr = bad[i];
		ok &= CHECK_KR(set_float_state(t, &b), KERN_INVALID_ARGUMENT);
	}
	ok &= CHECK_KR(get_float_state(t, &after), KERN_SUCCESS);
	ok &= CHECK(after.mxcsr == fpu.mxcsr);
	ok &= end_thread(t, NO_SLOT);
	return ok;
}

/*
 * What fpu_probe_entry saw in its registers when it started: it is entered
 * straight from thread_set_state's rip, so no compiled code runs before it
 * and touches the FPU.  Then it sleeps (clock_sleep(~0), a trap) until
 * the runner terminates it.
 */
struct fpu_probe {
	uint8_t xmm0[16];
	uint8_t xmm15[16];
	uint32_t mxcsr;
	uint16_t fcw;
	uint16_t pad;
	uint32_t done;
};
_Static_assert(__builtin_offsetof(struct fpu_probe, mxcsr) == 32, "fpu_probe layout");
_Static_assert(__builtin_offsetof(struct fpu_probe, fcw) == 36, "fpu_probe layout");
_Static_assert(__builtin_offsetof(struct fpu_probe, done) == 40, "fpu_probe layout");

volatile struct fpu_probe fpu_probe;
void fpu_probe_entry(void);

#define STRINGIFY(x) #x
#define NUMBER(x) STRINGIFY(x)

__asm__(".text\n"
	".globl fpu_probe_entry\n"
	"fpu_probe_entry:\n"
	"	movdqu %xmm0, fpu_probe+0(%rip)\n"
	"	movdqu %xmm15, fpu_probe+16(%rip)\n"
	"	stmxcsr fpu_probe+32(%rip)\n"
	"	fnstcw fpu_probe+36(%rip)\n"
	"	movl $1, fpu_probe+40(%rip)\n"
	"1:	mov $" NUMBER(MACH_TRAP_CLOCK_SLEEP) ", %eax\n"
	"	mov $-1, %rdi\n"
	"	syscall\n"
	"	jmp 1b\n");

static void fill_xmm(struct x86_64_float_state *fpu, uint8_t seed)
{
	for (unsigned i = 0; i < 16; i++)
		for (unsigned j = 0; j < 16; j++)
			fpu->xmm[i][j] = (uint8_t)(seed + i * 16 + j);
}

static bool float_state_round_trips_and_reaches_the_thread(void)
{
	struct x86_64_float_state want, got;
	struct x86_64_thread_state state = entry_state(0);
	thread_t t;

	if (!CHECK_KR(thread_create(mach_task_self(), &t), KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(get_float_state(t, &want), KERN_SUCCESS);
	want.fcw = 0x027f;                          /* 53-bit precision */
	want.mxcsr = MXCSR_DEFAULT | (1u << 13);    /* round down */
	fill_xmm(&want, 7);
	ok &= CHECK_KR(set_float_state(t, &want), KERN_SUCCESS);
	ok &= CHECK_KR(get_float_state(t, &got), KERN_SUCCESS);
	ok &= CHECK(got.fcw == want.fcw);
	ok &= CHECK(got.mxcsr == want.mxcsr);
	ok &= CHECK(memcmp(got.xmm, want.xmm, sizeof(want.xmm)) == 0);

	memset((void *)&fpu_probe, 0, sizeof(fpu_probe));
	state.rip = (uintptr_t)fpu_probe_entry;
	ok &= CHECK_KR(set_thread_state(t, &state), KERN_SUCCESS);
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	for (int ms = 0; ms < 500 && fpu_probe.done == 0; ms++)
		sleep_ms(1);
	ok &= end_thread(t, NO_SLOT);
	ok &= CHECK(fpu_probe.done == 1);
	ok &= CHECK(memcmp((const void *)fpu_probe.xmm0, want.xmm[0], 16) == 0);
	ok &= CHECK(memcmp((const void *)fpu_probe.xmm15, want.xmm[15], 16) == 0);
	ok &= CHECK(fpu_probe.mxcsr == want.mxcsr);
	ok &= CHECK(fpu_probe.fcw == want.fcw);
	return ok;
}

/*
 * Two threads, each with its own values in all sixteen xmm registers,
 * MXCSR, the x87 control word and st(0).  Each round loads them, yields
 * with thread_switch inside the same asm statement (so only the kernel
 * can save or lose them), spins long enough for timer preemption, and
 * stores them back.
 */
struct fpu_values {
	uint8_t xmm[16][16];
	double x87;
	uint32_t mxcsr;
	uint16_t fcw;
} __attribute__((aligned(16)));

struct fpu_worker {
	struct fpu_values want;
	struct fpu_values seen;
	unsigned rounds;
	unsigned mismatches;
	volatile int done;
};

#define FPU_ROUNDS 12
#define FPU_SPINS 1500000   /* about 3 ms of guest instructions per round */

static void fpu_round(const struct fpu_values *in, struct fpu_values *out, uint64_t spins)
{
	__asm__ volatile(
		"fldcw %[fcw_in]\n\t"
		"ldmxcsr %[mx_in]\n\t"
		"movdqu 0(%[in]), %%xmm0\n\t"    "movdqu 16(%[in]), %%xmm1\n\t"
		"movdqu 32(%[in]), %%xmm2\n\t"   "movdqu 48(%[in]), %%xmm3\n\t"
		"movdqu 64(%[in]), %%xmm4\n\t"   "movdqu 80(%[in]), %%xmm5\n\t"
		"movdqu 96(%[in]), %%xmm6\n\t"   "movdqu 112(%[in]), %%xmm7\n\t"
		"movdqu 128(%[in]), %%xmm8\n\t"  "movdqu 144(%[in]), %%xmm9\n\t"
		"movdqu 160(%[in]), %%xmm10\n\t" "movdqu 176(%[in]), %%xmm11\n\t"
		"movdqu 192(%[in]), %%xmm12\n\t" "movdqu 208(%[in]), %%xmm13\n\t"
		"movdqu 224(%[in]), %%xmm14\n\t" "movdqu 240(%[in]), %%xmm15\n\t"
		"fldl %[d_in]\n\t"
		"mov %[trap], %%eax\n\t"
		"xor %%edi, %%edi\n\t"
		"xor %%esi, %%esi\n\t"
		"xor %%edx, %%edx\n\t"
		"syscall\n"
		"1:\tdec %[n]\n\t"
		"jnz 1b\n\t"
		"fstpl %[d_out]\n\t"
		"movdqu %%xmm0, 0(%[out])\n\t"    "movdqu %%xmm1, 16(%[out])\n\t"
		"movdqu %%xmm2, 32(%[out])\n\t"   "movdqu %%xmm3, 48(%[out])\n\t"
		"movdqu %%xmm4, 64(%[out])\n\t"   "movdqu %%xmm5, 80(%[out])\n\t"
		"movdqu %%xmm6, 96(%[out])\n\t"   "movdqu %%xmm7, 112(%[out])\n\t"
		"movdqu %%xmm8, 128(%[out])\n\t"  "movdqu %%xmm9, 144(%[out])\n\t"
		"movdqu %%xmm10, 160(%[out])\n\t" "movdqu %%xmm11, 176(%[out])\n\t"
		"movdqu %%xmm12, 192(%[out])\n\t" "movdqu %%xmm13, 208(%[out])\n\t"
		"movdqu %%xmm14, 224(%[out])\n\t" "movdqu %%xmm15, 240(%[out])\n\t"
		"stmxcsr %[mx_out]\n\t"
		"fnstcw %[fcw_out]"
		: [n] "+r"(spins), [d_out] "=m"(out->x87), [mx_out] "=m"(out->mxcsr),
		  [fcw_out] "=m"(out->fcw)
		: [in] "r"(in->xmm), [out] "r"(out->xmm), [fcw_in] "m"(in->fcw),
		  [mx_in] "m"(in->mxcsr), [d_in] "m"(in->x87), [trap] "i"(MACH_TRAP_THREAD_SWITCH)
		: "rax", "rcx", "rdx", "rsi", "rdi", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2",
		  "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
		  "xmm13", "xmm14", "xmm15");
}

static void fpu_work(void *arg)
{
	struct fpu_worker *w = arg;

	for (w->rounds = 0; w->rounds < FPU_ROUNDS; w->rounds++) {
		fpu_round(&w->want, &w->seen, FPU_SPINS);
		if (memcmp(w->seen.xmm, w->want.xmm, sizeof(w->want.xmm)) != 0 ||
		    w->seen.x87 != w->want.x87 || w->seen.fcw != w->want.fcw ||
		    (w->seen.mxcsr & ~MXCSR_FLAGS) != w->want.mxcsr)
			w->mismatches++;
	}
	w->done = 1;
}

static struct fpu_worker fpu_workers[2];

static void fpu_worker_init(struct fpu_worker *w, uint8_t seed, double x87, uint16_t fcw,
			    uint32_t mxcsr)
{
	memset(w, 0, sizeof(*w));
	for (unsigned i = 0; i < 16; i++)
		for (unsigned j = 0; j < 16; j++)
			w->want.xmm[i][j] = (uint8_t)(seed ^ (i * 16 + j));
	w->want.x87 = x87;
	w->want.fcw = fcw;
	w->want.mxcsr = mxcsr;
}

static uint32_t own_mxcsr(void)
{
	uint32_t mxcsr;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	return mxcsr;
}

static bool sse_and_x87_registers_are_per_thread(void)
{
	thread_t t[2] = { MACH_PORT_NULL, MACH_PORT_NULL };
	bool ok = true;

	fpu_worker_init(&fpu_workers[0], 0xa5, 1.5, FCW_DEFAULT, MXCSR_DEFAULT | (1u << 13));
	fpu_worker_init(&fpu_workers[1], 0x3c, -2.25, 0x027f, MXCSR_DEFAULT | (2u << 13));
	for (int i = 0; i < 2; i++)
		ok &= start_thread(fpu_work, &fpu_workers[i], (unsigned)i, HELPER_PRIORITY, &t[i]);
	for (int i = 0; ok && i < 200 && !(fpu_workers[0].done && fpu_workers[1].done); i++)
		sleep_ms(10);
	for (int i = 0; i < 2; i++) {
		struct fpu_worker *w = &fpu_workers[i];
		diag("fpu thread %d: %u rounds, %u with wrong registers", i, w->rounds,
		     w->mismatches);
		ok &= CHECK(w->done && w->rounds == FPU_ROUNDS && w->mismatches == 0);
		if (w->done && t[i] != MACH_PORT_NULL)
			ok &= wait_thread_gone(t[i], 100) && reap_thread(t[i], (unsigned)i);
		else
			end_thread(t[i], (unsigned)i);
	}
	/* Neither thread's MXCSR leaked into the runner. */
	ok &= CHECK((own_mxcsr() & ~MXCSR_FLAGS) == MXCSR_DEFAULT);
	return ok;
}

/* ---- suspension ---- */

static bool counter_moves(uint64_t ms)
{
	uint64_t before = counter;

	sleep_ms(ms);
	return counter != before;
}

static bool suspend_count_is(thread_t t, uint32_t count, uint32_t state)
{
	struct thread_basic_info info;
	bool ok = CHECK_KR(get_thread_info(t, &info), KERN_SUCCESS);

	ok &= CHECK(info.suspend_count == count);
	if (!ok || info.state != state)
		diag("thread %u: suspend count %u state %u, expected %u and %u", t,
		     info.suspend_count, info.state, count, state);
	return ok && info.state == state;
}

static bool suspended_thread_stops_and_resumes(void)
{
	thread_t t;

	counter = 0;
	if (!start_thread(busy_count, (void *)&counter, 0, HELPER_PRIORITY, &t))
		return false;
	bool ok = CHECK(counter_moves(20));
	ok &= CHECK_KR(thread_suspend(t), KERN_SUCCESS);
	ok &= suspend_count_is(t, 1, THREAD_STATE_STOPPED);
	ok &= CHECK(!counter_moves(30));
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	ok &= CHECK(counter_moves(30));
	ok &= end_thread(t, 0);
	return ok;
}

static bool thread_suspensions_nest(void)
{
	thread_t t;

	counter = 0;
	if (!start_thread(busy_count, (void *)&counter, 0, HELPER_PRIORITY, &t))
		return false;
	bool ok = CHECK_KR(thread_suspend(t), KERN_SUCCESS);
	ok &= CHECK_KR(thread_suspend(t), KERN_SUCCESS);
	ok &= suspend_count_is(t, 2, THREAD_STATE_STOPPED);
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	ok &= suspend_count_is(t, 1, THREAD_STATE_STOPPED);
	ok &= CHECK(!counter_moves(30));
	ok &= CHECK_KR(thread_resume(t), KERN_SUCCESS);
	ok &= CHECK(counter_moves(30));
	ok &= CHECK_KR(thread_resume(t), KERN_FAILURE);
	ok &= CHECK_KR(thread_resume(runner_thread), KERN_FAILURE);
	ok &= end_thread(t, 0);
	return ok;
}

static bool task_suspensions_nest(void)
{
	struct task_basic_info info;
	struct x86_64_thread_state a, b;
	task_t task;
	thread_t thread;

	if (!spawn_spin(HELPER_PRIORITY, &task, &thread))
		return false;
	sleep_ms(20);
	bool ok = CHECK_KR(task_suspend(task), KERN_SUCCESS);
	ok &= CHECK_KR(task_suspend(task), KERN_SUCCESS);
	ok &= CHECK_KR(get_task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(info.suspend_count == 2);
	uint64_t ticks = info.run_ticks;
	/* A thread of a suspended task is stopped: its state can be read. */
	ok &= CHECK_KR(get_thread_state(thread, &a), KERN_SUCCESS);
	ok &= suspend_count_is(thread, 0, THREAD_STATE_STOPPED);
	sleep_ms(50);
	ok &= CHECK_KR(task_resume(task), KERN_SUCCESS);
	sleep_ms(30);
	ok &= CHECK_KR(get_task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK(info.suspend_count == 1);
	ok &= CHECK(info.run_ticks == ticks);
	ok &= CHECK_KR(get_thread_state(thread, &b), KERN_SUCCESS);
	ok &= CHECK(a.rbx == b.rbx);
	ok &= CHECK_KR(task_resume(task), KERN_SUCCESS);
	sleep_ms(50);
	ok &= CHECK(task_run_ticks(task) > ticks);
	ok &= CHECK_KR(task_resume(task), KERN_FAILURE);
	ok &= CHECK_KR(task_resume(mach_task_self()), KERN_FAILURE);
	ok &= end_task(task, thread);
	return ok;
}

const struct test state_tests[] = {
	{ "created_thread_is_suspended_with_zero_registers",
	  created_thread_is_suspended_with_zero_registers },
	{ "created_thread_runs_from_the_state_set", created_thread_runs_from_the_state_set },
	{ "state_set_during_a_system_call_is_what_it_returns_to",
	  state_set_during_a_system_call_is_what_it_returns_to },
	{ "abort_interrupts_a_receive_and_returns_when_stopped",
	  abort_interrupts_a_receive_and_returns_when_stopped },
	{ "abort_ends_a_sleep", abort_ends_a_sleep },
	{ "abort_refuses_self_and_running_threads", abort_refuses_self_and_running_threads },
	{ "get_state_returns_what_was_set", get_state_returns_what_was_set },
	{ "set_state_refuses_addresses_outside_the_user_half",
	  set_state_refuses_addresses_outside_the_user_half },
	{ "state_calls_refuse_wrong_counts_and_flavors",
	  state_calls_refuse_wrong_counts_and_flavors },
	{ "state_of_a_running_thread_or_of_self_is_refused",
	  state_of_a_running_thread_or_of_self_is_refused },
	{ "new_thread_has_default_fpu_control_words", new_thread_has_default_fpu_control_words },
	{ "float_state_refuses_reserved_mxcsr_bits", float_state_refuses_reserved_mxcsr_bits },
	{ "float_state_round_trips_and_reaches_the_thread",
	  float_state_round_trips_and_reaches_the_thread },
	{ "sse_and_x87_registers_are_per_thread", sse_and_x87_registers_are_per_thread },
	{ "suspended_thread_stops_and_resumes", suspended_thread_stops_and_resumes },
	{ "thread_suspensions_nest", thread_suspensions_nest },
	{ "task_suspensions_nest", task_suspensions_nest },
};
const unsigned state_test_count = sizeof(state_tests) / sizeof(state_tests[0]);
