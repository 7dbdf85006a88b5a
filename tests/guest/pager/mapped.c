/*
 * A correct pager seen through mappings: mempager's objects (libpager),
 * mapped into the runner with vm_map, checked against the store that
 * mempager keeps (its checksum and fill, servers/mempager/pattern.h) and
 * against what the pager protocol did (mempager_stats).  The runner
 * touches these mappings itself: a fault here that fails is a bug, which
 * the guard (harness.c) reports before halting.
 */
#include "pagertest.h"

struct counts {
	uint64_t inits, terminates, data_requests, pages_supplied;
	uint64_t data_returns, pages_written, locks_completed, refused;
};

static bool counts_of(mach_port_t object, struct counts *c)
{
	return CHECK_KR(mempager_stats(mempager, object, &c->inits, &c->terminates,
				       &c->data_requests, &c->pages_supplied, &c->data_returns,
				       &c->pages_written, &c->locks_completed, &c->refused),
			KERN_SUCCESS);
}

/* A new object of `pages` pages, its store filled with seed. */
static bool object_new(unsigned pages, uint64_t seed, mach_port_t *object)
{
	*object = MACH_PORT_NULL;
	if (!CHECK_KR(mempager_create(mempager, pages * PAGE, object), KERN_SUCCESS))
		return false;
	if (CHECK_KR(mempager_fill(mempager, *object, 0, pages * PAGE, seed), KERN_SUCCESS))
		return true;
	mach_port_deallocate(mach_task_self(), *object);
	return false;
}

static kern_return_t map(mach_port_t object, vm_size_t size, boolean_t copy,
			 vm_address_t *address)
{
	*address = 0;
	return vm_map(mach_task_self(), address, size, 0, TRUE, object, 0, copy, VM_PROT_DEFAULT,
		      VM_PROT_ALL, VM_INHERIT_COPY);
}

/* The checksum of pattern(seed) over [offset, offset + size) of an object. */
static uint64_t pattern_sum(uint64_t seed, vm_offset_t offset, vm_size_t size)
{
	static uint64_t page[PAGE / 8];
	uint64_t sum = MEMPAGER_CHECKSUM_START;

	for (vm_size_t done = 0; done < size; done += PAGE) {
		for (size_t i = 0; i < PAGE / 8; i++)
			page[i] = mempager_pattern(seed, offset + done + i * 8);
		sum = mempager_sum(sum, page, PAGE / 8);
	}
	return sum;
}

static uint64_t mapping_sum(vm_address_t address, vm_size_t size)
{
	return mempager_sum(MEMPAGER_CHECKSUM_START, (const volatile uint64_t *)address,
				 size / 8);
}

static uint64_t store_sum(mach_port_t object, vm_offset_t offset, vm_size_t size)
{
	uint64_t sum = 0;

	CHECK_KR(mempager_checksum(mempager, object, offset, size, &sum), KERN_SUCCESS);
	return sum;
}

/* Writes pattern(seed) over one page of a mapping of the object's offset. */
static void write_page(vm_address_t address, vm_offset_t offset, uint64_t seed)
{
	volatile uint64_t *words = (volatile uint64_t *)address;

	for (size_t i = 0; i < PAGE / 8; i++)
		words[i] = mempager_pattern(seed, offset + i * 8);
}

/* True if each page of the mapping starts with pattern(seed[page]). */
static bool pages_show(vm_address_t address, unsigned pages, const uint64_t *seeds)
{
	for (unsigned i = 0; i < pages; i++) {
		uint64_t word = *(volatile uint64_t *)(address + i * PAGE);
		if (word != mempager_pattern(seeds[i], i * PAGE)) {
			diag("page %u starts with 0x%lx, not pattern %lu's 0x%lx", i, word,
			     seeds[i], mempager_pattern(seeds[i], i * PAGE));
			return false;
		}
	}
	return true;
}

static kern_return_t clean(mach_port_t object, vm_size_t size, boolean_t flush)
{
	return mempager_sync(mempager, object, 0, size, MEMORY_OBJECT_RETURN_DIRTY, flush);
}

