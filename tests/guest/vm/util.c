/* Helpers of the vmtest groups: the arena, regions, counts, patterns,
 * children (vmtest.h). */
#include "vmtest.h"

#include <bootstrap.h>

/* 16 TiB: far above the program, the "anywhere" allocations (from 4 GiB
 * up) and below the initial stack (just under 128 TiB). */
#define ARENA_BASE ((vm_address_t)0x0000100000000000ull)

static unsigned arena_count;

vm_address_t arena_next(void)
{
	vm_address_t slot = ARENA_BASE + (arena_count++ % ARENA_SLOTS) * ARENA_SLOT;

	vm_deallocate(mach_task_self(), slot, ARENA_SLOT);
	return slot;
}

vm_address_t arena_allocate(vm_size_t size)
{
	vm_address_t want = arena_next(), address = want;
	kern_return_t kr = vm_allocate(mach_task_self(), &address, size, FALSE);

	if (kr == KERN_SUCCESS && address == want)
		return address;
	/* Counted as a failure, so that the test that needed it cannot pass. */
	tap_ok(false, "vm_allocate_at_a_free_fixed_address_succeeds");
	diag("vm_allocate of %lu bytes at 0x%lx: %s (0x%x), at 0x%lx\n", size, want,
	     mach_error_name(kr) ? mach_error_name(kr) : "?", kr, address);
	return 0;
}

kern_return_t region_at(task_t task, vm_address_t address, struct region *r)
{
	*r = (struct region){ .start = address };
	return vm_region(task, &r->start, &r->size, &r->info);
}

bool unmapped(task_t task, vm_address_t address, vm_size_t size)
{
	struct region r;
	kern_return_t kr = region_at(task, address, &r);

	if (kr == KERN_NO_SPACE || (kr == KERN_SUCCESS && r.start >= address + size))
		return true;
	diag("0x%lx..0x%lx: vm_region gave %d, a region at 0x%lx of 0x%lx bytes\n", address,
	     address + size, kr, r.start, r.size);
	return false;
}

int regions_of(task_t task, struct region *out, int max)
{
	vm_address_t at = 0;
	int n = 0;

	while (at < USER_END) {
		struct region r;
		kern_return_t kr = region_at(task, at, &r);
		if (kr == KERN_NO_SPACE)
			break;
		if (kr != KERN_SUCCESS) {
			diag("vm_region at 0x%lx: %d\n", at, kr);
			return -1;
		}
		if (n == max || r.size == 0 || r.start + r.size <= at) {
			diag("vm_region at 0x%lx: region 0x%lx of 0x%lx bytes (%d so far)\n", at,
			     r.start, r.size, n);
			return -1;
		}
		out[n++] = r;
		at = r.start + r.size;
	}
	return n;
}

struct vm_statistics vm_stats(void)
{
	struct vm_statistics s = { 0 };
	kern_return_t kr = vm_statistics(mach_task_self(), &s);

	if (kr != KERN_SUCCESS) {
		diag("vm_statistics: %d\n", kr);
		s = (struct vm_statistics){ 0 };
	}
	return s;
}

struct host_memory_info memory_info(void)
{
	struct host_memory_info info = { 0 };
	mach_msg_type_number_t count = HOST_MEMORY_INFO_COUNT;
	kern_return_t kr = host_info(mach_host_self_, HOST_MEMORY_INFO, (host_info_t)&info,
				     &count);

	if (kr != KERN_SUCCESS) {
		diag("host_info(HOST_MEMORY_INFO): %d\n", kr);
		info = (struct host_memory_info){ 0 };
	}
	return info;
}

/*
 * The vm_objects and resident pages of the runner's own regions: each
 * region's object and those behind it on its shadow chain (objects split
 * into several regions counted once), and the pages of the regions' own
 * objects.  They change as the runner first touches its stack and data,
 * and as its chains are collapsed, which is not a leak.
 */
static void own_memory(uint64_t *objects, uint64_t *pages)
{
	if (mach_task_memory(mach_task_self(), objects, pages) != KERN_SUCCESS)
		*objects = *pages = 0;
}

uint64_t foreign_objects(void)
{
	uint64_t objects, pages;

	own_memory(&objects, &pages);
	return vm_stats().objects - objects;
}

uint64_t free_and_own_pages(void)
{
	uint64_t objects, pages;

	own_memory(&objects, &pages);
	return memory_info().free_pages + pages;
}

bool foreign_objects_return_to(uint64_t objects)
{
	uint64_t now = 0;

	for (int i = 0; i < 40; i++) {
		now = foreign_objects();
		if (now == objects)
			return true;
		mach_sleep_ns(5 * MACH_NS_PER_MS);
	}
	diag("%lu vm_objects besides the runner's own, expected %lu\n", now, objects);
	return false;
}

