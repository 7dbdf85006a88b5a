/*
 * Kernel self-tests.  A test is a function declared with KTEST beside the
 * code it tests (in a *_ktest.c file); the linker gathers them in the
 * .ktest section.  With "test=all" (or "test=NAME,GROUP,...") on the
 * command line the kernel runs them after initialisation and prints TAP:
 *
 *   1..N
 *   ok 1 - vm_page.vm_page_alloc_returns_aligned_blocks
 *   not ok 2 - heap.kalloc_...
 *   # kern/kalloc_ktest.c:40: expected p != NULL
 *
 * then stops the machine with the success or test-failure status.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct ktest_ctx {
	int failures;
};

struct ktest {
	const char *group;
	const char *name;
	void (*fn)(struct ktest_ctx *t);
};

#define KTEST(group_, name_)                                                   \
	static void ktest_fn_##name_(struct ktest_ctx *t);                     \
	__attribute__((section(".ktest"), used, aligned(8)))                   \
	static const struct ktest ktest_desc_##name_ = { #group_, #name_,      \
							 ktest_fn_##name_ };   \
	static void ktest_fn_##name_(struct ktest_ctx *t)

/* Records a failure (with file and line) when cond is false; returns cond. */
bool ktest_check(struct ktest_ctx *t, bool cond, const char *expr,
		 const char *file, int line);

#define KEXPECT(cond) ktest_check(t, (cond), #cond, __FILE__, __LINE__)
#define KEXPECT_EQ(a, b)                                                       \
	ktest_check_eq(t, (uint64_t)(a), (uint64_t)(b), #a " == " #b, __FILE__, __LINE__)

bool ktest_check_eq(struct ktest_ctx *t, uint64_t a, uint64_t b, const char *expr,
		    const char *file, int line);

/* Runs the tests selection names; returns the number that failed. */
int ktest_run(const char *selection);
