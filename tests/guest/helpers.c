/* Helper threads and tasks of the runner; see helpers.h. */
#include "helpers.h"

/* ---- kernel calls with their counts ---- */

kern_return_t get_task_info(task_t task, struct task_basic_info *info)
{
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

	return task_info(task, TASK_BASIC_INFO, (task_info_t)info, &count);
}

kern_return_t get_task_ipc_info(task_t task, struct task_ipc_info *info)
{
	mach_msg_type_number_t count = TASK_IPC_INFO_COUNT;

	return task_info(task, TASK_IPC_INFO, (task_info_t)info, &count);
}

kern_return_t get_thread_info(thread_t thread, struct thread_basic_info *info)
{
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;

	return thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)info, &count);
}

/* The kernel's memory counts, with the runner's own resident pages
 * counted as free (mach_task_memory). */
kern_return_t get_memory_info(struct host_memory_info *info)
{
	mach_msg_type_number_t count = HOST_MEMORY_INFO_COUNT;
	kern_return_t kr = host_info(mach_host_self_, HOST_MEMORY_INFO, (host_info_t)info, &count);

	uint64_t objects, pages;

	if (kr == KERN_SUCCESS && (kr = mach_task_memory(mach_task_self(), &objects, &pages)) ==
				      KERN_SUCCESS)
		info->free_pages += pages;
	return kr;
}

kern_return_t get_thread_state(thread_t thread, struct x86_64_thread_state *state)
{
	mach_msg_type_number_t count = X86_64_THREAD_STATE_COUNT;

	return thread_get_state(thread, X86_64_THREAD_STATE, (thread_state_t)state, &count);
}

kern_return_t set_thread_state(thread_t thread, const struct x86_64_thread_state *state)
{
	return thread_set_state(thread, X86_64_THREAD_STATE, (thread_state_t)state,
				X86_64_THREAD_STATE_COUNT);
}

kern_return_t get_float_state(thread_t thread, struct x86_64_float_state *state)
{
	mach_msg_type_number_t count = X86_64_FLOAT_STATE_COUNT;

	return thread_get_state(thread, X86_64_FLOAT_STATE, (thread_state_t)state, &count);
}

kern_return_t set_float_state(thread_t thread, const struct x86_64_float_state *state)
{
	return thread_set_state(thread, X86_64_FLOAT_STATE, (thread_state_t)state,
				X86_64_FLOAT_STATE_COUNT);
}

/* ---- names ---- */

bool is_dead_name(mach_port_t name)
{
	mach_port_type_t type;

	return mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
	       (type & MACH_PORT_TYPE_DEAD_NAME);
}

bool release(mach_port_t name)
{
	if (name == MACH_PORT_NULL)
		return true;
	return CHECK_KR(mach_port_deallocate(mach_task_self(), name), KERN_SUCCESS);
}

uint32_t runner_names(void)
{
	struct task_ipc_info info;

	if (!CHECK_KR(get_task_ipc_info(mach_task_self(), &info), KERN_SUCCESS))
		return 0;
	return info.names;
}

/* ---- helper threads ---- */

static uint8_t test_stacks[TEST_STACK_SLOTS][TEST_STACK_SIZE] __attribute__((aligned(16)));

/* What runs in each slot, and the thread's libmach data once it started. */
static struct slot {
	void (*fn)(void *);
	void *arg;
	struct mach_thread_data *volatile data;
} slots[TEST_STACK_SLOTS];

static void slot_entry(void *arg)
{
	struct slot *s = arg;

	s->data = mach_thread_data();
	s->fn(s->arg);
}

bool start_thread(void (*fn)(void *), void *arg, unsigned slot, int priority,
		  thread_t *thread)
{
	*thread = MACH_PORT_NULL;
	if (!CHECK(slot < TEST_STACK_SLOTS))
		return false;
	slots[slot] = (struct slot){ .fn = fn, .arg = arg, .data = NULL };
	return CHECK_KR(mach_thread_spawn(slot_entry, &slots[slot], test_stacks[slot],
					  TEST_STACK_SIZE, priority, thread), KERN_SUCCESS);
}

void busy_count(void *counter)
{
	volatile uint64_t *c = counter;

	for (;;)
		(*c)++;
}

uint64_t thread_run_ticks(thread_t thread)
{
	struct thread_basic_info info;

	if (!CHECK_KR(get_thread_info(thread, &info), KERN_SUCCESS))
		return 0;
	return info.run_ticks;
}

bool wait_thread_gone(thread_t thread, uint64_t timeout_ms)
{
	uint64_t deadline = now_ns() + timeout_ms * MACH_NS_PER_MS;

	/* Hand it the CPU a few times first: usually it is about to end. */
	for (int tries = 0; !is_dead_name(thread); tries++) {
		if (now_ns() > deadline) {
			diag("thread %x still there after %lu ms", thread, timeout_ms);
			return false;
		}
		if (tries < 3)
			thread_switch(thread, SWITCH_OPTION_NONE, 0);
		else
			sleep_ms(1);
	}
	return true;
}

