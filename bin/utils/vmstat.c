/* vmstat [SECONDS [COUNT]]: the kernel's memory and paging counters
 * (vm_statistics): pages free, active, inactive and wired; faults,
 * zero-fill and copy-on-write faults, pages in from pagers and out to
 * them, requests to pagers and waits on them past their deadline.  With
 * SECONDS, again every SECONDS (COUNT times, or until interrupted), the
 * events counted since the line before. */
#include "util.h"

#include <unistd.h>
#include <mach/mach.h>

static void line(const struct vm_statistics *s, const struct vm_statistics *before)
{
	const struct vm_statistics zero = { 0 };
	const struct vm_statistics *b = before != NULL ? before : &zero;

	printf("%7llu %7llu %7llu %6llu %8llu %6llu %6llu %6llu %6llu %6llu %5llu\n",
	       (unsigned long long)s->free_count, (unsigned long long)s->active_count,
	       (unsigned long long)s->inactive_count, (unsigned long long)s->wire_count,
	       (unsigned long long)(s->faults - b->faults),
	       (unsigned long long)(s->zero_fill_count - b->zero_fill_count),
	       (unsigned long long)(s->cow_faults - b->cow_faults),
	       (unsigned long long)(s->pageins - b->pageins),
	       (unsigned long long)(s->pageouts - b->pageouts),
	       (unsigned long long)(s->pager_requests - b->pager_requests),
	       (unsigned long long)(s->pager_timeouts - b->pager_timeouts));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "[SECONDS [COUNT]]",
			   "print memory and paging counters, again every SECONDS", seen, NULL);
	long every = i < argc ? util_number(argv[i], "seconds") : 0;
	long count = i + 1 < argc ? util_number(argv[i + 1], "count") : -1;
	struct vm_statistics s, before;

	if (every < 0 || (i + 1 < argc && count < 1) || argc - i > 2)
		util_fail(2, "usage: vmstat [SECONDS [COUNT]]");
	printf("   free  active inactv  wired   faults  zfill    cow pagein pgout   reqs tmout\n");
	for (long k = 0; count < 0 || k < count; k++) {
		if (vm_statistics(mach_task_self(), &s) != KERN_SUCCESS)
			util_fail(1, "the kernel does not say");
		line(&s, k > 0 ? &before : NULL);
		before = s;
		if (every == 0)
			break;
		if (count < 0 || k + 1 < count)
			sleep((unsigned)every);
	}
	return 0;
}
