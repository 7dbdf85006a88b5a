/*
 * printf-style formatting without libc, shared by the kernel log and
 * ksnprintf.  Pure code (no I/O), so host unit tests run it too.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, flags '-' and '0', a width
 * (digits or '*'), a precision for %s (".N" or ".*"), and the length
 * modifiers l, ll and z.  An unknown conversion prints itself verbatim.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_put_fn)(char c, void *arg);

/* Formats fmt with ap, calling put for each character; returns the count. */
size_t kvformat(format_put_fn put, void *arg, const char *fmt, va_list ap);

/*
 * Formats into buf (always NUL-terminated when size > 0) and returns the
 * length the whole output would have had, as snprintf does.
 */
size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
