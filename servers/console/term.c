/*
 * The terminal's routines (term.defs) but ownership (owner.c), and the
 * reads and writes that wait.
 *
 * A read that finds nothing ready, or a write whose bytes the UART has
 * not all taken, keeps its reply port (a send-once right) and returns
 * MIG_NO_REPLY; term_update, run by the receive loop after every message
 * and timeout, answers it with term_reply.defs when it can:
 *
 *   reader: waiting --(a line or byte is ready)--> answered with the data
 *                   --(its deadline passes)------> KERN_OPERATION_TIMED_OUT
 *                   --(the ownership changes)----> KERN_ABORTED
 *                   --(its client is gone)-------> dropped, input untouched
 *   writer: waiting --(the UART took its last byte)--> answered
 *                   --(the UART takes nothing for TERM_STALL_MS)-->
 *                         KERN_OPERATION_TIMED_OUT, the output dropped
 *
 * Readers are answered in the order they came; a writer's bytes are in
 * the output queue from the start (tty_write), so writers finish in
 * order too.  Both tables are bounded (TERM_READERS_MAX,
 * TERM_WRITERS_MAX); a full table refuses with KERN_RESOURCE_SHORTAGE,
 * after dropping the readers whose client has gone.
 */
#include "term.h"

#include <termServer.h>
#include <term_reply.h>

#include "console.h"
#include "owner.h"
#include "tty.h"
#include "uart.h"

/* How often the UART is looked at while output waits, in case an
 * interrupt was missed; also how soon a stall is noticed. */
#define TERM_POLL_MS 10
#define NO_DEADLINE UINT64_MAX
#define MODE_BITS (TERM_MODE_CANONICAL | TERM_MODE_ECHO | TERM_MODE_INTERRUPT | TERM_MODE_CRLF)

struct reader {
	mach_port_t reply;    /* send-once right */
	uint32_t count;
	uint64_t deadline;    /* ns, or NO_DEADLINE */
};

struct writer {
	mach_port_t reply;    /* send-once right */
	uint64_t done_at;     /* tty_output_sent() once its last byte went */
};

static struct reader readers[TERM_READERS_MAX];
static uint32_t reader_count;
static struct writer writers[TERM_WRITERS_MAX];
static uint32_t writer_count;

/* ---- answers ---- */

/* Whether the client waiting on reply has gone: its port died. */
static bool client_gone(mach_port_t reply)
{
	mach_port_type_t type;

	return mach_port_type(mach_task_self(), reply, &type) != KERN_SUCCESS ||
	       (type & MACH_PORT_TYPE_DEAD_NAME);
}

/* A send that fails consumes nothing: the right is released here. */
static void answer_read(mach_port_t reply, kern_return_t code, char *data, uint32_t n)
{
	if (term_read_reply(reply, code, data, n) != MACH_MSG_SUCCESS)
		mach_port_deallocate(mach_task_self(), reply);
}

static void answer_write(mach_port_t reply, kern_return_t code)
{
	if (term_write_reply(reply, code) != MACH_MSG_SUCCESS)
		mach_port_deallocate(mach_task_self(), reply);
}

static void reader_remove(uint32_t i)
{
	reader_count--;
	memmove(&readers[i], &readers[i + 1], (reader_count - i) * sizeof(readers[0]));
}

static void readers_drop_gone(void)
{
	for (uint32_t i = 0; i < reader_count;) {
		if (!client_gone(readers[i].reply)) {
			i++;
			continue;
		}
		mach_port_deallocate(mach_task_self(), readers[i].reply);
		reader_remove(i);
	}
}

static void readers_answer(uint64_t now)
{
	static char data[TERM_IO_MAX];

	while (reader_count > 0 && tty_readable()) {
		if (client_gone(readers[0].reply)) {
			mach_port_deallocate(mach_task_self(), readers[0].reply);
		} else {
			uint32_t n = tty_read(data, readers[0].count);
			answer_read(readers[0].reply, KERN_SUCCESS, data, n);
		}
		reader_remove(0);
	}
	for (uint32_t i = 0; i < reader_count;) {
		if (readers[i].deadline > now) {
			i++;
			continue;
		}
		answer_read(readers[i].reply, KERN_OPERATION_TIMED_OUT, NULL, 0);
		reader_remove(i);
	}
}

void term_abort_readers(void)
{
	for (uint32_t i = 0; i < reader_count; i++)
		answer_read(readers[i].reply, KERN_ABORTED, NULL, 0);
	reader_count = 0;
}

