/* pagerstat's tables; see pagerstat.h. */
#include "pagerstat.h"

#include <stdbool.h>

#include "kern/format.h"

const char pagerstat_objects_head[] =
	"  object task     size  res policy   deadline requests supplied errors timeouts "
	"retries zeroed fallbacks replaced held  p50    p99    state";
const char pagerstat_waits_head[] =
	"  thread task   object   offset kind    waited  left     pager policy   state";

static const char *const policy_names[] = VM_PAGER_POLICY_NAMES;
static const char *const kind_names[] = { "?", "data", "ready", "unlock", "held", "replace" };
static const char *const state_names[] = { "live", "CYCLE", "behind" };

static const char *policy_name(uint64_t policy)
{
	return policy <= VM_PAGER_POLICY_MAX ? policy_names[policy] : "?";
}

/* n with a unit (bytes: K M G; otherwise as it is) in buf. */
static const char *bytes(char *buf, size_t size, uint64_t n)
{
	static const char units[] = "BKMGT";
	unsigned u = 0;

	while (n >= 1024 && n % 1024 == 0 && u < sizeof units - 2) {
		n /= 1024;
		u++;
	}
	ksnprintf(buf, size, "%lu%c", n, units[u]);
	return buf;
}

/* us microseconds as the largest whole unit (us, ms, s) in buf. */
static const char *duration(char *buf, size_t size, uint64_t us)
{
	if (us >= 10000000)
		ksnprintf(buf, size, "%lus", us / 1000000);
	else if (us >= 10000)
		ksnprintf(buf, size, "%lums", us / 1000);
	else
		ksnprintf(buf, size, "%luus", us);
	return buf;
}

/* ms milliseconds in microseconds, at most UINT64_MAX. */
static uint64_t ms_to_us(uint64_t ms)
{
	return ms > UINT64_MAX / 1000 ? UINT64_MAX : ms * 1000;
}

/* A latency bound as the p50 and p99 columns show it: "<" the bound,
 * ">=8s" for the last bucket, "-" without waits. */
static const char *bound(char *buf, size_t size, uint64_t us)
{
	char d[16];

	if (us == 0)
		ksnprintf(buf, size, "-");
	else if (us == UINT64_MAX)
		ksnprintf(buf, size, ">=%s",
			  duration(d, sizeof d, 1ull << (VM_PAGER_LATENCY_BUCKETS - 1)));
	else
		ksnprintf(buf, size, "<%s", duration(d, sizeof d, us));
	return buf;
}

uint64_t pagerstat_latency_bound(const uint32_t latency[VM_PAGER_LATENCY_BUCKETS],
				 unsigned per_mille)
{
	uint64_t all = 0, seen = 0;

	for (unsigned b = 0; b < VM_PAGER_LATENCY_BUCKETS; b++)
		all += latency[b];
	if (all == 0)
		return 0;
	for (unsigned b = 0; b < VM_PAGER_LATENCY_BUCKETS - 1; b++) {
		seen += latency[b];
		if (seen * 1000 >= all * per_mille)
			return 2ull << b;
	}
	return UINT64_MAX;
}

/* The object's state flags as words ("-" for none). */
static const char *state(char *buf, size_t size, uint32_t flags)
{
	static const char *const words[] = { "internal", "orphaned", "ready", "FAILED",
					      "replacing" };
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
		if (flags & (1u << i))
			n += ksnprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "," : "",
				       words[i]);
	if (n == 0)
		ksnprintf(buf, size, "-");
	return buf;
}

void pagerstat_object_line(char *buf, size_t size, const struct vm_pager_object *o)
{
	const struct vm_pager_stats *s = &o->stats;
	char sz[24], dl[24], p50[24], p99[24], st[64];

	ksnprintf(buf, size,
		  "%8lu %4u %8s %4lu %-8s %8s %8lu %8lu %6lu %8lu %7lu %6lu %9lu %8lu %4lu %-6s "
		  "%-6s %s",
		  o->object, o->pager_task, bytes(sz, sizeof sz, o->size), o->resident,
		  policy_name(s->policy), duration(dl, sizeof dl, ms_to_us(s->deadline_ms)),
		  s->requests, s->supplied, s->errors, s->timeouts, s->retries, s->zero_fills,
		  s->fallbacks, s->replaced, s->laundry + s->spill_held,
		  bound(p50, sizeof p50, pagerstat_latency_bound(s->latency, 500)),
		  bound(p99, sizeof p99, pagerstat_latency_bound(s->latency, 990)),
		  state(st, sizeof st, o->flags));
}

void pagerstat_latency_line(char *buf, size_t size, const struct vm_pager_object *o)
{
	size_t n = ksnprintf(buf, size, "%8lu latency:", o->object);
	bool any = false;
	char d[16];

	for (unsigned b = 0; b < VM_PAGER_LATENCY_BUCKETS; b++) {
		if (o->stats.latency[b] == 0)
			continue;
		bound(d, sizeof d, b == VM_PAGER_LATENCY_BUCKETS - 1 ? UINT64_MAX : 2ull << b);
		n += ksnprintf(buf + n, n < size ? size - n : 0, " %s %u", d, o->stats.latency[b]);
		any = true;
	}
	if (!any)
		ksnprintf(buf + n, n < size ? size - n : 0, " none");
}

void pagerstat_wait_line(char *buf, size_t size, const struct vm_pager_wait *w)
{
	char waited[24], left[24];

	if (w->deadline_ms == VM_PAGER_NO_DEADLINE)
		ksnprintf(left, sizeof left, "never");
	else
		duration(left, sizeof left, ms_to_us(w->deadline_ms));
	ksnprintf(buf, size, "%8u %4u %8lu %8lx %-7s %6s %-8s %5u %-8s %s", w->thread, w->task,
		  w->object, w->offset, w->kind < 6 ? kind_names[w->kind] : "?",
		  duration(waited, sizeof waited, ms_to_us(w->waited_ms)), left, w->pager_task,
		  policy_name(w->policy), w->state < 3 ? state_names[w->state] : "?");
}
