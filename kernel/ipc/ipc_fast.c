/*
 * The mach_msg trap, and its RPC fast path: a send and receive in one
 * call, of a simple message of at most IPC_KMSG_CACHED_SIZE bytes, to a
 * port a thread is waiting on with room for it, from a caller that will
 * then wait, with no timeout, on a port or port set whose queues are
 * empty.  That is both halves of every RPC once a server is waiting: the
 * client's request (COPY_SEND to the service, MAKE_SEND_ONCE reply) and
 * the server's reply-and-receive (MOVE_SEND_ONCE to the reply port), a
 * server on a port set (emul, the file server) included.
 *
 * It does what the general path does -- ipc_kmsg_get,
 * ipc_kmsg_copyin_locked, ipc_mqueue_deliver_locked handing the message
 * to the waiting receiver, the wait, then ipc_kmsg_copyout_locked and
 * ipc_kmsg_put -- with the checks these shapes need done once and in
 * line, under one acquisition of ipc_lock, and with the receiver run
 * directly (sched_handoff_locked).  The message never touches a queue: it
 * goes to the receiver in thread.ith_kmsg and the caller's answer comes
 * back the same way (ipc_mqueue.h).  Anything else (another disposition,
 * descriptors, no waiting receiver, a queued message, a receive timeout)
 * returns MACH_SEND_IN_PROGRESS before anything has changed, and the
 * general path takes the call.  tests/guest/ipc checks that the two paths
 * deliver the same messages.  This is the one function allowed to be
 * long (STYLE.md): splitting it would put the checks far from the commit
 * they guard.
 *
 * The file also holds the general path's short cuts that share these
 * checks: the one-way send (ipc_fast_send) and the receive of a simple
 * message (ipc_fast_copyout_locked).
 */
#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_kobject.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_notify.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "ipc/mach_msg.h"
#include "kern/sched_priv.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"
#include "vm/vm_map.h"

/* The object the name's entry holds with exactly the entry bit (and no
 * dead-name request), or NULL: ipc_entry_lookup_locked, whose test for a
 * free entry the bit's test makes. */
static inline void *entry_object(struct ipc_space *space, mach_port_name_t name, uint32_t bit)
{
	uint32_t index = IPC_NAME_INDEX(name);

	if (index >= space->size)
		return NULL;
	const struct ipc_entry *e = &space->table[index];
	if ((e->bits & (bit | IPC_ENTRY_DNREQUEST)) != bit || e->gen != IPC_NAME_GEN(name))
		return NULL;
	return e->object;
}

static inline struct ipc_port *entry_port(struct ipc_space *space, mach_port_name_t name,
					  uint32_t bit)
{
	return entry_object(space, name, bit);
}

/* Where a caller of the RPC path waits: on the port named rcv_name, or
 * the port set, whose queues must be empty; NULL if it is neither, or a
 * message is queued there (the general path then receives it). */
static inline struct wait_queue *rpc_wait_queue(struct ipc_space *space,
						mach_port_name_t rcv_name,
						struct ipc_port *rport)
{
	if (rport != NULL)
		return rport->pset == NULL && rport->msg_head == NULL ? &rport->receivers : NULL;
	struct ipc_pset *pset = entry_object(space, rcv_name, IPC_ENTRY_PORT_SET);
	if (pset == NULL || !pset->active || ipc_pset_queued_locked(pset) != NULL)
		return NULL;
	return &pset->receivers;
}

/* ipc_fast_copyout_locked, in line for the RPC path. */
static inline __attribute__((always_inline)) bool
copyout_simple_locked(struct ipc_space *space, struct task *task, struct ipc_kmsg *kmsg,
		      uint64_t msg, mach_msg_return_t *mr)
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
	if (copyout_header(h, msg) &&
	    (h->msgh_size == sizeof(*h) ||
	     copy_user_bytes((void *)(msg + sizeof(*h)), h + 1, h->msgh_size - sizeof(*h)) ==
		     KERN_SUCCESS)) {
		*mr = MACH_MSG_SUCCESS;
		ipc_kmsg_release_locked(kmsg);
		return true;
	}
	/* The buffer needs a fault that waits (a page gone to its pager),
	 * which cannot be taken under ipc_lock: the caller writes the message
	 * again once it has dropped the lock (mach_msg_put_pending). */
	current_thread()->ith_kmsg = kmsg;
	*mr = MACH_RCV_IN_PROGRESS;
	return true;
}

