/* dirname PATH: PATH without its last component ("." if none). */
#include "util.h"

#include <string.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "PATH", "strip the last component", seen, NULL);

	if (i != argc - 1)
		util_fail(2, "usage: dirname PATH");
	char *path = argv[i];
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	while (len > 0 && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 0)
		printf(".\n");
	else
		printf("%.*s\n", (int)len, path);
	return 0;
}
