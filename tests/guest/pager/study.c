/*
 * The liability-inversion study's guest side (docs/liability-inversion.md;
 * tests/study/run.sh boots it): pagertest role=study fault=MODE [arg=N]
 * policies=P,P... deadlines=MS,MS...  For each policy and deadline, one
 * run on a fresh faultpager's object of STUDY_PAGES pages:
 *
 *   prepare   every page written whole and stored with the pager (sync
 *             and flush: none left in memory); then the first half
 *             written again, so that the kernel holds those dirty
 *   inject    the fault (faultpager_inject; for the cycle, a second
 *             faultpager each reads through the other)
 *   workload  every page read, then written, by threads whose faults are
 *             taken as exceptions, each within a limit (past it: hung),
 *             each page checked whole by its checksum; then the written
 *             pages given back (sync) under the fault
 *   check     the fault ended, the pages given back again, and every page
 *             read once more: a page the program wrote and does not read
 *             back is lost, one the pager alone held is unavailable
 *
 * A helper task (role=heartbeat) counts all the while: the rest of the
 * system is live if its count went on.  Times come from the touching
 * threads' own stamps around each access (virtual time, and instructions
 * with the halts taken off).  Each run prints one line, "study: fault=...
 * policy=... ...", that run.sh turns into a row of the CSV.
 */
#include <faultpager.h>

#include "faultpager_modes.h"
#include "pagertest.h"

#define STUDY_PAGES 8           /* half held dirty, half only at the pager */
#define PAGE_WORDS (PAGE / 8)
#define HEARTBEAT_MS 10
#define STUDY_LIST_MAX 8      /* policies, deadlines */

/* What role=heartbeat counts; the runner reads the helper's copy. */
static volatile uint64_t heartbeats;

void serve_as_heartbeat(void)
{
	for (;;) {
		heartbeats++;
		sleep_ms(HEARTBEAT_MS);
	}
}

static uint64_t us_between(struct stamp a, struct stamp b)
{
	return (b.ns - a.ns) / 1000;
}

static uint64_t instr_between(struct stamp a, struct stamp b)
{
	return (b.tsc - a.tsc) - (b.halted - a.halted);
}

/* The first word page i holds after write `generation`. */
static uint64_t marker(unsigned i, unsigned generation)
{
	return 0x5700000000000000ull | (uint64_t)generation << 32 | i;
}

/* Word w of page i after write `generation`: the marker, then a pattern
 * it seeds, so that the page's checksum covers every word. */
static uint64_t word_of(unsigned i, unsigned generation, unsigned w)
{
	uint64_t m = marker(i, generation);

	return w == 0 ? m : mempager_pattern(m, w * 8);
}

/* The checksum of page i after write `generation`. */
static uint64_t page_sum(unsigned i, unsigned generation)
{
	uint64_t sum = MEMPAGER_CHECKSUM_START;

	for (unsigned w = 0; w < PAGE_WORDS; w++) {
		uint64_t word = word_of(i, generation, w);
		sum = mempager_sum(sum, &word, 1);
	}
	return sum;
}

struct run {
	const char *fault;
	unsigned mode;
	uint64_t arg;
	vm_pager_policy_t policy;
	uint32_t deadline_ms;
	uint32_t limit_ms;       /* an access not done by then: hung */
};

struct result {
	unsigned served, failed, wrong, hung;
	bool detected;
	struct stamp inject, first_bad_start, first_bad_end, end;
	uint64_t lost, unavailable;   /* bytes */
	bool asked;                   /* the pager answered how often it misbehaved: */
	uint64_t misbehaved;
	unsigned generation[STUDY_PAGES];   /* the write each page should show */
};

/* The page in: written whole with write `generation`, or read and
 * checked whole against it (its checksum). */
