/*
 * Live pager replacement (host.defs vm_pager_replace): an object stays
 * mapped while its pager changes.  The runner plays both pagers by hand
 * (raw pagers) while a thread of its own calls vm_pager_replace
 * (replace_start), so each step of the hand-over is seen: the request in
 * flight, the dirty pages, terminate to the old pager, init to the new,
 * and the held fault that asks the new one.  Then a mempager object's
 * pager is replaced a hundred times in each mode under a writing
 * workload (replace_under_writes, which the study runs too), and the
 * store of the last holds everything written.
 */
#include "pagertest.h"

#define OBJECT_PAGES 3
#define RUNS 100
#define RUN_PAGES 8

/* A raw pager with OBJECT_PAGES mapped (shared), said ready, page 0 read
 * (supplied from seed) and then written (dirty, value), page 1's fault
 * in flight (its toucher in *t1). */
static bool prepare(struct raw_pager *old, uint64_t seed, uint64_t value, struct toucher *t1)
{
	struct toucher t0 = { 0 };

	*t1 = (struct toucher){ 0 };
	bool ok = raw_open(old, true) &&
		  CHECK_KR(raw_map(old, OBJECT_PAGES * PAGE, FALSE), KERN_SUCCESS) &&
		  raw_accept_init(old) && touch_start(&t0, old->address, false, 0) &&
		  raw_expect_request(old, 0, 2 * DEADLINE_MS) &&
		  CHECK_KR(raw_supply(old, 0, 1, seed), MACH_MSG_SUCCESS) &&
		  touch_wait(&t0, DEADLINE_MS) && CHECK_EQ(t0.value, mempager_pattern(seed, 0));
	touch_end(&t0);
	if (!ok)
		return false;
	*(volatile uint64_t *)old->address = value;
	return touch_start(t1, old->address + PAGE, false, 0) &&
	       raw_expect_request(old, PAGE, 2 * DEADLINE_MS);
}

static void finish(struct raw_pager *old, struct raw_pager *new, struct toucher *t)
{
	touch_end(t);
	if (new->address == 0 && old->size != 0) {
		/* The mapping is old's: unmapped before the ports go. */
		vm_deallocate(mach_task_self(), old->address, old->size);
		old->size = 0;
	}
	raw_close(new);
	raw_close(old);
}

/* The new pager's record of the object (zeros, with a diagnostic, if the
 * call fails). */
static struct vm_pager_stats stats_of(mach_port_t port)
{
	struct vm_pager_stats s = { 0 };

	if (!CHECK_KR(vm_pager_stats(host_priv, port, &s), KERN_SUCCESS))
		s = (struct vm_pager_stats){ 0 };
	return s;
}

/* Same store, the old pager answering: its request in flight is answered,
 * the dirty page goes back to it and is acknowledged, it gets terminate;
 * the new one gets init, and the next fault asks it. */
static bool same_store_settles_with_the_old_pager_and_hands_over(void)
{
	struct raw_pager old, new = { 0 };
	struct toucher t1, t2 = { 0 };
	struct replacer r;
	struct raw_event e;

	bool ok = prepare(&old, 41, 0x5eed, &t1) && raw_open(&new, true) &&
		  replace_start(&r, old.port, new.port, VM_PAGER_REPLACE_SAME_STORE) &&
		  CHECK_KR(raw_supply(&old, PAGE, 1, 42), MACH_MSG_SUCCESS) &&
		  raw_expect(&old, RAW_DATA_RETURN, &e, 2 * DEADLINE_MS) &&
		  CHECK_EQ(e.offset, 0) && CHECK_EQ(e.length, PAGE) &&
		  CHECK_EQ(e.words[0], 0x5eed) &&
		  CHECK_KR(memory_object_return_completed(old.control, 0, PAGE, KERN_SUCCESS),
			   MACH_MSG_SUCCESS) &&
		  raw_expect(&old, RAW_TERMINATE, &e, 2 * DEADLINE_MS) && raw_accept_init(&new) &&
		  replace_wait(&r, 2 * DEADLINE_MS) && CHECK_KR(r.result, KERN_SUCCESS) &&
		  CHECK(r.end_ms - r.start_ms < DEADLINE_MS) && touch_wait(&t1, DEADLINE_MS) &&
		  CHECK_EQ(t1.value, mempager_pattern(42, PAGE)) &&
		  touch_start(&t2, old.address + 2 * PAGE, false, 0) &&
		  raw_expect_request(&new, 2 * PAGE, 2 * DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&new, 2 * PAGE, 1, 43), MACH_MSG_SUCCESS) &&
		  touch_wait(&t2, DEADLINE_MS) &&
		  CHECK_EQ(t2.value, mempager_pattern(43, 2 * PAGE));
	struct vm_pager_stats s = stats_of(new.port);
	ok = ok && CHECK_EQ(s.replaced, 1) && CHECK_EQ(old.events[RAW_DATA_REQUEST], 2) &&
	     CHECK_KR(vm_pager_stats(host_priv, old.port, &s), KERN_INVALID_ARGUMENT);
	touch_end(&t2);
	finish(&old, &new, &t1);
	return ok;
}

