/* tee [-a] [FILE...]: stdin to stdout and to each FILE (-a: appended). */
#include "util.h"

#include <errno.h>
#include <string.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "a", "[-a] [FILE...]", "copy stdin to stdout and files",
			   seen, NULL);
	FILE *files[64];
	int n = 0, status = 0;

	for (; i < argc && n < 64; i++) {
		FILE *f = fopen(argv[i], seen['a'] ? "a" : "w");
		if (f == NULL) {
			util_error("%s: %s", argv[i], strerror(errno));
			status = 1;
		} else {
			files[n++] = f;
		}
	}
	char buf[4096];
	for (size_t got; (got = fread(buf, 1, sizeof(buf), stdin)) > 0;) {
		fwrite(buf, 1, got, stdout);
		fflush(stdout);
		for (int k = 0; k < n; k++)
			fwrite(buf, 1, got, files[k]);
	}
	for (int k = 0; k < n; k++)
		if (fclose(files[k]) != 0)
			status = 1;
	return status;
}
