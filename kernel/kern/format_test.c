#include "host_test.h"
#include "kern/format.h"

static const char *fmt(const char *f, ...)
{
	static char buf[128];
	va_list ap;

	va_start(ap, f);
	kvsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return buf;
}

HOST_TEST(format_integers_with_width_and_flags)
{
	CHECK_STR(fmt("%d|%i|%u", -42, 7, 3000000000u), "-42|7|3000000000");
	CHECK_STR(fmt("[%5d][%-5d][%05d]", 42, 42, -42), "[   42][42   ][-0042]");
	CHECK_STR(fmt("%x %X %08lx", 0xbeefu, 0xbeefu, 0x1234ul), "beef BEEF 00001234");
	CHECK_STR(fmt("%lx", 0xffffffff80000000ul), "ffffffff80000000");
	CHECK_STR(fmt("%lld %zu", -9223372036854775807ll - 1, (size_t)17),
		  "-9223372036854775808 17");
	CHECK_STR(fmt("%*d|%-*d|", 4, 1, 3, 2), "   1|2  |");
}

HOST_TEST(format_strings_chars_and_pointers)
{
	CHECK_STR(fmt("%s|%.3s|%6s|%-4s|", "abc", "abcdef", "ab", "x"), "abc|abc|    ab|x   |");
	CHECK_STR(fmt("%.*s", 2, "xyz"), "xy");
	CHECK_STR(fmt("%s", (char *)NULL), "(null)");
	CHECK_STR(fmt("%c%c%%", 'o', 'k'), "ok%");
	CHECK_STR(fmt("%p", (void *)0x1000), "0x0000000000001000");
}

HOST_TEST(format_unknown_conversions_print_verbatim)
{
	CHECK_STR(fmt("a%qb"), "a%qb");
	CHECK_STR(fmt("end%"), "end%");
}

HOST_TEST(format_snprintf_truncates_and_returns_full_length)
{
	char buf[5];

	CHECK_EQ(ksnprintf(buf, sizeof(buf), "%s", "abcdefgh"), 8);
	CHECK_STR(buf, "abcd");
	CHECK_EQ(ksnprintf(buf, 0, "xyz"), 3);
	CHECK_EQ(ksnprintf(buf, 1, "xyz"), 3);
	CHECK_STR(buf, "");
}
