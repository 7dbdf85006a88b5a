/*
 * The serial line's hardware (uart.c): the 16550 UART at COM1, on
 * interrupt line 4, shared with the kernel's log.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/*
 * Takes COM1's I/O ports and its interrupt line with the device master
 * port, and turns on the interrupts for received bytes; what was typed
 * before goes to the line discipline.  The baud rate and line settings
 * stay the kernel's.  Errors: those of device_io_access and
 * device_irq_attach, KERN_FAILURE (no UART answers at COM1).
 */
kern_return_t uart_start(mach_port_t master);

/* Whether messages on port are the UART's interrupts. */
bool uart_is_irq_port(mach_port_t port);

/*
 * Hands the UART what it can take of the output queue now, and asks for
 * an interrupt when it can take more (if more is queued).
 */
void uart_transmit(uint64_t now);

/* Whether output is queued and the UART has taken none of it for
 * TERM_STALL_MS: it is stuck or gone. */
bool uart_stalled(uint64_t now);
