/*
 * halt, poweroff, reboot: the disks synced and the machine stopped
 * (the UNIX server's reboot call; root only).  The kernel cannot
 * restart the machine yet: reboot stops it too, which under QEMU (make
 * run's -no-reboot) ends it the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <unix.h>
#include <mach/unix_types.h>

extern mach_port_t unix_port;

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
	int64_t result = 0;

	if (argc > 1) {
		fprintf(stderr, "usage: %s\n%s: sync the disks and stop the machine\n", name, name);
		return strcmp(argv[1], "-h") == 0 ? 0 : 2;
	}
	kern_return_t kr = unix_reboot(unix_port, strcmp(name, "reboot") == 0 ? UNIX_REBOOT_RESTART
									 : UNIX_REBOOT_HALT,
				       &result);
	if (kr == KERN_SUCCESS && result == -EPERM)
		fprintf(stderr, "%s: only root may stop the machine\n", name);
	else
		fprintf(stderr, "%s: cannot stop the machine: %s\n", name,
			kr != KERN_SUCCESS ? "no answer" : strerror((int)-result));
	return 1;
}
