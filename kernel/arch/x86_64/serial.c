/* The 16550 UART at COM1, 115200 8N1, polled. */
#include "arch/x86_64/serial.h"

#include "arch/x86_64/cpu.h"

#define COM1 0x3f8
#define UART_THR 0      /* transmit holding (DLAB=0) */
#define UART_DLL 0      /* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20
#define LCR_DLAB 0x80
#define LCR_8N1  0x03

/* Bounds the wait for a UART that never drains (absent or broken). */
#define SERIAL_SPIN_LIMIT 100000

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);       /* 115200 baud */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);    /* FIFOs on, cleared, 14-byte trigger */
	outb(COM1 + UART_MCR, 0x03);    /* DTR, RTS */
}

void serial_putc(char c)
{
	for (int i = 0; i < SERIAL_SPIN_LIMIT; i++) {
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
		cpu_pause();
	}
	outb(COM1 + UART_THR, (uint8_t)c);
}
