/* Message queues; see ipc_mqueue.h. */
#include "ipc/ipc_mqueue.h"

#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "kern/clock.h"
#include "kern/sched.h"
#include "kern/thread.h"

mach_msg_return_t ipc_mqueue_deliver_locked(struct ipc_kmsg *kmsg)
{
	struct ipc_port *port = kmsg->hdr.msgh_remote_port;

	if (!IPC_PORT_VALID(port) || !port->active) {
		ipc_kmsg_destroy_locked(kmsg);
		return MACH_SEND_INVALID_DEST;
	}
	if (kmsg->circular) {
		/* It could never be received: as if received and destroyed. */
		ipc_kmsg_destroy_locked(kmsg);
		return MACH_MSG_SUCCESS;
	}
	if (ipc_port_is_kobject(port))
		return MACH_SEND_IN_PROGRESS;

	struct thread *receiver = ipc_mqueue_receiver_locked(port, kmsg->hdr.msgh_size);
	if (receiver != NULL) {
		ipc_mqueue_hand_locked(port, receiver, kmsg);
	} else {
		kmsg->next = NULL;
		if (port->msg_tail != NULL)
			port->msg_tail->next = kmsg;
		else
			port->msg_head = kmsg;
		port->msg_tail = kmsg;
		port->msgcount++;
		port->msgs_sent++;
	}

	/* The receiver it went to, or one to find it queued (too large for
	 * it, or behind others). */
	struct wait_queue *wq = port->pset != NULL ? &port->pset->receivers : &port->receivers;
	if (wq->head != NULL) {
		simple_lock_nested(&sched_lock);
		sched_wakeup_one_locked(wq);
		simple_unlock(&sched_lock, 0);
	}
	return MACH_MSG_SUCCESS;
}

/*
 * Waits on wq (ipc_wait_locked) as a receiver whose buffer takes max_size
 * bytes; *kmsg: the message handed over meanwhile, or NULL.
 */
static int wait_to_receive(struct wait_queue *wq, mach_msg_size_t max_size, uint64_t deadline,
			   struct ipc_kmsg **kmsg)
{
	struct thread *self = current_thread();

	self->ith_rcv_size = max_size;
	int r = ipc_wait_locked(wq, deadline);
	*kmsg = self->ith_kmsg;
	self->ith_kmsg = NULL;
	return r;
}

mach_msg_return_t ipc_mqueue_wait_room_locked(struct ipc_kmsg *kmsg, struct ipc_space *space,
					      uint64_t deadline)
{
	mach_msg_type_name_t rd = MACH_MSGH_BITS_REMOTE(kmsg->hdr.msgh_bits);

	if (rd == MACH_MSG_TYPE_MOVE_SEND_ONCE || rd == MACH_MSG_TYPE_MAKE_SEND_ONCE)
		return MACH_MSG_SUCCESS;
	for (;;) {
		struct ipc_entry *e =
			ipc_right_lookup_locked(space, (mach_port_name_t)kmsg->hdr.msgh_remote_slot);
		if (!ipc_right_copyin_check(e, rd, 0, false))
			return MACH_MSG_SUCCESS;    /* the copyin reports it */
		struct ipc_port *port = e->object;
		if (port->msgcount < port->qlimit || ipc_port_is_kobject(port))
			return MACH_MSG_SUCCESS;
		if (deadline == 0)
			return MACH_SEND_TIMED_OUT;
		port->senders_blocked++;
		ipc_port_reference_locked(port);
		int r = ipc_wait_locked(&port->senders, deadline);
		ipc_port_release_locked(port);
		if (r == WAIT_INTERRUPTED)
			return MACH_SEND_INTERRUPTED;
		if (r == WAIT_TIMED_OUT)
			return MACH_SEND_TIMED_OUT;
	}
}