bool ipc_fast_copyout_locked(struct ipc_space *space, struct task *task, struct ipc_kmsg *kmsg,
			     uint64_t msg, mach_msg_return_t *mr)
{
	return copyout_simple_locked(space, task, kmsg, msg, mr);
}

/*
 * The receive half of the RPC path, once the caller's wait has ended:
 * the message handed over, as the common case; anything else as
 * ipc_mqueue_receive_locked does it (it checks everything again, and
 * waits on if the wake brought no message).  Called with ipc_lock held
 * (flags); returns with it released.
 */
static mach_msg_return_t rpc_receive_locked(struct thread *self, uint64_t flags)
{
	struct ipc_space *space = self->task->itk_space;
	struct ipc_kmsg *kmsg = self->ith_kmsg;
	mach_msg_size_t needed;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	self->ith_kmsg = NULL;
	if (kmsg == NULL) {
		mr = self->wait_result == WAIT_INTERRUPTED
			     ? MACH_RCV_INTERRUPTED
			     : ipc_mqueue_receive_locked(space, self->ith_rcv_name,
							 self->ith_rcv_size, SCHED_NO_DEADLINE,
							 &kmsg, &needed);
		/* The name was a port or set when the wait began: it went
		 * meanwhile, as the general path's wait reports it. */
		if (mr == MACH_RCV_INVALID_NAME)
			mr = MACH_RCV_PORT_DIED;
	}
	if (mr == MACH_MSG_SUCCESS &&
	    copyout_simple_locked(space, self->task, kmsg, self->ith_msg, &mr)) {
		ipc_unlock(flags);
		return __builtin_expect(mr != MACH_RCV_IN_PROGRESS, 1)
			       ? mr
			       : mach_msg_put_pending(self->ith_msg);
	}
	if (mr != MACH_MSG_SUCCESS)
		return mach_msg_receive_failed(self->ith_msg, self->ith_rcv_size, mr, needed,
					       flags);
	return mach_msg_receive_finish(space, self->task, self->ith_msg, kmsg, flags);
}

/* Where a thread that waited in the RPC path without its stack resumes
 * when it is switched to (sched.h): its receive, on a fresh stack. */
static void rpc_continue(void)
{
	simple_lock_trade(&sched_lock, &ipc_lock);
	thread_syscall_return(rpc_receive_locked(current_thread(), RFLAGS_IF), NULL);
}

/* The same from the top of the current thread's stack, with ipc_lock
 * held: what rpc_receive_direct leaves to its own stack. */
static uint64_t rpc_receive_own_stack(void)
{
	return rpc_receive_locked(current_thread(), RFLAGS_IF);
}

static uint64_t rpc_put_pending(void)
{
	ipc_unlock(RFLAGS_IF);
	return mach_msg_put_pending(current_thread()->ith_msg);
}

/*
 * The receive of self, just run by the RPC path's direct handoff (it
 * waited there too, without its stack): on the stack of the thread that
 * handed over, in self's address space, with ipc_lock held.  The common
 * case, the message written out under the lock, ends self's trap from
 * here; anything else goes on from the top of self's own stack.
 */
static __attribute__((noreturn)) void rpc_receive_direct(struct thread *self)
{
	struct ipc_kmsg *kmsg = self->ith_kmsg;
	mach_msg_return_t mr;

	self->ith_kmsg = NULL;
	if (!copyout_simple_locked(self->task->itk_space, self->task, kmsg, self->ith_msg, &mr)) {
		self->ith_kmsg = kmsg;
		thread_syscall_finish(rpc_receive_own_stack);
	}
	if (__builtin_expect(mr == MACH_RCV_IN_PROGRESS, 0))
		thread_syscall_finish(rpc_put_pending);
	simple_unlock(&ipc_lock, 0);    /* interrupts stay off: this is not self's stack */
	thread_syscall_return(mr, ipc_unlock_work_queued() ? ipc_unlock_work : NULL);
}

