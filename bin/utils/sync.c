/* sync: everything written so far goes to the disk. */
#include "util.h"

#include <unistd.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	util_start(argc, argv, "", "", "write what is cached to the disk", seen, NULL);
	sync();
	return 0;
}
