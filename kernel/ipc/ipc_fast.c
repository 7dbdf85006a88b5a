/*
 * The RPC fast path of mach_msg: a send and receive in one call, of a
 * simple message, to a port a thread is already waiting on, from a
 * caller that will then wait on a port with an empty queue.  That is
 * both halves of every RPC once a server is waiting: the client's
 * request (COPY_SEND to the service, MAKE_SEND_ONCE reply) and the
 * server's reply-and-receive (MOVE_SEND_ONCE to the reply port).
 *
 * It does what the general path does (ipc_kmsg_get, ipc_kmsg_copyin_locked,
 * ipc_mqueue_deliver_locked, then the receive), with the checks that
 * matter for these shapes done once and in line; anything else (another
 * disposition, descriptors, a port set, a kernel object, a full queue, a
 * dead-name request, no waiting receiver) returns MACH_SEND_IN_PROGRESS
 * before anything has changed, and the general path takes the call.
 * tests/guest/ipc checks that both paths deliver the same messages.
 */
#include "ipc/ipc_fast.h"

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"

#define FAST_MAX_SIZE 256u   /* the kmsg cache's buffers */

/* The port a name's entry holds with the given entry bit, or NULL. */
static inline struct ipc_port *entry_port(struct ipc_space *space, mach_port_name_t name,
					  uint32_t bit, struct ipc_entry **ep)
{
	struct ipc_entry *e = ipc_entry_lookup_locked(space, name);

	if (e == NULL || (e->bits & (bit | IPC_ENTRY_DNREQUEST)) != bit)
		return NULL;
	*ep = e;
	return e->object;
}

mach_msg_return_t ipc_fast_rpc(struct thread *self, uint64_t msg, mach_msg_size_t send_size,
			       mach_msg_size_t rcv_size, mach_port_name_t rcv_name)
{
	struct ipc_space *space = self->task->itk_space;

	if ((msg & 7) || (send_size & 7) || send_size < sizeof(mach_msg_header_t) ||
	    send_size > FAST_MAX_SIZE || rcv_size < send_size ||
	    !user_range_ok(msg, rcv_size))
		return MACH_SEND_IN_PROGRESS;
	struct ipc_kmsg *kmsg = ipc_kmsg_alloc(send_size);
	if (kmsg == NULL)
		return MACH_SEND_IN_PROGRESS;
	mach_msg_header_t *h = &kmsg->hdr;
	if (copyin(msg, h, send_size) != KERN_SUCCESS)
		goto slow_free;
	mach_msg_bits_t bits = h->msgh_bits;
	mach_msg_type_name_t rd = MACH_MSGH_BITS_REMOTE(bits);
	mach_msg_type_name_t ld = MACH_MSGH_BITS_LOCAL(bits);
	mach_port_name_t dname = (mach_port_name_t)h->msgh_remote_slot;
	mach_port_name_t rname = (mach_port_name_t)h->msgh_local_slot;
	if (h->msgh_size != send_size || (bits & ~MACH_MSGH_BITS_USED) ||
	    (bits & MACH_MSGH_BITS_COMPLEX))
		goto slow_free;
	if (!(rd == MACH_MSG_TYPE_COPY_SEND || rd == MACH_MSG_TYPE_MOVE_SEND_ONCE) ||
	    !(ld == MACH_MSG_TYPE_MAKE_SEND_ONCE || (ld == 0 && rname == MACH_PORT_NAME_NULL)) ||
	    dname == rname || dname == rcv_name)
		goto slow_free;

	uint64_t flags = ipc_lock_acquire();
	struct ipc_entry *de, *re = NULL, *ce;
	struct ipc_port *dest = entry_port(space, dname,
					   rd == MACH_MSG_TYPE_COPY_SEND ? IPC_ENTRY_SEND
									 : IPC_ENTRY_SEND_ONCE,
					   &de);
	struct ipc_port *reply = ld ? entry_port(space, rname, IPC_ENTRY_RECEIVE, &re) : NULL;
	struct ipc_port *rport = entry_port(space, rcv_name, IPC_ENTRY_RECEIVE, &ce);
	if (dest == NULL || !dest->active || dest->receiver == NULL ||
	    dest->receiver == &ipc_space_kernel || dest->pset != NULL ||
	    dest->msg_head != NULL || dest->receivers.head == NULL ||
	    (ld && reply == NULL) ||
	    rport == NULL || rport->pset != NULL || rport->msg_head != NULL) {
		ipc_unlock(flags);
		goto slow_free;
	}

	/* Commit: the rights, as ipc_kmsg_copyin_locked takes them. */
	if (rd == MACH_MSG_TYPE_COPY_SEND) {
		ipc_port_copy_send_locked(dest);
		rd = MACH_MSG_TYPE_PORT_SEND;
	} else {
		ipc_entry_free_locked(space, dname);   /* its reference moves */
		rd = MACH_MSG_TYPE_PORT_SEND_ONCE;
	}
	if (reply != NULL) {
		ipc_port_make_sonce_locked(reply);
		ld = MACH_MSG_TYPE_PORT_SEND_ONCE;
	}
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_bits = MACH_MSGH_BITS(rd, ld);
	h->msgh_seqno = 0;
	kmsg->rights = true;
	space->task->msgs_sent++;

	struct thread *woken;
	ipc_mqueue_deliver_locked(kmsg, &woken);

	/* The receive: the caller waits, and the receiver runs at once. */
	mach_msg_size_t needed;
	mach_msg_return_t mr = ipc_mqueue_receive_locked(space, rcv_name, rcv_size,
							 SCHED_NO_DEADLINE, woken, &kmsg, &needed);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_unlock(flags);
		if (mr == MACH_RCV_TOO_LARGE)
			copyout(&needed, msg + __builtin_offsetof(mach_msg_header_t, msgh_size),
				sizeof(needed));
		return mr;
	}
	bool body_error;
	self->task->msgs_received++;
	mr = ipc_kmsg_copyout_locked(kmsg, space, &body_error);
	ipc_unlock(flags);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	return ipc_kmsg_put(kmsg, self->task, msg, body_error);

slow_free:
	kmsg->hdr.msgh_bits = 0;   /* nothing of the sender's to release */
	ipc_kmsg_free(kmsg);
	return MACH_SEND_IN_PROGRESS;
}
