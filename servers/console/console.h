/*
 * The console driver: a user task that drives the serial line (the
 * 16550 UART at COM1) and serves the terminal interface on it
 * (idl/defs/term.defs; docs/console.md).  Its parts:
 *
 *   main.c   start-up and the receive loop, which hands each message to
 *            the demux of the port it came on;
 *   uart.c   the hardware: interrupts, receiving, transmitting;
 *   tty.c    the line discipline: editing, echo, the queues;
 *   term.c   the terminal's routines, and the reads and writes that wait
 *            for their reply;
 *   owner.c  ownership: claim, release, the owner's death, its events.
 *
 * One thread serves everything, so nothing is locked; no routine waits
 * (a read or write that cannot finish keeps its reply port and is
 * answered later, from term_update).
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/* The port set the receive loop takes messages from (its ports are made
 * with libdriver's driver_port_new). */
extern mach_port_t console_port_set;

/* Logs why a request is refused ("console: " and the reason) and
 * returns code. */
kern_return_t console_refuse(kern_return_t code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
