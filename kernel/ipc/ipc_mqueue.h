/*
 * Message queues: putting a message in transit on its destination's queue
 * (or handing it to the kernel object it is for), and taking the next
 * message from a port or a port set, waiting when there is none.
 *
 * A port queues up to qlimit messages; then senders wait for room
 * (messages through a send-once right, and the kernel's own, never wait:
 * a reply or a notification always gets through).  Receivers take
 * messages in order; on a port set, the members are served round-robin.
 *
 * Called with ipc_lock held; the waits drop it while sleeping.
 */
#pragma once

#include <mach/message.h>
#include <stddef.h>

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_port.h"
#include "kern/thread.h"

struct ipc_space;

/*
 * Queues a kmsg in transit on its destination and wakes a receiver (which
 * the caller's next wait runs: kern/sched.h).  MACH_SEND_IN_PROGRESS: the
 * destination is a kernel object; the caller passes the kmsg to
 * ipc_kobject_server once it has dropped ipc_lock.  MACH_SEND_INVALID_DEST:
 * the destination died (the kmsg is destroyed).
 */
mach_msg_return_t ipc_mqueue_deliver_locked(struct ipc_kmsg *kmsg);

/*
 * Waits until the destination that the raw kmsg names in space has room
 * for it (or it is not a port that limits its queue).  Nothing is
 * consumed.  MACH_SEND_TIMED_OUT at deadline (0: do not wait),
 * MACH_SEND_INTERRUPTED if the thread is being terminated.
 */
mach_msg_return_t ipc_mqueue_wait_room_locked(struct ipc_kmsg *kmsg, struct ipc_space *space,
					      uint64_t deadline);

/*
 * Takes the next message from the port or port set that name denotes in
 * space, waiting until deadline (0: do not wait; SCHED_NO_DEADLINE: no
 * limit).  A message larger than max_size stays queued: MACH_RCV_TOO_LARGE
 * with its size in *size.  Errors: MACH_RCV_INVALID_NAME, MACH_RCV_IN_SET,
 * MACH_RCV_TIMED_OUT, MACH_RCV_INTERRUPTED, MACH_RCV_PORT_DIED (the port
 * died or its receive right left while waiting), MACH_RCV_PORT_CHANGED
 * (it joined a set while waiting).
 */
mach_msg_return_t ipc_mqueue_receive_locked(struct ipc_space *space, mach_port_name_t name,
					    mach_msg_size_t max_size, uint64_t deadline,
					    struct ipc_kmsg **out, mach_msg_size_t *size);

/* The same on a port the kernel holds (the kernel's own RPCs). */
mach_msg_return_t ipc_mqueue_receive_port_locked(struct ipc_port *port, uint64_t deadline,
						 struct ipc_kmsg **out);

/*
 * The thread that a message of size bytes for port goes straight to: the
 * first one waiting to receive from the port or its set, if the port's
 * queue is empty (the message would be next) and the message fits its
 * buffer; else NULL.
 */
static inline struct thread *ipc_mqueue_receiver_locked(struct ipc_port *port,
							 mach_msg_size_t size)
{
	struct thread *t = port->pset != NULL ? port->pset->receivers.head
					      : port->receivers.head;

	if (t == NULL || port->msg_head != NULL || size > t->ith_rcv_size)
		return NULL;
	return t;
}

/* The first member of pset, from its turn on, with a message queued, or
 * NULL: the general receive's choice (which then turns the set past it)
 * and the RPC path's test that a set is empty. */
static inline struct ipc_port *ipc_pset_queued_locked(const struct ipc_pset *pset)
{
	struct ipc_port *p = pset->members;

	if (p != NULL) {
		do {
			if (p->msg_head != NULL)
				return p;
			p = p->set_next;
		} while (p != pset->members);
	}
	return NULL;
}

/* Hands kmsg, in transit to port, to receiver (ipc_mqueue_receiver_locked),
 * which the caller then wakes or runs. */
static inline void ipc_mqueue_hand_locked(struct ipc_port *port, struct thread *receiver,
					  struct ipc_kmsg *kmsg)
{
	port->msgs_sent++;
	port->msgs_received++;
	kmsg->hdr.msgh_seqno = port->seqno++;
	receiver->ith_kmsg = kmsg;
}

/* Room appeared on port (a receive, a larger qlimit): wake senders. */
void ipc_mqueue_room_locked(struct ipc_port *port);

/* Takes the head of port's non-empty queue, numbering it.  In line: the
 * fast path's receive is this. */
static inline struct ipc_kmsg *ipc_mqueue_dequeue_locked(struct ipc_port *port)
{
	struct ipc_kmsg *kmsg = port->msg_head;

	port->msg_head = kmsg->next;
	if (port->msg_head == NULL)
		port->msg_tail = NULL;
	kmsg->next = NULL;
	port->msgcount--;
	port->msgs_received++;
	kmsg->hdr.msgh_seqno = port->seqno++;
	if (port->senders.head != NULL)
		ipc_mqueue_room_locked(port);
	return kmsg;
}
