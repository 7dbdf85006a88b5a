/*
 * vmtest: virtual memory tested from user space (tests/guest/README.md).
 * The calls of vm_map.defs and vm_wire with every error they list; lazy,
 * zero-filled memory; copies (vm_read, vm_write, vm_copy, out-of-line
 * data) that later writes on either side do not reach; what a child made
 * by task_create with inherit_memory gets; copy-on-write chains that stay
 * short; and kernel memory that comes back.  One behaviour per test name;
 * the runner (main.c) prints TAP and halts the machine.  Helper tasks are
 * copies of vmtest started with a role.
 *
 * Memory a test maps at a fixed address comes from the arena (util.c):
 * slots far above everything else, so that no other mapping borders a
 * test's region and vm_region reports it exactly as it was made.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/* ---- tap.c: TAP (shared with devicetest) ---- */
void tap_ok(bool ok, const char *name);
void tap_kr(kern_return_t got, kern_return_t want, const char *name);
void tap_eq(uint64_t got, uint64_t want, const char *name);
#define diag(...) mach_printf("# " __VA_ARGS__)

/* For a test made of several checks: each failed one says which. */
bool check(bool cond, const char *expr, const char *file, int line);
bool check_kr(kern_return_t got, kern_return_t want, const char *expr, const char *file,
	      int line);
#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
#define CHECK_KR(expr, want) check_kr((expr), (want), #expr, __FILE__, __LINE__)

extern mach_port_t host_priv;
extern thread_t runner_thread;   /* named once: mach_thread_self() adds a reference */

/* The value of the last "role=" word, or NULL: a helper task's role. */
const char *role_of(int argc, char **argv);
/* Prints the plan and the summary line, and halts the machine: failed if
 * any test failed. */
void tap_finish(const char *program);

/* ---- util.c: addresses, regions, counts, patterns ---- */

#define PAGE ((vm_size_t)4096)
#define USER_END ((vm_address_t)0x0000800000000000ull)   /* first address past the user half */
#define KERNEL_ADDRESS ((vm_address_t)0xffff800000000000ull)
#define WRAPPING_ADDRESS ((vm_address_t)0xfffffffffffff000ull)   /* + 2 pages wraps */

/*
 * The next arena slot: ARENA_SLOT bytes at a fixed address that nothing
 * else maps, emptied first (vm_deallocate), so that what a failed test
 * left there is gone.  Slots come round again after ARENA_SLOTS calls; a
 * test holds only a few at once.  A region of less than ARENA_SLOT at a
 * slot's start borders no other region.
 */
#define ARENA_SLOT ((vm_size_t)1 << 20)
#define ARENA_SLOTS 16
vm_address_t arena_next(void);
/* vm_allocate(size) at the start of a fresh slot; 0, with a diagnostic,
 * if the kernel refused. */
vm_address_t arena_allocate(vm_size_t size);

struct region {
	vm_address_t start;
	vm_size_t size;
	struct vm_region_info info;
};
/* vm_region of task at address. */
kern_return_t region_at(task_t task, vm_address_t address, struct region *r);
/* True if [address, address + size) holds no region of task (with a
 * diagnostic naming the one it found). */
bool unmapped(task_t task, vm_address_t address, vm_size_t size);
/* Every region of task, from address 0, at most max; KERN_NO_SPACE ends
 * the walk.  The count, or -1 (with a diagnostic) if vm_region failed. */
int regions_of(task_t task, struct region *out, int max);

/* The TSC cycles the processor has spent halted since boot (host_info
 * HOST_CPU_INFO): under -icount they are time, not instructions. */
uint64_t halted_tsc(void);

/* vm_statistics of the caller's task (zeroed, with a diagnostic, on failure). */
struct vm_statistics vm_stats(void);
/* host_info(HOST_MEMORY_INFO) (zeroed, with a diagnostic, on failure). */
struct host_memory_info memory_info(void);
/*
 * The kernel's memory less the runner's own, which grows as the runner
 * first touches its stack and data: the live vm_objects but those of the
 * runner's regions (and their shadow chains), and the free pages plus the
 * pages resident in the runner's regions.
 */
uint64_t foreign_objects(void);
uint64_t free_and_own_pages(void);

/*
 * The kernel's memory at the start of a run, and the test that it came
 * back at the end: the same tasks and threads, the same vm_objects and
 * map entries besides the runner's own (every test ends its children and
 * unmaps what it mapped), and the free pages plus the runner's own
 * resident pages and the kernel heap near where they were (the kernel may
 * keep page tables of the runner's that emptied, and caches).
 */
struct usage {
	struct host_memory_info memory;
	uint64_t objects, entries, pages;
};
struct usage usage(void);
void test_leaks(const struct usage *before, const char *name);
/* Polls (up to 200 ms) until foreign_objects() is `objects`. */
bool foreign_objects_return_to(uint64_t objects);

