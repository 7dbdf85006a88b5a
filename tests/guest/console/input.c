/*
 * Input: what the harness types, through the line discipline.  Each
 * test prompts with a key; console.sh types the text for it and checks
 * the echo on the line:
 *
 *   canonical  "hello world\r"             echo "hello world"
 *   pieces     "abcdefghij\r"
 *   erase      "abx DEL c x BS d\r"         echo "abx\b \bcx\b \bd"
 *   kill       "wrong line ^U right\r"      echo "wrong line", 10 x "\b \b", "right"
 *   werase     "one two  three ^W ^W four\r"   echo "one two  three", 10 x "\b \b", "four"
 *   eof        "abc ^D ^D"                   no echo of ^D
 *   half       "half"                        echo "half", then raw mode
 *   noecho     "hushhush\r"                 no echo
 *   raw        "xy DEL ^U ^C"               no echo (raw mode without echo)
 *   interrupt  "partial ^C"                 echo "partial^C"
 *   after      "after\r"
 */
#include "consoletest.h"

#define LINE_MAX 128

static void canonical(void)
{
	char got[LINE_MAX];

	kern_return_t kr = read_typed("canonical", TERM_MODE_COOKED, got, LINE_MAX - 1);
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "hello world\n") == 0,
	       "a_canonical_read_returns_the_typed_line_with_its_newline");
	if (kr != KERN_SUCCESS || strcmp(got, "hello world\n") != 0)
		diag("read: %s, '%s'\n", mach_error_name(kr), got);
}

/* A line longer than the count comes in pieces, the last with the '\n'. */
static void pieces(void)
{
	char a[8], b[8], c[8];
	mach_msg_type_number_t nb = sizeof(b), nc = sizeof(c);

	kern_return_t kr = read_typed("pieces", TERM_MODE_COOKED, a, 4);
	bool ok = CHECK_KR(kr, KERN_SUCCESS) && CHECK(strcmp(a, "abcd") == 0) &&
		  CHECK_KR(term_read(owner, 4, TYPING_WAIT_MS, b, &nb), KERN_SUCCESS) &&
		  CHECK(nb == 4 && memcmp(b, "efgh", 4) == 0) &&
		  CHECK_KR(term_read(owner, 4, TYPING_WAIT_MS, c, &nc), KERN_SUCCESS) &&
		  CHECK(nc == 3 && memcmp(c, "ij\n", 3) == 0);
	tap_ok(ok, "a_line_longer_than_the_count_comes_in_pieces");
}

static void editing(void)
{
	char got[LINE_MAX];

	kern_return_t kr = read_typed("erase", TERM_MODE_COOKED, got, LINE_MAX - 1);
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "abcd\n") == 0,
	       "del_and_backspace_erase_the_last_byte");
	if (kr != KERN_SUCCESS || strcmp(got, "abcd\n") != 0)
		diag("read: %s, '%s'\n", mach_error_name(kr), got);
	kr = read_typed("kill", TERM_MODE_COOKED, got, LINE_MAX - 1);
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "right\n") == 0, "ctrl_u_kills_the_line");
	if (kr != KERN_SUCCESS || strcmp(got, "right\n") != 0)
		diag("read: %s, '%s'\n", mach_error_name(kr), got);
}

/* ^W: the blanks before it, then the word before them. */
static void word_erase(void)
{
	char got[LINE_MAX];

	kern_return_t kr = read_typed("werase", TERM_MODE_COOKED, got, LINE_MAX - 1);
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "one four\n") == 0,
	       "ctrl_w_erases_the_last_word_and_the_blanks_after_it");
	if (kr != KERN_SUCCESS || strcmp(got, "one four\n") != 0)
		diag("read: %s, '%s'\n", mach_error_name(kr), got);
}

/* ^D ends a read without a newline; on an empty line, a read gets no
 * bytes (the end of file), once. */
static void end_of_file(void)
{
	char got[LINE_MAX], more[8];
	mach_msg_type_number_t n = sizeof(more);

	kern_return_t kr = read_typed("eof", TERM_MODE_COOKED, got, LINE_MAX - 1);
	say(owner, "\n");   /* ends the echo's line: ^D has none */
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "abc") == 0,
	       "ctrl_d_ends_a_read_with_the_line_and_no_newline");
	if (kr != KERN_SUCCESS || strcmp(got, "abc") != 0)
		diag("read: %s, '%s'\n", mach_error_name(kr), got);
	kr = term_read(owner, sizeof(more), TYPING_WAIT_MS, more, &n);
	tap_ok(kr == KERN_SUCCESS && n == 0, "ctrl_d_on_an_empty_line_is_a_read_of_no_bytes");
	if (kr != KERN_SUCCESS || n != 0)
		diag("read: %s, %u bytes\n", mach_error_name(kr), n);
	n = sizeof(more);
	kr = term_read(owner, sizeof(more), 100, more, &n);
	tap_kr(kr, KERN_OPERATION_TIMED_OUT, "the_end_of_file_is_read_once");
}

