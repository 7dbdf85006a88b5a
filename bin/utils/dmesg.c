/* dmesg: what the kernel printed (the last 16 KiB it keeps). */
#include "util.h"

#include <mach/mach.h>
#include <host.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char text[HOST_LOG_MAX];
	uint64_t offset = 0, next = 0;

	util_start(argc, argv, "", "", "print the kernel's log", seen, NULL);
	mach_port_t host = mach_host_self();
	for (;;) {
		mach_msg_type_number_t n = HOST_LOG_MAX;
		if (host_log_read(host, offset, text, &n, &next) != KERN_SUCCESS)
			util_fail(1, "the kernel does not say");
		if (n == 0)
			break;
		fwrite(text, 1, n, stdout);
		offset = next;
	}
	return 0;
}
