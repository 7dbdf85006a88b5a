/*
 * Watching the pagers (host.defs vm_pager_objects; bin/pagerstat): each
 * object with a pager listed with the task serving it, its state and its
 * record, the latency histogram of the faults that waited on it, in the
 * order of the objects' ids over as many calls as it takes; and
 * pagerstat printing the tables while a thread hangs on a pager (its
 * lines are checked by tests/boot/pager.sh).
 */
#include "faultpager_modes.h"
#include "pagertest.h"

/* Where the kernel counts a wait of us microseconds (mach/memory_object.h). */
static unsigned bucket_of(uint64_t us)
{
	unsigned b = us < 2 ? 0 : 63 - (unsigned)__builtin_clzll(us);

	return b < VM_PAGER_LATENCY_BUCKETS ? b : VM_PAGER_LATENCY_BUCKETS - 1;
}

static uint64_t latency_sum(const struct vm_pager_stats *s)
{
	uint64_t n = 0;

	for (unsigned b = 0; b < VM_PAGER_LATENCY_BUCKETS; b++)
		n += s->latency[b];
	return n;
}

static uint64_t object_id_of(vm_address_t address)
{
	vm_region_info_t info = { 0 };
	vm_size_t size = 0;

	if (!CHECK_KR(vm_region(mach_task_self(), &address, &size, &info), KERN_SUCCESS))
		return 0;
	return info.object_id;
}

/* One call of vm_pager_objects from first: the records in out (room for
 * VM_PAGER_OBJECTS_MAX), how many in *n. */
static bool list_from(uint64_t first, struct vm_pager_object *out, unsigned *n,
		      natural_t *total)
{
	mach_msg_type_number_t count = VM_PAGER_OBJECTS_MAX * VM_PAGER_OBJECT_COUNT;
	bool ok = CHECK_KR(vm_pager_objects(host_priv, first, (vm_pager_objects_t)out, &count,
					    total),
			   KERN_SUCCESS) &&
		  CHECK_EQ(count % VM_PAGER_OBJECT_COUNT, 0);

	*n = ok ? count / VM_PAGER_OBJECT_COUNT : 0;
	return ok;
}

/* The record of the object id, found by walking the whole list. */
static bool find_object(uint64_t id, struct vm_pager_object *rec)
{
	static struct vm_pager_object page[VM_PAGER_OBJECTS_MAX];
	uint64_t first = 0;
	unsigned n;
	natural_t total;

	while (list_from(first, page, &n, &total) && n > 0) {
		for (unsigned i = 0; i < n; i++) {
			if (page[i].object == id) {
				*rec = page[i];
				return true;
			}
		}
		first = page[n - 1].object + 1;
	}
	diag("object %lu is not listed", id);
	return false;
}

static uint32_t task_id_of(task_t task)
{
	struct task_basic_info info = { 0 };
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

	CHECK_KR(task_info(task, TASK_BASIC_INFO, (task_info_t)&info, &count), KERN_SUCCESS);
	return info.id;
}

/* An object of a faultpager of its own is listed with that task, ready,
 * its pages requested, supplied and resident, and one answered wait per
 * fault in the histogram; once the pager is gone, as failed and served
 * by no task. */
static bool objects_list_a_pager_object_with_its_record(void)
{
	static const char args[] = "name=faultpager.watch";
	mach_port_t pager = MACH_PORT_NULL;
	task_t task = MACH_PORT_NULL;
	struct victim v = { 0 };
	struct vm_pager_object rec = { 0 };
	uint64_t ms = 0, id = 0;

	bool ok = fp_spawn(args, sizeof(args), &pager, &task) &&
		  victim_open(&v, pager, VM_PAGER_POLICY_RETRY);
	for (unsigned page = 0; ok && page < VICTIM_PAGES; page++)
		ok = victim_read_well(&v, page, &ms);
	ok = ok && CHECK((id = object_id_of(v.address)) != 0) && find_object(id, &rec) &&
	     CHECK_EQ(rec.pager_task, task_id_of(task)) &&
	     CHECK_EQ(rec.flags, VM_PAGER_OBJECT_READY) && CHECK_EQ(rec.size, v.size) &&
	     CHECK_EQ(rec.resident, VICTIM_PAGES) && CHECK_EQ(rec.pending, 0) &&
	     CHECK(rec.refs >= 1) && CHECK_EQ(rec.stats.requests, VICTIM_PAGES) &&
	     CHECK_EQ(rec.stats.supplied, VICTIM_PAGES) &&
	     CHECK_EQ(rec.stats.policy, VM_PAGER_POLICY_RETRY) &&
	     CHECK_EQ(rec.stats.deadline_ms, DEADLINE_MS) &&
	     CHECK_EQ(latency_sum(&rec.stats), VICTIM_PAGES);
	if (task != MACH_PORT_NULL)
		fp_reap(task, pager);
	harness_serve(20);   /* the port's death reaches the object */
	ok = ok && find_object(id, &rec) && CHECK(rec.flags & VM_PAGER_OBJECT_FAILED) &&
	     CHECK_EQ(rec.pager_task, 0);
	victim_close(&v);
	return ok;
}