/* Words of a pattern: the word at byte offset i of a fill with seed. */
uint64_t pattern_word(uint64_t seed, vm_size_t offset);
void fill(vm_address_t address, vm_size_t size, uint64_t seed);
/* True if [address, address + size) holds fill(seed); else says where
 * not (also if it is not readable). */
bool filled(vm_address_t address, vm_size_t size, uint64_t seed);
/* True if every byte is zero; else says where not. */
bool zeroed(vm_address_t address, vm_size_t size);
uint64_t checksum(vm_address_t address, vm_size_t size);

static inline volatile uint64_t *word(vm_address_t address)
{
	return (volatile uint64_t *)address;
}

/* A task made with task_create (inherit_memory as given), ended: its name
 * is released.  Both return false with a diagnostic on failure. */
bool child_create(bool inherit_memory, task_t *child);
bool child_end(task_t child);
/* A name that is dead: a send right whose port was destroyed. */
mach_port_t dead_name(void);
/* The port a server registered as name in the name service, waiting up
 * to wait_ms for a server that starts after us; MACH_PORT_NULL if none. */
mach_port_t service_look_up(char *name, uint64_t wait_ms);
/* The value of a helper's "port=N" argument: a right its parent put
 * into its name space as N (0 if none). */
mach_port_t port_argument(int argc, char **argv);

/* ---- exc.c: exceptions ---- */

/* Starts the thread that handles the runner's own faults (probes). */
bool exceptions_start(void);

/*
 * Probes: one load or store by the runner's thread that may fault.  A
 * fault is caught by the runner's exception thread, which records it and
 * moves the thread past the access.  A probe that faults reads 0.
 */
struct probe {
	bool faulted;
	int64_t code;        /* EXC_BAD_ACCESS's code[0] */
	uint64_t address;    /* and code[1] */
	uint64_t value;      /* what a load read */
};
struct probe probe_read(vm_address_t address);
struct probe probe_write(vm_address_t address, uint64_t value);
/* An inb from an I/O port (refused: EXC_BAD_ACCESS, KERN_PROTECTION_FAILURE). */
struct probe probe_in(uint16_t port);
/* True if the access went through (and a read gave want). */
bool reads(vm_address_t address, uint64_t want);
bool writes(vm_address_t address, uint64_t value);
/*
 * True if every page of [address, address + size) can be read (written):
 * checked with a probe per page, so that memory a call should have mapped
 * and did not is a failed test rather than the end of the run.  writable
 * writes back what each probed word held.
 */
bool readable(vm_address_t address, vm_size_t size);
bool writable(vm_address_t address, vm_size_t size);
/* True if the access faulted with EXC_BAD_ACCESS, code, at address. */
bool read_faults(vm_address_t address, int64_t code);
bool write_faults(vm_address_t address, int64_t code);

/*
 * Threads of child tasks (task_create with inherit_memory) run code of
 * this program in their copy of its memory, with no libmach per-thread
 * data, so they make no calls: they report with child_report, a ud2 with
 * rbx = REPORT_MAGIC and the four values in r12..r15.  Their task's
 * exception port is child_exception_port, which the runner serves with
 * child_wait: a report is answered by resuming the thread after the ud2;
 * any other exception is refused (which ends the task).
 */
#define REPORT_MAGIC 0x5452504552ull   /* "REPRT" */
extern mach_port_t child_exception_port;

struct child_event {
	exception_type_t exception;
	int64_t code[2];
	struct x86_64_thread_state state;   /* r12..r15: a report's values */
	bool report;
};
void child_report(uint64_t a, uint64_t b, uint64_t c, uint64_t d);
/* Serves one exception of a child, waiting up to timeout_ms. */
bool child_wait(struct child_event *e, uint32_t timeout_ms);
/* Starts a thread in child at entry, on the stack [stack, stack + size)
 * (an address of the child's copy of this program's memory). */
bool child_thread_start(task_t child, void (*entry)(void), void *stack, vm_size_t size,
			thread_t *thread);

/* ---- the groups, in the order they run ---- */
void test_region(void);     /* region.c: vm_region, vm_statistics, bad task ports */
void test_allocate(void);   /* allocate.c: vm_allocate, vm_deallocate */
void test_protect(void);    /* protect.c: vm_protect, vm_inherit */
void test_map(void);        /* map.c: vm_map */
void test_lazy(void);       /* lazy.c: zero fill on first touch */
void test_copy(void);       /* copy.c: vm_read, vm_write, vm_copy */
void test_inherit(void);    /* inherit.c: task_create with inherit_memory */
void test_cow(void);        /* cow.c: a thousand copies */
void test_ool(void);        /* ool.c: 16 MiB out of line */
void test_wire(void);       /* wire.c: vm_wire */

/* ---- roles (helper tasks) ---- */
int role_ool_sink(int argc, char **argv);   /* ool.c: receives and sums out-of-line data */
