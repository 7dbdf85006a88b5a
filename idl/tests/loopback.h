/*
 * An in-process stand-in for the kernel's IPC, for host tests of
 * generated code.  mach_msg() hands a request straight to the demux
 * registered for its destination port and copies the reply back, doing
 * what the kernel's copy-in and copy-out would: it exchanges the header's
 * ports, turns dispositions into received rights, and gives the receiver
 * its own copy of every out-of-line region (freeing the sender's when the
 * descriptor says deallocate).  Every message the receiver sees is a heap
 * block of exactly msgh_size bytes, so a sanitizer catches any read past
 * its end.  Port names are shared: one name space for the whole process.
 *
 * It checks what the kernel would refuse (sizes, descriptor kinds and
 * dispositions), so a generator bug shows up as a send error.
 */
#pragma once

#include <mach/mig_support.h>

/* The reply port mig_get_reply_port() returns. */
#define LOOPBACK_REPLY_PORT 0x1000u

struct loopback_stats {
	unsigned sends;               /* messages sent */
	unsigned replies;             /* replies delivered */
	unsigned destroyed;           /* messages destroyed */
	unsigned reply_port_deallocs; /* mig_dealloc_reply_port calls */
	mach_msg_option_t last_option;
	mach_msg_timeout_t last_timeout;
	mach_port_name_t last_rcv_name;
	mach_port_name_t last_reply_port; /* local port of the last request */
};

extern struct loopback_stats loopback_stats;

/* Messages to `port` go to `demux`, whose replies fit `max_reply`. */
void loopback_serve(mach_port_name_t port, mig_demux_t demux,
		    mach_msg_size_t max_reply);

/* Called with each request as the server receives it (fuzz corpus). */
extern void (*loopback_capture)(const mach_msg_header_t *request);
/* Called with each reply before the client sees it (to corrupt it). */
extern void (*loopback_reply_hook)(mach_msg_header_t *reply);

/* The receiver's view of `msg`: a new heap message of exactly its size,
 * with ports exchanged, rights received and regions copied; NULL with
 * `*mr` set if the kernel would refuse to send it. */
mach_msg_header_t *loopback_transfer(const mach_msg_header_t *msg,
				     mach_msg_size_t size,
				     mach_msg_return_t *mr);
/* Frees a message from loopback_transfer and every region it carries. */
void loopback_free(mach_msg_header_t *msg);
