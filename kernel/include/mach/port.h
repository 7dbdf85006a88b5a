/*
 * Port names and port rights, as seen by C code.
 *
 * A task refers to a port right by a 32-bit name in its port name space
 * (mach_port_name_t).  In user space a mach_port_t is that name.  Inside
 * the kernel (compiled with MACH_KERNEL defined) a mach_port_t is a
 * pointer to the port itself: messages carry ports in 8-byte slots
 * (mach/message.h), so the same generated stub and demux code serves
 * both worlds, and the kernel's copy-in and copy-out translate between
 * names and pointers.
 */
#pragma once

#include <mach/machine/vm_types.h>

typedef uint32_t mach_port_name_t;

#ifdef MACH_KERNEL
struct ipc_port;
typedef struct ipc_port *mach_port_t;
#define MACH_PORT_NULL ((mach_port_t)0)
#define MACH_PORT_DEAD ((mach_port_t)-1)
#else
typedef mach_port_name_t mach_port_t;
#define MACH_PORT_NULL ((mach_port_t)0)
#define MACH_PORT_DEAD ((mach_port_t)~0u)
#endif

/* Names that denote no right and a dead right, in any name space. */
#define MACH_PORT_NAME_NULL ((mach_port_name_t)0)
#define MACH_PORT_NAME_DEAD ((mach_port_name_t)~0u)

typedef mach_port_t *mach_port_array_t;
typedef mach_port_name_t *mach_port_name_array_t;

/* A port's message sequence number, reported in each received header. */
typedef natural_t mach_port_seqno_t;

_Static_assert(sizeof(mach_port_t) <= 8, "a port fits its message slot");
