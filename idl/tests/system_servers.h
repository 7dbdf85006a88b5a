/*
 * Stand-in servers of the kernel's object interfaces (kernel_servers.c:
 * mach_port, task, thread, host, vm_map, device) and of the user-served
 * interfaces that go with them (user_servers.c: exc, notify, bootstrap,
 * device_irq, and the drivers' blk, blk_reply, net, net_reply, net_input,
 * net_request, term, term_reply, term_event, the file server's fs, and
 * the network server's socket, socket_event, inet, inet_reply),
 * and the calls that exercise them (system_exercise.c).  Each interface has its
 * own port here; the real kernel serves task, mach_port and vm_map on
 * one task port.
 */
#pragma once

#include <mach/mig_support.h>
#include <stdbool.h>
#include <stddef.h>

#define SPACE_PORT     0x500u /* a task's port, as mach_port.defs names it */
#define TASK_PORT      0x600u /* a task's port, for task.defs */
#define THREAD_PORT    0x700u /* a thread's port */
#define HOST_PORT      0x800u /* the host ports, name and privileged */
#define VM_TASK_PORT   0x900u /* a task's port, as vm_map.defs names it */
#define EXC_PORT       0xa00u /* an exception handler */
#define NOTIFY_PORT    0xc00u /* a notification receiver */
#define BOOTSTRAP_PORT 0xb00u /* the name service */
#define DEVICE_PORT    0xf00u /* the device master port */
#define IRQ_PORT       0x1100u /* a driver's interrupt port */
#define BLK_PORT       0x1400u /* a disk */
#define BLK_REPLY_PORT 0x1500u /* a block client's reply port */
#define NET_PORT       0x1600u /* a network card */
#define NET_REPLY_PORT 0x1700u /* a network client's reply port */
#define NET_INPUT_PORT 0x1800u /* a receiver of frames */
#define NET_REQUEST_PORT 0x1680u /* a network card, as the network server asks it */
#define TERM_PORT      0x1200u /* the console */
#define TERM_REPLY_PORT 0x1280u /* a console client's reply port */
#define TERM_EVENT_PORT 0x1300u /* a console owner's events port */
#define FS_PORT        0x1900u /* an open file of the file server */
#define UNIX_PORT      0x1a00u /* a process port of the UNIX server */
#define UNIX_REPLY_PORT 0x1a80u /* a process's reply port */
#define TERM_REQUEST_PORT 0x1b00u /* the console, as the UNIX server asks it */
#define PROC_PORT      0x1c00u /* the process server */
#define SOCKET_PORT    0x1d00u /* the network server's sockets, and its socket port */
#define SOCKET_EVENT_PORT 0x1d80u /* the receiver of a socket's select */
#define INET_PORT      0x1e00u /* the network server's public port */
#define INET_REPLY_PORT 0x1e80u /* a name lookup's reply port */

extern uint32_t system_checksum;
/* Fold a value, or bytes, into system_checksum (kernel_servers.c): what
 * every stand-in does with what it was given. */
kern_return_t note(uint64_t value);
kern_return_t note_bytes(const void *p, size_t n);
/* Out arrays whose room, given by a demux, is not the C side's bound. */
extern unsigned system_bound_errors;

/* Register the demuxes with the loopback transport. */
void kernel_serve(void);
void user_serve(void);
void unix_serve(void);      /* unix_servers.c: unix, unix_reply, term_request */
/* Calls every routine of those interfaces once; returns how many calls
 * failed or answered other than the stand-ins do. */
unsigned system_exercise(void);
unsigned unix_exercise(void);
/* unix_servers.c's, for unix_socket_servers.c too: a stand-in's result
 * (what it was given, folded small), and a call that must have answered
 * as the stand-in does (counted for unix_exercise if not). */
int64_t unix_answer(uint64_t value);
void unix_want(bool ok, const char *what);
void unix_exercise_sockets(void);   /* unix_socket_servers.c */
