/*
 * Waits-for cycles (kernel/vm/vm_waits.h): pagers that wait on
 * themselves or on each other.  Each pager is a helper task (a copy of
 * pagertest in role cycle) that holds the receive right of an object's
 * port, which the runner made and moved there, and answers as a raw
 * pager; to answer a data_request for page 0 it first reads one word of
 * a mapping the runner gave it at CYCLE_OTHER (its own object, or the
 * other helper's).  The runner's touching thread reads page 0 of the
 * first pager's object; the kernel must see the cycle as it closes,
 * without waiting for the deadline (set far off, CYCLE_DEADLINE_MS), and
 * break it as the policies say -- or keep it under policy wait and show
 * it in vm_pager_waits.
 */
#include "pagertest.h"

#define CYCLE_OTHER ((vm_address_t)0x100000000ull)
#define CYCLE_NAME ((mach_port_name_t)((101u << 8) | 1u))
#define CYCLE_DEADLINE_MS 60000
#define CYCLE_SEED 60
/* How soon a cycle must be seen and broken: far within the deadline. */
#define SOON_MS 1000

/* ---- the helper ---- */

void serve_as_cycle_pager(int argc, char **argv)
{
	struct raw_pager p;
	struct raw_event e;
	const char *r = mach_arg(argc, argv, "reads");
	unsigned reads = r != NULL && r[0] == '1';   /* 0 or 1: a page of the mapping */
	if (!harness_serve_init() || !raw_adopt(&p, CYCLE_NAME, true))
		return;
	while (!raw_expect(&p, RAW_INIT, &e, 3600 * 1000))
		;
	memory_object_ready(p.control, FALSE, MEMORY_OBJECT_COPY_DELAY);
	for (;;) {
		if (!raw_expect(&p, RAW_DATA_REQUEST, &e, 3600 * 1000))
			continue;
		if (e.offset == 0)
			(void)*(volatile uint64_t *)(CYCLE_OTHER + reads * PAGE);
		raw_supply(&p, e.offset, 1, CYCLE_SEED + reads);
	}
}

/* ---- the runner's side ---- */

struct cycle_pager {
	task_t task;
	thread_t thread;
	mach_port_t port;    /* a send right; the receive right is the helper's */
	uint32_t id;         /* the task's, as vm_pager_waits names it */
	unsigned reads;      /* the page of the other object it reads */
};

/* A helper, suspended, holding the receive right of c->port. */
static bool cycle_start(struct cycle_pager *c, unsigned reads)
{
	char args[] = "role=cycle\0reads=0";
	struct task_basic_info info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

	*c = (struct cycle_pager){ .reads = reads };
	args[sizeof(args) - 2] = (char)('0' + reads);
	if (!CHECK_KR(spawn_role(args, sizeof(args), &c->task, &c->thread), KERN_SUCCESS))
		return false;
	return CHECK_KR(harness_watch(c->task), KERN_SUCCESS) &&
	       CHECK_KR(task_info(c->task, TASK_BASIC_INFO, (task_info_t)&info, &count),
			KERN_SUCCESS) &&
	       (c->id = info.id, CHECK_KR(mach_port_allocate_with_send(&c->port), KERN_SUCCESS)) &&
	       CHECK_KR(mach_port_insert_right(c->task, CYCLE_NAME, c->port,
					       MACH_MSG_TYPE_MOVE_RECEIVE),
			KERN_SUCCESS);
}

/* Maps 2 pages of object at CYCLE_OTHER in c's task. */
static bool cycle_give(struct cycle_pager *c, mach_port_t object)
{
	vm_address_t a = CYCLE_OTHER;

	return CHECK_KR(vm_map(c->task, &a, 2 * PAGE, 0, FALSE, object, 0, FALSE,
			       VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
			KERN_SUCCESS);
}

static bool cycle_policy(struct cycle_pager *c, vm_pager_policy_t policy)
{
	return CHECK_KR(vm_pager_policy_set(host_priv, c->port, policy, CYCLE_DEADLINE_MS),
			KERN_SUCCESS);
}

static void cycle_end(struct cycle_pager *c)
{
	if (c->task != MACH_PORT_NULL) {
		task_terminate(c->task);
		mach_port_deallocate(mach_task_self(), c->task);
		mach_port_deallocate(mach_task_self(), c->thread);
	}
	if (c->port != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), c->port);
	*c = (struct cycle_pager){ 0 };
}

