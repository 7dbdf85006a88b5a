#include "kern/printf.h"

#include "arch/x86_64/serial.h"

/* What was printed, the last LOG_RING_SIZE bytes of it: dmesg's. */
#define LOG_RING_SIZE 16384
static char log_ring[LOG_RING_SIZE];
static uint64_t log_written;   /* bytes ever printed */

static void console_put(char c, void *arg)
{
	(void)arg;
	log_ring[log_written++ % LOG_RING_SIZE] = c;
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
}

size_t klog_read(uint64_t from, char *out, size_t max, uint64_t *next)
{
	uint64_t oldest = log_written > LOG_RING_SIZE ? log_written - LOG_RING_SIZE : 0;

	if (from < oldest)
		from = oldest;
	if (from > log_written)
		from = log_written;
	size_t n = log_written - from < max ? (size_t)(log_written - from) : max;
	for (size_t i = 0; i < n; i++)
		out[i] = log_ring[(from + i) % LOG_RING_SIZE];
	*next = from + n;
	return n;
}

size_t kvprintf(const char *fmt, va_list ap)
{
	return kvformat(console_put, NULL, fmt, ap);
}

size_t kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
