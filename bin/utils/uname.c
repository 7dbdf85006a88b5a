/* uname [-asnrm]: the system's name (-s, the default), node (-n),
 * release (-r), machine (-m), or all (-a). */
#include "util.h"

#include <sys/utsname.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	struct utsname u;

	util_start(argc, argv, "asnrmv", "[-asnrmv]", "print the system's names", seen, NULL);
	if (uname(&u) != 0)
		util_fail(1, "cannot tell");
	bool all = seen['a'], any = false;
	const char *parts[] = { seen['s'] || all || !(seen['n'] || seen['r'] || seen['m'] || seen['v'])
					? u.sysname : NULL,
				seen['n'] || all ? u.nodename : NULL,
				seen['r'] || all ? u.release : NULL,
				seen['v'] || all ? u.version : NULL,
				seen['m'] || all ? u.machine : NULL };
	for (int k = 0; k < 5; k++) {
		if (parts[k] == NULL)
			continue;
		printf("%s%s", any ? " " : "", parts[k]);
		any = true;
	}
	putchar('\n');
	return 0;
}
