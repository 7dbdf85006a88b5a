/*
 * The terminal: descriptors open on the console driver (term.defs).
 * The driver answers reads when a line is typed and writes when the
 * UART has taken the bytes, so the server never waits for it: each
 * read or write of a process is sent with term_request.defs, with a
 * reply port of the server's own made for it, and the process's answer
 * goes out when the driver's answer comes in (term_reply.defs).  A write
 * larger than the driver takes at once (TERM_IO_MAX) goes in pieces,
 * one after the other's answer.
 */
#include "emul.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <term_request.h>
#include <term_replyServer.h>
#include <unixServer.h>
#include <unix_reply.h>

mach_port_t term_port;
pid_t term_foreground = 1;

/* A request of a process's that the driver has not answered yet. */
struct term_op {
	struct term_op *next;
	mach_port_t port;           /* the driver's answer comes here */
	mach_port_t reply;          /* the process's answer goes here */
	struct proc *proc;          /* NULL once the process is gone */
	bool write;
	bool held;                  /* read: from the background, not asked of the driver */
	uint32_t size, done;        /* write: its bytes, and how many went; read: its count */
	char data[UNIX_IO_MAX];
};
static struct term_op *ops;

static struct term_op *op_find(mach_port_t port)
{
	for (struct term_op *op = ops; op != NULL; op = op->next)
		if (op->port == port)
			return op;
	return NULL;
}

static void op_free(struct term_op *op)
{
	struct term_op **link = &ops;

	while (*link != op)
		link = &(*link)->next;
	*link = op->next;
	emul_reply_port_free(op->port);
	free(op);
}

/* A new op, on the list, with its port; NULL if there is no room. */
static struct term_op *op_new(struct proc *p, mach_port_t reply, bool write)
{
	struct term_op *op = malloc(sizeof(*op));

	if (op == NULL)
		return NULL;
	if (emul_reply_port(&op->port) != KERN_SUCCESS) {
		free(op);
		return NULL;
	}
	op->proc = p;
	op->reply = reply;
	op->write = write;
	op->held = false;
	op->size = op->done = 0;
	op->next = ops;
	ops = op;
	return op;
}

/* The next piece of op's bytes to the driver. */
static kern_return_t op_send_piece(struct term_op *op, mach_port_t term)
{
	uint32_t n = op->size - op->done;

	if (n > TERM_IO_MAX)
		n = TERM_IO_MAX;
	return term_request_write(term, op->port, op->data + op->done, n);
}

/*
 * Input the driver gave that no process has taken yet: a line a poll
 * asked for, or one whose reader a signal took away; and an end of file
 * (^D on an empty line) not yet read.  The next read takes it first.
 */
static char input[TERM_IO_MAX];
static uint32_t input_start, input_size;
static bool input_eof;

/* The driver's answer to a read no process waits for: kept. */
static void input_keep(const char *data, uint32_t n)
{
	if (n == 0) {
		input_eof = true;
		return;
	}
	memmove(input, input + input_start, input_size);
	input_start = 0;
	if (n > TERM_IO_MAX - input_size) {
		mach_printf("emul: %u bytes typed ahead were dropped\n", n - (TERM_IO_MAX - input_size));
		n = TERM_IO_MAX - input_size;
	}
	memcpy(input + input_size, data, n);
	input_size += n;
}

/* Up to count bytes of what was kept, answered on reply. */
static void input_answer(mach_port_t reply, uint32_t count)
{
	uint32_t n = count < input_size ? count : input_size;

	unix_read_reply(reply, KERN_SUCCESS, n, input + input_start, n);
	input_start += n;
	input_size -= n;
	if (n == 0)
		input_eof = false;
}

/* The read the driver has been asked for that no process waits on. */
static struct term_op *unclaimed_read(void)
{
	for (struct term_op *op = ops; op != NULL; op = op->next)
		if (!op->write && op->proc == NULL)
			return op;
	return NULL;
}

bool term_readable(bool want)
{
	if (input_size > 0 || input_eof)
		return true;
	if (!want || unclaimed_read() != NULL)
		return false;
	struct term_op *op = op_new(NULL, MACH_PORT_NULL, false);
	if (op != NULL && term_request_read(term_port, op->port, TERM_IO_MAX, 0) != KERN_SUCCESS)
		op_free(op);
	return false;
}

/* p's read of count bytes, answered on reply, from what was kept or
 * from the driver. */
static int read_now(struct proc *p, mach_port_t reply, uint32_t count)
{
	if (input_size > 0 || input_eof) {
		input_answer(reply, count);
		return EMUL_LATER;
	}
	struct term_op *op = unclaimed_read();
	if (op != NULL) {
		/* Its line is the next one typed: this read takes it over. */
		op->proc = p;
		op->reply = reply;
		op->size = count;
		return EMUL_LATER;
	}
	op = op_new(p, reply, false);
	if (op == NULL)
		return -ENOMEM;
	op->size = count;
	kern_return_t kr = term_request_read(term_port, op->port,
					     count < TERM_IO_MAX ? count : TERM_IO_MAX, 0);
	if (kr != KERN_SUCCESS) {
		op_free(op);
		return -EIO;
	}
	return EMUL_LATER;
}