static void writers_answer(uint64_t now)
{
	if (uart_stalled(now)) {
		mach_printf("console: the UART took nothing for %d ms: output dropped\n",
			    TERM_STALL_MS);
		for (uint32_t i = 0; i < writer_count; i++)
			answer_write(writers[i].reply, KERN_OPERATION_TIMED_OUT);
		writer_count = 0;
		tty_output_drop();
	}
	uint32_t kept = 0;
	for (uint32_t i = 0; i < writer_count; i++) {
		if (tty_output_sent() >= writers[i].done_at)
			answer_write(writers[i].reply, KERN_SUCCESS);
		else
			writers[kept++] = writers[i];
	}
	writer_count = kept;
}

void term_update(uint64_t now)
{
	uart_transmit(now);
	writers_answer(now);
	readers_answer(now);
	owner_report();
}

uint64_t term_deadline(uint64_t now)
{
	uint64_t next = NO_DEADLINE;

	for (uint32_t i = 0; i < reader_count; i++)
		if (readers[i].deadline < next)
			next = readers[i].deadline;
	if (tty_output_pending() && now + TERM_POLL_MS * MACH_NS_PER_MS < next)
		next = now + TERM_POLL_MS * MACH_NS_PER_MS;
	return next;
}

/* ---- the routines ---- */

kern_return_t term_S_read(mach_port_t term, mach_port_t reply, natural_t count,
			  natural_t timeout, term_data_t data, mach_msg_type_number_t *dataCnt)
{
	if (!owner_allows(term))
		return console_refuse(KERN_NO_ACCESS, "read: the terminal has another owner");
	if (count == 0 || count > TERM_IO_MAX)
		return console_refuse(KERN_INVALID_ARGUMENT, "read: count %u is not 1 to %d",
				      count, TERM_IO_MAX);
	if (reply == MACH_PORT_NULL)
		return console_refuse(KERN_INVALID_ARGUMENT, "read: no reply port");
	if (reader_count == 0 && tty_readable()) {
		*dataCnt = tty_read(data, count);
		return KERN_SUCCESS;
	}
	if (reader_count == TERM_READERS_MAX)
		readers_drop_gone();
	if (reader_count == TERM_READERS_MAX)
		return console_refuse(KERN_RESOURCE_SHORTAGE, "read: %d reads wait already",
				      TERM_READERS_MAX);
	readers[reader_count++] = (struct reader){
		.reply = reply,
		.count = count,
		.deadline = timeout == 0 ? NO_DEADLINE
					 : mach_clock_ns() + timeout * MACH_NS_PER_MS,
	};
	return MIG_NO_REPLY;
}

kern_return_t term_S_write(mach_port_t term, mach_port_t reply, term_data_t data,
			   mach_msg_type_number_t dataCnt)
{
	uint64_t done_at;

	(void)term;
	if (writer_count == TERM_WRITERS_MAX)
		return console_refuse(KERN_RESOURCE_SHORTAGE, "write: %d writes wait already",
				      TERM_WRITERS_MAX);
	if (!tty_write(data, dataCnt, &done_at))
		return console_refuse(KERN_RESOURCE_SHORTAGE, "write: the output queue is full");
	uart_transmit(mach_clock_ns());
	if (tty_output_sent() >= done_at)
		return KERN_SUCCESS;
	writers[writer_count++] = (struct writer){ .reply = reply, .done_at = done_at };
	return MIG_NO_REPLY;
}

kern_return_t term_S_get_mode(mach_port_t term, natural_t *mode)
{
	(void)term;
	*mode = tty_mode();
	return KERN_SUCCESS;
}

kern_return_t term_S_set_mode(mach_port_t term, natural_t mode)
{
	if (!owner_allows(term))
		return console_refuse(KERN_NO_ACCESS, "set_mode: the terminal has another owner");
	if (mode & ~MODE_BITS)
		return console_refuse(KERN_INVALID_VALUE, "set_mode: unknown mode bits 0x%x",
				      mode & ~MODE_BITS);
	tty_set_mode(mode);
	return KERN_SUCCESS;
}

kern_return_t term_S_get_winsize(mach_port_t term, natural_t *rows, natural_t *cols)
{
	(void)term;
	tty_winsize(rows, cols);
	return KERN_SUCCESS;
}

kern_return_t term_S_set_winsize(mach_port_t term, natural_t rows, natural_t cols)
{
	if (!owner_allows(term))
		return console_refuse(KERN_NO_ACCESS,
				      "set_winsize: the terminal has another owner");
	if (rows == 0 || rows > TERM_WINSIZE_MAX || cols == 0 || cols > TERM_WINSIZE_MAX)
		return console_refuse(KERN_INVALID_ARGUMENT, "set_winsize: %u by %u is not 1 to %d",
				      rows, cols, TERM_WINSIZE_MAX);
	tty_set_winsize(rows, cols);
	return KERN_SUCCESS;
}
