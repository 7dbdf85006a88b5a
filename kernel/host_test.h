/*
 * A small TAP test framework for host unit tests of the kernel's pure code
 * (built with -DPAGODA_HOST and sanitizers; see kernel/kernel.mk).  Tests
 * live beside the code in *_test.c files:
 *
 *   HOST_TEST(options_reject_unknown_words) { CHECK(...); CHECK_EQ(a, b); }
 *
 * CHECK_PANICS(stmt) passes when stmt calls panic().
 */
#pragma once

#include <setjmp.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

void host_test_register(const char *name, void (*fn)(void));
bool host_check(bool cond, const char *expr, const char *file, int line);
bool host_check_eq(uint64_t a, uint64_t b, const char *expr, const char *file, int line);
bool host_check_str(const char *a, const char *b, const char *expr, const char *file,
		    int line);

extern jmp_buf *host_panic_jmp;

#define HOST_TEST(name)                                                         \
	static void name(void);                                                 \
	__attribute__((constructor)) static void register_##name(void)          \
	{                                                                       \
		host_test_register(#name, name);                                \
	}                                                                       \
	static void name(void)

#define CHECK(cond) host_check((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b) host_check_eq((uint64_t)(a), (uint64_t)(b), #a " == " #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) host_check_str((a), (b), #a " == " #b, __FILE__, __LINE__)
#define CHECK_PANICS(stmt)                                                      \
	do {                                                                    \
		jmp_buf jb_;                                                    \
		host_panic_jmp = &jb_;                                          \
		if (setjmp(jb_) == 0) {                                         \
			stmt;                                                   \
			host_check(false, "a panic from " #stmt, __FILE__, __LINE__); \
		}                                                               \
		host_panic_jmp = NULL;                                          \
	} while (0)
