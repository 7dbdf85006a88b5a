/*
 * usertest's shared pieces, defined in main.c: the test and role tables'
 * types, TAP checks, and the helpers every theme file uses to start and
 * watch helper threads and helper tasks.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/* One test: true if it passed.  It must leave no helper thread or task. */
struct test {
	const char *name;
	bool (*run)(void);
};

/* One role of a spawned copy of usertest, chosen by "role=NAME" in argv. */
struct role {
	const char *name;
	int (*run)(int argc, char **argv, char **envp);
};

/*
 * Priorities.  The runner raises itself above everything it starts, so a
 * helper can never keep it from its next check; spawned tasks start at
 * THREAD_PRIORITY_DEFAULT; busy helpers run below that.
 */
#define RUNNER_PRIORITY 20
#define HELPER_PRIORITY 10

#define TICK_NS (10 * MACH_NS_PER_MS)   /* the kernel's default 100 Hz */

/* ---- TAP ---- */

/* A "# ..." line: the reason a check failed, or a figure worth keeping. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool check(bool cond, const char *expr, const char *file, int line);
bool check_kr(kern_return_t got, kern_return_t want, const char *expr, const char *file,
	      int line);
/* Both print a diagnostic naming the expression when it fails. */
#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
#define CHECK_KR(expr, want) check_kr((expr), (want), #expr, __FILE__, __LINE__)

/* ---- arguments ("key=value" words) ---- */

/* The value of the last "key=..." word, or NULL. */
const char *arg_value(int argc, char **argv, const char *key);
uint64_t arg_number(int argc, char **argv, const char *key, uint64_t fallback);

/* ---- time ---- */

uint64_t now_ns(void);
void sleep_ms(uint64_t ms);

/* ---- helper threads of the runner ---- */

#define TEST_STACK_SIZE 16384
#define TEST_STACK_SLOTS 4

/*
 * Starts fn(arg) on stack slot `slot` (each live thread needs its own) at
 * `priority`; false (with a diagnostic) if it could not.
 */
bool start_thread(void (*fn)(void *), void *arg, unsigned slot, int priority,
		  thread_t *thread);
/* Adds one to *(volatile uint64_t *)counter, for ever. */
void busy_count(void *counter);
uint64_t thread_run_ticks(thread_t thread);
/* Polls (yielding to it, then sleeping) until the thread no longer exists. */
bool wait_thread_gone(thread_t thread, uint64_t timeout_ms);

/* ---- helper tasks: copies of usertest ---- */

/* boot_module_spawn("usertest", args): args starts with "role=NAME". */
kern_return_t spawn_role(const char *args, task_t *task, thread_t *thread);
/* A task in role "spin" at `priority`; false (with a diagnostic) on failure. */
bool spawn_spin(int priority, task_t *task, thread_t *thread);
uint64_t task_run_ticks(task_t task);
bool wait_task_gone(task_t task, uint64_t timeout_ms);
bool wait_task_halted(task_t task, struct task_basic_info *info, uint64_t timeout_ms);

/* ---- kernel memory ---- */

/*
 * True once host_memory_info shows exactly `before` again (free pages,
 * kalloc bytes and allocations, tasks, threads), polling for up to 100 ms
 * since the kernel may free a dead thread's last pieces a moment late;
 * otherwise prints both readings and returns false.
 */
bool memory_returns_to(const struct host_memory_info *before);

/*
 * A child reports to the runner through its registers (there is no IPC
 * yet): it sets rbx to REPORT_MAGIC and r12..r15 to its results and spins;
 * the runner suspends it, reads them with thread_get_state, resumes it.
 */
#define REPORT_MAGIC 0x5452504552ull   /* "REPRT" */
__attribute__((noreturn)) void report_and_spin(uint64_t a, uint64_t b, uint64_t c, uint64_t d);
bool read_report(thread_t thread, uint64_t out[4], uint64_t timeout_ms);

/* The runner's thread as it started (before it raised its priority). */
extern struct thread_basic_info runner_initial_thread_info;
/* The runner's argv[0]: the first word of usertest's module command line. */
extern char *runner_argv0;
