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

#include <mach/boolean.h>
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

/*
 * The kinds of right a name can denote (mach_port.defs: mach_port_allocate,
 * mach_port_get_refs, mach_port_mod_refs).  Mach's values.
 */
typedef natural_t mach_port_right_t;

#define MACH_PORT_RIGHT_SEND      ((mach_port_right_t)0) /* send rights */
#define MACH_PORT_RIGHT_RECEIVE   ((mach_port_right_t)1) /* the receive right */
#define MACH_PORT_RIGHT_SEND_ONCE ((mach_port_right_t)2) /* a send-once right */
#define MACH_PORT_RIGHT_PORT_SET  ((mach_port_right_t)3) /* a port set */
#define MACH_PORT_RIGHT_DEAD_NAME ((mach_port_right_t)4) /* a dead name */
#define MACH_PORT_RIGHT_NUMBER    ((mach_port_right_t)5) /* how many kinds */

/*
 * What a name denotes, as mach_port_type and mach_port_names report it:
 * one bit per kind of right held under the name, plus flags.
 */
typedef natural_t mach_port_type_t;
typedef mach_port_type_t *mach_port_type_array_t;

#define MACH_PORT_TYPE(right) ((mach_port_type_t)1 << ((right) + 16))

#define MACH_PORT_TYPE_NONE      ((mach_port_type_t)0)
#define MACH_PORT_TYPE_SEND      MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND)
#define MACH_PORT_TYPE_RECEIVE   MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET  MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME)

/* Combinations. */
#define MACH_PORT_TYPE_SEND_RECEIVE (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS  (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_RIGHTS  (MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_PORT_OR_DEAD (MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_ALL_RIGHTS   (MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET)

/* Flag: a dead-name notification is requested for the name. */
#define MACH_PORT_TYPE_DNREQUEST ((mach_port_type_t)0x80000000u)

typedef natural_t mach_port_urefs_t;    /* user references held under a name */
typedef integer_t mach_port_delta_t;    /* a change of user references */
typedef natural_t mach_port_mscount_t;  /* make-send count of a port */
typedef natural_t mach_port_msgcount_t; /* messages queued, or a queue limit */
typedef natural_t mach_port_rights_t;   /* a count of rights */

/* Queue limits (mach_port_set_qlimit); a new port gets the default. */
#define MACH_PORT_QLIMIT_DEFAULT ((mach_port_msgcount_t)5)
#define MACH_PORT_QLIMIT_MAX     ((mach_port_msgcount_t)16)

/* The state of a receive right (mach_port_get_receive_status), Mach's. */
struct mach_port_status {
	mach_port_name_t mps_pset;        /* the set it is in, or MACH_PORT_NULL */
	mach_port_seqno_t mps_seqno;      /* sequence number of the next message */
	mach_port_mscount_t mps_mscount;  /* make-send count */
	mach_port_msgcount_t mps_qlimit;  /* queue limit */
	mach_port_msgcount_t mps_msgcount; /* messages queued */
	mach_port_rights_t mps_sorights;  /* send-once rights in existence */
	boolean_t mps_srights;            /* whether send rights exist */
	boolean_t mps_pdrequest;          /* a port-destroyed request is set */
	boolean_t mps_nsrequest;          /* a no-senders request is set */
};
typedef struct mach_port_status mach_port_status_t;
_Static_assert(sizeof(struct mach_port_status) == 9 * 4,
	       "mach_port_status_t is struct[9] of integer_t in mach_types.defs");

/*
 * Pagoda's counters of a port (mach_port_get_stats), for observing who
 * sends how much to whom.  The counts since the port was made, and its
 * state now.
 */
struct mach_port_stats {
	uint64_t msgs_sent;       /* messages queued on the port */
	uint64_t msgs_received;   /* messages taken off its queue */
	uint32_t msgcount;        /* messages queued now */
	uint32_t qlimit;          /* its queue limit now */
	uint32_t srights;         /* send rights in existence */
	uint32_t sorights;        /* send-once rights in existence */
	uint64_t senders_blocked; /* sends that had to wait for room */
};
typedef struct mach_port_stats mach_port_stats_t;
_Static_assert(sizeof(struct mach_port_stats) == 5 * 8,
	       "mach_port_stats_t is struct[5] of uint64_t in mach_types.defs");

_Static_assert(sizeof(mach_port_t) <= 8, "a port fits its message slot");