/* Polls until the object's cache has been terminated `terminates` times. */
static bool wait_terminates(mach_port_t object, uint64_t terminates, struct counts *c)
{
	for (int i = 0; i < 100; i++) {
		if (!counts_of(object, c))
			return false;
		if (c->terminates >= terminates)
			return CHECK_EQ(c->terminates, terminates);
		sleep_ms(10);
	}
	diag("the kernel did not terminate its cache in 1 s");
	return false;
}

static void release(mach_port_t object, vm_address_t address, vm_size_t size)
{
	if (address != 0)
		vm_deallocate(mach_task_self(), address, size);
	mach_port_deallocate(mach_task_self(), object);
}

/* Every page of a shared mapping shows the store; each is asked for once. */
static bool mapped_object_shows_the_store_on_every_page(void)
{
	const unsigned pages = 16;
	mach_port_t object;
	vm_address_t a = 0;
	struct counts c;
	uint64_t seeds[16];

	for (unsigned i = 0; i < pages; i++)
		seeds[i] = 1;
	if (!object_new(pages, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, pages * PAGE, FALSE, &a), KERN_SUCCESS) &&
		  pages_show(a, pages, seeds) &&
		  CHECK_EQ(mapping_sum(a, pages * PAGE), pattern_sum(1, 0, pages * PAGE)) &&
		  CHECK_EQ(store_sum(object, 0, pages * PAGE), pattern_sum(1, 0, pages * PAGE)) &&
		  counts_of(object, &c) && CHECK_EQ(c.inits, 1) &&
		  CHECK_EQ(c.pages_supplied, pages) && CHECK_EQ(c.refused, 0);
	release(object, a, pages * PAGE);
	return ok;
}

/* Writes through the mapping reach the store after a clean round trip:
 * every written page comes back once, and lock_completed arrives. */
static bool clean_returns_the_written_pages_to_the_store(void)
{
	const unsigned pages = 16;
	mach_port_t object;
	vm_address_t a = 0;
	struct counts before, after;

	if (!object_new(pages, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, pages * PAGE, FALSE, &a), KERN_SUCCESS);
	if (ok) {
		for (unsigned i = 0; i < pages; i++)
			write_page(a + i * PAGE, i * PAGE, 2);
		ok = counts_of(object, &before) &&
		     CHECK_KR(clean(object, pages * PAGE, FALSE), KERN_SUCCESS) &&
		     CHECK_EQ(store_sum(object, 0, pages * PAGE),
			      pattern_sum(2, 0, pages * PAGE)) &&
		     counts_of(object, &after) &&
		     CHECK_EQ(after.pages_written - before.pages_written, pages) &&
		     CHECK_EQ(after.locks_completed - before.locks_completed, 1) &&
		     CHECK(after.data_returns > before.data_returns) &&
		     /* Cleaned, not flushed: the pages stay, nothing is asked again. */
		     CHECK_EQ(mapping_sum(a, pages * PAGE), pattern_sum(2, 0, pages * PAGE)) &&
		     counts_of(object, &after) &&
		     CHECK_EQ(after.pages_supplied, before.pages_supplied);
	}
	release(object, a, pages * PAGE);
	return ok;
}

/* A clean returns the pages written since the last one, and no others. */
static bool clean_returns_only_the_dirty_pages(void)
{
	const unsigned pages = 8;
	uint64_t seeds[8] = { 1, 3, 1, 1, 3, 1, 3, 1 };
	mach_port_t object;
	vm_address_t a = 0;
	struct counts c0, c1, c2;

	if (!object_new(pages, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, pages * PAGE, FALSE, &a), KERN_SUCCESS);
	if (ok) {
		mapping_sum(a, pages * PAGE);   /* every page resident, clean */
		for (unsigned i = 0; i < pages; i++)
			if (seeds[i] == 3)
				write_page(a + i * PAGE, i * PAGE, 3);
		ok = counts_of(object, &c0) &&
		     CHECK_KR(clean(object, pages * PAGE, FALSE), KERN_SUCCESS) &&
		     counts_of(object, &c1) && CHECK_EQ(c1.pages_written - c0.pages_written, 3) &&
		     CHECK_KR(clean(object, pages * PAGE, FALSE), KERN_SUCCESS) &&
		     counts_of(object, &c2) && CHECK_EQ(c2.pages_written, c1.pages_written) &&
		     CHECK_EQ(c2.locks_completed - c0.locks_completed, 2);
		for (unsigned i = 0; ok && i < pages; i++)
			ok = CHECK_EQ(store_sum(object, i * PAGE, PAGE),
				      pattern_sum(seeds[i], i * PAGE, PAGE));
	}
	release(object, a, pages * PAGE);
	return ok;
}

