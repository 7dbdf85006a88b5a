/* pwd: the working directory. */
#include "util.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char dir[4096];

	util_start(argc, argv, "", "", "print the working directory", seen, NULL);
	if (getcwd(dir, sizeof(dir)) == NULL)
		util_fail(1, "%s", strerror(errno));
	printf("%s\n", dir);
	return 0;
}