/* Whether p is in the terminal's session but not its foreground. */
static bool in_background(struct proc *p)
{
	int32_t pgid = 0, sid = 0;

	return proc_ids_of(p->pid, NULL, &pgid, &sid) == 0 && sid == TERMINAL_SESSION &&
	       pgid != term_foreground;
}

/*
 * A read from the background stops its process with SIGTTIN and waits,
 * held, until its group has the terminal; if SIGTTIN is ignored or
 * blocked it fails with EIO.
 */
int terminal_read(struct proc *p, struct file *f, mach_port_t reply, uint32_t count)
{
	(void)f;
	if (!in_background(p))
		return read_now(p, reply, count);
	if (signal_refused(p, SIGTTIN))
		return -EIO;
	struct term_op *op = op_new(p, reply, false);
	if (op == NULL)
		return -ENOMEM;
	op->held = true;
	op->size = count;
	signal_post(p, SIGTTIN);
	return EMUL_LATER;
}

void term_foreground_changed(void)
{
	struct term_op *next;

	for (struct term_op *op = ops; op != NULL; op = next) {
		next = op->next;
		if (!op->held || in_background(op->proc))
			continue;
		int r = read_now(op->proc, op->reply, op->size);
		if (r != EMUL_LATER)
			unix_read_reply(op->reply, KERN_SUCCESS, r, NULL, 0);
		op_free(op);
	}
}

int terminal_write(struct proc *p, struct file *f, mach_port_t reply, const char *data,
	       uint32_t count)
{
	struct term_op *op = op_new(p, reply, true);

	if (op == NULL)
		return -ENOMEM;
	memcpy(op->data, data, count);
	op->size = count;
	if (op_send_piece(op, f->port) != KERN_SUCCESS) {
		op_free(op);
		return -EIO;
	}
	return EMUL_LATER;
}

kern_return_t term_reply_S_read_reply(mach_port_t port, kern_return_t return_code,
				      term_data_t data, mach_msg_type_number_t dataCnt)
{
	struct term_op *op = op_find(port);

	if (op == NULL || op->write)
		return KERN_INVALID_ARGUMENT;
	if (return_code == KERN_SUCCESS) {
		uint32_t n = op->proc == NULL ? 0 : dataCnt < op->size ? dataCnt : op->size;
		if (op->proc != NULL)
			unix_read_reply(op->reply, KERN_SUCCESS, n, data, n);
		if (op->proc == NULL || n < dataCnt)
			input_keep(data + n, dataCnt - n);
	} else if (op->proc != NULL) {
		unix_read_reply(op->reply, KERN_SUCCESS, -emul_errno(return_code), NULL, 0);
	}
	op_free(op);
	return KERN_SUCCESS;
}

kern_return_t term_reply_S_write_reply(mach_port_t port, kern_return_t return_code)
{
	struct term_op *op = op_find(port);

	if (op == NULL || !op->write)
		return KERN_INVALID_ARGUMENT;
	if (return_code == KERN_SUCCESS) {
		uint32_t n = op->size - op->done;
		op->done += n > TERM_IO_MAX ? TERM_IO_MAX : n;
		if (op->done < op->size && op->proc != NULL &&
		    op_send_piece(op, term_port) == KERN_SUCCESS)
			return KERN_SUCCESS;
	}
	if (op->proc != NULL) {
		int64_t result = op->done > 0 ? (int64_t)op->done
				 : return_code != KERN_SUCCESS ? -emul_errno(return_code)
							       : -EIO;
		unix_write_reply(op->reply, KERN_SUCCESS, result);
	}
	op_free(op);
	return KERN_SUCCESS;
}

/* A signal interrupts a read, not a write (the UART takes it soon).
 * The driver's answer to a read cancelled comes still, and is kept for
 * the next read. */
void term_cancel(struct proc *p, bool answer)
{
	struct term_op *next;

	for (struct term_op *op = ops; op != NULL; op = next) {
		next = op->next;
		if (op->proc != p || (answer && op->write))
			continue;
		op->proc = NULL;
		if (answer)
			unix_read_reply(op->reply, KERN_SUCCESS, -EINTR, NULL, 0);
		else
			mach_port_deallocate(mach_task_self(), op->reply);
		if (op->held)
			op_free(op);   /* the driver was never asked */
	}
}

/* The terminal open on fd of p's, or NULL with *error set. */
static struct file *terminal_of(struct proc *p, int32_t fd, int64_t *error)
{
	struct file *f = fd_get(p, fd);

	*error = f == NULL ? -EBADF : f->kind != FILE_TERM ? -ENOTTY : 0;
	return *error == 0 ? f : NULL;
}

kern_return_t unix_S_tcgetattr(mach_port_t port, int32_t fd, int64_t *result, uint32_t *mode)
{
	EMUL_CALLER(p, port);
	*mode = 0;
	if (terminal_of(p, fd, result) != NULL) {
		kern_return_t kr = term_get_mode(term_port, mode);
		*result = kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_tcsetattr(mach_port_t port, int32_t fd, uint32_t mode, int64_t *result)
{
	EMUL_CALLER(p, port);
	if (terminal_of(p, fd, result) != NULL) {
		kern_return_t kr = term_set_mode(term_port, mode);
		*result = kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
	}
	return KERN_SUCCESS;
}