static uint64_t cycles_found(void)
{
	vm_statistics_data_t s = { 0 };

	CHECK_KR(vm_statistics(mach_task_self(), &s), KERN_SUCCESS);
	return s.pager_cycles;
}

/* Maps page 0 of first's object here and starts a thread reading it. */
static bool touch_first(struct cycle_pager *first, vm_address_t *a, struct toucher *t)
{
	*a = 0;
	*t = (struct toucher){ 0 };
	return CHECK_KR(vm_map(mach_task_self(), a, PAGE, 0, TRUE, first->port, 0, FALSE,
			       VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
			KERN_SUCCESS) &&
	       touch_start(t, *a, false, 0);
}

static bool resume(struct cycle_pager *c)
{
	return CHECK_KR(thread_resume(c->thread), KERN_SUCCESS);
}

/* The waits now, in *n; false (with a diagnostic) if the call fails. */
static bool waits_now(struct vm_pager_wait waits[VM_PAGER_WAITS_MAX], unsigned *n)
{
	mach_msg_type_number_t count = VM_PAGER_WAITS_MAX * VM_PAGER_WAIT_COUNT;
	natural_t total = 0;

	*n = 0;
	if (!CHECK_KR(vm_pager_waits(host_priv, (vm_pager_waits_t)waits, &count, &total),
		      KERN_SUCCESS) ||
	    !CHECK_EQ(count % VM_PAGER_WAIT_COUNT, 0))
		return false;
	*n = count / VM_PAGER_WAIT_COUNT;
	return CHECK_EQ(total, *n);
}

/* The wait of a thread of task on an object served by pager_task, or NULL. */
static const struct vm_pager_wait *find_wait(const struct vm_pager_wait *waits, unsigned n,
					     uint32_t task, uint32_t pager_task)
{
	for (unsigned i = 0; i < n; i++)
		if (waits[i].task == task && waits[i].pager_task == pager_task)
			return &waits[i];
	diag("no wait of task %u on pager task %u among %u", task, pager_task, n);
	return NULL;
}

static uint32_t own_task_id(void)
{
	struct task_basic_info info = { 0 };
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

	CHECK_KR(task_info(mach_task_self(), TASK_BASIC_INFO, (task_info_t)&info, &count),
		 KERN_SUCCESS);
	return info.id;
}

/* The first exception a watched helper took: its fault failed with
 * KERN_DEADLOCK at address (the cycle was broken at its wait). */
static bool first_helper_fault_was_deadlock(vm_address_t address)
{
	return CHECK(foreign_count >= 1) && CHECK_EQ(foreign[0].exception, EXC_BAD_ACCESS) &&
	       CHECK_KR((kern_return_t)foreign[0].code[0], KERN_DEADLOCK) &&
	       CHECK_EQ(foreign[0].code[1], address);
}

/* Ends a test: the toucher, the helpers (second may be NULL), the
 * mapping of the first pager's page 0 at a. */
static void cycle_finish(struct toucher *t, vm_address_t a, struct cycle_pager *first,
			 struct cycle_pager *second)
{
	touch_end(t);
	cycle_end(first);
	if (second != NULL)
		cycle_end(second);
	if (a != 0)
		vm_deallocate(mach_task_self(), a, PAGE);
}

/* A pager that faults on its own object, alone in its task, closes a
 * cycle at once; under policy fail its fault fails with KERN_DEADLOCK,
 * it ends, and the fault waiting on it fails as at any pager's death. */
static bool pager_faulting_on_its_own_object_is_a_cycle_broken_at_once(void)
{
	struct cycle_pager self;
	struct toucher t = { 0 };
	vm_address_t a = 0;
	uint64_t before = cycles_found();

	foreign_count = 0;
	bool ok = cycle_start(&self, 1) && cycle_give(&self, self.port) &&
		  cycle_policy(&self, VM_PAGER_POLICY_FAIL) && resume(&self) &&
		  touch_first(&self, &a, &t) && touch_wait(&t, SOON_MS) &&
		  touch_failed_with(&t, KERN_MEMORY_FAILURE) &&
		  CHECK(t.fault_ms - t.start_ms < SOON_MS) &&
		  CHECK_EQ(cycles_found(), before + 1) && CHECK_EQ(foreign_count, 1) &&
		  first_helper_fault_was_deadlock(CYCLE_OTHER + PAGE);
	cycle_finish(&t, a, &self, NULL);
	return ok;
}

/* Under policy wait the cycle is kept, and vm_pager_waits shows it: the
 * pager's wait on itself on the cycle, the toucher's behind it.  The
 * pager's death ends both. */
static bool cycle_under_policy_wait_is_kept_and_listed(void)
{
	struct cycle_pager self;
	struct toucher t = { 0 };
	struct vm_pager_wait waits[VM_PAGER_WAITS_MAX];
	const struct vm_pager_wait *behind = NULL, *on = NULL;
	struct thread_basic_info info = { 0 };
	mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;
	vm_address_t a = 0;
	unsigned n = 0;
	uint64_t before = cycles_found();

	foreign_count = 0;
	bool ok = cycle_start(&self, 1) && cycle_give(&self, self.port) &&
		  cycle_policy(&self, VM_PAGER_POLICY_WAIT) && resume(&self) &&
		  touch_first(&self, &a, &t);
	if (ok) {
		touch_serve(&t, 200);
		ok = CHECK(!t.done) && CHECK_EQ(cycles_found(), before + 1) &&
		     CHECK_KR(thread_info(t.thread, THREAD_BASIC_INFO, (thread_info_t)&info,
					  &count),
			      KERN_SUCCESS) &&
		     waits_now(waits, &n) &&
		     (behind = find_wait(waits, n, own_task_id(), self.id)) != NULL &&
		     (on = find_wait(waits, n, self.id, self.id)) != NULL &&
		     CHECK_EQ(behind->thread, info.id) && CHECK_EQ(behind->offset, 0) &&
		     CHECK_EQ(behind->kind, VM_PAGER_WAIT_DATA) &&
		     CHECK_EQ(behind->state, VM_PAGER_WAIT_BEHIND) &&
		     CHECK_EQ(behind->policy, VM_PAGER_POLICY_WAIT) &&
		     CHECK_EQ(behind->deadline_ms, VM_PAGER_NO_DEADLINE) &&
		     CHECK(behind->waited_ms >= 100) && CHECK_EQ(on->offset, PAGE) &&
		     CHECK_EQ(on->object, behind->object) &&
		     CHECK_EQ(on->state, VM_PAGER_WAIT_CYCLE);
		uint64_t death = now_ms();
		ok &= CHECK_KR(task_terminate(self.task), KERN_SUCCESS) &&
		      touch_wait(&t, SOON_MS) && touch_failed_with(&t, KERN_MEMORY_FAILURE) &&
		      CHECK(t.fault_ms - death < SOON_MS) && waits_now(waits, &n) &&
		      CHECK_EQ(n, 0);
	}
	cycle_finish(&t, a, &self, NULL);
	return ok;
}

/* Two pagers, each waiting on the other: a (reads b's page 0) and b
 * (reads a's page 1), both started, a's object touched. */
static bool two_pagers_in_a_cycle(struct cycle_pager *ca, struct cycle_pager *cb,
				  vm_pager_policy_t a_policy, vm_pager_policy_t b_policy,
				  vm_address_t *a, struct toucher *t)
{
	return cycle_start(ca, 0) && cycle_start(cb, 1) && cycle_give(ca, cb->port) &&
	       cycle_give(cb, ca->port) && cycle_policy(ca, a_policy) &&
	       cycle_policy(cb, b_policy) && resume(ca) && resume(cb) && touch_first(ca, a, t);
}

/* The wait that closes the cycle (b's, on a's object) is under policy
 * zero: b gets a page of zeros and answers, a answers, and the toucher
 * has its data -- nothing waits for the deadline. */
static bool two_pagers_waiting_on_each_other_are_freed_by_zero_fill(void)
{
	struct cycle_pager ca, cb;
	struct toucher t = { 0 };
	struct vm_pager_stats s = { 0 };
	vm_address_t a = 0;
	uint64_t before = cycles_found();

	foreign_count = 0;
	bool ok = two_pagers_in_a_cycle(&ca, &cb, VM_PAGER_POLICY_ZERO, VM_PAGER_POLICY_WAIT, &a,
					&t) &&
		  touch_wait(&t, SOON_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, mempager_pattern(CYCLE_SEED, 0)) &&
		  CHECK_EQ(cycles_found(), before + 1) && CHECK_EQ(foreign_count, 0) &&
		  CHECK_KR(vm_pager_stats(host_priv, ca.port, &s), KERN_SUCCESS) &&
		  CHECK_EQ(s.cycles, 1) && CHECK_EQ(s.zero_fills, 1);
	cycle_finish(&t, a, &ca, &cb);
	return ok;
}

/* The closing wait is under policy wait, the other under fail: the cycle
 * is broken at the other (a's wait on b's object, KERN_DEADLOCK), a
 * ends, b's wait on a's object fails as at a's death, and so does the
 * toucher's. */
static bool a_cycle_is_broken_where_a_policy_allows(void)
{
	struct cycle_pager ca, cb;
	struct toucher t = { 0 };
	vm_address_t a = 0;
	uint64_t before = cycles_found();

	foreign_count = 0;
	bool ok = two_pagers_in_a_cycle(&ca, &cb, VM_PAGER_POLICY_WAIT, VM_PAGER_POLICY_FAIL, &a,
					&t) &&
		  touch_wait(&t, SOON_MS) && touch_failed_with(&t, KERN_MEMORY_FAILURE) &&
		  CHECK(t.fault_ms - t.start_ms < SOON_MS) &&
		  CHECK_EQ(cycles_found(), before + 1) &&
		  first_helper_fault_was_deadlock(CYCLE_OTHER);
	cycle_finish(&t, a, &ca, &cb);
	return ok;
}

/* A wait on a pager that can answer is live, and no cycle is counted. */
static bool a_wait_on_a_live_pager_is_no_cycle(void)
{
	struct raw_pager p;
	struct toucher t;
	struct vm_pager_wait waits[VM_PAGER_WAITS_MAX];
	const struct vm_pager_wait *w;
	unsigned n = 0;
	uint64_t before = cycles_found();

	bool ok = raw_open(&p, true) && CHECK_KR(raw_map(&p, PAGE, FALSE), KERN_SUCCESS) &&
		  raw_accept_init(&p) && touch_start(&t, p.address, false, 0) &&
		  raw_expect_request(&p, 0, 2 * DEADLINE_MS) && waits_now(waits, &n) &&
		  (w = find_wait(waits, n, own_task_id(), own_task_id())) != NULL &&
		  CHECK_EQ(w->state, VM_PAGER_WAIT_LIVE) && CHECK(w->deadline_ms <= DEADLINE_MS) &&
		  CHECK_KR(raw_supply(&p, 0, 1, 5), MACH_MSG_SUCCESS) &&
		  touch_wait(&t, DEADLINE_MS) && CHECK(!t.faulted) &&
		  CHECK_EQ(cycles_found(), before);
	touch_end(&t);
	raw_close(&p);
	return ok;
}

static const struct test cycle_tests[] = {
	ENTRY(a_wait_on_a_live_pager_is_no_cycle),
	ENTRY(pager_faulting_on_its_own_object_is_a_cycle_broken_at_once),
	ENTRY(cycle_under_policy_wait_is_kept_and_listed),
	ENTRY(two_pagers_waiting_on_each_other_are_freed_by_zero_fill),
	ENTRY(a_cycle_is_broken_where_a_policy_allows),
};

void test_cycles(void)
{
	run_tests(cycle_tests, sizeof(cycle_tests) / sizeof(cycle_tests[0]));
}
