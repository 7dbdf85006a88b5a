/* touch FILE...: each file's times set to now; made if it is not there. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "FILE...", "make files or set their times to now",
			   seen, NULL);
	int status = 0;

	if (i == argc)
		util_fail(2, "usage: touch FILE...");
	for (; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
		if (fd >= 0)
			close(fd);
		if (fd < 0 || utimes(argv[i], NULL) != 0) {
			util_error("%s: %s", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
