/*
 * The line discipline.  A typed byte goes one of three ways:
 *
 *   ^C and ^Z, in TERM_MODE_INTERRUPT: discard the line being edited
 *     and the input not read yet, echo "^C" or "^Z" and a newline, and
 *     are counted for the owner's events (tty_take_interrupts,
 *     tty_take_suspends);
 *   canonical mode: into the line being edited (line[]), where BS and
 *     DEL erase the last byte, ^W the last word and ^U the whole line,
 *     until '\n' (or CR, taken as '\n') moves the line, with its '\n',
 *     to the input queue, or ^D moves it without one (an end of file:
 *     on an empty line, a read then returns no bytes);
 *   raw mode: straight to the input queue.
 *
 * Reads take from the input queue only: in canonical mode up to and
 * including the first '\n', or up to the first ^D's mark, so a read is
 * ready once the queue holds a '\n' (input_lines counts them) or a mark
 * or is full; in raw mode whatever is there.  Leaving canonical mode
 * moves the line being edited to the queue as it is; bytes left from
 * raw mode when canonical mode returns begin the next line.  Bytes that
 * find no room are dropped, as a terminal does: a line past
 * TTY_LINE_MAX, input past TTY_INPUT_SIZE, echo past TTY_ECHO_LIMIT.
 *
 * The echo goes to the same output queue as writes.  A read is answered
 * only once the echo of what it gets has gone to the UART (echo_end), so
 * the echo is out before whatever the reader prints next.
 *
 * The console has one thread: nothing here is locked.
 */
#include "tty.h"

#include "ring.h"

#define TTY_INPUT_SIZE 4096    /* typed and not read yet */
#define TTY_LINE_MAX 256       /* the line being edited, its '\n' included */
#define TTY_OUTPUT_SIZE 32768  /* written or echoed, not yet at the UART */
#define TTY_EOF_MAX 8          /* ^D marks not yet read; more are dropped */

/*
 * The echo may fill the output queue this far only: the rest is the
 * writers', so that a write always fits (each of the TERM_WRITERS_MAX
 * that may wait takes at most 2 * TERM_IO_MAX bytes, every '\n' doubled).
 */
#define TTY_ECHO_LIMIT (TTY_OUTPUT_SIZE - TERM_WRITERS_MAX * 2 * TERM_IO_MAX)
_Static_assert(TTY_ECHO_LIMIT >= 4096, "room for the echo in the output queue");

#define CTRL(c) ((uint8_t)((c) & 0x1f))
#define KEY_INTERRUPT CTRL('C')
#define KEY_SUSPEND CTRL('Z')
#define KEY_KILL CTRL('U')
#define KEY_WORD_ERASE CTRL('W')
#define KEY_EOF CTRL('D')
#define KEY_BACKSPACE CTRL('H')
#define KEY_DELETE 0x7f

static uint8_t input_bytes[TTY_INPUT_SIZE], output_bytes[TTY_OUTPUT_SIZE];

static struct {
	uint32_t mode;
	struct ring input;          /* typed, ready to read */
	uint32_t input_lines;       /* '\n' bytes in input */
	uint64_t eof_at[TTY_EOF_MAX]; /* ^D marks: input positions where a read ends */
	uint32_t eof_first, eof_count;
	uint8_t line[TTY_LINE_MAX]; /* canonical mode: the line being edited */
	uint32_t line_len;
	struct ring output;         /* to the UART */
	uint64_t echo_end;          /* output.tail after the last echo */
	uint32_t interrupts;        /* ^C not yet taken by tty_take_interrupts */
	uint32_t suspends;          /* ^Z not yet taken by tty_take_suspends */
	uint32_t rows, cols;
} tty = {
	.mode = TERM_MODE_COOKED,
	.input = RING_INIT(input_bytes),
	.output = RING_INIT(output_bytes),
	.rows = TERM_ROWS_DEFAULT,
	.cols = TERM_COLS_DEFAULT,
};

