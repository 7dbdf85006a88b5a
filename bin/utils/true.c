/* true: exits 0, and does nothing else. */
#include "util.h"

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	util_start(argc, argv, "", "", "exit with status 0", seen, NULL);
	return 0;
}
