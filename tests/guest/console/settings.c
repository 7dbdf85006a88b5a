/* The mode and the window size: defaults, changes, and the refusals. */
#include "consoletest.h"

static void mode(void)
{
	natural_t m = 0;

	tap_ok(term_get_mode(console, &m) == KERN_SUCCESS && m == TERM_MODE_COOKED,
	       "the_mode_is_cooked_to_begin_with");
	bool ok = CHECK_KR(term_set_mode(owner, TERM_MODE_CANONICAL | TERM_MODE_ECHO),
			   KERN_SUCCESS) &&
		  CHECK_KR(term_get_mode(owner, &m), KERN_SUCCESS) &&
		  CHECK(m == (TERM_MODE_CANONICAL | TERM_MODE_ECHO));
	tap_ok(ok, "set_mode_is_read_back");
	tap_kr(term_set_mode(owner, 0x10), KERN_INVALID_VALUE,
	       "set_mode_refuses_a_bit_that_is_no_mode");
	tap_kr(term_set_mode(owner, 0xffffffffu), KERN_INVALID_VALUE,
	       "set_mode_refuses_all_bits_set");
	tap_ok(term_get_mode(owner, &m) == KERN_SUCCESS &&
		       m == (TERM_MODE_CANONICAL | TERM_MODE_ECHO),
	       "a_refused_mode_leaves_the_mode_as_it_was");
	term_set_mode(owner, TERM_MODE_COOKED);
}

static void winsize(void)
{
	natural_t rows = 0, cols = 0;

	tap_ok(term_get_winsize(console, &rows, &cols) == KERN_SUCCESS &&
		       rows == TERM_ROWS_DEFAULT && cols == TERM_COLS_DEFAULT,
	       "the_window_is_24_by_80_until_set");
	bool ok = CHECK_KR(term_set_winsize(owner, 50, 132), KERN_SUCCESS) &&
		  CHECK_KR(term_get_winsize(console, &rows, &cols), KERN_SUCCESS) &&
		  CHECK(rows == 50 && cols == 132);
	tap_ok(ok, "set_winsize_is_read_back_by_anyone");
	tap_kr(term_set_winsize(owner, 0, 80), KERN_INVALID_ARGUMENT,
	       "set_winsize_refuses_zero_rows");
	tap_kr(term_set_winsize(owner, 24, 0), KERN_INVALID_ARGUMENT,
	       "set_winsize_refuses_zero_columns");
	tap_kr(term_set_winsize(owner, TERM_WINSIZE_MAX + 1, 80), KERN_INVALID_ARGUMENT,
	       "set_winsize_refuses_too_many_rows");
	tap_kr(term_set_winsize(owner, 24, 0xffffffffu), KERN_INVALID_ARGUMENT,
	       "set_winsize_refuses_too_many_columns");
	tap_ok(term_get_winsize(owner, &rows, &cols) == KERN_SUCCESS && rows == 50 &&
		       cols == 132,
	       "a_refused_size_leaves_the_size_as_it_was");
	term_set_winsize(owner, TERM_ROWS_DEFAULT, TERM_COLS_DEFAULT);
}

void test_settings(void)
{
	mode();
	winsize();
}
