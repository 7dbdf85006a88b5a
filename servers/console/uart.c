/*
 * The 16550 UART at COM1, driven by interrupts: received bytes go to the
 * line discipline (tty.c), and the output queue goes out a FIFO-full at
 * a time whenever the transmitter is empty.
 *
 * The kernel's log shares the UART (kernel/arch/x86_64/serial.c): it set
 * the baud rate and line (115200 8N1, FIFOs on, interrupts off) at boot,
 * and it prints by polling, waiting for the transmitter to be empty
 * (LSR.THRE) and writing one byte, with no lock we could take; it never
 * reads.  So this driver:
 *   - keeps the kernel's settings, and sets only the interrupt enables
 *     (IER) and MCR's OUT2, which gates the UART's interrupt line;
 *   - writes at most UART_BURST bytes, one less than the FIFO holds, each
 *     time it finds the transmitter empty: the kernel writes only to an
 *     empty FIFO, so the most it can have slipped in between our look at
 *     LSR and our burst is one byte, and the two still fit;
 *   - enables the transmitter's interrupt only while output is queued,
 *     so that the kernel's log does not keep waking us.
 * Their bytes interleave, as they come; nothing is lost (docs/console.md).
 *
 * An interrupt message is answered by reading the UART's interrupt
 * identification (IIR) until it has nothing pending (which lowers its
 * line), then device_irq_ack: the kernel keeps the line masked until
 * then, and a rising edge that comes meanwhile is latched and delivered
 * at the ack.
 */
#include "uart.h"

#include <device_irqServer.h>

#include "console.h"
#include "driver.h"
#include "io.h"
#include "tty.h"

#define COM1 0x3f8
#define COM1_PORTS 8
#define UART_LINE 4

/* Registers, as offsets from COM1 (with LCR.DLAB clear, as the kernel leaves it). */
#define UART_RBR 0   /* received byte (read) */
#define UART_THR 0   /* byte to send (write) */
#define UART_IER 1
#define UART_IIR 2   /* read; FCR when written */
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7   /* scratch: no effect, there to be found */

#define IER_RECEIVED 0x01
#define IER_EMPTY 0x02
#define IER_LINE_STATUS 0x04
#define IIR_NONE 0x01          /* no interrupt pending */
#define IIR_CAUSE 0x0e
#define IIR_LINE_STATUS 0x06
#define IIR_RECEIVED 0x04
#define IIR_RECEIVE_TIMEOUT 0x0c
#define IIR_EMPTY 0x02
#define IIR_FIFOS 0xc0         /* both set: the FIFOs are on */
#define MCR_OUT2 0x08
#define LSR_READY 0x01
#define LSR_EMPTY 0x20         /* THRE: the transmitter (its FIFO) is empty */

#define UART_FIFO 16
#define UART_BURST (UART_FIFO - 1)
/* Bounds on one interrupt's work, so that a broken device cannot keep
 * the driver from its clients. */
#define UART_SERVICE_ROUNDS 32
#define UART_RECEIVE_MAX 256

static struct {
	mach_port_t master;
	mach_port_t irq_port;
	uint8_t ier;             /* what IER holds (the kernel left 0) */
	uint32_t burst;          /* bytes per empty transmitter */
	uint32_t irq_count;      /* the count of the last interrupt message */
	bool sending;            /* output was queued at the last uart_transmit */
	uint64_t progress_ns;    /* when the UART last took output, or output began */
} uart;

static void set_ier(uint8_t ier)
{
	if (ier == uart.ier)
		return;
	uart.ier = ier;
	outb(COM1 + UART_IER, ier);
}

/* A UART answers at COM1 if its scratch register keeps what we write. */
static bool present(void)
{
	outb(COM1 + UART_SCR, 0x5a);
	if (inb(COM1 + UART_SCR) != 0x5a)
		return false;
	outb(COM1 + UART_SCR, 0xa5);
	return inb(COM1 + UART_SCR) == 0xa5;
}