bool reap_thread(thread_t thread, unsigned slot)
{
	struct mach_thread_data *data = slot < TEST_STACK_SLOTS ? slots[slot].data : NULL;
	mach_port_type_t type;
	bool ok = CHECK(is_dead_name(thread));

	/*
	 * A thread's reply port is a receive right of the whole task.  One
	 * that ends itself releases it (thread_terminate_release); one that
	 * was terminated leaves it behind, for whoever ended it to release.
	 */
	if (data != NULL && data->reply_port != MACH_PORT_NULL &&
	    mach_port_type(mach_task_self(), data->reply_port, &type) == KERN_SUCCESS &&
	    (type & MACH_PORT_TYPE_RECEIVE))
		ok &= CHECK_KR(mach_port_mod_refs(mach_task_self(), data->reply_port,
						  MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	if (slot < TEST_STACK_SLOTS)
		slots[slot].data = NULL;
	ok &= release(thread);
	return ok;
}

bool end_thread(thread_t thread, unsigned slot)
{
	if (thread == MACH_PORT_NULL)
		return true;
	bool ok = CHECK_KR(thread_terminate(thread), KERN_SUCCESS);
	return reap_thread(thread, slot) && ok;
}

/* ---- helper tasks ---- */

#define USERTEST_MODULE "usertest"

kern_return_t load_role(const char *args, task_t *task, thread_t *thread)
{
	/* The words go as one string, separated by spaces, which the kernel
	 * splits as it does a module's command line (NULs separate too). */
	size_t len = strlen(args) + 1;

	*task = *thread = MACH_PORT_NULL;
	return host_boot_module_load(host_priv, USERTEST_MODULE, (char *)args,
				     (mach_msg_type_number_t)len, task, thread);
}

kern_return_t spawn_role(const char *args, task_t *task, thread_t *thread)
{
	kern_return_t kr = load_role(args, task, thread);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_resume(*thread);
	if (kr != KERN_SUCCESS) {
		end_task(*task, *thread);
		*task = *thread = MACH_PORT_NULL;
	}
	return kr;
}

bool spawn_spin(int priority, task_t *task, thread_t *thread)
{
	if (!CHECK_KR(load_role("role=spin", task, thread), KERN_SUCCESS))
		return false;
	if (!CHECK_KR(thread_priority(*thread, priority, FALSE), KERN_SUCCESS) ||
	    !CHECK_KR(thread_resume(*thread), KERN_SUCCESS)) {
		end_task(*task, *thread);
		*task = *thread = MACH_PORT_NULL;
		return false;
	}
	return true;
}

uint64_t task_run_ticks(task_t task)
{
	struct task_basic_info info;

	if (!CHECK_KR(get_task_info(task, &info), KERN_SUCCESS))
		return 0;
	return info.run_ticks;
}

bool wait_task_gone(task_t task, uint64_t timeout_ms)
{
	uint64_t deadline = now_ns() + timeout_ms * MACH_NS_PER_MS;

	while (!is_dead_name(task)) {
		if (now_ns() > deadline) {
			diag("task %x still there after %lu ms", task, timeout_ms);
			return false;
		}
		sleep_ms(1);
	}
	return true;
}

bool end_task(task_t task, thread_t thread)
{
	if (task == MACH_PORT_NULL)
		return true;
	bool ok = CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK(is_dead_name(task));
	ok &= release(task);
	ok &= release(thread);
	return ok;
}

/* ---- kernel memory ---- */

static bool same_memory(const struct host_memory_info *a, const struct host_memory_info *b)
{
	return a->free_pages == b->free_pages && a->kalloc_bytes == b->kalloc_bytes &&
	       a->kalloc_allocations == b->kalloc_allocations && a->tasks == b->tasks &&
	       a->threads == b->threads;
}

static void diag_memory(const char *when, const struct host_memory_info *m)
{
	diag("%s: %lu free pages, %lu kalloc bytes in %lu allocations, %lu tasks, %lu threads",
	     when, m->free_pages, m->kalloc_bytes, m->kalloc_allocations, m->tasks, m->threads);
}

bool memory_returns_to(const struct host_memory_info *before)
{
	struct host_memory_info after;

	/* The kernel may free a dead thread's last pieces a moment later. */
	for (int i = 0; i < 20; i++) {
		if (!CHECK_KR(get_memory_info(&after), KERN_SUCCESS))
			return false;
		if (same_memory(before, &after))
			return true;
		sleep_ms(5);
	}
	diag_memory("before", before);
	diag_memory("after", &after);
	return false;
}
