/*
 * usertest's shared pieces, defined in main.c: the test and role tables'
 * types, the priorities, TAP checks, arguments, time, and what the
 * runner holds for every test (its thread port, the privileged host port).
 * helpers.h has the helper threads and tasks; handler.h the exception
 * ports and notifications.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/*
 * One test: true if it passed.  It must leave no helper thread or task,
 * and no right it made in the runner's name space.
 */
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

#define ENTRY(fn) { #fn, fn }

/* ---- TAP ---- */

/* A "# ..." line: the reason a check failed, or a figure worth keeping. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool check(bool cond, const char *expr, const char *file, int line);
bool check_kr(kern_return_t got, kern_return_t want, const char *expr, const char *file,
	      int line);
/* Both print a diagnostic naming the expression when it fails. */
#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
#define CHECK_KR(expr, want) check_kr((expr), (want), #expr, __FILE__, __LINE__)
/* "KERN_INVALID_NAME" for 15, "an unknown code" for what the registry lacks. */
const char *error_name(kern_return_t kr);

/* ---- arguments ("key=value" words) ---- */

uint64_t arg_number(int argc, char **argv, const char *key, uint64_t fallback);

/* ---- time ---- */

uint64_t now_ns(void);
void sleep_ms(uint64_t ms);

/* ---- what the runner holds ---- */

/*
 * The runner's thread, named once: mach_thread_self() adds a user
 * reference each call, which a test calling it in a loop would leak.
 */
extern thread_t runner_thread;
/* The privileged host port bootstrap gave the runner (TASK_HOST_PRIV_PORT). */
extern host_priv_t host_priv;
/* The runner's thread as it started (before it raised its priority). */
extern struct thread_basic_info runner_initial_thread_info;
/* The runner's argv[0]: the first word of usertest's module command line. */
extern char *runner_argv0;
/*
 * Names of the runner's that a test keeps for a later one (the fault
 * tests' bystander task); each test must otherwise leave the runner's
 * name space as it found it, and the runner checks that it does.
 */
extern int names_kept_for_later;
