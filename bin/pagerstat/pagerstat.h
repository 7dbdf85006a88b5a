/*
 * pagerstat: the kernel's record of its pagers as tables (host.defs
 * vm_pager_objects and vm_pager_waits).  table.c makes the lines, with
 * no I/O, so that a host test checks them; main.c asks the kernel and
 * prints them.  docs/vm.md, "Watching the pagers".
 */
#pragma once

#include <mach/memory_object.h>
#include <stddef.h>
#include <stdint.h>

/* The longest line the tables make. */
#define PAGERSTAT_LINE_MAX 512

/* The heads of the tables' columns. */
extern const char pagerstat_objects_head[];
extern const char pagerstat_waits_head[];

/* One object's row; its latency histogram on a line of its own. */
void pagerstat_object_line(char *buf, size_t size, const struct vm_pager_object *o);
void pagerstat_latency_line(char *buf, size_t size, const struct vm_pager_object *o);

/* One wait's row (an edge of the waits-for graph). */
void pagerstat_wait_line(char *buf, size_t size, const struct vm_pager_wait *w);

/*
 * The bound, in microseconds, under which at least per_mille thousandths
 * of the waits the histogram counts ended: the top of the bucket where
 * the count reaches it (2^(b+1)); UINT64_MAX when that is the last,
 * unbounded bucket; 0 when it counts none.
 */
uint64_t pagerstat_latency_bound(const uint32_t latency[VM_PAGER_LATENCY_BUCKETS],
				 unsigned per_mille);