/* A flush returns the dirty pages and drops them all: the next touch of
 * each asks the pager again, and sees what the store now holds. */
static bool flush_drops_the_pages_and_the_next_touch_asks_again(void)
{
	const unsigned pages = 8;
	uint64_t seeds[8] = { 1, 1, 4, 1, 1, 1, 1, 1 };
	mach_port_t object;
	vm_address_t a = 0;
	struct counts c0, c1, c2;

	if (!object_new(pages, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, pages * PAGE, FALSE, &a), KERN_SUCCESS);
	if (ok) {
		mapping_sum(a, pages * PAGE);
		write_page(a + 2 * PAGE, 2 * PAGE, 4);
		ok = counts_of(object, &c0) &&
		     CHECK_KR(clean(object, pages * PAGE, TRUE), KERN_SUCCESS) &&
		     counts_of(object, &c1) && CHECK_EQ(c1.pages_written - c0.pages_written, 1) &&
		     CHECK_EQ(store_sum(object, 2 * PAGE, PAGE), pattern_sum(4, 2 * PAGE, PAGE)) &&
		     pages_show(a, pages, seeds) && counts_of(object, &c2) &&
		     CHECK_EQ(c2.pages_supplied - c1.pages_supplied, pages);
	}
	release(object, a, pages * PAGE);
	return ok;
}

/* Two shared mappings of one object are one cache: each sees the other's writes. */
static bool shared_mappings_see_each_others_writes(void)
{
	mach_port_t object;
	vm_address_t a = 0, b = 0;
	struct counts c;

	if (!object_new(4, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, 4 * PAGE, FALSE, &a), KERN_SUCCESS) &&
		  CHECK_KR(map(object, 4 * PAGE, FALSE, &b), KERN_SUCCESS) && CHECK(a != b);
	if (ok) {
		*(volatile uint64_t *)(a + PAGE + 8) = 0xa11ce;
		*(volatile uint64_t *)(b + 3 * PAGE) = 0xb0b;
		ok = CHECK_EQ(*(volatile uint64_t *)(b + PAGE + 8), 0xa11ce) &&
		     CHECK_EQ(*(volatile uint64_t *)(a + 3 * PAGE), 0xb0b) &&
		     CHECK_EQ(*(volatile uint64_t *)(b + 3 * PAGE + 8),
			      mempager_pattern(1, 3 * PAGE + 8)) &&
		     counts_of(object, &c) && CHECK_EQ(c.inits, 1);
	}
	if (b != 0)
		vm_deallocate(mach_task_self(), b, 4 * PAGE);
	release(object, a, 4 * PAGE);
	return ok;
}

/* A copy mapping starts as the store and then is the task's own: its
 * writes never go back to the pager, cleaned or unmapped. */
static bool copy_mapping_does_not_write_to_the_store(void)
{
	const unsigned pages = 4;
	mach_port_t object;
	vm_address_t a = 0;
	struct counts c0, c1;

	if (!object_new(pages, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, pages * PAGE, TRUE, &a), KERN_SUCCESS) &&
		  CHECK_EQ(mapping_sum(a, pages * PAGE), pattern_sum(1, 0, pages * PAGE)) &&
		  counts_of(object, &c0);
	if (ok) {
		for (unsigned i = 0; i < pages; i++)
			write_page(a + i * PAGE, i * PAGE, 5);
		ok = CHECK_EQ(mapping_sum(a, pages * PAGE), pattern_sum(5, 0, pages * PAGE)) &&
		     CHECK_KR(clean(object, pages * PAGE, FALSE), KERN_SUCCESS);
		vm_deallocate(mach_task_self(), a, pages * PAGE);
		a = 0;
		ok = ok && wait_terminates(object, c0.terminates + 1, &c1) &&
		     CHECK_EQ(c1.pages_written, c0.pages_written) &&
		     CHECK_EQ(store_sum(object, 0, pages * PAGE), pattern_sum(1, 0, pages * PAGE));
	}
	release(object, a, pages * PAGE);
	return ok;
}

/* The last mapping gone, the kernel gives back what was written, then
 * terminates its cache (mempager's objects are not cached). */
