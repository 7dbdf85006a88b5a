/*
 * Messages in the kernel.
 *
 * A kmsg holds one message in the layout of mach/message.h, with every
 * port slot holding a port pointer and every out-of-line region in a
 * kernel buffer.  It passes through these states:
 *
 *   raw      ipc_kmsg_get copied the bytes in from the sender, checked
 *            the header and descriptors for form, and copied out-of-line
 *            data and port-name arrays into kernel buffers; port slots
 *            still hold the sender's names.  Undone by ipc_kmsg_free.
 *   in transit   ipc_kmsg_copyin_locked took the rights from the sender's
 *            space: every slot is a naked right (or NULL / IPC_PORT_DEAD)
 *            and every disposition the right the receiver will get
 *            (MACH_MSG_TYPE_PORT_*).  The header is still in send form
 *            (remote: the destination, local: the reply port).  Undone by
 *            ipc_kmsg_destroy_locked, which releases all of it.
 *   delivered   ipc_kmsg_copyout_locked gave the rights to the receiver's
 *            space and ipc_kmsg_put wrote the message to the receiver.
 *
 * Out-of-line memory in a kmsg is a vm_map_copy (vm/vm_map.h): bytes
 * copied at once below VM_MAP_COPY_VIRTUAL_MIN, else a copy-on-write
 * copy of the sender's map entries (moved when the sender deallocates);
 * the receiver gets it by vm_map_copyout, which links entries in.  A
 * small region sent to a kernel object is a copy in place: the kernel
 * object reads it from the sender while it serves the message, so it is
 * copied once, to where it goes (data_supply: into the page).  A
 * message may carry at most IPC_KMSG_OOL_MAX bytes and
 * IPC_KMSG_OOL_PORTS_MAX rights out of line.
 */
#pragma once

#include <mach/message.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc/ipc_port.h"

struct vm_map_copy;
struct ipc_space;
struct task;

#define IPC_KMSG_OOL_MAX        (32u << 20)
#define IPC_KMSG_OOL_PORTS_MAX  4096u

struct ipc_kmsg {
	struct ipc_kmsg *next;        /* [I] in a port's queue */
	uint32_t alloc;               /* bytes allocated for the message */
	bool rights;                  /* slots hold rights (in transit) */
	bool circular;                /* carries a receive right into itself */
	bool in_place;                /* has copies in place (ipc_kmsg_get) */
	mach_msg_header_t hdr;        /* and the rest of the message */
};

static inline uint8_t *ipc_kmsg_bytes(struct ipc_kmsg *kmsg)
{
	return (uint8_t *)&kmsg->hdr;
}

struct ipc_kmsg *ipc_kmsg_alloc(mach_msg_size_t size);

/*
 * Small kmsgs (IPC_KMSG_CACHED_SIZE bytes of message) are kept for reuse,
 * so the RPC path never calls kalloc.  With ipc_lock held, in line for
 * the fast path: a kmsg from the cache (NULL if it is empty), and freeing
 * a kmsg (the kmsg alone: no rights, no buffers).
 */
#define IPC_KMSG_CACHED_SIZE 256u
#define IPC_KMSG_CACHE_MAX   16u
struct ipc_kmsg_cache {
	struct ipc_kmsg *head;        /* [I] */
	uint32_t count;               /* [I] */
};
extern struct ipc_kmsg_cache ipc_kmsg_cache;

static inline struct ipc_kmsg *ipc_kmsg_cached_locked(void)
{
	struct ipc_kmsg *kmsg = ipc_kmsg_cache.head;

	if (kmsg == NULL)
		return NULL;
	ipc_kmsg_cache.head = kmsg->next;
	ipc_kmsg_cache.count--;
	kmsg->next = NULL;
	kmsg->rights = false;
	kmsg->circular = false;
	kmsg->in_place = false;
	return kmsg;
}

/*
 * Each thread owns a kmsg of IPC_KMSG_CACHED_SIZE bytes
 * (thread.ith_kmsg_own) that only a message handed to it while it waits
 * can use: the fast path copies a message straight into its receiver's.
 * The thread is done with it before it waits again, so it is free
 * whenever the thread waits.  Releasing it does nothing; it goes with
 * the thread (ipc_kmsg_free_own).  Not counted in ipc_counts.kmsgs.
 */
#define IPC_KMSG_OWN 0u          /* its alloc */
struct ipc_kmsg *ipc_kmsg_alloc_own(void);
void ipc_kmsg_free_own(struct ipc_kmsg *kmsg);

void ipc_kmsg_release_free_locked(struct ipc_kmsg *kmsg);
static inline void ipc_kmsg_release_locked(struct ipc_kmsg *kmsg)
{
	if (kmsg->alloc == IPC_KMSG_OWN)
		return;
	if (kmsg->alloc != IPC_KMSG_CACHED_SIZE || ipc_kmsg_cache.count == IPC_KMSG_CACHE_MAX) {
		ipc_kmsg_release_free_locked(kmsg);
		return;
	}
	kmsg->next = ipc_kmsg_cache.head;
	ipc_kmsg_cache.head = kmsg;
	ipc_kmsg_cache.count++;
}
/* Copies of memory of messages destroyed under ipc_lock wait for its
 * release (discarding can send to a pager); ipc_unlock discards them. */
