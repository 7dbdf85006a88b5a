/*
 * consoletest: the console driver (servers/console, idl/defs/term.defs)
 * tested from a client, while the harness (tests/boot/console.sh) reads
 * the serial line and types into it.  Each time the test needs input it
 * prints a prompt, "# console: type KEY", after which the harness types
 * what console.sh gives for KEY; the harness also checks that written
 * text and the echo of typed text appear on the line.  One behaviour per
 * test name; the runner (main.c) prints TAP and halts the machine.
 * Helper tasks are copies of consoletest started with a role.
 *
 * Built on vmtest's helpers (tests/guest/vm/vmtest.h: TAP, dead names,
 * the leak check).
 */
#pragma once

#include "../vm/vmtest.h"

#include <mach/term_types.h>
#include <term.h>

/* How long a read waits for the harness's typing (the driver's deadline). */
#define TYPING_WAIT_MS 10000

extern mach_port_t console;   /* the console port, from the name service */
extern mach_port_t owner;     /* the owner port while the runner owns the terminal */
extern mach_port_t events;    /* the runner's events port (a receive right) */

/* ---- util.c ---- */

/* Prints "# console: type KEY", after which the harness types. */
void prompt(const char *key);
/* Sets mode, prompts for key and reads once (count bytes at most) on
 * owner; the read's result; *got holds the bytes and a NUL. */
kern_return_t read_typed(const char *key, uint32_t mode, char *got, uint32_t count);
/* Reads on owner until n bytes came, or TYPING_WAIT_MS passed; how many
 * came; *reads says in how many reads. */
uint32_t read_bytes(char *buf, uint32_t n, uint32_t *reads);
/* The count of the next interrupt event on the events port within
 * timeout_ms, or 0 if none came. */
uint32_t next_interrupt(uint32_t timeout_ms);
/* The count the next event carries if it is a suspend (^Z), else 0. */
uint32_t next_suspend(uint32_t timeout_ms);
/* term_write of a C string. */
kern_return_t say(mach_port_t port, const char *text);
/* A new receive right with a send right under the same name. */
mach_port_t new_port(void);
void drop_port(mach_port_t port);
/*
 * Sends a term_read request of 8 bytes built by hand, as a client that
 * goes away would, without waiting for its reply: to reply (a new
 * send-once right is made; MACH_PORT_NULL for none).
 */
#define READ_SIZE 40   /* a read request: the header, count and timeout */
mach_msg_return_t send_read(mach_port_t to, mach_port_t reply, uint32_t timeout);
/* Claims the terminal for the runner, with its events port. */
kern_return_t claim(void);

/* ---- the groups, in the order they run ---- */
void test_output(void);      /* output.c: term_write */
void test_input(void);       /* input.c: term_read, the line discipline, ^C */
void test_settings(void);    /* settings.c: mode and window size */
void test_hostile(void);     /* hostile.c: bad counts, malformed messages, limits */
void test_ownership(void);   /* owner.c: who may do what, and ownership's end */

/* ---- roles (helper tasks) ---- */
int role_owner(int argc, char **argv);    /* owner.c: claims, then waits to be ended */