static bool unmapping_returns_dirty_pages_before_terminate(void)
{
	const unsigned pages = 4;
	mach_port_t object;
	vm_address_t a = 0;
	struct counts c;

	if (!object_new(pages, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, pages * PAGE, FALSE, &a), KERN_SUCCESS);
	if (ok) {
		for (unsigned i = 0; i < pages; i++)
			write_page(a + i * PAGE, i * PAGE, 6);
		vm_deallocate(mach_task_self(), a, pages * PAGE);
		a = 0;
		ok = wait_terminates(object, 1, &c) && CHECK_EQ(c.pages_written, pages) &&
		     CHECK_EQ(store_sum(object, 0, pages * PAGE), pattern_sum(6, 0, pages * PAGE));
	}
	release(object, a, pages * PAGE);
	return ok;
}

/* A mapping may be larger than its object: libpager answers a request
 * beyond the end with data_error, a memory error for the thread. */
static bool touch_beyond_the_object_is_a_memory_error(void)
{
	mach_port_t object;
	vm_address_t a = 0;
	struct toucher t = { 0 };

	if (!object_new(1, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, 2 * PAGE, FALSE, &a), KERN_SUCCESS) &&
		  CHECK_EQ(*(volatile uint64_t *)a, mempager_pattern(1, 0)) &&
		  touch_start(&t, a + PAGE, false, 0) && touch_wait(&t, 4 * DEADLINE_MS) &&
		  touch_failed_with(&t, KERN_MEMORY_ERROR);
	ok &= touch_end(&t);
	release(object, a, 2 * PAGE);
	return ok;
}

static natural_t objects_now(void)
{
	natural_t n = 0;

	CHECK_KR(mempager_objects(mempager, &n), KERN_SUCCESS);
	return n;
}

/*
 * The count once it stops changing: objects of earlier tests go when the
 * kernel's last right to them does, a moment after their mappings.
 */
static natural_t objects_settled(void)
{
	natural_t n = objects_now();

	for (int i = 0; i < 50; i++) {
		sleep_ms(20);
		natural_t again = objects_now();
		if (again == n)
			break;
		n = again;
	}
	return n;
}

static bool objects_back_to(natural_t count, uint32_t timeout_ms)
{
	for (uint64_t end = now_ms() + timeout_ms; now_ms() < end; sleep_ms(5))
		if (objects_now() == count)
			return true;
	return CHECK_EQ(objects_now(), count);
}

/* Once nobody holds a send right, the pager hears it (no-senders) and
 * frees the object. */
static bool object_nobody_holds_is_released(void)
{
	natural_t before = objects_settled();
	mach_port_t object;

	if (!object_new(1, 1, &object))
		return false;
	bool ok = CHECK_EQ(objects_now(), before + 1);
	mach_port_deallocate(mach_task_self(), object);
	return objects_back_to(before, 500) && ok;
}

/* The kernel holds a send right while it maps the object: dropping the
 * client's right frees nothing until the mapping goes. */
static bool mapped_object_outlives_its_clients_right(void)
{
	natural_t before = objects_settled();
	mach_port_t object;
	vm_address_t a = 0;
	uint64_t seeds[2] = { 7, 7 };

	if (!object_new(2, 7, &object))
		return false;
	bool ok = CHECK_KR(map(object, 2 * PAGE, FALSE, &a), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), object);
	ok = ok && CHECK_EQ(objects_now(), before + 1) && pages_show(a, 2, seeds);
	if (a != 0)
		vm_deallocate(mach_task_self(), a, 2 * PAGE);
	return objects_back_to(before, 1000) && ok;
}

/* The checksum of object's store's first page is that of seed's pattern. */
static bool store_shows(mach_port_t object, uint64_t seed)
{
	static uint64_t words[PAGE / 8];
	uint64_t sum = 0;

	for (unsigned i = 0; i < PAGE / 8; i++)
		words[i] = mempager_pattern(seed, i * 8);
	return CHECK_KR(mempager_checksum(mempager, object, 0, PAGE, &sum), KERN_SUCCESS) &&
	       CHECK_EQ(sum, mempager_sum(MEMPAGER_CHECKSUM_START, words, PAGE / 8));
}

