/*
 * COM1, the kernel's log.  Polled output only: it must work in a panic,
 * with interrupts off, before anything else is set up.
 */
#pragma once

void serial_init(void);
void serial_putc(char c);
