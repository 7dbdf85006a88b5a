/*
 * What lwIP asks of the platform (lwipopts.h, arch/cc.h): the time in
 * milliseconds, random numbers, and where its diagnostics and failed
 * assertions go.
 */
#include <stdarg.h>

#include "inet.h"
#include "lwip/sys.h"

u32_t sys_now(void)
{
	return (u32_t)(mach_clock_ns() / MACH_NS_PER_MS);
}

/* xorshift64*, seeded from the clock on first use: DHCP's and DNS's ids
 * and TCP's initial sequence numbers need to differ between boots more
 * than they need to be secret (QEMU's user network is the whole world). */
uint32_t inet_random(void)
{
	static uint64_t state;

	if (state == 0)
		state = mach_clock_ns() * 0x9e3779b97f4a7c15ull | 1;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545f4914f6cdd1dull) >> 32);
}

void inet_diag(const char *format, ...)
{
	char line[256];
	va_list args;

	va_start(args, format);
	mach_vsnprintf(line, sizeof(line), format, args);
	va_end(args);
	mach_printf("inet: lwip: %s", line);
}

/* An assertion of lwIP's is an invariant of the stack: the server cannot
 * go on with its state in doubt. */
void inet_assert_failed(const char *what, const char *file, int line)
{
	mach_printf("inet: lwIP assertion failed: %s (%s:%d)\n", what, file, line);
	for (;;)
		task_terminate(mach_task_self());
}
