/* ps: every process, from the process server's table: its pid, parent,
 * group, state (R running, T stopped, Z zombie), virtual and resident
 * size in KiB, and command line. */
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/procinfo.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	static struct unix_proc_info table[UNIX_PROC_MAX];

	util_start(argc, argv, "", "", "list the processes", seen, NULL);
	int n = getprocs(table, UNIX_PROC_MAX);
	if (n < 0)
		util_fail(1, "%s", strerror(errno));
	printf("  PID  PPID  PGID S      VSZ    RSS COMMAND\n");
	for (int i = 0; i < n && i < (int)UNIX_PROC_MAX; i++) {
		const struct unix_proc_info *p = &table[i];
		printf("%5d %5d %5d %c %8llu %6llu %s\n", (int)p->pid, (int)p->ppid, (int)p->pgid,
		       (char)p->state, (unsigned long long)p->virtual_size / 1024,
		       (unsigned long long)p->resident_size / 1024,
		       p->state == UNIX_PROC_ZOMBIE ? "<defunct>" : p->command);
	}
	return 0;
}