/* share: a second object over the same store, which lives until both go. */
static bool shared_object_has_the_same_store_and_keeps_it(void)
{
	natural_t before = objects_settled();
	mach_port_t object, shared = MACH_PORT_NULL;

	if (!object_new(1, 21, &object))
		return false;
	bool ok = CHECK_KR(mempager_share(mempager, object, &shared), KERN_SUCCESS) &&
		  CHECK_EQ(objects_now(), before + 2) && store_shows(shared, 21) &&
		  CHECK_KR(mempager_fill(mempager, shared, 0, PAGE, 22), KERN_SUCCESS) &&
		  store_shows(object, 22);
	mach_port_deallocate(mach_task_self(), object);
	ok = ok && objects_back_to(before + 1, 500) && store_shows(shared, 22);
	if (shared != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), shared);
	return objects_back_to(before, 500) && ok;
}

/* The pages the kernel holds of the region at address. */
static uint64_t resident(vm_address_t address)
{
	vm_size_t size;
	vm_region_info_t info = { 0 };

	vm_region(mach_task_self(), &address, &size, &info);
	return info.resident_pages;
}

/* Waits until the kernel holds none of object's pages unacknowledged. */
static bool laundry_settles(mach_port_t object)
{
	struct vm_pager_stats s = { 0 };

	for (uint64_t end = now_ms() + 1000; now_ms() < end; sleep_ms(5))
		if (vm_pager_stats(host_priv, object, &s) == KERN_SUCCESS && s.laundry == 0)
			return true;
	return CHECK_EQ(s.laundry, 0);
}

/* vm_msync: the written pages go to the store; invalidate then drops the
 * clean ones, which the next touch asks of the pager, and keeps a page
 * written since. */
static bool msync_returns_written_pages_and_invalidate_drops_stored_ones(void)
{
	const unsigned pages = 4;
	uint64_t seeds[4] = { 8, 6, 6, 6 };
	mach_port_t object;
	vm_address_t a = 0;
	struct counts c0, c1;

	if (!object_new(pages, 1, &object))
		return false;
	bool ok = CHECK_KR(map(object, pages * PAGE, FALSE, &a), KERN_SUCCESS);
	for (unsigned i = 0; ok && i < pages; i++)
		write_page(a + i * PAGE, i * PAGE, 6);
	ok = ok && counts_of(object, &c0) &&
	     CHECK_KR(vm_msync(mach_task_self(), a, pages * PAGE, VM_SYNC_ASYNCHRONOUS),
		      KERN_SUCCESS) &&
	     laundry_settles(object) &&
	     CHECK_EQ(store_sum(object, 0, pages * PAGE), pattern_sum(6, 0, pages * PAGE)) &&
	     CHECK_EQ(resident(a), pages);
	if (ok)
		write_page(a, 0, 8);
	ok = ok && CHECK_KR(vm_msync(mach_task_self(), a, pages * PAGE, VM_SYNC_INVALIDATE),
			    KERN_SUCCESS) &&
	     CHECK_EQ(resident(a), 1) && counts_of(object, &c1) && pages_show(a, pages, seeds) &&
	     counts_of(object, &c0) && CHECK_EQ(c0.pages_supplied - c1.pages_supplied, pages - 1);
	release(object, a, pages * PAGE);
	return ok;
}

/* vm_msync refuses what it does not do and ranges not all mapped; on
 * anonymous memory, which no pager holds, it does nothing. */
static bool msync_refuses_bad_flags_and_unmapped_ranges(void)
{
	vm_address_t a = 0;

	bool ok = CHECK_KR(vm_allocate(mach_task_self(), &a, 3 * PAGE, TRUE), KERN_SUCCESS);
	if (ok)
		*(volatile uint64_t *)a = 0x5eed;
	ok = ok && CHECK_KR(vm_msync(mach_task_self(), a, PAGE, 0), KERN_INVALID_VALUE) &&
	     CHECK_KR(vm_msync(mach_task_self(), a, PAGE, VM_SYNC_SYNCHRONOUS),
		      KERN_INVALID_VALUE) &&
	     CHECK_KR(vm_msync(mach_task_self(), a, PAGE, 0x8), KERN_INVALID_VALUE) &&
	     CHECK_KR(vm_msync(mach_task_self(), 0xffff800000000000ull, PAGE, VM_SYNC_INVALIDATE),
		      KERN_INVALID_ADDRESS) &&
	     CHECK_KR(vm_msync(mach_task_self(), a,
			       3 * PAGE, VM_SYNC_ASYNCHRONOUS | VM_SYNC_INVALIDATE),
		      KERN_SUCCESS) &&
	     CHECK_EQ(*(volatile uint64_t *)a, 0x5eed) &&
	     CHECK_KR(vm_deallocate(mach_task_self(), a + PAGE, PAGE), KERN_SUCCESS) &&
	     CHECK_KR(vm_msync(mach_task_self(), a, 3 * PAGE, VM_SYNC_INVALIDATE),
		      KERN_INVALID_ADDRESS);
	if (a != 0)
		vm_deallocate(mach_task_self(), a, 3 * PAGE);
	return ok;
}

