/*
 * Output: what term_write writes comes out on the serial line whole and
 * in order (console.sh finds the lines in the log), and the reply comes
 * once it is out.
 */
#include "consoletest.h"

#define BULK_LINES 200
#define WIDE_LINES 16      /* of 64 bytes: one write of TERM_IO_MAX */

static void bulk(void)
{
	unsigned ok = 0;

	for (unsigned i = 1; i <= BULK_LINES; i++) {
		char line[96];
		mach_snprintf(line, sizeof(line), "bulk line %03u of %u ..........................\n",
			      i, BULK_LINES);
		ok += say(owner, line) == KERN_SUCCESS;
	}
	tap_eq(ok, BULK_LINES, "many_writes_in_a_row_all_succeed");
}

static void widest(void)
{
	static char data[TERM_IO_MAX];

	_Static_assert(WIDE_LINES * 64 == TERM_IO_MAX, "the wide lines fill one write");
	for (unsigned i = 0; i < WIDE_LINES; i++) {
		char *line = data + i * 64;
		mach_snprintf(line, 64, "wide %02u ", i);
		memset(line + 8, 'x', 55);
		line[63] = '\n';
	}
	tap_kr(term_write(owner, data, TERM_IO_MAX), KERN_SUCCESS,
	       "a_write_of_term_io_max_bytes_succeeds");
}

void test_output(void)
{
	tap_kr(say(owner, "console says hello\n"), KERN_SUCCESS, "write_through_the_owner_port");
	tap_kr(say(console, "console hears everyone\n"), KERN_SUCCESS,
	       "anyone_may_write_through_the_console_port");
	tap_kr(term_write(owner, "", 0), KERN_SUCCESS, "a_write_of_nothing_succeeds");
	bulk();
	widest();
}
