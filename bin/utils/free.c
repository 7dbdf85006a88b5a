/* free: the machine's memory in KiB, from the kernel's counters
 * (vm_statistics): all of it, what pages hold, and what is free. */
#include "util.h"

#include <mach/mach.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	struct vm_statistics s;

	util_start(argc, argv, "", "", "print the memory in use and free", seen, NULL);
	if (vm_statistics(mach_task_self(), &s) != KERN_SUCCESS)
		util_fail(1, "the kernel does not say");
	unsigned long long k = s.page_size / 1024;
	unsigned long long used = s.active_count + s.inactive_count + s.wire_count;
	printf("%10s %10s %10s %10s %10s\n", "total", "used", "free", "active", "wired");
	printf("%10llu %10llu %10llu %10llu %10llu\n", (used + s.free_count) * k, used * k,
	       (unsigned long long)s.free_count * k, (unsigned long long)s.active_count * k,
	       (unsigned long long)s.wire_count * k);
	return 0;
}
