/* seq [FIRST [STEP]] LAST: the numbers from FIRST (1) to LAST by STEP (1). */
#include "util.h"

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "[FIRST [STEP]] LAST", "print a sequence of numbers",
			   seen, NULL);
	int n = argc - i;

	if (n < 1 || n > 3)
		util_fail(2, "usage: seq [FIRST [STEP]] LAST");
	long first = n > 1 ? util_number(argv[i], "first") : 1;
	long step = n > 2 ? util_number(argv[i + 1], "step") : 1;
	long last = util_number(argv[argc - 1], "last");
	if (step == 0)
		util_fail(2, "step: must not be 0");
	for (long v = first; step > 0 ? v <= last : v >= last; v += step)
		printf("%ld\n", v);
	return 0;
}