static bool page_done(volatile uint64_t *page, unsigned i, bool write, unsigned generation)
{
	if (write) {
		for (unsigned w = 1; w < PAGE_WORDS; w++)
			page[w] = word_of(i, generation, w);
		return true;
	}
	return mempager_sum(MEMPAGER_CHECKSUM_START, page, PAGE_WORDS) == page_sum(i, generation);
}

/* One access to page i of v by a toucher, a read that must find write
 * `generation` or that write; the page's first word is the toucher's,
 * the rest the runner's once the page is in.  1 served right, 0 failed,
 * -1 wrong data, -2 not done within the limit (its thread ended).  Its
 * thread's stamps around the access in *begin and *end. */
static int access_page(const struct victim *v, unsigned i, bool write, unsigned generation,
		       uint32_t limit_ms, struct stamp *begin, struct stamp *end)
{
	volatile uint64_t *page = (volatile uint64_t *)(v->address + i * PAGE);
	struct toucher t;
	int r;

	if (!touch_start(&t, (vm_address_t)page, write, marker(i, generation)))
		return 0;
	touch_serve(&t, limit_ms);
	if (!t.done)
		r = -2;
	else if (t.faulted)
		r = 0;
	else if (!write && t.value != marker(i, generation))
		r = -1;
	else
		r = page_done(page, i, write, generation) ? 1 : -1;
	*begin = t.begin;
	*end = t.done ? t.end : stamp_now();
	touch_end(&t);
	return r;
}

/* Notes an access's outcome; the first one not served right is the
 * detection (its start and end). */
static void note(struct result *res, int r, struct stamp begin, struct stamp end)
{
	res->end = end;
	if (r == 1) {
		res->served++;
		return;
	}
	res->failed += r == 0;
	res->wrong += r == -1;
	res->hung += r == -2;
	if (!res->detected) {
		res->detected = true;
		res->first_bad_start = begin;
		res->first_bad_end = end;
	}
}

/* Reads, then writes, every page under the fault; stops at a hang.  The
 * written pages then go back to the pager (sync), whose failure the
 * check finds. */
static void workload(const struct victim *v, const struct run *run, struct result *res)
{
	struct stamp begin, end;

	for (unsigned i = 0; i < STUDY_PAGES && res->hung == 0; i++) {
		int r = access_page(v, i, false, res->generation[i], run->limit_ms, &begin, &end);
		note(res, r, begin, end);
	}
	for (unsigned i = 0; i < STUDY_PAGES && res->hung == 0; i++) {
		int r = access_page(v, i, true, 3, run->limit_ms, &begin, &end);
		note(res, r, begin, end);
		if (r == 1)
			res->generation[i] = 3;
	}
	if (res->hung == 0)
		mempager_sync(v->pager, v->object, 0, v->size, MEMORY_OBJECT_RETURN_DIRTY, FALSE);
}

/* The check, the fault ended: every page reads what was written last.
 * A page the program wrote after the pager stored it (before or under
 * the fault) and does not read back is lost; one the pager alone held,
 * unavailable. */
static void check_pages(const struct victim *v, const struct run *run, struct result *res)
{
	for (unsigned i = 0; i < STUDY_PAGES; i++) {
		struct stamp begin, end;
		if (access_page(v, i, false, res->generation[i], run->limit_ms, &begin, &end) == 1)
			continue;
		if (res->generation[i] >= 2)
			res->lost += PAGE;
		else
			res->unavailable += PAGE;
	}
}

/* The object ready: every page's first word written and stored with the
 * pager, none left in memory; then the first half read and written again,
 * so that the kernel holds those dirty when the fault comes. */
