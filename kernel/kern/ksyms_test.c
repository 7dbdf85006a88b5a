#include "host_test.h"
#include "kern/ksyms.h"

static const struct ksym syms[] = { { 0x1000, 0 }, { 0x1010, 4 }, { 0x1080, 8 } };
static const char names[] = "one\0two\0three";

HOST_TEST(ksyms_finds_the_function_containing_an_address)
{
	struct ksym_table t = { syms, 3, names, 0x1100 };
	uint64_t off = 0;

	CHECK_STR(ksyms_lookup_in(&t, 0x1000, &off), "one");
	CHECK_EQ(off, 0);
	CHECK_STR(ksyms_lookup_in(&t, 0x100f, &off), "one");
	CHECK_EQ(off, 0xf);
	CHECK_STR(ksyms_lookup_in(&t, 0x1010, &off), "two");
	CHECK_STR(ksyms_lookup_in(&t, 0x10ff, &off), "three");
	CHECK_EQ(off, 0x7f);
}

HOST_TEST(ksyms_names_nothing_outside_the_text)
{
	struct ksym_table t = { syms, 3, names, 0x1100 };
	struct ksym_table empty = { syms, 0, names, 0x1100 };
	uint64_t off;

	CHECK(ksyms_lookup_in(&t, 0xfff, &off) == NULL);
	CHECK(ksyms_lookup_in(&t, 0x1100, &off) == NULL);
	CHECK(ksyms_lookup_in(&empty, 0x1000, &off) == NULL);
}
