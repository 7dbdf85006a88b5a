/*
 * The Pagoda message: the one layout that the kernel's mach_msg copies,
 * that generated user stubs build and that generated servers decode.  It
 * is Mach 3's untyped format laid out for x86_64, with every field at its
 * natural alignment:
 *
 *   offset  0  mach_msg_header_t, 32 bytes
 *          32  mach_msg_body_t, 8 bytes: the number of descriptors
 *              (present only when MACH_MSGH_BITS_COMPLEX is set)
 *          40  descriptors, 16 bytes each: port rights, out-of-line
 *              memory, out-of-line arrays of port rights
 *          ..  inline data, in the order the interface declares it:
 *              fixed-size fields first, then variable-size arrays, each
 *              of those starting at a multiple of 8
 *
 * A message without descriptors (a simple message) has no body: its
 * inline data starts at offset 32.  The null RPC is a bare header; its
 * reply is a header and a return code (mig_reply_error_t).
 *
 * Rules.  The kernel checks them on send; a receiver may rely on them
 * and on nothing else (generated servers check every other field):
 *  - msgh_size is the size of the whole message: a multiple of 8, at
 *    least sizeof(mach_msg_header_t), at most MACH_MSG_SIZE_MAX.  On
 *    receive it is the number of bytes the kernel wrote.
 *  - Every descriptor is 16 bytes and says what it is in its last byte
 *    (`type`), so a reader can walk them without knowing the interface.
 *  - A port takes an 8-byte slot, in the header and in port descriptors.
 *    In user space the slot's low 4 bytes are a name (mach_port_t is a
 *    mach_port_name_t); the high 4 are ignored on send and zero on
 *    receive.  Inside the kernel (MACH_KERNEL) the slot holds a port
 *    pointer.  Copy-in and copy-out translate; nothing else changes.
 *  - Out-of-line memory is named by a 64-bit address and a 32-bit size.
 *    On receive the kernel has mapped `size` bytes at `address` in the
 *    receiver.  An out-of-line port array holds `count` 4-byte names in
 *    user space (8-byte port pointers inside the kernel).
 *  - On send, msgh_remote_port is the destination and msgh_local_port
 *    the reply port, with the sender's dispositions (MACH_MSG_TYPE_MOVE_*,
 *    COPY_*, MAKE_*) in msgh_bits.  On receive the two are exchanged:
 *    msgh_local_port is the port the message arrived on, msgh_remote_port
 *    the reply port, and each disposition (in the header and in every
 *    descriptor) is replaced by the right the receiver now holds
 *    (MACH_MSG_TYPE_PORT_RECEIVE, _SEND or _SEND_ONCE); a port sent as
 *    MACH_PORT_NULL or MACH_PORT_DEAD arrives as such, with that right.
 *  - msgh_seqno is ignored on send; on receive it is the port's sequence
 *    number.  There is no trailer.
 *  - A reply's id is its request's id plus 100 (MIG's convention).
 */
#pragma once

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/machine/vm_types.h>
#include <mach/port.h>

typedef uint32_t mach_msg_bits_t;
typedef uint32_t mach_msg_size_t;
typedef int32_t mach_msg_id_t;
typedef uint32_t mach_msg_type_name_t;
typedef uint32_t mach_msg_type_number_t;
typedef uint32_t mach_msg_descriptor_type_t;
typedef uint32_t mach_msg_copy_options_t;
typedef uint32_t mach_msg_option_t;
typedef uint32_t mach_msg_timeout_t;
typedef kern_return_t mach_msg_return_t;

/* The largest message the kernel accepts and a generated stub builds.
 * Stubs keep messages on the caller's stack; bulk data goes out of line.
 * The interface compiler refuses a routine whose message could exceed it. */
#define MACH_MSG_SIZE_MAX 8192u