static bool prepare(struct victim *v, const struct run *run, struct result *res)
{
	struct stamp begin, end;
	bool ok = CHECK_KR(vm_pager_policy_set(host_priv, v->object, run->policy, run->deadline_ms),
			   KERN_SUCCESS);
	for (unsigned i = 0; ok && i < STUDY_PAGES; i++)
		ok = access_page(v, i, true, 1, 2000, &begin, &end) == 1;
	ok = ok && CHECK_KR(mempager_sync(v->pager, v->object, 0, v->size,
					  MEMORY_OBJECT_RETURN_DIRTY, TRUE),
			    KERN_SUCCESS);
	for (unsigned i = 0; ok && i < STUDY_PAGES; i++) {
		res->generation[i] = 1;
		if (i < STUDY_PAGES / 2 &&
		    (ok = access_page(v, i, true, 2, 2000, &begin, &end) == 1))
			res->generation[i] = 2;
	}
	return ok;
}

static uint64_t beats_of(task_t heart)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t size = 0;
	uint64_t n = 0;

	if (vm_read(heart, (vm_address_t)&heartbeats, sizeof heartbeats, &data, &size) ==
	    KERN_SUCCESS) {
		n = *(uint64_t *)data;
		vm_deallocate(mach_task_self(), data, size);
	}
	return n;
}

static const char *const policy_names[] = VM_PAGER_POLICY_NAMES;

/* us and instructions between a and b in buf, or "-,-" ("-=-") if not
 * measured. */
static const char *span(char *buf, size_t size, const char *name, bool measured,
			struct stamp a, struct stamp b)
{
	if (measured)
		mach_snprintf(buf, size, "%s_us=%lu %s_instr=%lu", name, us_between(a, b), name,
			      instr_between(a, b));
	else
		mach_snprintf(buf, size, "%s_us=- %s_instr=-", name, name);
	return buf;
}

static void report(const struct run *run, const struct result *res, bool live)
{
	const char *outcome = res->hung ? "hung"
			      : res->lost ? "lost"
			      : res->wrong ? "corrupt"
			      : res->failed ? "errors"
					    : "ok";
	char detect[64], recover[64], misbehaved[24] = "-";

	if (res->asked)
		mach_snprintf(misbehaved, sizeof misbehaved, "%lu", res->misbehaved);
	mach_printf("study: fault=%s arg=%lu policy=%s deadline_ms=%u limit_ms=%u live=%s "
		    "outcome=%s misbehaved=%s served=%u failed=%u wrong=%u hung=%u %s %s "
		    "lost_bytes=%lu unavailable_bytes=%lu\n",
		    run->fault, run->arg, policy_names[run->policy], run->deadline_ms,
		    run->limit_ms, live ? "yes" : "no", outcome, misbehaved, res->served,
		    res->failed, res->wrong, res->hung,
		    span(detect, sizeof detect, "detect", res->detected && !res->hung,
			 res->first_bad_start, res->first_bad_end),
		    span(recover, sizeof recover, "recover", !res->hung, res->inject, res->end),
		    res->lost, res->unavailable);
}

/* A fresh faultpager serving one object, mapped here; for the cycle, a
 * second one whose object each reads through the other (peer). */
struct subject {
	mach_port_t pager, peer_pager;
	task_t task, peer_task;
	struct victim v, peer;
};

static bool subject_open(struct subject *s, const struct run *run, unsigned n,
			 struct result *res)
{
	char args[32];
	size_t len = mach_snprintf(args, sizeof args, "name=study.%u", n) + 1;

	*s = (struct subject){ 0 };
	if (!fp_spawn(args, len, &s->pager, &s->task) ||
	    !victim_open_pages(&s->v, s->pager, run->policy, STUDY_PAGES) ||
	    !prepare(&s->v, run, res))
		return false;
	if (run->mode != FAULTPAGER_CYCLE)
		return true;
	len = mach_snprintf(args, sizeof args, "name=study.%u.peer", n) + 1;
	return fp_spawn(args, len, &s->peer_pager, &s->peer_task) &&
	       victim_open_pages(&s->peer, s->peer_pager, run->policy, STUDY_PAGES) &&
	       CHECK_KR(faultpager_peer(s->pager, s->peer.object, s->peer.size), KERN_SUCCESS) &&
	       CHECK_KR(faultpager_peer(s->peer_pager, s->v.object, s->v.size), KERN_SUCCESS) &&
	       fp_inject(s->peer_pager, run->mode, run->arg, 0);
}