static void receive(void)
{
	for (int n = 0; n < UART_RECEIVE_MAX && (inb(COM1 + UART_LSR) & LSR_READY); n++)
		tty_input(inb(COM1 + UART_RBR));
}

kern_return_t uart_start(mach_port_t master)
{
	uart.master = master;
	kern_return_t kr = device_io_access(master, mach_task_self(), COM1, COM1_PORTS, TRUE);
	if (kr != KERN_SUCCESS)
		return console_refuse(kr, "cannot have COM1's ports");
	if (!present())
		return console_refuse(KERN_FAILURE, "no UART answers at COM1");
	uart.burst = (inb(COM1 + UART_IIR) & IIR_FIFOS) == IIR_FIFOS ? UART_BURST : 1;
	receive();   /* what was typed before we came */
	kr = driver_port_new(console_port_set, true, &uart.irq_port);
	if (kr == KERN_SUCCESS)
		kr = device_irq_attach(master, UART_LINE, uart.irq_port);
	if (kr != KERN_SUCCESS)
		return console_refuse(kr, "cannot have interrupt line %d", UART_LINE);
	outb(COM1 + UART_MCR, inb(COM1 + UART_MCR) | MCR_OUT2);
	set_ier(IER_RECEIVED | IER_LINE_STATUS);
	return KERN_SUCCESS;
}

bool uart_is_irq_port(mach_port_t port)
{
	return port != MACH_PORT_NULL && port == uart.irq_port;
}

void uart_transmit(uint64_t now)
{
	uint8_t c;

	if (!uart.sending)
		uart.progress_ns = now;   /* output begins: the stall clock starts */
	while (tty_output_pending() && (inb(COM1 + UART_LSR) & LSR_EMPTY)) {
		for (uint32_t n = 0; n < uart.burst && tty_output_next(&c); n++)
			outb(COM1 + UART_THR, c);
		uart.progress_ns = now;
	}
	uart.sending = tty_output_pending();
	set_ier(IER_RECEIVED | IER_LINE_STATUS | (uart.sending ? IER_EMPTY : 0));
}

bool uart_stalled(uint64_t now)
{
	return uart.sending && now - uart.progress_ns >= TERM_STALL_MS * MACH_NS_PER_MS;
}

/* Serves what the UART has pending, until it has nothing (its line low). */
static void service(void)
{
	for (int round = 0; round < UART_SERVICE_ROUNDS; round++) {
		uint8_t iir = inb(COM1 + UART_IIR);
		if (iir & IIR_NONE)
			return;
		switch (iir & IIR_CAUSE) {
		case IIR_RECEIVED:
		case IIR_RECEIVE_TIMEOUT:
			receive();
			break;
		case IIR_LINE_STATUS:
			/* An overrun, parity or framing error, or a break:
			 * reading LSR clears it; the bytes are lost already. */
			(void)inb(COM1 + UART_LSR);
			break;
		case IIR_EMPTY:
			break;   /* reading IIR cleared it; uart_transmit refills */
		default:
			(void)inb(COM1 + UART_MSR);   /* modem status: unused */
			break;
		}
	}
}

/*
 * The kernel's message for line 4 (device_irq.defs).  The irq port is
 * ours alone (only the kernel holds a send right), but the message is
 * checked all the same.
 */
kern_return_t device_irq_S_notify(mach_port_t port, uint32_t line, uint32_t count)
{
	if (!uart_is_irq_port(port) || line != UART_LINE)
		return console_refuse(KERN_INVALID_ARGUMENT, "an interrupt message for line %u",
				      line);
	if (count != uart.irq_count + 1)
		mach_printf("console: interrupt message %u after %u: some were lost\n", count,
			    uart.irq_count);
	uart.irq_count = count;
	service();
	uart_transmit(mach_clock_ns());
	kern_return_t kr = device_irq_ack(uart.master, UART_LINE, uart.irq_port);
	if (kr != KERN_SUCCESS)
		mach_printf("console: device_irq_ack: %s\n", mach_error_name(kr));
	return KERN_SUCCESS;
}