uint64_t pattern_word(uint64_t seed, vm_size_t offset)
{
	return ((seed << 32) ^ offset) * 0x9e3779b97f4a7c15ull + seed;
}

void fill(vm_address_t address, vm_size_t size, uint64_t seed)
{
	for (vm_size_t i = 0; i + 8 <= size; i += 8)
		*word(address + i) = pattern_word(seed, i);
}

bool filled(vm_address_t address, vm_size_t size, uint64_t seed)
{
	if (!readable(address, size))
		return false;
	for (vm_size_t i = 0; i + 8 <= size; i += 8) {
		uint64_t got = *word(address + i);
		if (got != pattern_word(seed, i)) {
			diag("0x%lx (+0x%lx) holds 0x%lx, expected 0x%lx\n", address + i, i, got,
			     pattern_word(seed, i));
			return false;
		}
	}
	return true;
}

bool zeroed(vm_address_t address, vm_size_t size)
{
	if (!readable(address, size))
		return false;
	for (vm_size_t i = 0; i < size; i++) {
		uint8_t got = *(volatile uint8_t *)(address + i);
		if (got != 0) {
			diag("0x%lx (+0x%lx) holds 0x%x, expected 0\n", address + i, i, got);
			return false;
		}
	}
	return true;
}

uint64_t checksum(vm_address_t address, vm_size_t size)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (vm_size_t i = 0; i + 8 <= size; i += 8)
		h = (h ^ *word(address + i)) * 0x100000001b3ull;
	return h;
}

bool child_create(bool inherit_memory, task_t *child)
{
	*child = MACH_PORT_NULL;
	return CHECK_KR(task_create(mach_task_self(), inherit_memory, child), KERN_SUCCESS);
}

bool child_end(task_t child)
{
	if (child == MACH_PORT_NULL)
		return true;
	/* A child whose exception was refused is already gone: its name is dead. */
	kern_return_t kr = task_terminate(child);
	bool ok = kr == KERN_SUCCESS || kr == MACH_SEND_INVALID_DEST;
	if (!ok)
		diag("task_terminate of a child: %d\n", kr);
	ok &= CHECK_KR(mach_port_deallocate(mach_task_self(), child), KERN_SUCCESS);
	return ok;
}

mach_port_t dead_name(void)
{
	mach_port_t name = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name);
	mach_port_insert_right(mach_task_self(), name, name, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
	return name;
}

/*
 * The kernel's memory after all the groups, against what it was before
 * the first (vmtest.h).
 */
#define LEAK_PAGES_SLACK 32
#define LEAK_KALLOC_SLACK (64 * 1024)

struct usage usage(void)
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

void test_leaks(const struct usage *u0, const char *name)
{
	struct usage u = usage();
	bool ok = usage_near(u0, &u);

	/* A task's end may free its last pieces a moment later. */
	for (int i = 0; i < 40 && !ok; i++) {
		mach_sleep_ns(5 * MACH_NS_PER_MS);
		u = usage();
		ok = usage_near(u0, &u);
	}
	tap_ok(ok, name);
	if (!ok) {
		diag("tasks %lu -> %lu, threads %lu -> %lu, objects %lu -> %lu, "
		     "map entries %lu -> %lu\n", u0->memory.tasks, u.memory.tasks,
		     u0->memory.threads, u.memory.threads, u0->objects, u.objects, u0->entries,
		     u.entries);
		diag("free and own pages %lu -> %lu, kalloc bytes %lu -> %lu\n", u0->pages,
		     u.pages, u0->memory.kalloc_bytes, u.memory.kalloc_bytes);
	}
}

mach_port_t port_argument(int argc, char **argv)
{
	const char *text = mach_arg(argc, argv, "port");
	uint64_t name = 0;

	if (text == NULL || !mach_parse_number(text, UINT32_MAX, &name))
		return MACH_PORT_NULL;
	return (mach_port_t)name;
}

mach_port_t service_look_up(char *name, uint64_t wait_ms)
{
	mach_port_t names = MACH_PORT_NULL, port = MACH_PORT_NULL;
	uint64_t deadline = mach_clock_ns() + wait_ms * MACH_NS_PER_MS;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	while (bootstrap_look_up(names, name, &port) == KERN_INVALID_NAME &&
	       mach_clock_ns() < deadline)
		mach_sleep_ns(10 * MACH_NS_PER_MS);
	if (names != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), names);
	return port;
}

uint64_t halted_tsc(void)
{
	struct host_cpu_info cpu = { 0 };
	mach_msg_type_number_t count = HOST_INFO_MAX;
	integer_t info[HOST_INFO_MAX];

	if (host_info(mach_host_self(), HOST_CPU_INFO, info, &count) == KERN_SUCCESS)
		memcpy(&cpu, info, sizeof(cpu));
	return cpu.halted_tsc;
}