void ipc_fast_wait_locked(struct ipc_space *space, uint64_t msg, mach_msg_size_t size,
			  mach_port_name_t name)
{
	struct thread *self = current_thread();
	struct wait_queue *wq =
		rpc_wait_queue(space, name, entry_port(space, name, IPC_ENTRY_RECEIVE));

	if (wq == NULL || ipc_notify_pending() || self->terminating)
		return;
	self->ith_rcv_size = size;
	self->ith_rcv_name = name;
	self->ith_msg = msg;
	ipc_counts.fast_waits++;
	simple_lock_trade(&ipc_lock, &sched_lock);
	sched_wait_continue_locked(wq, rpc_continue);
	simple_lock_trade(&sched_lock, &ipc_lock);
}

/* What the RPC path knows of a call once it has checked it. */
struct rpc {
	struct ipc_space *space;
	struct thread *receiver;
	struct ipc_port *dest, *reply;
	struct wait_queue *rwq;         /* where the caller waits for its answer */
	struct ipc_kmsg *kmsg;          /* the receiver's own, with the body */
	mach_port_name_t dname;
	mach_msg_size_t size;
	mach_msg_id_t id;
	bool request;
};

/*
 * The rights as the kmsg path takes them at copyin, and the message to
 * the receiver in its kmsg, in the form ipc_kmsg_copyin_locked leaves.
 */
static void rpc_commit_kmsg_locked(const struct rpc *c)
{
	mach_msg_bits_t bits;

	if (c->request) {
		ipc_port_copy_send_locked(c->dest);
		ipc_port_make_sonce_locked(c->reply);
		bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE);
	} else {
		ipc_entry_free_locked(c->space, c->dname);   /* its reference moves */
		bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
	}
	c->kmsg->hdr = (mach_msg_header_t){
		.msgh_bits = bits,
		.msgh_size = c->size,
		.msgh_remote_port = c->dest,
		.msgh_local_port = c->reply,
		.msgh_id = c->id,
	};
	c->kmsg->rights = true;
	ipc_mqueue_hand_locked(c->dest, c->receiver, c->kmsg);
}

/*
 * The direct RPC, when the receiver waits in rpc_continue: the message
 * goes from the caller's buffer (its body through the receiver's kmsg)
 * straight into the receiver's, with the rights as the kmsg path would
 * leave them once received -- the destination's send right of a request
 * is copied in and released again, so neither is done -- and the
 * receiver's trap ends from here.  Called with ipc_lock and sched_lock
 * held and the handoff allowed; does not return.  A fault writing the
 * receiver's buffer makes the message the kmsg path's after all, which
 * the receiver takes from the top of its own stack.
 */
static __attribute__((noreturn)) void rpc_direct_locked(const struct rpc *c)
{
	struct thread *receiver = c->receiver;
	struct ipc_space *rspace = c->dest->receiver;
	struct ipc_port *dest = c->dest;
	mach_port_name_t reply_name = MACH_PORT_NAME_NULL;

	if (c->request) {
		struct ipc_entry *e = ipc_entry_take_free_locked(rspace, &reply_name);
		ipc_port_make_sonce_locked(c->reply);
		e->object = c->reply;
		e->bits = IPC_ENTRY_SEND_ONCE;
		e->urefs = 1;
	} else {
		ipc_entry_free_locked(c->space, c->dname);
	}
	uint64_t header[4] = {
		(c->request ? MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND)
			    : MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE)) |
			(uint64_t)c->size << 32,
		reply_name,
		dest->receiver_name,
		dest->seqno | (uint64_t)(uint32_t)c->id << 32,
	};
	dest->seqno++;
	dest->msgs_sent++;
	dest->msgs_received++;
	c->space->task->msgs_sent++;
	receiver->task->msgs_received++;
	ipc_counts.fast_rpcs++;
	sched_handoff_direct_locked(c->rwq, receiver, rpc_continue);
	simple_unlock(&sched_lock, 0);

	/* Now in the receiver's address space, as the receiver. */
	uint64_t msg = receiver->ith_msg;
	if (__builtin_expect(!copyout_header(header, msg) ||
				     (c->size > sizeof(mach_msg_header_t) &&
				      copy_user_bytes((void *)(msg + sizeof(mach_msg_header_t)),
						      &c->kmsg->hdr + 1,
						      c->size - sizeof(mach_msg_header_t)) !=
					      KERN_SUCCESS),
			     0)) {
		/* The message then holds what the kmsg path's copyin leaves:
		 * the send right, and the send-once right of the reply name
		 * given back (or the moved one of the reply, still held).
		 * The header is rpc_commit_kmsg_locked's, written again: one
		 * function for both cost the round trip 29 instructions in the
		 * compiler's use of registers on the direct path. */
		if (c->request) {
			ipc_entry_free_locked(rspace, reply_name);
			ipc_port_copy_send_locked(dest);
		}
		c->kmsg->hdr = (mach_msg_header_t){
			.msgh_bits = c->request ? MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND,
								 MACH_MSG_TYPE_PORT_SEND_ONCE)
						: MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0),
			.msgh_size = c->size,
			.msgh_remote_port = dest,
			.msgh_local_port = c->request ? c->reply : NULL,
			.msgh_seqno = (mach_port_seqno_t)header[3],
			.msgh_id = c->id,
		};
		c->kmsg->rights = true;
		receiver->ith_kmsg = c->kmsg;
		thread_syscall_finish(rpc_receive_own_stack);
	}
	if (!c->request)
		ipc_port_release_sonce_locked(dest);
	simple_unlock(&ipc_lock, 0);    /* interrupts stay off: this is not the receiver's stack */
	thread_syscall_return(MACH_MSG_SUCCESS,
			      ipc_unlock_work_queued() ? ipc_unlock_work : NULL);
}

