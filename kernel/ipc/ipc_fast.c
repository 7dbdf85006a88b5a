/*
 * The RPC fast path of mach_msg: a send and receive in one call, of a
 * simple message of at most IPC_KMSG_CACHED_SIZE bytes, to a port a
 * thread is already waiting on, from a caller that will then wait on a
 * port whose queue is empty.  That is both halves of every RPC once a
 * server is waiting: the client's request (COPY_SEND to the service,
 * MAKE_SEND_ONCE reply) and the server's reply-and-receive
 * (MOVE_SEND_ONCE to the reply port).
 *
 * It does what the general path does -- ipc_kmsg_get,
 * ipc_kmsg_copyin_locked, ipc_mqueue_deliver_locked, the wait, then
 * ipc_kmsg_copyout_locked and ipc_kmsg_put -- with the checks these
 * shapes need done once and in line, under one acquisition of ipc_lock,
 * and with the waiting receiver run directly (sched_handoff_locked).
 * Anything else (another disposition, descriptors, a port set, a kernel
 * object, a dead-name request, no waiting receiver, a queued message)
 * returns MACH_SEND_IN_PROGRESS before anything has changed, and the
 * general path takes the call.  tests/guest/ipc checks that the two paths
 * deliver the same messages.  This is the one function allowed to be
 * long (STYLE.md): splitting it would put the checks far from the
 * commit they guard.
 */
#include "ipc/ipc_fast.h"

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "ipc/mach_msg.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"

/* The port name's entry holds with exactly the entry bit (and no
 * dead-name request), or NULL. */
static inline struct ipc_port *entry_port(struct ipc_space *space, mach_port_name_t name,
					  uint32_t bit)
{
	struct ipc_entry *e = ipc_entry_lookup_locked(space, name);

	if (e == NULL || (e->bits & (bit | IPC_ENTRY_DNREQUEST)) != bit)
		return NULL;
	return e->object;
}

/*
 * Gives the receiver the rights of a simple kmsg in transit whose reply is
 * a send-once right or none, and writes it to msg; false (nothing done)
 * for anything else.  ipc_lock held.
 */
static bool copyout_simple_locked(struct ipc_space *space, struct task *task,
				  struct ipc_kmsg *kmsg, uint64_t msg, mach_msg_return_t *mr)
{
	mach_msg_header_t *h = &kmsg->hdr;
	struct ipc_port *dest = h->msgh_remote_port, *reply = h->msgh_local_port;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	mach_port_name_t reply_name = MACH_PORT_NAME_NULL;

