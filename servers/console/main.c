/*
 * console: the serial console driver (console.h, docs/console.md).  A
 * boot module started with the word "devices", so that bootstrap gives
 * it the device master port.  It takes the UART, registers the console
 * port in the name service as "console", and serves on one port set:
 *   - the UART's interrupt port: the kernel's device_irq_notify;
 *   - the owner port: the owner's requests (term.defs) and, sent through
 *     the kernel's send-once right, its no-senders notification;
 *   - the console port: everyone's requests (term.defs).
 * After every message, and whenever the nearest deadline passes, it
 * answers what waited (term_update).
 */
#include <bootstrap.h>
#include <device_irqServer.h>
#include <notifyServer.h>
#include <stdarg.h>
#include <termServer.h>

#include "console.h"
#include "owner.h"
#include "term.h"
#include "uart.h"

typedef union {
	mach_msg_header_t h;
	mig_reply_error_t e;
	uint8_t b[MACH_MSG_SIZE_MAX];   /* the largest message: none is too large */
} console_buf_t;

mach_port_t console_port_set;

kern_return_t console_port_new(bool send, mach_port_t *port)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);

	if (kr != KERN_SUCCESS)
		return kr;
	if (send)
		kr = mach_port_insert_right(mach_task_self(), *port, *port,
					    MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), *port, console_port_set);
	if (kr != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), *port);
		*port = MACH_PORT_NULL;
	}
	return kr;
}

kern_return_t console_refuse(kern_return_t code, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	mach_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	mach_printf("console: %s\n", why);
	return code;
}

uint64_t console_now(void)
{
	return mach_clock_ns();
}

/* Hands the message to the demux of the port it came on. */
static void demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	if (uart_is_irq_port(in->msgh_local_port))
		device_irq_server(in, out);
	else if (owner_notification(in->msgh_local_port, MACH_MSGH_BITS_LOCAL(in->msgh_bits)))
		notify_server(in, out);
	else
		term_server(in, out);
}

/* Settles who owns what after the demux (mach/mig_support.h), and sends
 * the reply if there is one. */
static void answer(mach_msg_header_t *in, mig_reply_error_t *out)
{
	if (!(out->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (out->RetCode == MIG_NO_REPLY)
			return;   /* kept, or answered later */
		if (out->RetCode != KERN_SUCCESS) {
			in->msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(in);   /* we took nothing */
		}
	}
	if (out->Head.msgh_remote_port == MACH_PORT_NULL) {
		mach_msg_destroy(&out->Head);
		return;
	}
	/* A reply goes through a send-once right, which never waits. */
	if (mach_msg(&out->Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out->Head.msgh_size, 0,
		     MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		mach_msg_destroy(&out->Head);
}

/* Errors after which the loop goes on: the message, or what of it the
 * kernel could not give us, is gone, but the ports still work. */
static bool receive_goes_on(mach_msg_return_t mr)
{
	return mr == MACH_MSG_SUCCESS || mr == MACH_RCV_TIMED_OUT ||
	       mr == MACH_RCV_HEADER_ERROR || mr == MACH_RCV_BODY_ERROR;
}

/*
 * The receive loop.  It waits for a message no longer than until the
 * nearest deadline of what waits (a read's, or the poll while output is
 * queued); with none, it waits for a message as long as it takes: it
 * owes nobody anything until one comes.
 */
static mach_msg_return_t serve(void)
{
	static console_buf_t in, out;

	for (;;) {
		uint64_t now = console_now(), next = term_deadline(now);
		mach_msg_option_t option = MACH_RCV_MSG;
		mach_msg_timeout_t ms = MACH_MSG_TIMEOUT_NONE;
		if (next != UINT64_MAX) {
			option |= MACH_RCV_TIMEOUT;
			ms = next <= now ? 0
					 : (mach_msg_timeout_t)((next - now + MACH_NS_PER_MS - 1) /
								MACH_NS_PER_MS);
		}
		mach_msg_return_t mr = mach_msg(&in.h, option, 0, sizeof(in), console_port_set, ms,
						MACH_PORT_NULL);
		if (!receive_goes_on(mr))
			return mr;
		if (mr == MACH_MSG_SUCCESS) {
			demux(&in.h, &out.h);
			answer(&in.h, &out.e);
		}
		term_update(console_now());
	}
}

static kern_return_t start(mach_port_t names, mach_port_t master)
{
	mach_port_t port = MACH_PORT_NULL;

	if (master == MACH_PORT_NULL)
		return console_refuse(KERN_NO_ACCESS, "no device master port "
				      "(the module's command line needs the word \"devices\")");
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET,
					      &console_port_set);
	if (kr == KERN_SUCCESS)
		kr = uart_start(master);
	if (kr == KERN_SUCCESS)
		kr = console_port_new(true, &port);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(names, "console", port);
	return kr;
}

int main(int argc, char **argv, char **envp)
{
	mach_port_t names = MACH_PORT_NULL, master = MACH_PORT_NULL;

	(void)argc;
	(void)argv;
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	task_get_special_port(mach_task_self(), TASK_DEVICE_PORT, &master);
	kern_return_t kr = start(names, master);
	if (kr != KERN_SUCCESS) {
		mach_printf("console: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	mach_printf("console: serving COM1\n");
	mach_msg_return_t mr = serve();
	mach_printf("console: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