/* mempager checks what its clients ask, before any of it reaches libpager. */
static bool mempager_refuses_bad_arguments(void)
{
	mach_port_t object = MACH_PORT_NULL, none = MACH_PORT_NULL;
	uint64_t sum;
	struct counts c;

	bool ok = CHECK_KR(mempager_create(mempager, 0, &none), KERN_INVALID_ARGUMENT) &&
		  CHECK_KR(mempager_create(mempager, (vm_size_t)2 << 30, &none),
			   KERN_INVALID_ARGUMENT) &&
		  object_new(1, 1, &object);
	ok = ok &&
	     CHECK_KR(mempager_fill(mempager, object, 4, 8, 1), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_fill(mempager, object, 0, 2 * PAGE, 1), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_checksum(mempager, object, PAGE, 8, &sum), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_checksum(mempager, mempager, 0, 8, &sum), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_share(mempager, mempager, &none), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_stats(mempager, MACH_PORT_NULL, &c.inits, &c.terminates,
				     &c.data_requests, &c.pages_supplied, &c.data_returns,
				     &c.pages_written, &c.locks_completed, &c.refused),
		      KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_sync(mempager, object, 100, PAGE, MEMORY_OBJECT_RETURN_DIRTY, FALSE),
		      KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_sync(mempager, object, 0, 2 * PAGE, MEMORY_OBJECT_RETURN_DIRTY,
				    FALSE), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(mempager_sync(mempager, object, 0, PAGE, 7, FALSE), KERN_INVALID_VALUE) &&
	     /* Nothing mapped, nothing cached: nothing to do. */
	     CHECK_KR(mempager_sync(mempager, object, 0, PAGE, MEMORY_OBJECT_RETURN_ALL, TRUE),
		      KERN_SUCCESS) &&
	     counts_of(object, &c) && CHECK_EQ(c.inits, 0) && CHECK_EQ(c.refused, 0);
	if (object != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), object);
	return ok;
}

static const struct test mapped_tests[] = {
	ENTRY(mapped_object_shows_the_store_on_every_page),
	ENTRY(clean_returns_the_written_pages_to_the_store),
	ENTRY(clean_returns_only_the_dirty_pages),
	ENTRY(flush_drops_the_pages_and_the_next_touch_asks_again),
	ENTRY(shared_mappings_see_each_others_writes),
	ENTRY(copy_mapping_does_not_write_to_the_store),
	ENTRY(unmapping_returns_dirty_pages_before_terminate),
	ENTRY(touch_beyond_the_object_is_a_memory_error),
	ENTRY(object_nobody_holds_is_released),
	ENTRY(mapped_object_outlives_its_clients_right),
	ENTRY(shared_object_has_the_same_store_and_keeps_it),
	ENTRY(msync_returns_written_pages_and_invalidate_drops_stored_ones),
	ENTRY(msync_refuses_bad_flags_and_unmapped_ranges),
	ENTRY(mempager_refuses_bad_arguments),
};

void test_mapped(void)
{
	run_tests(mapped_tests, sizeof(mapped_tests) / sizeof(mapped_tests[0]));
}

/* After the raw pagers' misdeeds (failures.c, supply.c), a correct pager
 * still works end to end. */
static bool pagers_still_work_after_the_bad_ones(void)
{
	return clean_returns_the_written_pages_to_the_store();
}

static const struct test final_tests[] = {
	ENTRY(pagers_still_work_after_the_bad_ones),
};

void test_mapped_again(void)
{
	run_tests(final_tests, 1);
}