/* A pager answering 20 ms late puts that wait in the bucket of 16 to 32
 * ms (time under -icount is exact); a prompt one well under a
 * millisecond. */
static bool latency_histogram_puts_each_wait_in_its_bucket(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	struct vm_pager_object before = { 0 }, after = { 0 };
	uint64_t ms = 0, id = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  CHECK((id = object_id_of(v.address)) != 0) && find_object(id, &before) &&
		  fp_inject(pager, FAULTPAGER_DELAY, 20, 0) && victim_read_well(&v, 0, &ms) &&
		  fp_inject(pager, FAULTPAGER_NONE, 0, 0) && victim_read_well(&v, 1, &ms) &&
		  find_object(id, &after);
	unsigned late = bucket_of(20000);
	for (unsigned b = 0; ok && b < VM_PAGER_LATENCY_BUCKETS; b++) {
		uint32_t added = after.stats.latency[b] - before.stats.latency[b];
		if (b == late || (b < bucket_of(1000) && added > 0))
			ok = CHECK_EQ(added, 1);
		else
			ok = CHECK_EQ(added, 0);
	}
	ok = ok && CHECK_EQ(late, 14) && CHECK_EQ(latency_sum(&after.stats), 2);
	victim_close(&v);
	return ok;
}

/* A wait that reaches the deadline is a timeout, not a latency. */
static bool waits_past_the_deadline_are_timeouts_not_latency(void)
{
	mach_port_t pager = MACH_PORT_NULL;
	struct victim v = { 0 };
	struct vm_pager_object rec = { 0 };
	uint64_t ms = 0, id = 0;

	bool ok = fp_booted(&pager) && victim_open(&v, pager, VM_PAGER_POLICY_FAIL) &&
		  CHECK((id = object_id_of(v.address)) != 0) &&
		  fp_inject(pager, FAULTPAGER_HANG, 0, 0) &&
		  victim_read_fails(&v, 0, KERN_OPERATION_TIMED_OUT, &ms) &&
		  fp_inject(pager, FAULTPAGER_NONE, 0, 0) && find_object(id, &rec) &&
		  CHECK_EQ(rec.stats.timeouts, 1) && CHECK_EQ(latency_sum(&rec.stats), 0);
	victim_close(&v);
	return ok;
}

#define MANY (VM_PAGER_OBJECTS_MAX + 4)

/* More objects than one call holds: the calls from the last id on give
 * them all, each once, in increasing order; total counts from first. */
static bool objects_are_listed_in_order_over_several_calls(void)
{
	static struct victim v[MANY];
	static struct vm_pager_object page[VM_PAGER_OBJECTS_MAX];
	mach_port_t pager = MACH_PORT_NULL;
	uint64_t ids[MANY], first = 0, last = 0;
	unsigned n, seen = 0, calls = 0;
	natural_t total = 0;

	bool ok = fp_booted(&pager);
	for (unsigned i = 0; ok && i < MANY; i++)
		ok = victim_open(&v[i], pager, VM_PAGER_POLICY_FAIL) &&
		     CHECK((ids[i] = object_id_of(v[i].address)) != 0);
	while (ok && list_from(first, page, &n, &total) && n > 0) {
		ok = CHECK(n <= total) && CHECK(calls++ == 0 || page[0].object > last);
		for (unsigned i = 0; ok && i < n; i++) {
			ok = CHECK(i == 0 || page[i].object > page[i - 1].object);
			for (unsigned j = 0; j < MANY; j++)
				seen += page[i].object == ids[j];
		}
		last = page[n - 1].object;
		first = last + 1;
	}
	ok = ok && CHECK_EQ(seen, MANY) && CHECK(calls >= 2) && CHECK_EQ(total, 0) &&
	     list_from(ids[MANY - 1], page, &n, &total) && CHECK(n >= 1) &&
	     CHECK_EQ(page[0].object, ids[MANY - 1]) &&
	     list_from(UINT64_MAX, page, &n, &total) && CHECK_EQ(n, 0) && CHECK_EQ(total, 0);
	for (unsigned i = 0; i < MANY; i++)
		victim_close(&v[i]);
	return ok;
}

