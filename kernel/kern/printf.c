#include "kern/printf.h"

#include "arch/x86_64/serial.h"

static void console_put(char c, void *arg)
{
	(void)arg;
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
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