/* Same store, the old pager silent: at its deadlines the request in
 * flight is asked of the new pager, and the dirty page it never stored
 * goes to the new pager: nothing written is lost. */
static bool same_store_past_a_silent_old_pager_loses_nothing(void)
{
	struct raw_pager old, new = { 0 };
	struct toucher t1;
	struct replacer r;
	struct raw_event e;

	bool ok = prepare(&old, 51, 0xd1e7, &t1) && raw_open(&new, true) &&
		  replace_start(&r, old.port, new.port, VM_PAGER_REPLACE_SAME_STORE) &&
		  raw_expect(&new, RAW_INIT, &e, 4 * DEADLINE_MS) &&
		  CHECK_KR(memory_object_ready(new.control, FALSE, MEMORY_OBJECT_COPY_DELAY),
			   MACH_MSG_SUCCESS) &&
		  replace_wait(&r, 2 * DEADLINE_MS) && CHECK_KR(r.result, KERN_SUCCESS) &&
		  CHECK(r.end_ms - r.start_ms >= 2 * DEADLINE_MS - DEADLINE_MS / 10) &&
		  CHECK_EQ(old.events[RAW_DATA_RETURN], 1) &&
		  raw_expect_request(&new, PAGE, 2 * DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&new, PAGE, 1, 52), MACH_MSG_SUCCESS) &&
		  touch_wait(&t1, DEADLINE_MS) && CHECK_EQ(t1.value, mempager_pattern(52, PAGE)) &&
		  CHECK_KR(memory_object_lock_request(new.control, 0, OBJECT_PAGES * PAGE,
						      MEMORY_OBJECT_RETURN_DIRTY, FALSE,
						      VM_PROT_NONE, MACH_PORT_NULL),
			   MACH_MSG_SUCCESS) &&
		  raw_expect(&new, RAW_DATA_RETURN, &e, 2 * DEADLINE_MS) &&
		  CHECK_EQ(e.offset, 0) && CHECK_EQ(e.words[0], 0xd1e7);
	finish(&old, &new, &t1);
	return ok;
}

/* Migrate: the pages the kernel lacks are asked of the old pager, and
 * every page -- clean, dirty and fetched -- goes to the new one. */
static bool migrate_gives_the_new_pager_every_page(void)
{
	struct raw_pager old, new = { 0 };
	struct toucher t1;
	struct replacer r;
	struct raw_event e;
	uint64_t words[OBJECT_PAGES] = { 0 };
	unsigned returned = 0;

	bool ok = prepare(&old, 61, 0xabcd, &t1) && raw_open(&new, true) &&
		  replace_start(&r, old.port, new.port, VM_PAGER_REPLACE_MIGRATE) &&
		  CHECK_KR(raw_supply(&old, PAGE, 1, 62), MACH_MSG_SUCCESS) &&
		  raw_expect_request(&old, 2 * PAGE, 2 * DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&old, 2 * PAGE, 1, 63), MACH_MSG_SUCCESS) &&
		  raw_expect(&old, RAW_TERMINATE, &e, 2 * DEADLINE_MS) && raw_accept_init(&new);
	while (ok && returned < OBJECT_PAGES &&
	       raw_expect(&new, RAW_DATA_RETURN, &e, 2 * DEADLINE_MS)) {
		for (unsigned i = 0; i < e.length / PAGE && i < 4; i++)
			if (e.offset / PAGE + i < OBJECT_PAGES)
				words[e.offset / PAGE + i] = e.words[i];
		returned += (unsigned)(e.length / PAGE);
	}
	ok = ok && CHECK_EQ(returned, OBJECT_PAGES) && replace_wait(&r, 2 * DEADLINE_MS) &&
	     CHECK_KR(r.result, KERN_SUCCESS) && CHECK_EQ(words[0], 0xabcd) &&
	     CHECK_EQ(words[1], mempager_pattern(62, PAGE)) &&
	     CHECK_EQ(words[2], mempager_pattern(63, 2 * PAGE)) && touch_wait(&t1, DEADLINE_MS) &&
	     CHECK_EQ(t1.value, mempager_pattern(62, PAGE));
	struct vm_pager_stats s = stats_of(new.port);
	ok = ok && CHECK_EQ(s.replaced, 1) && CHECK_EQ(s.migrated, OBJECT_PAGES) &&
	     CHECK_EQ(s.migrate_lost, 0);
	finish(&old, &new, &t1);
	return ok;
}

