/*
 * pagertest: the external pager protocol tested from user space
 * (tests/guest/README.md).  One behaviour per test name; the runner
 * (main.c) prints TAP and halts the machine.
 *
 * Two kinds of pager serve the tests: mempager (servers/mempager), found
 * in the name service, for what a correct pager sees (mapped.c); and
 * "raw" pagers, ports of the runner's own that it answers by hand with
 * the protocol's stubs, to misbehave on purpose (failures.c, supply.c).
 * Faults that are meant to fail are taken by touching threads whose
 * exception port the runner serves (harness.c).
 */
#pragma once

#include <bootstrap.h>
#include <mach/mach.h>
#include <memory_object_control.h>
#include <mempager.h>
#include <stdbool.h>

#include "pattern.h"

#define PAGE ((vm_size_t)4096)

/* The kernel's pager_deadline in tests/boot/pager.sh. */
#define DEADLINE_MS 500

/* ---- main.c: TAP, checks, time ---- */

struct test {
	const char *name;
	bool (*run)(void);
};
#define ENTRY(fn) { #fn, fn }

/* Runs each test, one TAP line each. */
void run_tests(const struct test *tests, unsigned count);

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool check(bool cond, const char *expr, int line);
bool check_kr(kern_return_t got, kern_return_t want, const char *expr, int line);
bool check_eq(uint64_t got, uint64_t want, const char *expr, int line);
#define CHECK(cond) check((cond), #cond, __LINE__)
#define CHECK_KR(expr, want) check_kr((expr), (want), #expr, __LINE__)
#define CHECK_EQ(expr, want) check_eq((expr), (want), #expr, __LINE__)
const char *error_name(kern_return_t kr);

uint64_t now_ms(void);
void sleep_ms(uint64_t ms);

extern host_priv_t host_priv;
extern mach_port_t mempager;   /* mempager's port, from the name service */

/* ---- harness.c: the runner's port set, raw pagers, touching threads ---- */

/* Makes the port set the runner serves: raw pagers' ports and the
 * exception port of touching threads; and the guard (harness.c). */
bool harness_init(void);
/* The port set alone, for a helper task that plays a raw pager. */
bool harness_serve_init(void);

/* What a raw pager received. */
enum raw_kind {
	RAW_INIT,
	RAW_TERMINATE,
	RAW_DATA_REQUEST,
	RAW_DATA_UNLOCK,
	RAW_LOCK_COMPLETED,
	RAW_DATA_RETURN,
	RAW_KINDS,
};

struct raw_event {
	enum raw_kind kind;
	mach_port_t object;
	mach_port_t control;
	vm_offset_t offset;
	vm_size_t length;       /* data_return: the size of the data */
	uint64_t words[4];      /* data_return: the first word of its first pages */
};

#define RAW_CONTROLS_MAX 4

/* A pager the runner plays by hand: a port it holds the receive right of. */
struct raw_pager {
	mach_port_t port;        /* receive right and one send right, one name */
	mach_port_t control;     /* the control port of the last init */
	mach_port_t controls[RAW_CONTROLS_MAX];   /* every one seen, to release */
	vm_address_t address;    /* the mapping of raw_map */
	vm_size_t size;
	unsigned events[RAW_KINDS];   /* messages received, by kind */
};

/* A new raw pager; in the runner's port set (its messages are received)
 * if served, else left alone (nobody receives them). */
bool raw_open(struct raw_pager *p, bool served);
/* The same with a receive right the task holds already. */
bool raw_adopt(struct raw_pager *p, mach_port_t port, bool served);
/* vm_map of size bytes of p's object, shared or copy, anywhere. */
kern_return_t raw_map(struct raw_pager *p, vm_size_t size, boolean_t copy);
/* Serves the port set until p receives a message of kind (the oldest
 * not yet taken), up to timeout_ms; false, with a diagnostic, if none. */
bool raw_expect(struct raw_pager *p, enum raw_kind kind, struct raw_event *e,
		uint32_t timeout_ms);
/* The same for a data_request of the page at offset (others are dropped). */
bool raw_expect_request(struct raw_pager *p, vm_offset_t offset, uint32_t timeout_ms);
/* Waits for init and answers ready (may_cache FALSE, COPY_DELAY). */
bool raw_accept_init(struct raw_pager *p);
/* Supplies n pages at offset, page i being pattern(seed) at offset + i * PAGE. */
mach_msg_return_t raw_supply(struct raw_pager *p, vm_offset_t offset, unsigned pages,
			     uint64_t seed);
/* Unmaps, destroys the port and every control name seen; forgets events. */
void raw_close(struct raw_pager *p);

/* A moment by the virtual clock and by the instructions run (rdtsc, with
 * the processor's halts, HOST_CPU_INFO, to take off). */
struct stamp {
	uint64_t ns, tsc, halted;
};
struct stamp stamp_now(void);

/* A thread of the runner that reads or writes one word, faulting maybe. */
struct toucher {
	vm_address_t address;
	bool write;
	uint64_t value;              /* written, or read */
	volatile bool go, done;
	bool faulted;                /* took an exception, and was moved on */
	exception_type_t exception;
	int64_t code[2];
	uint64_t start_ms, fault_ms;
	struct stamp begin, end;     /* the thread's, around its access */
	thread_t thread;
	unsigned slot;
};

/* Starts a thread touching address (reading; or writing value). */
bool touch_start(struct toucher *t, vm_address_t address, bool write, uint64_t value);
/* Serves the port set until t is done, up to timeout_ms. */
bool touch_wait(struct toucher *t, uint32_t timeout_ms);
/* Serves the port set for ms milliseconds, or until t is done. */
void touch_serve(struct toucher *t, uint32_t ms);
/* Ends t's thread if it is still there, and releases its name. */
bool touch_end(struct toucher *t);
/* True if t took EXC_BAD_ACCESS with code, at its address. */
bool touch_failed_with(const struct toucher *t, kern_return_t code);