	if ((h->msgh_bits & MACH_MSGH_BITS_COMPLEX) || dest->receiver != space)
		return false;
	if (reply != NULL) {
		struct ipc_entry *e;
		if (rtype != MACH_MSG_TYPE_PORT_SEND_ONCE || !IPC_PORT_VALID(reply) ||
		    !reply->active || (e = ipc_entry_take_free_locked(space, &reply_name)) == NULL)
			return false;
		e->object = reply;
		e->bits = IPC_ENTRY_SEND_ONCE;
		e->urefs = 1;
	}
	if (dtype == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_release_sonce_locked(dest);
	else
		ipc_port_release_send_locked(dest);
	h->msgh_remote_slot = reply_name;
	h->msgh_local_slot = dest->receiver_name;
	h->msgh_bits = MACH_MSGH_BITS(rtype, dtype);
	task->msgs_received++;
	*mr = copyout(h, msg, h->msgh_size) == KERN_SUCCESS ? MACH_MSG_SUCCESS
							   : MACH_RCV_INVALID_DATA;
	ipc_kmsg_release_locked(kmsg);
	return true;
}

mach_msg_return_t ipc_fast_rpc(struct thread *self, uint64_t msg, mach_msg_size_t send_size,
			       mach_msg_size_t rcv_size, mach_port_name_t rcv_name)
{
	struct ipc_space *space = self->task->itk_space;
	mach_msg_header_t h;

	/* The shape, from the header alone. */
	if ((msg & 7) || (send_size & 7) || send_size < sizeof(h) ||
	    send_size > IPC_KMSG_CACHED_SIZE ||
	    !user_range_ok(msg, send_size > rcv_size ? send_size : rcv_size) ||
	    copyin(msg, &h, sizeof(h)) != KERN_SUCCESS)
		return MACH_SEND_IN_PROGRESS;
	mach_msg_type_name_t rd = MACH_MSGH_BITS_REMOTE(h.msgh_bits);
	mach_msg_type_name_t ld = MACH_MSGH_BITS_LOCAL(h.msgh_bits);
	mach_port_name_t dname = (mach_port_name_t)h.msgh_remote_slot;
	mach_port_name_t rname = (mach_port_name_t)h.msgh_local_slot;
	if (h.msgh_size != send_size || (h.msgh_bits & ~(MACH_MSGH_BITS_REMOTE_MASK |
							 MACH_MSGH_BITS_LOCAL_MASK)) ||
	    !(rd == MACH_MSG_TYPE_COPY_SEND || rd == MACH_MSG_TYPE_MOVE_SEND_ONCE) ||
	    !(ld == MACH_MSG_TYPE_MAKE_SEND_ONCE || (ld == 0 && rname == MACH_PORT_NAME_NULL)) ||
	    dname == rname || dname == rcv_name)
		return MACH_SEND_IN_PROGRESS;

	/* The ports: a waiting receiver at the destination, an empty queue
	 * to wait on. */
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port *dest = entry_port(space, dname,
					   rd == MACH_MSG_TYPE_COPY_SEND ? IPC_ENTRY_SEND
									 : IPC_ENTRY_SEND_ONCE);
	struct ipc_port *reply = ld ? entry_port(space, rname, IPC_ENTRY_RECEIVE) : NULL;
	struct ipc_port *rport = rcv_name == rname && reply != NULL
					 ? reply
					 : entry_port(space, rcv_name, IPC_ENTRY_RECEIVE);
	struct ipc_kmsg *kmsg;
	if (dest == NULL || !dest->active || dest->receiver == NULL ||
	    dest->receiver == &ipc_space_kernel || dest->pset != NULL ||
	    dest->msg_head != NULL || dest->receivers.head == NULL || (ld && reply == NULL) ||
	    rport == NULL || rport->pset != NULL || rport->msg_head != NULL ||
	    (kmsg = ipc_kmsg_cached_locked()) == NULL) {
		ipc_unlock(flags);
		return MACH_SEND_IN_PROGRESS;
	}
	if (send_size > sizeof(h) &&
	    copyin(msg + sizeof(h), (uint8_t *)(&kmsg->hdr + 1), send_size - sizeof(h)) !=
		    KERN_SUCCESS) {
		ipc_kmsg_release_locked(kmsg);
		ipc_unlock(flags);
		return MACH_SEND_IN_PROGRESS;
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
	kmsg->hdr = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(rd, ld),
		.msgh_size = send_size,
		.msgh_remote_port = dest,
		.msgh_local_port = reply,
		.msgh_id = h.msgh_id,
	};
	kmsg->rights = true;
	dest->msg_head = dest->msg_tail = kmsg;
	dest->msgcount = 1;
	dest->msgs_sent++;
	space->task->msgs_sent++;
	ipc_counts.fast_rpcs++;

	/* Wait for the answer, running the receiver meanwhile.  No deadline:
	 * the caller asked for none (no MACH_RCV_TIMEOUT); the wait ends at
	 * a message, the port's end, or the thread's termination. */
	ipc_port_reference_locked(rport);
	uint64_t sflags = simple_lock(&sched_lock);
	ipc_lock.held = 0;
	int r = sched_handoff_locked(&rport->receivers, dest->receivers.head);
	ipc_lock.held = 1;
	simple_unlock(&sched_lock, sflags);
	bool alive = rport->refs > 1;   /* someone besides us still holds it */
	ipc_port_release_locked(rport);
	if (!alive)
		rport = NULL;

	/* The receive: the common case, a message that fits on the port we
	 * still hold, in line; anything else as ipc_mqueue_receive_locked
	 * does it (it checks everything again, and waits on if the wake
	 * brought no message). */
	mach_msg_size_t needed;
	mach_msg_return_t mr;
	kmsg = rport != NULL ? rport->msg_head : NULL;
	if (r == WAIT_AWAKENED && kmsg != NULL && rport->active && rport->receiver == space &&
	    rport->receiver_name == rcv_name && rport->pset == NULL &&
	    kmsg->hdr.msgh_size <= rcv_size) {
		kmsg = ipc_mqueue_dequeue_locked(rport);
		mr = MACH_MSG_SUCCESS;
	} else {
		mr = r == WAIT_INTERRUPTED ? MACH_RCV_INTERRUPTED
					   : ipc_mqueue_receive_locked(space, rcv_name, rcv_size,
								       SCHED_NO_DEADLINE, NULL, &kmsg,
								       &needed);
	}
	if (mr == MACH_MSG_SUCCESS && copyout_simple_locked(space, self->task, kmsg, msg, &mr)) {
		ipc_unlock(flags);
		return mr;
	}
	if (mr != MACH_MSG_SUCCESS)
		return mach_msg_receive_failed(msg, rcv_size, mr, needed, flags);
	return mach_msg_receive_finish(space, self->task, msg, kmsg, flags);
}
