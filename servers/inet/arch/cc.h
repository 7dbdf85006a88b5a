/*
 * lwIP's view of the platform: newlib's headers, little-endian x86_64,
 * and the server's console for diagnostics (port.c).
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>

#define BYTE_ORDER LITTLE_ENDIAN

uint32_t inet_random(void);
void inet_assert_failed(const char *what, const char *file, int line)
	__attribute__((noreturn));
void inet_diag(const char *format, ...) __attribute__((format(printf, 1, 2)));

#define LWIP_PLATFORM_DIAG(x) do { inet_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) inet_assert_failed(x, __FILE__, __LINE__)