static bool mode_has(uint32_t bit)
{
	return (tty.mode & bit) != 0;
}

static bool is_control(uint8_t c)
{
	return c < 0x20 || c == KEY_DELETE;
}

/* ---- echo ---- */

/* Queues the echo bytes s (all or none: a partial echo would mislead). */
static void echo(const char *s, uint32_t n)
{
	if (!mode_has(TERM_MODE_ECHO) || ring_used(&tty.output) + n > TTY_ECHO_LIMIT)
		return;
	for (uint32_t i = 0; i < n; i++)
		ring_put(&tty.output, (uint8_t)s[i]);
	tty.echo_end = tty.output.tail;
}

static void echo_newline(void)
{
	if (mode_has(TERM_MODE_CRLF))
		echo("\r\n", 2);
	else
		echo("\n", 1);
}

/* A byte of the line as it shows: itself, or ^X for a control byte. */
static void echo_byte(uint8_t c)
{
	char shown[2] = { '^', (char)(c ^ 0x40) };

	if (is_control(c))
		echo(shown, 2);
	else
		echo((const char *)&c, 1);
}

/* Takes the line's last byte back off the screen. */
static void echo_erase(uint8_t c)
{
	echo("\b \b", 3);
	if (is_control(c))
		echo("\b \b", 3);
}

/* ---- input ---- */

static void input_put(uint8_t c)
{
	if (!ring_put(&tty.input, c))
		return;   /* full: dropped */
	if (c == '\n')
		tty.input_lines++;
}

/* Moves the line being edited to the input queue, if it fits whole. */
static void line_commit(void)
{
	if (ring_room(&tty.input) >= tty.line_len)
		for (uint32_t i = 0; i < tty.line_len; i++)
			input_put(tty.line[i]);
	tty.line_len = 0;
}

static void line_erase(void)
{
	if (tty.line_len == 0)
		return;
	echo_erase(tty.line[--tty.line_len]);
}

static bool is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* ^W: the blanks at the line's end, then the word before them. */
static void word_erase(void)
{
	while (tty.line_len > 0 && is_blank(tty.line[tty.line_len - 1]))
		line_erase();
	while (tty.line_len > 0 && !is_blank(tty.line[tty.line_len - 1]))
		line_erase();
}

static void eof_clear(void)
{
	tty.eof_first = tty.eof_count = 0;
}

/* ^D: the line goes to the queue as it is, and a read ends there. */
static void end_of_file(void)
{
	if (tty.eof_count == TTY_EOF_MAX || ring_room(&tty.input) < tty.line_len)
		return;   /* dropped, line and all kept for editing */
	line_commit();
	tty.eof_at[(tty.eof_first + tty.eof_count++) % TTY_EOF_MAX] = tty.input.tail;
}

/* The first ^D mark, or UINT64_MAX if none. */
static uint64_t eof_next(void)
{
	return tty.eof_count > 0 ? tty.eof_at[tty.eof_first] : UINT64_MAX;
}

static void eof_pop(void)
{
	tty.eof_first = (tty.eof_first + 1) % TTY_EOF_MAX;
	tty.eof_count--;
}

static void canonical_input(uint8_t c)
{
	if (c == '\r')
		c = '\n';
	switch (c) {
	case KEY_BACKSPACE:
	case KEY_DELETE:
		line_erase();
		return;
	case KEY_KILL:
		while (tty.line_len > 0)
			line_erase();
		return;
	case KEY_WORD_ERASE:
		word_erase();
		return;
	case KEY_EOF:
		end_of_file();
		return;
	case '\n':
		tty.line[tty.line_len++] = '\n';   /* room was kept for it */
		echo_newline();
		line_commit();
		return;
	}
	if (tty.line_len >= TTY_LINE_MAX - 1)
		return;   /* full: dropped, keeping room for the '\n' */
	tty.line[tty.line_len++] = c;
	echo_byte(c);
}

