#include "kern/ktest.h"

#include "kern/printf.h"
#include "kern/string.h"

extern const struct ktest ktest_start[], ktest_end[];

bool ktest_check(struct ktest_ctx *t, bool cond, const char *expr,
		 const char *file, int line)
{
	if (!cond) {
		kprintf("# %s:%d: expected %s\n", file, line, expr);
		t->failures++;
	}
	return cond;
}

bool ktest_check_eq(struct ktest_ctx *t, uint64_t a, uint64_t b, const char *expr,
		    const char *file, int line)
{
	if (a != b) {
		kprintf("# %s:%d: expected %s, got 0x%lx and 0x%lx\n", file, line, expr, a, b);
		t->failures++;
	}
	return a == b;
}

/* Whether word (len bytes) names this test or its group, or is "all". */
static bool word_matches(const struct ktest *k, const char *word, size_t len)
{
	return (len == 3 && strncmp(word, "all", 3) == 0) ||
	       (strlen(k->group) == len && strncmp(k->group, word, len) == 0) ||
	       (strlen(k->name) == len && strncmp(k->name, word, len) == 0);
}

static bool selected(const struct ktest *k, const char *selection)
{
	for (const char *w = selection; *w != '\0';) {
		size_t len = 0;
		while (w[len] != '\0' && w[len] != ',')
			len++;
		if (word_matches(k, w, len))
			return true;
		w += len + (w[len] == ',');
	}
	return false;
}

/* Reports each selection word that matches no test: a typo must not pass. */
static int check_selection(const char *selection, int *number)
{
	int failed = 0;

	for (const char *w = selection; *w != '\0';) {
		size_t len = 0;
		while (w[len] != '\0' && w[len] != ',')
			len++;
		bool found = false;
		for (const struct ktest *k = ktest_start; k < ktest_end && !found; k++)
			found = word_matches(k, w, len);
		if (!found) {
			kprintf("not ok %d - ktest: no test or group is named '%.*s'\n",
				++*number, (int)len, w);
			failed++;
		}
		w += len + (w[len] == ',');
	}
	return failed;
}

int ktest_run(const char *selection)
{
	int count = 0, number = 0, failed = 0;

	for (const struct ktest *k = ktest_start; k < ktest_end; k++)
		count += selected(k, selection);
	kprintf("ktest: running %d kernel self-tests\n", count);
	failed += check_selection(selection, &number);
	for (const struct ktest *k = ktest_start; k < ktest_end; k++) {
		if (!selected(k, selection))
			continue;
		struct ktest_ctx ctx = { 0 };
		k->fn(&ctx);
		kprintf("%s %d - %s.%s\n", ctx.failures ? "not ok" : "ok", ++number,
			k->group, k->name);
		failed += ctx.failures != 0;
	}
	kprintf("1..%d\n", number);
	kprintf("ktest: %d passed, %d failed\n", number - failed, failed);
	return failed;
}
