/*
 * Helper threads and helper tasks of the runner, and the kernel calls
 * every test makes, with their counts filled in (helpers.c).
 *
 * Tasks and threads are send rights in the runner's name space.  When
 * one ends, its port dies and the runner's name for it becomes a dead
 * name: that is how the helpers below see that it is gone, and each test
 * then releases the name, so that a test leaves the name space as it
 * found it.
 */
#pragma once

#include "usertest.h"

/* ---- kernel calls with their counts ---- */

kern_return_t get_task_info(task_t task, struct task_basic_info *info);
kern_return_t get_task_ipc_info(task_t task, struct task_ipc_info *info);
kern_return_t get_thread_info(thread_t thread, struct thread_basic_info *info);
kern_return_t get_memory_info(struct host_memory_info *info);
/* X86_64_THREAD_STATE and X86_64_FLOAT_STATE, exactly their counts. */
kern_return_t get_thread_state(thread_t thread, struct x86_64_thread_state *state);
kern_return_t set_thread_state(thread_t thread, const struct x86_64_thread_state *state);
kern_return_t get_float_state(thread_t thread, struct x86_64_float_state *state);
kern_return_t set_float_state(thread_t thread, const struct x86_64_float_state *state);

/* ---- names ---- */

/* True if name is a dead name in the runner's space (its port died). */
bool is_dead_name(mach_port_t name);
/* Drops one user reference of name (MACH_PORT_NULL: nothing); false, with a
 * diagnostic, if the kernel refused. */
bool release(mach_port_t name);
/* Names in use in the runner's space (task_info TASK_IPC_INFO), 0 if unknown. */
uint32_t runner_names(void);

/* ---- helper threads of the runner ---- */

#define TEST_STACK_SIZE 16384
#define TEST_STACK_SLOTS 4
/* The "slot" of a thread made with thread_create, which has no stack of ours. */
#define NO_SLOT TEST_STACK_SLOTS

/*
 * Starts fn(arg) on stack slot `slot` (each live thread needs its own) at
 * `priority`; false (with a diagnostic) if it could not.
 */
bool start_thread(void (*fn)(void *), void *arg, unsigned slot, int priority,
		  thread_t *thread);
/* Adds one to *(volatile uint64_t *)counter, for ever. */
void busy_count(void *counter);
uint64_t thread_run_ticks(thread_t thread);
/* Polls (yielding to it, then sleeping) until the thread's name is dead. */
bool wait_thread_gone(thread_t thread, uint64_t timeout_ms);
/*
 * Once the thread of slot has ended (its name is dead): releases the name
 * and whatever the thread left in the runner's name space.
 */
bool reap_thread(thread_t thread, unsigned slot);
/* thread_terminate, then reap_thread. */
bool end_thread(thread_t thread, unsigned slot);

/* ---- helper tasks: copies of usertest ---- */

/*
 * host_boot_module_load("usertest") with the space-separated words of
 * args (which start with "role=NAME"), on the privileged host port.  The
 * task's thread is left suspended, for the caller to give the task what
 * it needs first; spawn_role also resumes it.
 */
kern_return_t load_role(const char *args, task_t *task, thread_t *thread);
kern_return_t spawn_role(const char *args, task_t *task, thread_t *thread);
/* A task in role "spin" at `priority`; false (with a diagnostic) on failure. */
bool spawn_spin(int priority, task_t *task, thread_t *thread);
uint64_t task_run_ticks(task_t task);
/* Polls until the task's name is dead. */
bool wait_task_gone(task_t task, uint64_t timeout_ms);
/* task_terminate, then releases both names (thread may be MACH_PORT_NULL). */
bool end_task(task_t task, thread_t thread);

/* ---- kernel memory ---- */

/*
 * True once host_info(HOST_MEMORY_INFO) shows exactly `before` again (free
 * pages, kalloc bytes and allocations, tasks, threads), polling for up to
 * 100 ms since the kernel may free a dead thread's last pieces a moment
 * late; otherwise prints both readings and returns false.
 */
bool memory_returns_to(const struct host_memory_info *before);