/* A line half typed when canonical mode ends is input as it is. */
static void half_line(void)
{
	char got[8], probe[8];
	mach_msg_type_number_t n = sizeof(probe);
	uint32_t reads;

	bool ok = CHECK_KR(term_set_mode(owner, TERM_MODE_COOKED), KERN_SUCCESS);
	prompt("half");
	/* No line is ready while "half" waits for its Enter. */
	ok = ok && CHECK_KR(term_read(owner, sizeof(probe), 500, probe, &n),
			    KERN_OPERATION_TIMED_OUT);
	ok = ok && CHECK_KR(term_set_mode(owner, TERM_MODE_RAW), KERN_SUCCESS);
	uint32_t got_n = ok ? read_bytes(got, 4, &reads) : 0;
	term_set_mode(owner, TERM_MODE_COOKED);
	say(owner, "\n");   /* ends the echo's line */
	tap_ok(got_n == 4 && memcmp(got, "half", 4) == 0,
	       "leaving_canonical_mode_makes_the_half_typed_line_readable");
}

static void no_echo(void)
{
	char got[LINE_MAX];

	kern_return_t kr = read_typed("noecho", TERM_MODE_COOKED & ~TERM_MODE_ECHO, got,
				      LINE_MAX - 1);
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "hushhush\n") == 0,
	       "without_echo_the_line_is_read_all_the_same");
}

/* Raw mode: bytes as they came, without a newline, editing keys and ^C
 * included; a read returns what is there, at least one byte. */
static void raw(void)
{
	static const char typed[] = "xy\177\025\003";
	char got[8];
	uint32_t reads;

	bool ok = CHECK_KR(term_set_mode(owner, TERM_MODE_RAW), KERN_SUCCESS);
	prompt("raw");
	uint32_t n = ok ? read_bytes(got, 5, &reads) : 0;
	tap_ok(n == 5 && memcmp(got, typed, 5) == 0,
	       "a_raw_read_returns_the_bytes_as_typed_without_a_newline");
	tap_ok(n == 5 && reads >= 1 && reads <= 5, "a_raw_read_returns_at_least_one_byte");
	tap_eq(next_interrupt(50), 0, "without_interrupt_mode_ctrl_c_is_just_input");
	term_set_mode(owner, TERM_MODE_COOKED);
}

static void interrupt(void)
{
	char got[LINE_MAX];

	bool ok = CHECK_KR(term_set_mode(owner, TERM_MODE_COOKED), KERN_SUCCESS);
	prompt("interrupt");
	tap_eq(ok ? next_interrupt(TYPING_WAIT_MS) : 0, 1,
	       "ctrl_c_reaches_the_owner_as_its_first_interrupt_event");
	kern_return_t kr = read_typed("after", TERM_MODE_COOKED, got, LINE_MAX - 1);
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "after\n") == 0,
	       "ctrl_c_discards_the_line_being_edited");
	if (kr != KERN_SUCCESS || strcmp(got, "after\n") != 0)
		diag("read: %s, '%s'\n", mach_error_name(kr), got);
}

static void suspend(void)
{
	char got[LINE_MAX];

	prompt("suspend");
	tap_eq(next_suspend(TYPING_WAIT_MS), 1, "ctrl_z_reaches_the_owner_as_its_first_suspend_event");
	kern_return_t kr = read_typed("resumed", TERM_MODE_COOKED, got, LINE_MAX - 1);
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "resumed\n") == 0,
	       "ctrl_z_discards_the_line_being_edited");
}

/* Nothing is typed: the read ends at its deadline, not before. */
static void timeout(void)
{
	char got[8];
	mach_msg_type_number_t n = sizeof(got);
	uint64_t start = mach_clock_ns();

	kern_return_t kr = term_read(owner, sizeof(got), 100, got, &n);
	uint64_t ms = (mach_clock_ns() - start) / MACH_NS_PER_MS;
	tap_kr(kr, KERN_OPERATION_TIMED_OUT, "a_read_with_nothing_typed_times_out");
	tap_ok(ms >= 100 && ms < 2000, "a_read_times_out_at_its_deadline");
	if (ms < 100 || ms >= 2000)
		diag("the read took %lu ms\n", ms);
}

void test_input(void)
{
	canonical();
	pieces();
	editing();
	word_erase();
	end_of_file();
	half_line();
	no_echo();
	raw();
	interrupt();
	suspend();
	timeout();
}
