/*
 * A minimal TAP harness for the host test programs: each test is a
 * function that returns 0 when it passes; CHECK explains a failure on a
 * "#" line and fails the test.
 */
#pragma once

#include <stdio.h>

struct test {
	const char *name;
	int (*run)(void);
};

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond)) {                                          \
			printf("# %s:%d: check failed: %s\n", __FILE__, \
			       __LINE__, #cond);                        \
			return 1;                                       \
		}                                                       \
	} while (0)

#define CHECK_EQ(a, b)                                                  \
	do {                                                            \
		long long a_ = (long long)(a), b_ = (long long)(b);     \
		if (a_ != b_) {                                         \
			printf("# %s:%d: %s == %lld, expected %s == %lld\n", \
			       __FILE__, __LINE__, #a, a_, #b, b_);     \
			return 1;                                       \
		}                                                       \
	} while (0)

/* Runs the tests in order and prints TAP lines (idl/tests/run.sh
 * numbers them and prints the plan); returns the exit status. */
static inline int test_run_all(const struct test *tests, int n)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		int bad = tests[i].run();

		printf("%sok %d - %s\n", bad ? "not " : "", i + 1,
		       tests[i].name);
		fflush(stdout);
		failed |= bad;
	}
	return failed;
}