/* The pagers go first: one stuck on itself (under wait) would never
 * answer the end of its objects. */
static void subject_close(struct subject *s)
{
	if (s->task != MACH_PORT_NULL)
		fp_reap(s->task, s->pager);
	if (s->peer_task != MACH_PORT_NULL)
		fp_reap(s->peer_task, s->peer_pager);
	victim_close(&s->v);
	victim_close(&s->peer);
}

/* One run: inject, the workload, end the injection, give the written
 * pages back, check. */
static void run_one(const struct run *run, task_t heart, unsigned n)
{
	struct subject s;
	struct result res = { 0 };

	foreign_count = 0;
	uint64_t beats = beats_of(heart);
	if (!subject_open(&s, run, n, &res) || !fp_inject(s.pager, run->mode, run->arg, 0)) {
		mach_printf("study: fault=%s policy=%s deadline_ms=%u could not start\n",
			    run->fault, policy_names[run->policy], run->deadline_ms);
		subject_close(&s);
		return;
	}
	res.inject = stamp_now();
	workload(&s.v, run, &res);
	harness_serve(HEARTBEAT_MS * 3);   /* a beat due at least */
	bool live = beats_of(heart) > beats;
	/* After a hang the pager may be stuck for good (on itself, under
	 * wait): it is not asked anything more. */
	if (res.hung == 0) {
		natural_t mode, after;
		uint64_t arg, requests;
		/* Both fail if it died. */
		res.asked = faultpager_injected(s.pager, &mode, &arg, &after, &requests,
						&res.misbehaved) == KERN_SUCCESS;
		faultpager_inject(s.pager, FAULTPAGER_NONE, 0, 0);
		mempager_sync(s.pager, s.v.object, 0, s.v.size, MEMORY_OBJECT_RETURN_DIRTY, FALSE);
		check_pages(&s.v, run, &res);
	}
	report(run, &res, live);
	subject_close(&s);
}

/* "a,b,c" in list: the items of a comma list, at most max. */
static unsigned split_list(char *list, const char *items[], unsigned max)
{
	unsigned n = 0;

	for (char *p = list; *p != '\0' && n < max;) {
		items[n++] = p;
		while (*p != '\0' && *p != ',')
			p++;
		if (*p == ',')
			*p++ = '\0';
	}
	return n;
}

static int policy_of(const char *name)
{
	for (int p = 0; p <= VM_PAGER_POLICY_MAX; p++)
		if (strcmp(policy_names[p], name) == 0)
			return p;
	return -1;
}