static mach_msg_return_t ipc_fast_rpc(uint64_t msg, mach_msg_size_t send_size,
				      mach_msg_size_t rcv_size, mach_port_name_t rcv_name)
{
	struct thread *self = current_thread();
	struct ipc_space *space = self->task->itk_space;
	mach_msg_header_t h;

	/* The shape, from the header alone.  The buffer is checked to lie in
	 * the user half once, here, for every copy below. */
	if ((msg & 7) || (send_size & 7) || send_size < sizeof(h) ||
	    send_size > IPC_KMSG_CACHED_SIZE ||
	    !user_range_ok(msg, send_size > rcv_size ? send_size : rcv_size) ||
	    !copyin_header(msg, &h))
		return MACH_SEND_IN_PROGRESS;
	mach_port_name_t dname = (mach_port_name_t)h.msgh_remote_slot;
	mach_port_name_t rname = (mach_port_name_t)h.msgh_local_slot;
	bool request = h.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						     MACH_MSG_TYPE_MAKE_SEND_ONCE);
	if (!(request || (h.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) &&
			  rname == MACH_PORT_NAME_NULL)) ||
	    h.msgh_size != send_size || dname == rname || dname == rcv_name)
		return MACH_SEND_IN_PROGRESS;

	/* The ports: a receiver waiting at the destination with room for the
	 * message, an empty queue to wait on. */
	uint64_t flags = ipc_lock_acquire();
	struct rpc c = { .space = space, .dname = dname, .size = send_size, .id = h.msgh_id,
			 .request = request };
	struct ipc_port *rport;
	if (request) {
		c.dest = entry_port(space, dname, IPC_ENTRY_SEND);
		c.reply = entry_port(space, rname, IPC_ENTRY_RECEIVE);
		rport = rcv_name == rname ? c.reply
					  : entry_port(space, rcv_name, IPC_ENTRY_RECEIVE);
	} else {
		c.dest = entry_port(space, dname, IPC_ENTRY_SEND_ONCE);
		rport = entry_port(space, rcv_name, IPC_ENTRY_RECEIVE);
	}
	if (c.dest == NULL || !c.dest->active ||
	    (c.receiver = ipc_mqueue_receiver_locked(c.dest, send_size)) == NULL ||
	    (request && c.reply == NULL) ||
	    (c.rwq = rpc_wait_queue(space, rcv_name, rport)) == NULL) {
		ipc_unlock(flags);
		return MACH_SEND_IN_PROGRESS;
	}
	c.kmsg = c.receiver->ith_kmsg_own;    /* free while it waits */
	if (send_size > sizeof(h) &&
	    copy_user_bytes(&c.kmsg->hdr + 1, (const void *)(msg + sizeof(h)),
			    send_size - sizeof(h)) != KERN_SUCCESS) {
		ipc_unlock(flags);
		return MACH_SEND_IN_PROGRESS;
	}

	/* Wait for the answer, running the receiver meanwhile.  No deadline:
	 * the caller asked for none (no MACH_RCV_TIMEOUT); the wait ends at
	 * a message, the port's end, or the thread's termination.  The wait
	 * gives up the caller's stack (rpc_continue), and when the receiver
	 * waits the same way, it is run straight from here. */
	self->ith_rcv_size = rcv_size;
	self->ith_rcv_name = rcv_name;
	self->ith_msg = msg;
	if (c.receiver->continuation == rpc_continue &&
	    (!request || c.dest->receiver->free_head != 0)) {
		simple_lock_nested(&sched_lock);
		if (sched_handoff_allowed_locked(c.receiver))
			rpc_direct_locked(&c);
		simple_unlock(&sched_lock, 0);
	}
	rpc_commit_kmsg_locked(&c);
	space->task->msgs_sent++;
	ipc_counts.fast_rpcs++;
	simple_lock_trade(&ipc_lock, &sched_lock);
	if (sched_handoff_continue_locked(c.rwq, c.receiver, rpc_continue) ==
	    SCHED_HANDOFF_DIRECT) {
		simple_lock_trade(&sched_lock, &ipc_lock);
		rpc_receive_direct(c.receiver);
	}
	sched_handoff_locked(c.rwq, c.receiver);
	simple_lock_trade(&sched_lock, &ipc_lock);
	return rpc_receive_locked(self, flags);
}