/* Exceptions of threads other than touchers that reach the runner's
 * port: those of tasks it watches (harness_watch), noted in order and
 * passed on, so that the task ends as if it had no handler. */
struct foreign_exception {
	exception_type_t exception;
	int64_t code[2];
};
#define FOREIGN_MAX 8
extern struct foreign_exception foreign[FOREIGN_MAX];
extern unsigned foreign_count;
kern_return_t harness_watch(task_t task);

/* Serves the port set for ms milliseconds. */
void harness_serve(uint32_t ms);

/* A thread of the runner that calls vm_pager_replace, so that the runner
 * can play the pagers meanwhile. */
struct replacer {
	mach_port_t object, new_pager;
	int mode;
	volatile bool done;
	kern_return_t result;
	uint64_t start_ms, end_ms;
	struct stamp begin, end;   /* around the call, in its thread */
	thread_t thread;
};
bool replace_start(struct replacer *r, mach_port_t object, mach_port_t new_pager, int mode);
/* Serves the port set until r is done, up to timeout_ms; ends r's thread. */
bool replace_wait(struct replacer *r, uint32_t timeout_ms);

/* Replacements of the pager of a mempager object of 8 pages, in mode
 * (VM_PAGER_REPLACE_*), runs times (at most 512), each while the runner
 * writes every page: what replace_under_writes measured. */
struct replacement {
	int mode;
	unsigned runs;
	unsigned replaced;              /* replacements that succeeded */
	uint64_t lost_bytes;            /* written, and not read back after one */
	bool store_ok;                  /* the last store, synced, holds every write */
	uint64_t us_sum, us_max;        /* how long the replacements took: virtual time */
	uint64_t instr_sum, instr_max;  /* and guest instructions */
	struct vm_pager_stats stats;    /* the kernel's record of the object at the end */
};
/* Runs res->runs replacements in res->mode (replace.c); true if every
 * one succeeded and nothing was lost. */
bool replace_under_writes(struct replacement *res);

/* A copy of pagertest started with args (NUL-separated), its thread
 * suspended. */
kern_return_t spawn_role(const char *args, size_t size, task_t *task, thread_t *thread);
/* A copy of pagertest that sleeps, its thread running; the task in *task. */
kern_return_t spawn_sleeper(task_t *task);

/* ---- faultpagers.c: faultpagers and objects of theirs mapped here ---- */

/* The name service (TASK_BOOTSTRAP_PORT). */
mach_port_t name_service(void);
/* The port registered as name, waited for up to 2 s (a faultpager just
 * started registers it). */
bool fp_look_up(const char *name, mach_port_t *port);
/* The faultpager pager.sh boots ("faultpager"), found on first use. */
bool fp_booted(mach_port_t *port);
/* A new faultpager, started with args (NUL-separated, its name= first),
 * its exceptions watched (so that its death by one is seen, not
 * handled); its port in *port, its task in *task. */
bool fp_spawn(const char *args, size_t size, mach_port_t *port, task_t *task);
void fp_reap(task_t task, mach_port_t port);
/* faultpager_inject, checked. */
bool fp_inject(mach_port_t pager, unsigned mode, uint64_t arg, unsigned after);
/* The messages the injection misbehaved on so far. */
uint64_t fp_misbehaved(mach_port_t pager);

#define VICTIM_SEED 0x5eed
#define VICTIM_PAGES 4

/* An object of a faultpager, mapped here, its store filled from VICTIM_SEED. */
struct victim {
	mach_port_t pager;       /* the faultpager's port */
	mach_port_t object;      /* a send right to the object */
	vm_address_t address;
	vm_size_t size;
};

/* An object of pager, VICTIM_PAGES of it mapped here under policy (with
 * DEADLINE_MS). */
bool victim_open(struct victim *v, mach_port_t pager, vm_pager_policy_t policy);
/* The same, of pages pages. */
bool victim_open_pages(struct victim *v, mach_port_t pager, vm_pager_policy_t policy,
		       unsigned pages);
void victim_close(struct victim *v);
/* The kernel's record of v's object (zeros, said, if it has none). */
struct vm_pager_stats victim_stats(const struct victim *v);
/* A thread of the runner reads page `page` of v; *ms: how long until it
 * was done (read or failed). */
bool victim_read(const struct victim *v, unsigned page, struct toucher *t, uint64_t *ms,
		 uint32_t timeout_ms);
/* The same, and the read got the page's data, within timeout_ms (or four
 * deadlines). */
bool victim_read_well_within(const struct victim *v, unsigned page, uint64_t *ms,
			     uint32_t timeout_ms);
bool victim_read_well(const struct victim *v, unsigned page, uint64_t *ms);
/* The same, and the read took EXC_BAD_ACCESS with code. */
bool victim_read_fails(const struct victim *v, unsigned page, kern_return_t code, uint64_t *ms);

/* ---- the groups ---- */
void test_mapped(void);
void test_failures(void);
void test_supply(void);
void test_laundry(void);
void test_policies(void);
void test_cycles(void);
void test_replace(void);
void test_inject(void);
void test_observe(void);
/* Role study (study.c): the liability study's runs, as its arguments
 * say; false if they are bad.  Role heartbeat: a helper that counts. */
bool study(int argc, char **argv);
__attribute__((noreturn)) void serve_as_heartbeat(void);
/* Role cycle (cycles.c): a raw pager in a helper task. */
void serve_as_cycle_pager(int argc, char **argv);
void test_mapped_again(void);   /* last: a correct pager after the bad ones */
