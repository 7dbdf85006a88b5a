/*
 * A pretend Mach for libpager's host test (pager_test.c): one task's name
 * space (the pager's) and message queues, just enough of the kernel for
 * libpager's calls, and a "kernel" whose control ports are served at
 * once, in the caller, by the generated memory_object_control demux.
 *
 * Messages keep their port names: the pager's names are the only names
 * there are.  A right a message carries is added to the pager's space
 * when the message is queued (a send right joins the name's entry, as the
 * real copyout does); a right to a port marked dead arrives as
 * MACH_PORT_DEAD.  Out-of-line regions sent to the pager are copied into
 * tracked allocations, which vm_deallocate must free exactly.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/* A name that the kernel serves as a control port (receives nothing). */
mach_port_t fake_control_port(void);
/* The port behind name dies: its rights become dead names, sends to it
 * fail, rights to it in later messages arrive dead. */
void fake_kill(mach_port_t name);

/* The pager's space: what name holds, and its user references. */
bool fake_has(mach_port_t name, mach_port_type_t type);
mach_port_urefs_t fake_urefs(mach_port_t name, mach_port_right_t right);
/* The set a receive right is in (MACH_PORT_NULL: none). */
mach_port_t fake_set_of(mach_port_t name);
/* Whether a no-senders request is set on name. */
bool fake_nsrequest(mach_port_t name);
/* What get_receive_status says of send rights held by other tasks. */
extern bool fake_senders_elsewhere;

/* mach_msg calls that sent and received in one (a server's answer with
 * its next receive), sent or not. */
extern unsigned fake_send_receives;

/* Messages queued on name, and regions handed out and not freed. */
unsigned fake_queued(mach_port_t name);
unsigned fake_regions_live(void);
/* A page the pretend kernel cannot read: out-of-line data there is
 * refused with MACH_SEND_INVALID_MEMORY. */
extern const uint8_t fake_unreadable_page[4096];

/* A region of size bytes, as the kernel would hand the pager one. */
void *fake_region(size_t size);
