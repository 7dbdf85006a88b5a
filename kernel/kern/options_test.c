#include <string.h>

#include "host_test.h"
#include "kern/options.h"

static char warnings[1024];

static void collect(void *ctx, const char *message)
{
	(void)ctx;
	strncat(warnings, message, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static int parse(struct kernel_options *o, const char *line)
{
	warnings[0] = '\0';
	return options_parse(o, line, collect, NULL);
}

HOST_TEST(options_defaults_when_the_line_is_empty)
{
	struct kernel_options o;

	CHECK_EQ(parse(&o, ""), 0);
	CHECK_EQ(o.hz, 100);
	CHECK(!o.bench);
	CHECK_STR(o.test, "");
	CHECK_STR(o.crash, "");
}

HOST_TEST(options_accept_every_kind)
{
	struct kernel_options o;

	CHECK_EQ(parse(&o, "  test=vm_page,heap\thz=250 bench crash=pf  "), 0);
	CHECK_STR(o.test, "vm_page,heap");
	CHECK_EQ(o.hz, 250);
	CHECK(o.bench);
	CHECK_STR(o.crash, "pf");
	CHECK_STR(warnings, "");
}

HOST_TEST(options_unknown_word_is_warned_and_ignored)
{
	struct kernel_options o;

	CHECK_EQ(parse(&o, "frobnicate hz=200"), 1);
	CHECK_EQ(o.hz, 200);
	CHECK(strstr(warnings, "unknown option 'frobnicate' ignored") != NULL);
	CHECK(strstr(warnings, "known: test crash hz bench") != NULL);
}

HOST_TEST(options_malformed_values_are_warned_and_ignored)
{
	struct kernel_options o;

	CHECK_EQ(parse(&o, "hz=abc hz=5 hz=99999999999 hz= test bench=1 crash=boom"), 7);
	CHECK_EQ(o.hz, 100);
	CHECK(!o.bench);
	CHECK_STR(o.crash, "");
	CHECK(strstr(warnings, "'hz' wants a number from 10 to 1000, not 'abc'") != NULL);
	CHECK(strstr(warnings, "not '5'") != NULL);
	CHECK(strstr(warnings, "'hz' needs a value") != NULL);
	CHECK(strstr(warnings, "'test' needs a value") != NULL);
	CHECK(strstr(warnings, "'bench' takes no value") != NULL);
	CHECK(strstr(warnings, "'crash' wants one of ud,pf,gp,de,stack,panic, not 'boom'") != NULL);
}

HOST_TEST(options_overlong_value_is_refused)
{
	struct kernel_options o;
	char line[400] = "test=";

	memset(line + 5, 'x', 300);
	line[305] = '\0';
	CHECK_EQ(parse(&o, line), 1);
	CHECK_STR(o.test, "");
	CHECK(strstr(warnings, "longer than 127 characters") != NULL);
}
