/*
 * inet: the network server (docs/network.md).  lwIP 2.1.3 with NO_SYS,
 * run by this task's one thread from its receive loop (main.c): frames
 * from the virtio-net driver, the UNIX server's socket requests, name
 * lookups, and lwIP's timers at the loop's deadlines.  Nothing here is
 * shared between threads, and no handler ever waits.
 *
 *   iface.c   the interfaces: the driver's card as eth0, and lo
 *   sock.c    the socket table, its ports, events and select
 *   tcp.c     TCP sockets on lwIP's raw TCP API
 *   dgram.c   UDP and raw (ICMP) sockets
 *   info.c    inet.defs: the interfaces' list and name lookups
 *   port.c    what lwIP asks of the platform: time, randomness, asserts
 */
#pragma once

#include <mach/mach.h>
#include <mach/socket_types.h>
#include <stdbool.h>
#include <stdint.h>

#include "lwip/ip_addr.h"

extern mach_port_t inet_set;      /* the receive loop's port set */
extern mach_port_t inet_public;   /* inet.defs's port */
extern mach_port_t inet_sockets;  /* socket.defs's create comes on it */

/* A receive right in inet_set (with a send right if send). */
kern_return_t inet_port_new(bool send, mach_port_t *port);

/* iface.c */
/* Brings up lo and eth0 (on the driver's "net0", if there is one), with
 * config: NULL or "dhcp", or "ADDRESS/BITS[,GATEWAY[,DNS]]"; eth0 stays
 * down, said on the console, if config is neither or the card fails. */
kern_return_t iface_start(mach_port_t names, const char *config);
/* The interfaces as inet_interfaces answers: how many. */
unsigned iface_list(struct inet_interface *out, unsigned max);
/* Frames looped back since the last call go in. */
void iface_poll(void);
/* lwIP's timers that are due; the next deadline (mach_clock_ns). */
uint64_t iface_timers(uint64_t now_ns);

/* sock.c */
void sock_sweep(void);