void ipc_mqueue_room_locked(struct ipc_port *port)
{
	if (port->senders.head == NULL)
		return;
	simple_lock_nested(&sched_lock);
	if (port->msgcount < port->qlimit)
		sched_wakeup_all_locked(&port->senders);
	simple_unlock(&sched_lock, 0);
}

/* The first member of pset with a message; the set turns past it, so
 * that the members take turns. */
static struct ipc_port *pset_ready_port(struct ipc_pset *pset)
{
	struct ipc_port *p = ipc_pset_queued_locked(pset);

	if (p != NULL)
		pset->members = p->set_next;
	return p;
}

/* Why a wait on port (or pset) must end without a message, or 0. */
static mach_msg_return_t check_still_ours(struct ipc_space *space, mach_port_name_t name,
					  struct ipc_port *port, struct ipc_pset *pset)
{
	if (pset != NULL)
		return pset->active ? 0 : MACH_RCV_PORT_DIED;
	if (!port->active || port->receiver != space || port->receiver_name != name)
		return MACH_RCV_PORT_DIED;
	if (port->pset != NULL)
		return MACH_RCV_PORT_CHANGED;
	return 0;
}

mach_msg_return_t ipc_mqueue_receive_locked(struct ipc_space *space, mach_port_name_t name,
					    mach_msg_size_t max_size, uint64_t deadline,
					    struct ipc_kmsg **out,
					    mach_msg_size_t *size)
{
	struct ipc_entry *e = ipc_entry_lookup_locked(space, name);
	struct ipc_port *port = NULL;
	struct ipc_pset *pset = NULL;

	if (e != NULL && (e->bits & IPC_ENTRY_RECEIVE))
		port = e->object;
	else if (e != NULL && (e->bits & IPC_ENTRY_PORT_SET))
		pset = e->object;
	else
		return MACH_RCV_INVALID_NAME;
	if (port != NULL && port->pset != NULL)
		return MACH_RCV_IN_SET;

	for (bool timed_out = false;;) {
		struct ipc_port *from = pset != NULL ? pset_ready_port(pset) : port;
		if (from != NULL && from->msg_head != NULL) {
			if (from->msg_head->hdr.msgh_size > max_size) {
				*size = from->msg_head->hdr.msgh_size;
				return MACH_RCV_TOO_LARGE;
			}
			*out = ipc_mqueue_dequeue_locked(from);
			return MACH_MSG_SUCCESS;
		}
		if (timed_out || deadline == 0)
			return MACH_RCV_TIMED_OUT;

		struct wait_queue *wq = pset != NULL ? &pset->receivers : &port->receivers;
		if (pset != NULL)
			pset->refs++;
		else
			ipc_port_reference_locked(port);
		int r = wait_to_receive(wq, max_size, deadline, out);
		mach_msg_return_t mr = *out != NULL ? MACH_MSG_SUCCESS
						    : check_still_ours(space, name, port, pset);
		if (pset != NULL)
			ipc_pset_release_locked(pset);
		else
			ipc_port_release_locked(port);
		if (mr != 0 || *out != NULL)
			return mr;
		if (r == WAIT_INTERRUPTED)
			return MACH_RCV_INTERRUPTED;
		timed_out = r == WAIT_TIMED_OUT;
	}
}

mach_msg_return_t ipc_mqueue_receive_port_locked(struct ipc_port *port, uint64_t deadline,
						 struct ipc_kmsg **out)
{
	for (bool timed_out = false;;) {
		if (port->msg_head != NULL) {
			*out = ipc_mqueue_dequeue_locked(port);
			return MACH_MSG_SUCCESS;
		}
		if (timed_out || deadline == 0)
			return MACH_RCV_TIMED_OUT;
		int r = wait_to_receive(&port->receivers, UINT32_MAX, deadline, out);
		if (*out != NULL)
			return MACH_MSG_SUCCESS;
		if (r == WAIT_INTERRUPTED)
			return MACH_RCV_INTERRUPTED;
		timed_out = r == WAIT_TIMED_OUT;
	}
}
