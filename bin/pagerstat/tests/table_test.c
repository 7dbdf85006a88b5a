/*
 * pagerstat's tables (table.c) on made-up records: the latency bounds the
 * p50 and p99 columns take from the histogram, each column's words and
 * units, and records no kernel should send (a policy, kind or state out
 * of range; counts at their largest) printed without harm.
 */
#include <stdio.h>
#include <string.h>

#include "host_test.h"
#include "pagerstat.h"

static struct vm_pager_object object(void)
{
	struct vm_pager_object o = {
		.object = 42, .size = 64 * 1024, .resident = 3, .pager_task = 7,
		.flags = VM_PAGER_OBJECT_READY,
		.stats = { .requests = 16, .supplied = 15, .errors = 1, .timeouts = 2,
			   .retries = 3, .zero_fills = 4, .fallbacks = 5, .replaced = 6,
			   .laundry = 2, .spill_held = 1, .policy = VM_PAGER_POLICY_RETRY,
			   .deadline_ms = 500 },
	};
	return o;
}

/* The words of line, split at blanks, in words; returns how many. */
static unsigned split(char *line, char *words[], unsigned max)
{
	unsigned n = 0;

	for (char *w = strtok(line, " "); w != NULL && n < max; w = strtok(NULL, " "))
		words[n++] = w;
	return n;
}

HOST_TEST(latency_bound_of_no_waits_is_zero)
{
	uint32_t latency[VM_PAGER_LATENCY_BUCKETS] = { 0 };

	CHECK_EQ(pagerstat_latency_bound(latency, 500), 0);
	CHECK_EQ(pagerstat_latency_bound(latency, 990), 0);
}

HOST_TEST(latency_bound_is_the_top_of_the_bucket_reaching_the_share)
{
	uint32_t latency[VM_PAGER_LATENCY_BUCKETS] = { 0 };

	latency[2] = 50;   /* [4, 8) us */
	latency[5] = 49;   /* [32, 64) */
	latency[10] = 1;   /* [1024, 2048) */
	CHECK_EQ(pagerstat_latency_bound(latency, 500), 8);
	CHECK_EQ(pagerstat_latency_bound(latency, 501), 64);
	CHECK_EQ(pagerstat_latency_bound(latency, 990), 64);
	CHECK_EQ(pagerstat_latency_bound(latency, 1000), 2048);
	latency[0] = 1000;
	CHECK_EQ(pagerstat_latency_bound(latency, 500), 2);
}

HOST_TEST(latency_bound_in_the_last_bucket_is_unbounded)
{
	uint32_t latency[VM_PAGER_LATENCY_BUCKETS] = { 0 };

	latency[VM_PAGER_LATENCY_BUCKETS - 1] = 3;
	CHECK_EQ(pagerstat_latency_bound(latency, 500), UINT64_MAX);
	latency[VM_PAGER_LATENCY_BUCKETS - 2] = 3;
	CHECK_EQ(pagerstat_latency_bound(latency, 500), 1ull << (VM_PAGER_LATENCY_BUCKETS - 1));
}

HOST_TEST(latency_bound_does_not_overflow_at_the_largest_counts)
{
	uint32_t latency[VM_PAGER_LATENCY_BUCKETS];

	for (unsigned b = 0; b < VM_PAGER_LATENCY_BUCKETS; b++)
		latency[b] = UINT32_MAX;
	CHECK_EQ(pagerstat_latency_bound(latency, 500), 1ull << 12);
}

HOST_TEST(object_row_has_a_column_under_each_head)
{
	char head[PAGERSTAT_LINE_MAX], line[PAGERSTAT_LINE_MAX], *h[32], *w[32];
	struct vm_pager_object o = object();

	o.stats.latency[3] = 10;   /* [8, 16) us */
	o.stats.latency[14] = 1;   /* [16, 32) ms */
	pagerstat_object_line(line, sizeof line, &o);
	printf("# %s\n# %s\n", pagerstat_objects_head, line);
	snprintf(head, sizeof head, "%s", pagerstat_objects_head);
	unsigned nh = split(head, h, 32), nw = split(line, w, 32);
	CHECK_EQ(nw, nh);
	const char *want[] = { "42", "7", "64K", "3", "retry", "500ms", "16", "15", "1", "2",
			       "3", "4", "5", "6", "3", "<16us", "<32ms", "ready" };
	for (unsigned i = 0; i < nw && i < sizeof want / sizeof want[0]; i++)
		CHECK_STR(w[i], want[i]);
}

