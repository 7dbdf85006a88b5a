/* Runs every registered host test and prints TAP. */
#include "host_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kern/panic.h"

#define MAX_TESTS 512

static struct {
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int test_count;
static int current_failures;
jmp_buf *host_panic_jmp;

void host_test_register(const char *name, void (*fn)(void))
{
	if (test_count == MAX_TESTS) {
		fprintf(stderr, "host tests: more than %d tests\n", MAX_TESTS);
		exit(2);
	}
	tests[test_count].name = name;
	tests[test_count].fn = fn;
	test_count++;
}

bool host_check(bool cond, const char *expr, const char *file, int line)
{
	if (!cond) {
		printf("# %s:%d: expected %s\n", file, line, expr);
		current_failures++;
	}
	return cond;
}

bool host_check_eq(uint64_t a, uint64_t b, const char *expr, const char *file, int line)
{
	if (a != b) {
		printf("# %s:%d: expected %s, got %#llx and %#llx\n", file, line, expr,
		       (unsigned long long)a, (unsigned long long)b);
		current_failures++;
	}
	return a == b;
}

bool host_check_str(const char *a, const char *b, const char *expr, const char *file,
		    int line)
{
	bool same = a != NULL && b != NULL && strcmp(a, b) == 0;

	if (!same) {
		printf("# %s:%d: expected %s, got \"%s\" and \"%s\"\n", file, line, expr,
		       a ? a : "(null)", b ? b : "(null)");
		current_failures++;
	}
	return same;
}

/* The kernel's panic, for code under test: jumps back to CHECK_PANICS. */
void panic(const char *fmt, ...)
{
	va_list ap;

	if (host_panic_jmp != NULL)
		longjmp(*host_panic_jmp, 1);
	printf("# unexpected panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	abort();
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(void)
{
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	qsort(tests, test_count, sizeof(tests[0]), by_name);
	printf("1..%d\n", test_count);
	for (int i = 0; i < test_count; i++) {
		current_failures = 0;
		tests[i].fn();
		printf("%s %d - %s\n", current_failures ? "not ok" : "ok", i + 1, tests[i].name);
		fflush(stdout);
		failed += current_failures != 0;
	}
	return failed ? 1 : 0;
}