/* Dispositions: what sending does with the sender's right (Mach's values). */
#define MACH_MSG_TYPE_MOVE_RECEIVE   16 /* move the receive right */
#define MACH_MSG_TYPE_MOVE_SEND      17 /* move a send right */
#define MACH_MSG_TYPE_MOVE_SEND_ONCE 18 /* move a send-once right */
#define MACH_MSG_TYPE_COPY_SEND      19 /* copy a send right (sender keeps one) */
#define MACH_MSG_TYPE_MAKE_SEND      20 /* make a send right from the receive right */
#define MACH_MSG_TYPE_MAKE_SEND_ONCE 21 /* make a send-once right from the receive right */

/* Received rights: what the receiver holds after the kernel's copy-out. */
#define MACH_MSG_TYPE_PORT_NONE      0
#define MACH_MSG_TYPE_PORT_NAME      15 /* a bare name, no right (inline data) */
#define MACH_MSG_TYPE_PORT_RECEIVE   MACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND      MACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE MACH_MSG_TYPE_MOVE_SEND_ONCE

/* True for a disposition a sender may use. */
#define MACH_MSG_TYPE_PORT_ANY_SEND_P(x) \
	((x) >= MACH_MSG_TYPE_MOVE_SEND && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_DISPOSITION_P(x) \
	((x) >= MACH_MSG_TYPE_MOVE_RECEIVE && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
/* True for a right a receiver may hold. */
#define MACH_MSG_TYPE_PORT_RIGHT_P(x) \
	((x) >= MACH_MSG_TYPE_PORT_RECEIVE && (x) <= MACH_MSG_TYPE_PORT_SEND_ONCE)

/* msgh_bits: the remote disposition in bits 0-7, the local in 8-15. */
#define MACH_MSGH_BITS_ZERO        0x00000000u
#define MACH_MSGH_BITS_REMOTE_MASK 0x000000ffu
#define MACH_MSGH_BITS_LOCAL_MASK  0x0000ff00u
#define MACH_MSGH_BITS_COMPLEX     0x80000000u /* a body and descriptors follow */
#define MACH_MSGH_BITS_USED        0x8000ffffu /* every other bit must be zero */

#define MACH_MSGH_BITS(remote, local) \
	((mach_msg_bits_t)(remote) | ((mach_msg_bits_t)(local) << 8))
#define MACH_MSGH_BITS_REMOTE(bits) ((bits) & MACH_MSGH_BITS_REMOTE_MASK)
#define MACH_MSGH_BITS_LOCAL(bits) (((bits) & MACH_MSGH_BITS_LOCAL_MASK) >> 8)

typedef struct mach_msg_header {
	mach_msg_bits_t msgh_bits;
	mach_msg_size_t msgh_size;
	union {
		mach_port_t msgh_remote_port;
		uint64_t msgh_remote_slot;
	};
	union {
		mach_port_t msgh_local_port;
		uint64_t msgh_local_slot;
	};
	mach_port_seqno_t msgh_seqno;
	mach_msg_id_t msgh_id;
} mach_msg_header_t;

/* Names that read naturally in a server: what arrived where. */
#define msgh_request_port msgh_local_port
#define msgh_reply_port   msgh_remote_port

typedef struct mach_msg_body {
	mach_msg_size_t msgh_descriptor_count;
	uint32_t msgh_reserved; /* zero; keeps descriptors 8-aligned */
} mach_msg_body_t;

/* Descriptor kinds (the `type` byte; Mach's values). */
#define MACH_MSG_PORT_DESCRIPTOR      0
#define MACH_MSG_OOL_DESCRIPTOR       1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR 2

/* Out-of-line copy options (a hint; the kernel picks above a threshold). */
#define MACH_MSG_PHYSICAL_COPY 0 /* copy the bytes */
#define MACH_MSG_VIRTUAL_COPY  1 /* map copy-on-write */

/* One port right. */
typedef struct {
	union {
		mach_port_t name;
		uint64_t name_slot;
	};
	uint32_t pad1;       /* zero */
	uint16_t pad2;       /* zero */
	uint8_t disposition; /* a disposition on send, a right on receive */
	uint8_t type;        /* MACH_MSG_PORT_DESCRIPTOR */
} mach_msg_port_descriptor_t;

/* A region of memory, moved or copied out of line. */
typedef struct {
	void *address;
	mach_msg_size_t size; /* bytes */
	uint8_t deallocate;   /* the sender's copy is deallocated by the send */
	uint8_t copy;         /* MACH_MSG_PHYSICAL_COPY or MACH_MSG_VIRTUAL_COPY */
	uint8_t pad1;         /* zero */
	uint8_t type;         /* MACH_MSG_OOL_DESCRIPTOR */
} mach_msg_ool_descriptor_t;

/* An array of port rights, all with one disposition, out of line. */
typedef struct {
	void *address;
	mach_msg_size_t count; /* rights, not bytes */
	uint8_t deallocate;
	uint8_t copy;
	uint8_t disposition;
	uint8_t type;          /* MACH_MSG_OOL_PORTS_DESCRIPTOR */
} mach_msg_ool_ports_descriptor_t;

/* The view of any descriptor that is safe to read before its kind is known. */
typedef struct {
	uint64_t pad1;
	uint32_t pad2;
	uint8_t pad3[3];
	uint8_t type;
} mach_msg_type_descriptor_t;

typedef union {
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t out_of_line;
	mach_msg_ool_ports_descriptor_t ool_ports;
	mach_msg_type_descriptor_t type;
} mach_msg_descriptor_t;

/* The shape of every error reply, and of the null RPC's reply. */
typedef struct {
	mach_msg_header_t Head;
	kern_return_t RetCode;
	uint32_t Pad; /* zero */
} mig_reply_error_t;

/* mach_msg options (Mach's values). */
#define MACH_MSG_OPTION_NONE 0x00000000u
#define MACH_SEND_MSG        0x00000001u /* send the message */
#define MACH_RCV_MSG         0x00000002u /* then receive one */
#define MACH_RCV_LARGE       0x00000004u /* keep a too-large message queued, report its size */
#define MACH_SEND_TIMEOUT    0x00000010u /* give up sending after `timeout` ms */
#define MACH_SEND_INTERRUPT  0x00000040u /* return MACH_SEND_INTERRUPTED if interrupted */
#define MACH_SEND_CANCEL     0x00000080u /* cancel a pending notification request */
#define MACH_RCV_TIMEOUT     0x00000100u /* give up receiving after `timeout` ms */
#define MACH_RCV_NOTIFY      0x00000200u /* reserved: request a notification */
#define MACH_RCV_INTERRUPT   0x00000400u /* return MACH_RCV_INTERRUPTED if interrupted */

#define MACH_MSG_TIMEOUT_NONE ((mach_msg_timeout_t)0)

/* True for a mach_msg return code from the receive half. */
#define MACH_MSG_RCV_ERROR_P(mr) \
	(((uint32_t)(mr) & 0xffffc000u) == 0x10004000u)

_Static_assert(sizeof(mach_msg_header_t) == 32, "header layout");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_remote_port) == 8,
	       "remote port slot");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_local_port) == 16,
	       "local port slot");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_seqno) == 24,
	       "seqno");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_id) == 28, "id");
_Static_assert(sizeof(mach_msg_body_t) == 8, "body layout");
_Static_assert(sizeof(mach_msg_port_descriptor_t) == 16, "port descriptor");
_Static_assert(sizeof(mach_msg_ool_descriptor_t) == 16, "ool descriptor");
_Static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == 16,
	       "ool ports descriptor");
_Static_assert(sizeof(mach_msg_descriptor_t) == 16, "descriptor union");
_Static_assert(__builtin_offsetof(mach_msg_port_descriptor_t, type) == 15 &&
		       __builtin_offsetof(mach_msg_ool_descriptor_t, type) == 15 &&
		       __builtin_offsetof(mach_msg_ool_ports_descriptor_t, type) == 15 &&
		       __builtin_offsetof(mach_msg_type_descriptor_t, type) == 15,
	       "every descriptor names its kind in its last byte");
_Static_assert(sizeof(mig_reply_error_t) == 40, "error reply layout");