/* A room too small for the reply is the stub's error; the host name port
 * is not enough. */
static bool objects_refuse_a_small_room_and_the_name_port(void)
{
	struct vm_pager_object out[VM_PAGER_OBJECTS_MAX];
	mach_msg_type_number_t count = VM_PAGER_OBJECT_COUNT;   /* room for one */
	mach_port_t host = mach_host_self();
	struct victim a = { 0 }, b = { 0 };
	mach_port_t pager = MACH_PORT_NULL;
	natural_t total = 0;

	bool ok = fp_booted(&pager) && victim_open(&a, pager, VM_PAGER_POLICY_FAIL) &&
		  victim_open(&b, pager, VM_PAGER_POLICY_FAIL) &&
		  CHECK_KR(vm_pager_objects(host_priv, 0, (vm_pager_objects_t)out, &count, &total),
			   MIG_ARRAY_TOO_LARGE);
	count = VM_PAGER_OBJECTS_MAX * VM_PAGER_OBJECT_COUNT;
	ok = CHECK_KR(vm_pager_objects(host, 0, (vm_pager_objects_t)out, &count, &total),
		      KERN_INVALID_HOST) && ok;
	mach_port_deallocate(mach_task_self(), host);
	victim_close(&a);
	victim_close(&b);
	return ok;
}

/* Whether task ended within timeout_ms, the runner's port set served
 * meanwhile. */
static bool task_ended(task_t task, uint32_t timeout_ms)
{
	struct task_basic_info info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

	for (uint32_t ms = 0; ms < timeout_ms; ms += 10) {
		count = TASK_BASIC_INFO_COUNT;
		if (task_info(task, TASK_BASIC_INFO, (task_info_t)&info, &count) != KERN_SUCCESS)
			return true;
		harness_serve(10);
	}
	return false;
}

/* pagerstat, started while an object of policy zero and deadline 1234 ms
 * has had two pages and a thread hangs on another under wait; pager.sh
 * looks for its rows.  It ends by itself. */
static bool pagerstat_prints_the_objects_and_the_waits(void)
{
	static const char args[] = "latency";
	mach_port_t pager = MACH_PORT_NULL;
	struct victim shown = { 0 }, hung = { 0 };
	struct toucher t = { 0 };
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	uint64_t ms = 0;

	bool ok = fp_booted(&pager) && victim_open(&shown, pager, VM_PAGER_POLICY_ZERO) &&
		  CHECK_KR(vm_pager_policy_set(host_priv, shown.object, VM_PAGER_POLICY_ZERO,
					       1234),
			   KERN_SUCCESS) &&
		  victim_read_well(&shown, 0, &ms) && victim_read_well(&shown, 1, &ms) &&
		  victim_open(&hung, pager, VM_PAGER_POLICY_WAIT) &&
		  fp_inject(pager, FAULTPAGER_HANG, 0, 0) && touch_start(&t, hung.address, false, 0);
	touch_serve(&t, 50);
	ok = ok && CHECK(!t.done) &&
	     CHECK_KR(host_boot_module_load(host_priv, "pagerstat", (char *)args, sizeof(args),
					    &task, &thread),
		      KERN_SUCCESS) &&
	     CHECK_KR(task_set_special_port(task, TASK_HOST_PRIV_PORT, host_priv), KERN_SUCCESS) &&
	     CHECK_KR(thread_resume(thread), KERN_SUCCESS);
	ok = ok && CHECK(task_ended(task, 2000));
	ok = touch_end(&t) && fp_inject(pager, FAULTPAGER_NONE, 0, 0) && ok;
	if (task != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), task);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
	victim_close(&shown);
	victim_close(&hung);
	return ok;
}

void test_observe(void)
{
	static const struct test tests[] = {
		ENTRY(objects_list_a_pager_object_with_its_record),
		ENTRY(latency_histogram_puts_each_wait_in_its_bucket),
		ENTRY(waits_past_the_deadline_are_timeouts_not_latency),
		ENTRY(objects_are_listed_in_order_over_several_calls),
		ENTRY(objects_refuse_a_small_room_and_the_name_port),
		ENTRY(pagerstat_prints_the_objects_and_the_waits),
	};

	run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