/* The heartbeat helper: a copy of pagertest with role=heartbeat. */
static task_t start_heart(void)
{
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	static const char args[] = "role=heartbeat";

	if (spawn_role(args, sizeof args, &task, &thread) != KERN_SUCCESS ||
	    thread_resume(thread) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	mach_port_deallocate(mach_task_self(), thread);
	return task;
}

/* How long an access of run may take before it counts as hung: past the
 * longest a policy may wait (retry: 1 + 2 + 4 + 8 deadlines), a second,
 * and the pager's own delay if that is the fault (wait has no deadline
 * but must outlast it). */
static uint32_t limit_of(const struct run *run)
{
	uint64_t delay = run->mode == FAULTPAGER_DELAY ? run->arg : 0;

	if (delay > FAULTPAGER_DELAY_MAX_MS)
		delay = FAULTPAGER_DELAY_MAX_MS;   /* the pager refuses more */
	return (uint32_t)(16 * run->deadline_ms + 1000 + delay);
}

/* The runs the arguments ask for, in runs[0 .. *n); false if any
 * argument is bad (unknown mode or policy, a number that is not one, a
 * deadline kernel would refuse, more than STUDY_LIST_MAX of a list). */
static bool parse(int argc, char **argv, struct run runs[], unsigned *n)
{
	static char policies[128], deadlines[128];
	const char *fault = mach_arg(argc, argv, "fault"), *arg = mach_arg(argc, argv, "arg");
	const char *p[STUDY_LIST_MAX + 1], *d[STUDY_LIST_MAX + 1];
	uint64_t value = 0, deadline;

	mach_snprintf(policies, sizeof policies, "%s", mach_arg(argc, argv, "policies") ?: "fail");
	mach_snprintf(deadlines, sizeof deadlines, "%s",
		      mach_arg(argc, argv, "deadlines") ?: "500");
	unsigned np = split_list(policies, p, STUDY_LIST_MAX + 1);
	unsigned nd = split_list(deadlines, d, STUDY_LIST_MAX + 1);
	struct run run = { .fault = fault };
	if (fault == NULL || (run.mode = faultpager_mode_of(fault)) == FAULTPAGER_MODES ||
	    (arg != NULL && !mach_parse_number(arg, UINT64_MAX, &run.arg)) || np == 0 ||
	    np > STUDY_LIST_MAX || nd == 0 || nd > STUDY_LIST_MAX)
		return false;
	*n = 0;
	for (unsigned i = 0; i < np; i++) {
		if ((value = (uint64_t)policy_of(p[i])) > VM_PAGER_POLICY_MAX)
			return false;
		run.policy = (vm_pager_policy_t)value;
		for (unsigned j = 0; j < nd; j++) {
			if (!mach_parse_number(d[j], 3600000, &deadline) || deadline < 10)
				return false;
			run.deadline_ms = (uint32_t)deadline;
			run.limit_ms = limit_of(&run);
			runs[(*n)++] = run;
		}
	}
	return true;
}

/* role=study replace=N: N replacements of a pager under writes in each
 * mode (replace_under_writes), a line of what they measured each. */
static bool study_replacements(const char *count)
{
	static const int modes[] = { VM_PAGER_REPLACE_SAME_STORE, VM_PAGER_REPLACE_MIGRATE };
	static const char *const names[] = { "same_store", "migrate" };
	uint64_t runs;

	if (!mach_parse_number(count, 512, &runs) || runs == 0) {
		mach_printf("study: bad arguments (replace=N, 1 to 512)\n");
		return false;
	}
	for (unsigned i = 0; i < 2; i++) {
		struct replacement r = { .mode = modes[i], .runs = (unsigned)runs };
		replace_under_writes(&r);
		unsigned n = r.replaced > 0 ? r.replaced : 1;
		mach_printf("study: replace mode=%s runs=%u replaced=%u lost_bytes=%lu store=%s "
			    "mean_us=%lu max_us=%lu mean_instr=%lu max_instr=%lu migrated=%lu "
			    "migrate_lost=%lu\n",
			    names[i], r.runs, r.replaced, r.lost_bytes, r.store_ok ? "ok" : "wrong",
			    r.us_sum / n, r.us_max, r.instr_sum / n, r.instr_max, r.stats.migrated,
			    r.stats.migrate_lost);
	}
	mach_printf("study: done, 2 runs\n");
	return true;
}

bool study(int argc, char **argv)
{
	static struct run runs[STUDY_LIST_MAX * STUDY_LIST_MAX];
	unsigned n = 0;
	task_t heart = MACH_PORT_NULL;

	if (mach_arg(argc, argv, "replace") != NULL)
		return study_replacements(mach_arg(argc, argv, "replace"));
	if (!parse(argc, argv, runs, &n) || (heart = start_heart()) == MACH_PORT_NULL) {
		mach_printf("study: bad arguments "
			    "(fault=MODE arg=N policies=P,.. deadlines=MS,..)\n");
		return false;
	}
	for (unsigned i = 0; i < n; i++)
		run_one(&runs[i], heart, i);
	task_terminate(heart);
	mach_printf("study: done, %u runs\n", n);
	return true;
}
