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
#include "driver.h"
#include "owner.h"
#include "term.h"
#include "uart.h"

mach_port_t console_port_set;

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

/* Hands the message to the demux of the port it came on. */
static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	if (uart_is_irq_port(in->msgh_local_port))
		return device_irq_server(in, out);
	if (owner_notification(in->msgh_local_port, MACH_MSGH_BITS_LOCAL(in->msgh_bits)))
		return notify_server(in, out);
	return term_server(in, out);
}

/*
 * Before each receive: answers what waited, and says how long the
 * receive may wait (until the nearest deadline of a read, or the poll
 * while output is queued); with none it waits as long as it takes: it
 * owes nobody anything until a message comes.
 */
static uint64_t tick(void *arg, struct mach_tick_clock *clock)
{
	uint64_t now = mach_tick_now(clock);

	(void)arg;
	term_update(now);
	return term_deadline(now);
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
		kr = driver_port_new(console_port_set, true, &port);
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
	/* Every message fits: none is too large. */
	mach_msg_return_t mr = mach_msg_server_timed(demux, MACH_MSG_SIZE_MAX, console_port_set,
						     tick, NULL);
	mach_printf("console: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