/* Out-of-line regions a one-way message to a kernel object may carry on
 * the fast path: their copy structs are on the stack. */
#define KOBJECT_COPIES 4u

/*
 * ipc_fast_send to a kernel object: the message is served from a copy on
 * the stack, not a kmsg, its regions read in place through copy structs
 * on the stack, and the reply (with nowhere to go) made on the stack.  As
 * in the general path, the message holds a send right to the port while
 * it is served.  Called with ipc_lock held (flags); releases it.
 */
static __attribute__((noinline)) mach_msg_return_t
kobject_send(struct ipc_space *space, uint64_t msg, const mach_msg_header_t *h,
	     mach_msg_size_t send_size, struct ipc_port *dest, uint64_t flags)
{
	union {
		mach_msg_header_t h;
		uint8_t b[IPC_KMSG_CACHED_SIZE];
	} m;
	struct vm_map_copy copies[KOBJECT_COPIES];
	bool complex = h->msgh_bits & MACH_MSGH_BITS_COMPLEX;

	m.h = *h;
	if ((send_size > sizeof(*h) &&
	     copy_user_bytes(&m.h + 1, (const void *)(msg + sizeof(*h)),
			     send_size - sizeof(*h)) != KERN_SUCCESS) ||
	    (complex && !ipc_msg_get_in_place_locked(&m.h, send_size, copies, KOBJECT_COPIES))) {
		ipc_unlock(flags);
		return MACH_SEND_IN_PROGRESS;
	}

	/* Commit: the destination right, as ipc_kmsg_copyin_locked takes it,
	 * and the header in the form a kernel server receives. */
	ipc_port_copy_send_locked(dest);
	space->task->msgs_sent++;
	ipc_counts.fast_sends++;
	ipc_unlock(flags);
	m.h.msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
			MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND);
	m.h.msgh_remote_port = NULL;
	m.h.msgh_local_port = dest;
	m.h.msgh_seqno = 0;
	ipc_kobject_serve_oneway(&m.h);
	return MACH_MSG_SUCCESS;
}

/*
 * The other fast path: a one-way message (COPY_SEND, no reply port) of
 * at most IPC_KMSG_CACHED_SIZE bytes to a port with room for it -- a
 * notification, an event, and above all a simpleroutine to a kernel
 * object, such as a pager's data_supply (kobject_send) -- or through a
 * send-once right to a task's port (MOVE_SEND_ONCE: a server's deferred
 * reply, such as emul's to a read that waited for a pipe).  Descriptors are
 * allowed only to a kernel object, and only small out-of-line regions,
 * which it reads in place.  It does what the general path does for such
 * a message -- ipc_kmsg_get with its look at the destination, the wait
 * for room, ipc_kmsg_copyin_locked -- with one lookup of the destination
 * under one acquisition of ipc_lock, and delivers it the same way
 * (mach_msg_deliver).  Anything else, and every error, returns
 * MACH_SEND_IN_PROGRESS with nothing changed; the general path then takes
 * the call (and reports what is wrong).  Tried first by every send of
 * the general path (mach_msg_send).
 */
