/*
 * panic: an invariant that must always hold did not.  Prints the reason
 * and a backtrace, and stops the machine (under test QEMU exits with the
 * panic status).  assert is for debug-only checks and compiles away with
 * NDEBUG.
 */
#pragma once

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) \
	((e) ? (void)0 : panic("assertion failed: %s (%s:%d)", #e, __FILE__, __LINE__))
#endif
