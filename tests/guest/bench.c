/*
 * bench: guest-instruction costs of the kernel's fast paths.
 *
 * `make bench` boots the kernel with its `bench` option and the modules
 * bootstrap and bench under QEMU -icount shift=0,sleep=off, where the time
 * stamp counter advances by one per guest instruction, so an rdtsc
 * difference is an exact instruction count, the same on every run
 * (docs/performance.md).  bootstrap starts this program, which prints
 * `BENCH name value` lines and stops the machine with host_halt(host_priv,
 * HOST_HALT_SUCCESS).  Nothing here executes `hlt` (halting warps the
 * virtual clock): the measured stretches only compute and trap.
 *
 * Each figure is the median over BATCHES batches of BATCH_CALLS calls, so
 * a batch that a timer interrupt fell into does not count.
 *
 *   null_trap_instructions      one null_trap() from C: the call into
 *                               libmach's wrapper, `syscall`, the kernel's
 *                               entry, dispatch and exit, and the return;
 *                               the loop around the calls is measured with
 *                               an empty body and subtracted.
 *   thread_switch_instructions  one switch between two tasks at priority
 *                               20 that both loop on
 *                               thread_switch(MACH_PORT_NULL) (yield to the
 *                               next ready thread of equal priority): from
 *                               one task's call of the wrapper to the other
 *                               task's return from its own, address-space
 *                               change included.  A batch is BATCH_CALLS
 *                               round trips, 2 * BATCH_CALLS switches; the
 *                               figure includes one iteration of the
 *                               caller's loop (2 or 3 instructions).
 *   thread_switch_directed_instructions
 *                               the same with each side naming the other:
 *                               thread_switch(peer), the handoff path,
 *                               which looks the name up in the caller's
 *                               port name space.
 *
 * Role "partner" (loaded by the measuring copy with host_boot_module_load
 * on the privileged host port bootstrap gave it) is the other side of the
 * switch figures: "role=partner" yields, "role=partner peer=N" switches to
 * the thread its send right N names: the measuring copy inserts a right
 * to its own thread into the partner's space, under its own name for it,
 * before the partner runs.
 */
#include <mach/mach.h>

#include "measure.h"

#define BATCHES 9
#define BATCH_CALLS 1000
#define BENCH_PRIORITY 20
#define WARM_UP 100

static host_priv_t host_priv;

static uint64_t empty_batch(void)
{
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < BATCH_CALLS; i++)
		__asm__ volatile("" ::: "memory");
	return rdtsc() - start;
}

static uint64_t null_trap_batch(void)
{
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < BATCH_CALLS; i++)
		null_trap();
	return rdtsc() - start;
}

static uint64_t switch_batch(thread_t to)
{
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < BATCH_CALLS; i++)
		thread_switch(to, SWITCH_OPTION_NONE, 0);
	return rdtsc() - start;
}

static uint64_t median_of(uint64_t (*batch)(void))
{
	uint64_t v[BATCHES];

	for (unsigned i = 0; i < BATCHES; i++)
		v[i] = batch();
	return median(v, BATCHES);
}

__attribute__((noreturn)) static void fail(const char *why, kern_return_t kr)
{
	mach_printf("bench: %s (%d)\n", why, kr);
	host_halt(host_priv, HOST_HALT_FAILURE);
	for (;;)
		clock_sleep(UINT64_MAX);
}

static uint64_t switches_of(thread_t thread)
{
	struct thread_basic_info info;
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	kern_return_t kr = thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info, &count);

	if (kr != KERN_SUCCESS)
		fail("thread_info of the partner failed", kr);
	return info.switches;
}

/*
 * Per switch, with a partner task alternating with us; `directed` names
 * the partner's thread in every call (and the partner ours).
 */
static uint64_t switch_figure(thread_t self, int directed)
{
	char args[64];
	task_t task;
	thread_t partner;
	uint64_t v[BATCHES];
	kern_return_t kr;

	/* The words as one string, separated by spaces. */
	if (directed)
		mach_snprintf(args, sizeof(args), "role=partner peer=%u", self);
	else
		mach_snprintf(args, sizeof(args), "role=partner");
	kr = host_boot_module_load(host_priv, "bench", args, strlen(args) + 1, &task, &partner);
	if (kr != KERN_SUCCESS)
		fail("cannot load the partner", kr);
	if (directed) {
		kr = mach_port_insert_right(task, self, self, MACH_MSG_TYPE_COPY_SEND);
		if (kr != KERN_SUCCESS)
			fail("cannot give the partner a right to this thread", kr);
	}
	kr = thread_priority(partner, BENCH_PRIORITY, FALSE);
	if (kr != KERN_SUCCESS)
		fail("cannot raise the partner's priority", kr);
	kr = thread_resume(partner);
	if (kr != KERN_SUCCESS)
		fail("cannot start the partner", kr);
	thread_t to = directed ? partner : MACH_PORT_NULL;
	switch_batch(to);   /* the partner starts, reaches its loop, warms up */
	uint64_t before = switches_of(partner);
	for (unsigned i = 0; i < BATCHES; i++)
		v[i] = switch_batch(to);
	/* Each of our calls must really have handed the CPU over. */
	if (switches_of(partner) - before < BATCHES * BATCH_CALLS)
		fail("the partner did not run at every thread_switch", KERN_FAILURE);
	task_terminate(task);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_deallocate(mach_task_self(), partner);
	return (median(v, BATCHES) + BATCH_CALLS) / (2 * BATCH_CALLS);
}

static void partner(int argc, char **argv)
{
	thread_t peer = MACH_PORT_NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "peer=", 5) == 0)
			for (a += 5; *a >= '0' && *a <= '9'; a++)
				peer = peer * 10 + (thread_t)(*a - '0');
	}
	for (;;)
		thread_switch(peer, SWITCH_OPTION_NONE, 0);
}

static void measure(void)
{
	thread_t self = mach_thread_self();
	kern_return_t kr = task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);

	if (kr != KERN_SUCCESS || host_priv == MACH_PORT_NULL)
		fail("no privileged host port (bootstrap gives one)", kr);
	kr = thread_priority(self, BENCH_PRIORITY, FALSE);
	if (kr != KERN_SUCCESS)
		fail("cannot raise own priority", kr);
	for (unsigned i = 0; i < WARM_UP; i++)
		null_trap();
	uint64_t empty = median_of(empty_batch);
	uint64_t traps = median_of(null_trap_batch);
	mach_printf("BENCH null_trap_instructions %lu\n",
		    (traps - empty + BATCH_CALLS / 2) / BATCH_CALLS);
	mach_printf("BENCH thread_switch_instructions %lu\n", switch_figure(self, 0));
	mach_printf("BENCH thread_switch_directed_instructions %lu\n", switch_figure(self, 1));
	host_halt(host_priv, HOST_HALT_SUCCESS);
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "role=partner") == 0)
			partner(argc, argv);
	measure();
	return 0;
}