static inline bool ipc_kmsg_copies_pending(void)
{
	return ipc_unlock_queued & IPC_UNLOCK_COPIES;
}
void ipc_kmsg_discard_copies(void);

/* Frees a raw kmsg and its kernel buffers. */
void ipc_kmsg_free(struct ipc_kmsg *kmsg);

/*
 * Copies in a message of size bytes from the current task's user address
 * msg and checks its form.  MACH_SEND_MSG_TOO_SMALL, MACH_SEND_TOO_LARGE,
 * MACH_SEND_INVALID_DATA (unaligned or unreadable buffer, size not a
 * multiple of 8), MACH_SEND_INVALID_HEADER (bits, size field),
 * MACH_SEND_INVALID_TYPE (descriptor kind or disposition),
 * MACH_SEND_INVALID_MEMORY (out-of-line region unreadable),
 * MACH_SEND_NO_BUFFER.
 */
mach_msg_return_t ipc_kmsg_get(uint64_t msg, mach_msg_size_t size, struct ipc_kmsg **out);

/* A message's descriptor count (0 if it is not complex), and its descriptors. */
static inline uint32_t ipc_msg_descriptor_count(const mach_msg_header_t *h)
{
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return 0;
	return ((const mach_msg_body_t *)(h + 1))->msgh_descriptor_count;
}

static inline mach_msg_descriptor_t *ipc_msg_descriptors(mach_msg_header_t *h)
{
	return (mach_msg_descriptor_t *)((uint8_t *)(h + 1) + sizeof(mach_msg_body_t));
}

/*
 * The fast path's copyin of the out-of-line regions of a complex message
 * h (size bytes, copied in) to a kernel object: its descriptors are well
 * formed, at most nroom, all of them regions read in place; the copies
 * are made in room and borrow the sender's map (vm_map_copyin_in_place).
 * False (nothing taken) for anything else, and for a region the general
 * path must refuse.  With ipc_lock held: an in-place copyin neither
 * waits nor sends.
 */
bool ipc_msg_get_in_place_locked(mach_msg_header_t *h, mach_msg_size_t size,
				 struct vm_map_copy *room, uint32_t nroom);

/*
 * Makes the kmsg's copies in place ordinary copies: for a message whose
 * destination turned out not to be a kernel object after all (its name
 * changed between ipc_kmsg_get and the copyin).  MACH_SEND_INVALID_MEMORY,
 * MACH_SEND_NO_BUFFER.
 */
mach_msg_return_t ipc_kmsg_take_in_place(struct ipc_kmsg *kmsg);

/* The same from a kernel buffer whose slots already hold port pointers. */
mach_msg_return_t ipc_kmsg_get_from_kernel(const mach_msg_header_t *msg, mach_msg_size_t size,
					   struct ipc_kmsg **out);

/*
 * Takes the rights a raw kmsg names from space (see docs/ipc.md for what
 * each failure consumes): MACH_SEND_INVALID_DEST, MACH_SEND_INVALID_REPLY
 * (nothing consumed, kmsg still raw), MACH_SEND_INVALID_RIGHT (the
 * message is destroyed with the rights taken so far).
 */
mach_msg_return_t ipc_kmsg_copyin_locked(struct ipc_kmsg *kmsg, struct ipc_space *space);

/* Releases what a kernel message that could not become a kmsg carries:
 * the naked rights (not those it would have made) and the buffers. */
void ipc_kmsg_clean_kernel_message(mach_msg_header_t *msg);

/* The same for a kernel message: rights the kernel holds or makes. */
void ipc_kmsg_copyin_from_kernel_locked(struct ipc_kmsg *kmsg);

/*
 * Gives the rights of a kmsg in transit to space, turning the header to
 * receive form.  MACH_RCV_HEADER_ERROR: the reply right could not be
 * given, the message was destroyed.  Otherwise a body right that could
 * not be given became MACH_PORT_NULL and *body_error is set.
 */
mach_msg_return_t ipc_kmsg_copyout_locked(struct ipc_kmsg *kmsg, struct ipc_space *space,
					  bool *body_error);

/*
 * Maps out-of-line memory into task and writes the message to user
 * address msg; frees the kmsg.  MACH_RCV_INVALID_DATA if msg is not
 * writable (the message is lost: its rights are already the task's),
 * MACH_RCV_BODY_ERROR if out-of-line memory could not be mapped (that
 * descriptor arrives empty).
 */
mach_msg_return_t ipc_kmsg_put(struct ipc_kmsg *kmsg, struct task *task, uint64_t msg,
			       bool body_error);

/* Releases every right and buffer of a kmsg in transit, and frees it. */
void ipc_kmsg_destroy_locked(struct ipc_kmsg *kmsg);

/* Turns a kmsg in transit into receive form for the kernel itself
 * (kernel objects, the kernel's RPCs): header ports exchanged, rights
 * kept as naked rights. */
void ipc_kmsg_to_kernel_receive(struct ipc_kmsg *kmsg);
