/*
 * vmtest's runner: runs every group, checks that the kernel's memory came
 * back, prints TAP, and halts the machine, successfully only if every
 * test passed.  Started with role=NAME it is a helper task instead
 * (vmtest.h).
 */
#include "vmtest.h"

/* Above the helper tasks and the children's threads (16), so that the
 * runner decides when they run: whenever it waits. */
#define RUNNER_PRIORITY 20

mach_port_t host_priv;
thread_t runner_thread;
static unsigned tests, failed;

void tap_ok(bool ok, const char *name)
{
	tests++;
	if (!ok)
		failed++;
	mach_printf("%s %u - %s\n", ok ? "ok" : "not ok", tests, name);
}

static const char *kr_name(kern_return_t kr)
{
	const char *name = mach_error_name(kr);

	return name != NULL ? name : "?";
}

void tap_kr(kern_return_t got, kern_return_t want, const char *name)
{
	tap_ok(got == want, name);
	if (got != want)
		diag("got %s (0x%x), expected %s (0x%x)\n", kr_name(got), got, kr_name(want),
		     want);
}

void tap_eq(uint64_t got, uint64_t want, const char *name)
{
	tap_ok(got == want, name);
	if (got != want)
		diag("got %lu (0x%lx), expected %lu (0x%lx)\n", got, got, want, want);
}

bool check(bool cond, const char *expr, const char *file, int line)
{
	if (!cond)
		diag("%s:%d: failed: %s\n", file, line, expr);
	return cond;
}

bool check_kr(kern_return_t got, kern_return_t want, const char *expr, const char *file,
	      int line)
{
	if (got == want)
		return true;
	diag("%s:%d: %s returned %s (%d), expected %s (%d)\n", file, line, expr, kr_name(got),
	     got, kr_name(want), want);
	return false;
}

static const char *role_of(int argc, char **argv)
{
	const char *role = NULL;

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "role=", 5) == 0)
			role = argv[i] + 5;
	return role;
}

/*
 * The kernel's memory after all the groups, against what it was before
 * the first: the same tasks and threads, the same vm_objects and map entries
 * besides the runner's own (every test ends its children and unmaps what
 * it mapped), and the free pages plus the runner's own resident pages
 * and the kernel heap near where they were: the kernel may keep page
 * tables of the runner's that emptied, and caches.
 */
#define LEAK_PAGES_SLACK 32
#define LEAK_KALLOC_SLACK (64 * 1024)

struct usage {
	struct host_memory_info memory;
	uint64_t objects, entries, pages;
};

static struct usage usage(void)
{
	return (struct usage){ .memory = memory_info(), .objects = foreign_objects(),
			       .entries = vm_stats().map_entries,
			       .pages = free_and_own_pages() };
}

static bool usage_near(const struct usage *u0, const struct usage *u)
{
	return u->memory.tasks == u0->memory.tasks && u->memory.threads == u0->memory.threads &&
	       u->objects == u0->objects && u->entries == u0->entries &&
	       u->pages + LEAK_PAGES_SLACK >= u0->pages &&
	       u->memory.kalloc_bytes <= u0->memory.kalloc_bytes + LEAK_KALLOC_SLACK;
}

static void test_leaks(const struct usage *u0)
{
	struct usage u = usage();
	bool ok = usage_near(u0, &u);

	/* A task's end may free its last pieces a moment later. */
	for (int i = 0; i < 40 && !ok; i++) {
		mach_sleep_ns(5 * MACH_NS_PER_MS);
		u = usage();
		ok = usage_near(u0, &u);
	}
	tap_ok(ok, "the_vm_tests_leave_kernel_memory_as_they_found_it");
	if (!ok) {
		diag("tasks %lu -> %lu, threads %lu -> %lu, objects %lu -> %lu, "
		     "map entries %lu -> %lu\n", u0->memory.tasks, u.memory.tasks,
		     u0->memory.threads, u.memory.threads, u0->objects, u.objects, u0->entries,
		     u.entries);
		diag("free and own pages %lu -> %lu, kalloc bytes %lu -> %lu\n", u0->pages,
		     u.pages, u0->memory.kalloc_bytes, u.memory.kalloc_bytes);
	}
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	const char *role = role_of(argc, argv);
	if (role != NULL) {
		if (strcmp(role, "ool-sink") == 0)
			return role_ool_sink(argc, argv);
		mach_printf("vmtest: unknown role '%s'\n", role);
		return 1;
	}
	runner_thread = mach_thread_self();
	thread_priority(runner_thread, RUNNER_PRIORITY, FALSE);
	if (host_priv == MACH_PORT_NULL || !exceptions_start()) {
		mach_printf("vmtest: cannot start: no privileged host port or exception thread\n");
		host_halt(host_priv, HOST_HALT_FAILURE);
		return 1;
	}
	struct usage before = usage();
	test_region();
	test_allocate();
	test_protect();
	test_map();
	test_lazy();
	test_copy();
	test_inherit();
	test_cow();
	test_ool();
	test_wire();
	test_leaks(&before);
	mach_printf("1..%u\n", tests);
	mach_printf("# vmtest: %u passed, %u failed\n", tests - failed, failed);
	host_halt(host_priv, failed ? HOST_HALT_FAILURE : HOST_HALT_SUCCESS);
	return 0;
}
