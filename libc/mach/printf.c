/*
 * Formatted output for user programs: the kernel's formatter
 * (kernel/kern/format.c, built into libmach too) into a buffer on the
 * stack, then one host_log RPC, which the kernel writes atomically.
 */
#include <mach/mach.h>

#include "kern/format.h"

kern_return_t mach_vprintf(const char *fmt, va_list ap)
{
	char buf[MACH_PRINTF_MAX];
	size_t n = kvsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return host_log(mach_host_self_, buf, (mach_msg_type_number_t)n);
}

kern_return_t mach_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kern_return_t kr = mach_vprintf(fmt, ap);
	va_end(ap);
	return kr;
}

size_t mach_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return kvsnprintf(buf, size, fmt, ap);
}

size_t mach_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