/* ^C or ^Z: the input goes, and the owner is to be told. */
static void interrupt(uint8_t c)
{
	tty.line_len = 0;
	ring_clear(&tty.input);
	tty.input_lines = 0;
	eof_clear();
	echo(c == KEY_INTERRUPT ? "^C" : "^Z", 2);
	echo_newline();
	if (c == KEY_INTERRUPT)
		tty.interrupts++;
	else
		tty.suspends++;
}

void tty_input(uint8_t c)
{
	if ((c == KEY_INTERRUPT || c == KEY_SUSPEND) && mode_has(TERM_MODE_INTERRUPT)) {
		interrupt(c);
	} else if (mode_has(TERM_MODE_CANONICAL)) {
		canonical_input(c);
	} else {
		input_put(c);
		echo((const char *)&c, 1);
	}
}

bool tty_readable(void)
{
	if (tty.output.head < tty.echo_end)
		return false;
	if (mode_has(TERM_MODE_CANONICAL))
		return tty.input_lines > 0 || tty.eof_count > 0 || ring_room(&tty.input) == 0;
	return ring_used(&tty.input) > 0;
}

uint32_t tty_read(char *buf, uint32_t count)
{
	bool canonical = mode_has(TERM_MODE_CANONICAL);
	uint64_t mark = canonical ? eof_next() : UINT64_MAX;
	uint32_t n = 0;
	uint8_t c;

	if (tty.input.head == mark) {   /* ^D on an empty line: end of file */
		eof_pop();
		return 0;
	}
	while (n < count && tty.input.head != mark && ring_get(&tty.input, &c)) {
		buf[n++] = (char)c;
		if (c != '\n')
			continue;
		tty.input_lines--;
		if (canonical)
			break;
	}
	/* The mark of a line ^D ended goes once the line is read (one after
	 * a '\n' is an empty line's: the next read's end of file); raw reads
	 * pass over marks. */
	while (eof_next() < tty.input.head)
		eof_pop();
	if (eof_next() == tty.input.head && n > 0 && buf[n - 1] != '\n')
		eof_pop();
	return n;
}

uint32_t tty_take_interrupts(void)
{
	uint32_t n = tty.interrupts;

	tty.interrupts = 0;
	return n;
}

uint32_t tty_take_suspends(void)
{
	uint32_t n = tty.suspends;

	tty.suspends = 0;
	return n;
}

/* ---- output ---- */

bool tty_write(const char *data, uint32_t len, uint64_t *done_at)
{
	bool crlf = mode_has(TERM_MODE_CRLF);
	uint32_t size = len;

	for (uint32_t i = 0; crlf && i < len; i++)
		size += data[i] == '\n';
	if (size > ring_room(&tty.output))
		return false;
	for (uint32_t i = 0; i < len; i++) {
		if (crlf && data[i] == '\n')
			ring_put(&tty.output, '\r');
		ring_put(&tty.output, (uint8_t)data[i]);
	}
	*done_at = tty.output.tail;
	return true;
}

bool tty_output_next(uint8_t *c)
{
	return ring_get(&tty.output, c);
}

bool tty_output_pending(void)
{
	return ring_used(&tty.output) > 0;
}

uint64_t tty_output_sent(void)
{
	return tty.output.head;
}

void tty_output_drop(void)
{
	ring_clear(&tty.output);
}

/* ---- settings ---- */

uint32_t tty_mode(void)
{
	return tty.mode;
}

void tty_set_mode(uint32_t mode)
{
	if (mode_has(TERM_MODE_CANONICAL) && !(mode & TERM_MODE_CANONICAL))
		line_commit();
	tty.mode = mode;
}

void tty_winsize(uint32_t *rows, uint32_t *cols)
{
	*rows = tty.rows;
	*cols = tty.cols;
}

void tty_set_winsize(uint32_t rows, uint32_t cols)
{
	tty.rows = rows;
	tty.cols = cols;
}
