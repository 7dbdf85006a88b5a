/*
 * The line discipline (tty.c): what typed bytes become and how written
 * bytes go out, as the terminal's mode says (TERM_MODE_*, in
 * mach/term_types.h).  It owns the input queue, the line being edited,
 * the output queue the UART drains, and the window size.  It knows
 * neither the hardware (uart.c) nor the clients (term.c).
 */
#pragma once

#include <mach/term_types.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- input: what the UART received ---- */

/* One typed byte: edited, echoed, queued for reading, or an interrupt. */
void tty_input(uint8_t c);
/* Whether a read would get something now: a whole line in canonical
 * mode (or a full queue), a byte in raw mode; and the echo of what it
 * would get has gone to the UART, so that the echo comes out first. */
bool tty_readable(void);
/* Takes what one read gets (up to count bytes; in canonical mode no
 * further than the first '\n') into buf; how many. */
uint32_t tty_read(char *buf, uint32_t count);
/* How many ^C, and how many ^Z (TERM_MODE_INTERRUPT), were typed since
 * the last call. */
uint32_t tty_take_interrupts(void);
uint32_t tty_take_suspends(void);

/* ---- output: what goes to the UART ---- */

/*
 * Queues data for the UART ('\n' as "\r\n" in TERM_MODE_CRLF); *done_at
 * is tty_output_sent()'s value once its last byte has gone.  False (and
 * nothing queued) if it does not fit; it always fits while at most
 * TERM_WRITERS_MAX writes of at most TERM_IO_MAX bytes wait.
 */
bool tty_write(const char *data, uint32_t len, uint64_t *done_at);
/* The next byte for the UART; false if none is queued. */
bool tty_output_next(uint8_t *c);
bool tty_output_pending(void);
/* How many bytes have gone to the UART so far. */
uint64_t tty_output_sent(void);
/* Drops the queued output (a UART that takes nothing). */
void tty_output_drop(void);

/* ---- settings ---- */

uint32_t tty_mode(void);
/* The caller checked mode (only TERM_MODE_* bits). */
void tty_set_mode(uint32_t mode);
void tty_winsize(uint32_t *rows, uint32_t *cols);
/* The caller checked the sizes (1 .. TERM_WINSIZE_MAX). */
void tty_set_winsize(uint32_t rows, uint32_t cols);
