/*
 * libmach's key=value arguments (libc/mach/args.c), which every boot
 * module parses its command line with: the last word of a key wins, a
 * key must be whole, and a number must be all digits and within its
 * bound, or it is refused.
 */
#include "args.h"

static bool arg_is_the_last_whole_key(void)
{
	char *argv[] = { "prog", "mode=a", "modes=b", "mode", "mode=c", "name=", NULL };
	int argc = 6;
	const char *mode = mach_arg(argc, argv, "mode"), *name = mach_arg(argc, argv, "name");

	return CHECK(mode != NULL && strcmp(mode, "c") == 0) &&
	       CHECK(name != NULL && name[0] == '\0') &&
	       CHECK(mach_arg(argc, argv, "mod") == NULL) &&
	       CHECK(mach_arg(argc, argv, "prog") == NULL) &&   /* argv[0] is no argument */
	       CHECK(mach_arg(0, argv, "mode") == NULL);
}

static bool numbers_are_all_digits_within_the_bound(void)
{
	uint64_t n = 7;

	return CHECK(mach_parse_number("0", 0, &n) && n == 0) &&
	       CHECK(mach_parse_number("3600000", 3600000, &n) && n == 3600000) &&
	       CHECK(!mach_parse_number("3600001", 3600000, &n) && n == 3600000) &&
	       CHECK(!mach_parse_number("5", 4, &n)) && CHECK(!mach_parse_number("1", 0, &n)) &&
	       CHECK(mach_parse_number("18446744073709551615", UINT64_MAX, &n) &&
		     n == UINT64_MAX) &&
	       CHECK(!mach_parse_number("18446744073709551616", UINT64_MAX, &n)) &&
	       CHECK(!mach_parse_number("99999999999999999999", UINT64_MAX, &n)) &&
	       CHECK(!mach_parse_number("", UINT64_MAX, &n)) &&
	       CHECK(!mach_parse_number("12x", UINT64_MAX, &n)) &&
	       CHECK(!mach_parse_number("-1", UINT64_MAX, &n)) &&
	       CHECK(!mach_parse_number(" 1", UINT64_MAX, &n)) && CHECK(n == UINT64_MAX);
}

const struct test args_tests[] = {
	ENTRY(arg_is_the_last_whole_key),
	ENTRY(numbers_are_all_digits_within_the_bound),
};
const unsigned args_test_count = sizeof(args_tests) / sizeof(args_tests[0]);
