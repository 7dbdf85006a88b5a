/*
 * The C side of the terminal's interfaces (idl/defs/term.defs,
 * term_reply.defs, term_event.defs), served by the console driver
 * (servers/console, docs/console.md): the mode bits, the limits, and the
 * type of the bytes a read or write carries.
 */
#pragma once

#include <mach/std_types.h>

/* Bytes one term_read or term_write carries at most (term_data_t's bound). */
#define TERM_IO_MAX 1024
typedef char *term_data_t;

/*
 * The line discipline's mode: any combination of these bits.
 *   CANONICAL  typed bytes are edited into lines (BS or DEL erase the
 *              last byte, ^U the whole line, CR is taken as '\n'); a read
 *              returns one line.  Without it (raw) a read returns the
 *              bytes as they came, at least one.
 *   ECHO       typed bytes are written back (in canonical mode, control
 *              bytes as ^X and erasures as "\b \b").
 *   INTERRUPT  ^C is not input: it discards the line being edited and
 *              the input not read yet, and is reported to the owner
 *              (term_event_interrupt).
 *   CRLF       '\n' is written as "\r\n" (writes and echo).
 */
#define TERM_MODE_CANONICAL 0x1u
#define TERM_MODE_ECHO 0x2u
#define TERM_MODE_INTERRUPT 0x4u
#define TERM_MODE_CRLF 0x8u
#define TERM_MODE_COOKED \
	(TERM_MODE_CANONICAL | TERM_MODE_ECHO | TERM_MODE_INTERRUPT | TERM_MODE_CRLF)
#define TERM_MODE_RAW 0u

/* The window's size until someone sets it, and the largest it may be. */
#define TERM_ROWS_DEFAULT 24
#define TERM_COLS_DEFAULT 80
#define TERM_WINSIZE_MAX 9999

/* Reads and writes that may wait for their reply at once. */
#define TERM_READERS_MAX 8
#define TERM_WRITERS_MAX 8

/* How long the UART may take no byte before waiting writes fail (ms). */
#define TERM_STALL_MS 2000