static bool bad_replacements_are_refused(void)
{
	struct raw_pager a, b, unmapped;
	mach_port_t dead = MACH_PORT_NULL;

	bool ok = raw_open(&a, true) && CHECK_KR(raw_map(&a, PAGE, FALSE), KERN_SUCCESS) &&
		  raw_open(&b, true) && CHECK_KR(raw_map(&b, PAGE, FALSE), KERN_SUCCESS) &&
		  raw_open(&unmapped, true) &&
		  CHECK_KR(mach_port_allocate_with_send(&dead), KERN_SUCCESS) &&
		  CHECK_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1),
			   KERN_SUCCESS);
	ok = ok &&
	     CHECK_KR(vm_pager_replace(host_priv, a.port, unmapped.port, 7), KERN_INVALID_VALUE) &&
	     CHECK_KR(vm_pager_replace(host_priv, a.port, b.port, VM_PAGER_REPLACE_MIGRATE),
		      KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(vm_pager_replace(host_priv, a.port, a.port, VM_PAGER_REPLACE_MIGRATE),
		      KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(vm_pager_replace(host_priv, unmapped.port, a.port, VM_PAGER_REPLACE_MIGRATE),
		      KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(vm_pager_replace(host_priv, a.port, mach_task_self(),
				       VM_PAGER_REPLACE_SAME_STORE),
		      KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(vm_pager_replace(mach_host_self(), a.port, unmapped.port,
				       VM_PAGER_REPLACE_SAME_STORE),
		      KERN_INVALID_HOST) &&
	     CHECK(vm_pager_replace(host_priv, a.port, dead, VM_PAGER_REPLACE_SAME_STORE) !=
		   KERN_SUCCESS) &&
	     CHECK_EQ(stats_of(a.port).replaced, 0) && CHECK_EQ(unmapped.events[RAW_INIT], 0);
	if (dead != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), dead);
	raw_close(&unmapped);
	raw_close(&b);
	raw_close(&a);
	return ok;
}

/* The value the workload writes to word w of page p in run i. */
static uint64_t written(unsigned i, unsigned p, unsigned w)
{
	return ((uint64_t)i << 32) | (p << 16) | w;
}

/* The next pager of object: a new mempager object (migrate: it starts
 * empty) or one over object's store (same store). */
static bool next_pager(mach_port_t object, int mode, mach_port_t *next)
{
	if (mode == VM_PAGER_REPLACE_MIGRATE)
		return CHECK_KR(mempager_create(mempager, RUN_PAGES * PAGE, next), KERN_SUCCESS);
	return CHECK_KR(mempager_share(mempager, object, next), KERN_SUCCESS);
}

/* Adds r's time, done, to res. */
static void note_time(struct replacement *res, const struct replacer *r)
{
	uint64_t us = (r->end.ns - r->begin.ns) / 1000;
	uint64_t n = (r->end.tsc - r->begin.tsc) - (r->end.halted - r->begin.halted);

	res->us_sum += us;
	res->instr_sum += n;
	res->us_max = us > res->us_max ? us : res->us_max;
	res->instr_max = n > res->instr_max ? n : res->instr_max;
	res->replaced++;
}

/* Run i: half the pages flushed (their writes fault), a replacement
 * begun, word i of every page written meanwhile; then every word written
 * so far read back: the bytes that do not count as lost.  *object is the
 * new pager's after. */
static bool replace_once(struct replacement *res, mach_port_t *object, volatile uint64_t *words,
			 unsigned i)
{
	struct replacer r;
	mach_port_t next = MACH_PORT_NULL;
	unsigned half = RUN_PAGES / 2, first = i % 2 * half;

	if (!CHECK_KR(mempager_sync(mempager, *object, first * PAGE, half * PAGE,
				    MEMORY_OBJECT_RETURN_DIRTY, TRUE),
		      KERN_SUCCESS) ||
	    !next_pager(*object, res->mode, &next) ||
	    !replace_start(&r, *object, next, res->mode)) {
		mach_port_deallocate(mach_task_self(), next);
		return false;
	}
	for (unsigned p = 0; p < RUN_PAGES; p++)
		words[p * PAGE / 8 + i % 512] = written(i, p, i % 512);
	bool ok = replace_wait(&r, 4 * DEADLINE_MS) && CHECK_KR(r.result, KERN_SUCCESS);
	for (unsigned p = 0; ok && p < RUN_PAGES; p++)
		for (unsigned j = 0; j <= i; j++)
			if (words[p * PAGE / 8 + j % 512] != written(j, p, j % 512))
				res->lost_bytes += 8;
	if (ok)
		note_time(res, &r);
	mach_port_deallocate(mach_task_self(), *object);
	*object = next;
	return ok;
}

/* Whether object's store, synced, holds the words runs wrote, zeros
 * elsewhere. */
static bool store_holds(mach_port_t object, unsigned runs)
{
	static uint64_t expect[RUN_PAGES * PAGE / 8];
	uint64_t sum = 0;

	memset(expect, 0, sizeof(expect));
	for (unsigned p = 0; p < RUN_PAGES; p++)
		for (unsigned j = 0; j < runs; j++)
			expect[p * PAGE / 8 + j % 512] = written(j, p, j % 512);
	return CHECK_KR(mempager_sync(mempager, object, 0, RUN_PAGES * PAGE,
				      MEMORY_OBJECT_RETURN_DIRTY, FALSE),
			KERN_SUCCESS) &&
	       CHECK_KR(mempager_checksum(mempager, object, 0, RUN_PAGES * PAGE, &sum),
			KERN_SUCCESS) &&
	       CHECK_EQ(sum, mempager_sum(MEMPAGER_CHECKSUM_START, expect, sizeof(expect) / 8));
}

bool replace_under_writes(struct replacement *res)
{
	mach_port_t object = MACH_PORT_NULL;
	vm_address_t a = 0;
	bool ok = CHECK(res->runs <= 512) &&
		  CHECK_KR(mempager_create(mempager, RUN_PAGES * PAGE, &object), KERN_SUCCESS) &&
		  CHECK_KR(vm_map(mach_task_self(), &a, RUN_PAGES * PAGE, 0, TRUE, object, 0,
				  FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
			   KERN_SUCCESS);

	for (unsigned i = 0; ok && i < res->runs; i++)
		ok = replace_once(res, &object, (volatile uint64_t *)a, i);
	if (ok && CHECK_KR(vm_pager_stats(host_priv, object, &res->stats), KERN_SUCCESS))
		res->store_ok = store_holds(object, res->runs);
	if (a != 0)
		vm_deallocate(mach_task_self(), a, RUN_PAGES * PAGE);
	if (object != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), object);
	return ok && res->store_ok;
}

/*
 * A hundred replacements in each mode, each while the runner writes every
 * page, half of them flushed first (their faults meet the replacement, and
 * are held until it ends): every word reads back, and at the end the last
 * object's store, synced, has the checksum of what was written.
 */
static bool a_hundred_replacements_under_writes_lose_nothing(int mode)
{
	struct replacement res = { .mode = mode, .runs = RUNS };

	return replace_under_writes(&res) && CHECK_EQ(res.replaced, RUNS) &&
	       CHECK_EQ(res.lost_bytes, 0) && CHECK_EQ(res.stats.replaced, RUNS) &&
	       CHECK_EQ(res.stats.migrate_lost, 0);
}

static bool migrating_a_hundred_times_under_writes_loses_nothing(void)
{
	return a_hundred_replacements_under_writes_lose_nothing(VM_PAGER_REPLACE_MIGRATE);
}

static bool same_store_a_hundred_times_under_writes_loses_nothing(void)
{
	return a_hundred_replacements_under_writes_lose_nothing(VM_PAGER_REPLACE_SAME_STORE);
}

static const struct test replace_tests[] = {
	ENTRY(same_store_settles_with_the_old_pager_and_hands_over),
	ENTRY(same_store_past_a_silent_old_pager_loses_nothing),
	ENTRY(migrate_gives_the_new_pager_every_page),
	ENTRY(bad_replacements_are_refused),
	ENTRY(migrating_a_hundred_times_under_writes_loses_nothing),
	ENTRY(same_store_a_hundred_times_under_writes_loses_nothing),
};

void test_replace(void)
{
	run_tests(replace_tests, sizeof(replace_tests) / sizeof(replace_tests[0]));
}
