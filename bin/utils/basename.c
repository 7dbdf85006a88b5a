/* basename PATH [SUFFIX]: PATH's last component, SUFFIX taken off. */
#include "util.h"

#include <string.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "PATH [SUFFIX]", "strip directories (and a suffix)",
			   seen, NULL);

	if (i >= argc || argc - i > 2)
		util_fail(2, "usage: basename PATH [SUFFIX]");
	char *path = argv[i];
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	char *base = strrchr(path, '/') != NULL && len > 1 ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);
	if (i + 1 < argc) {
		size_t s = strlen(argv[i + 1]);
		if (s < n && strcmp(base + n - s, argv[i + 1]) == 0)
			base[n - s] = '\0';
	}
	printf("%s\n", base);
	return 0;
}