mach_msg_return_t ipc_fast_send(uint64_t msg, mach_msg_size_t send_size)
{
	struct ipc_space *space = current_thread()->task->itk_space;
	mach_msg_header_t h;

	if ((msg & 7) || (send_size & 7) || send_size < sizeof(h) ||
	    send_size > IPC_KMSG_CACHED_SIZE || !user_range_ok(msg, send_size) ||
	    !copyin_header(msg, &h))
		return MACH_SEND_IN_PROGRESS;
	bool once = h.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	if ((!once && (h.msgh_bits & ~MACH_MSGH_BITS_COMPLEX) !=
			      MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0)) ||
	    h.msgh_local_slot != MACH_PORT_NAME_NULL || h.msgh_size != send_size)
		return MACH_SEND_IN_PROGRESS;

	uint64_t flags = ipc_lock_acquire();
	mach_port_name_t dname = (mach_port_name_t)h.msgh_remote_slot;
	struct ipc_port *dest =
		entry_port(space, dname, once ? IPC_ENTRY_SEND_ONCE : IPC_ENTRY_SEND);
	struct ipc_kmsg *kmsg;
	if (dest != NULL && dest->active && ipc_port_is_kobject(dest) && !once)
		return kobject_send(space, msg, &h, send_size, dest, flags);
	/* A send-once right's message is never refused for a full queue. */
	if (dest == NULL || !dest->active || ipc_port_is_kobject(dest) ||
	    (h.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    (!once && dest->msgcount >= dest->qlimit) ||
	    (kmsg = ipc_kmsg_cached_locked()) == NULL) {
		ipc_unlock(flags);
		return MACH_SEND_IN_PROGRESS;
	}
	kmsg->hdr = (mach_msg_header_t){
		.msgh_bits = h.msgh_bits,
		.msgh_size = send_size,
		.msgh_id = h.msgh_id,
	};
	if (send_size > sizeof(h) &&
	    copy_user_bytes(&kmsg->hdr + 1, (const void *)(msg + sizeof(h)),
			    send_size - sizeof(h)) != KERN_SUCCESS) {
		kmsg->hdr.msgh_bits = 0;
		ipc_kmsg_release_locked(kmsg);
		ipc_unlock(flags);
		return MACH_SEND_IN_PROGRESS;
	}

	/* Commit: the destination right, as ipc_kmsg_copyin_locked takes it
	 * (a send-once right's reference moves with the message). */
	if (once)
		ipc_entry_free_locked(space, dname);
	else
		ipc_port_copy_send_locked(dest);
	kmsg->hdr.msgh_bits = MACH_MSGH_BITS(once ? MACH_MSG_TYPE_PORT_SEND_ONCE
						  : MACH_MSG_TYPE_PORT_SEND, 0);
	kmsg->hdr.msgh_remote_port = dest;
	kmsg->rights = true;
	space->task->msgs_sent++;
	ipc_counts.fast_sends++;
	return mach_msg_deliver(kmsg, flags);
}

uint64_t trap_mach_msg(uint64_t msg, uint64_t option, uint64_t send_size, uint64_t rcv_size,
		       uint64_t rcv_name, uint64_t timeout)
{
	/* The 32-bit arguments are the low halves of their registers.  A send
	 * timeout does not matter to the fast path, which never waits to send
	 * (servers reply with one, mach_msg_server). */
	if (((mach_msg_option_t)option & ~MACH_SEND_TIMEOUT) == (MACH_SEND_MSG | MACH_RCV_MSG)) {
		mach_msg_return_t mr = ipc_fast_rpc(msg, (mach_msg_size_t)send_size,
						    (mach_msg_size_t)rcv_size,
						    (mach_port_name_t)rcv_name);
		if (mr != MACH_SEND_IN_PROGRESS)
			return mr;
	}
	return mach_msg_general(msg, (mach_msg_option_t)option, send_size, rcv_size, rcv_name,
				timeout);
}