HOST_TEST(object_row_names_every_state_and_none)
{
	char line[PAGERSTAT_LINE_MAX];
	struct vm_pager_object o = object();

	o.flags = VM_PAGER_OBJECT_INTERNAL | VM_PAGER_OBJECT_FAILED | VM_PAGER_OBJECT_REPLACING;
	pagerstat_object_line(line, sizeof line, &o);
	CHECK(strstr(line, " internal,FAILED,replacing") != NULL);
	o.flags = 0;
	pagerstat_object_line(line, sizeof line, &o);
	CHECK(strcmp(line + strlen(line) - 2, " -") == 0);
	o.flags = ~0u;   /* bits no kernel sets yet are left out */
	pagerstat_object_line(line, sizeof line, &o);
	CHECK(strstr(line, "internal,orphaned,ready,FAILED,replacing") != NULL);
}

HOST_TEST(object_row_marks_a_policy_out_of_range)
{
	char line[PAGERSTAT_LINE_MAX], *w[32];
	struct vm_pager_object o = object();

	o.stats.policy = VM_PAGER_POLICY_MAX + 1;
	pagerstat_object_line(line, sizeof line, &o);
	CHECK(split(line, w, 32) > 4 && strcmp(w[4], "?") == 0);
}

HOST_TEST(object_row_units_of_size_and_deadline)
{
	char line[PAGERSTAT_LINE_MAX], *w[32];
	struct vm_pager_object o = object();

	o.size = 3ull << 30;
	o.stats.deadline_ms = 3600000;
	pagerstat_object_line(line, sizeof line, &o);
	CHECK(split(line, w, 32) > 5 && strcmp(w[2], "3G") == 0 && strcmp(w[5], "3600s") == 0);
	o.size = 4096 * 3;
	o.stats.deadline_ms = 10;
	pagerstat_object_line(line, sizeof line, &o);
	CHECK(split(line, w, 32) > 5 && strcmp(w[2], "12K") == 0 && strcmp(w[5], "10ms") == 0);
}

HOST_TEST(object_row_at_the_largest_values_fits_the_line)
{
	char line[PAGERSTAT_LINE_MAX];
	struct vm_pager_object o;

	memset(&o, 0xff, sizeof o);
	pagerstat_object_line(line, sizeof line, &o);
	CHECK(strlen(line) < PAGERSTAT_LINE_MAX - 1);
	printf("# %s\n", line);
	CHECK(strstr(line, ">=8388ms") != NULL);
	pagerstat_latency_line(line, sizeof line, &o);
	CHECK(strlen(line) < PAGERSTAT_LINE_MAX - 1);
	CHECK(strstr(line, " <2us 4294967295 <4us ") != NULL &&
	      strstr(line, " >=8388ms 4294967295") != NULL);
}

HOST_TEST(latency_line_lists_the_buckets_with_waits)
{
	char line[PAGERSTAT_LINE_MAX];
	struct vm_pager_object o = object();

	pagerstat_latency_line(line, sizeof line, &o);
	CHECK_STR(line, "      42 latency: none");
	o.stats.latency[0] = 2;
	o.stats.latency[12] = 5;
	o.stats.latency[VM_PAGER_LATENCY_BUCKETS - 1] = 1;
	pagerstat_latency_line(line, sizeof line, &o);
	CHECK_STR(line, "      42 latency: <2us 2 <8192us 5 >=8388ms 1");
}

HOST_TEST(wait_row_has_a_column_under_each_head)
{
	char head[PAGERSTAT_LINE_MAX], line[PAGERSTAT_LINE_MAX], *h[32], *w[32];
	struct vm_pager_wait wt = { .thread = 9, .task = 4, .pager_task = 7,
				    .kind = VM_PAGER_WAIT_DATA, .object = 42, .offset = 0x3000,
				    .waited_ms = 120, .deadline_ms = 380,
				    .state = VM_PAGER_WAIT_CYCLE, .policy = VM_PAGER_POLICY_WAIT };

	pagerstat_wait_line(line, sizeof line, &wt);
	printf("# %s\n# %s\n", pagerstat_waits_head, line);
	snprintf(head, sizeof head, "%s", pagerstat_waits_head);
	unsigned nh = split(head, h, 32), nw = split(line, w, 32);
	CHECK_EQ(nw, nh);
	const char *want[] = { "9", "4", "42", "3000", "data", "120ms", "380ms", "7", "wait",
			       "CYCLE" };
	for (unsigned i = 0; i < nw && i < sizeof want / sizeof want[0]; i++)
		CHECK_STR(w[i], want[i]);
}

HOST_TEST(wait_row_without_deadline_and_out_of_range)
{
	char line[PAGERSTAT_LINE_MAX], *w[32];
	struct vm_pager_wait wt = { .kind = 99, .state = 99, .policy = 99,
				    .deadline_ms = VM_PAGER_NO_DEADLINE };

	pagerstat_wait_line(line, sizeof line, &wt);
	CHECK(split(line, w, 32) == 10 && strcmp(w[4], "?") == 0 && strcmp(w[6], "never") == 0 &&
	      strcmp(w[8], "?") == 0 && strcmp(w[9], "?") == 0);
}
