/*
 * The general path of the mach_msg trap (every call its fast path in
 * ipc_fast.c does not take) and the kernel's own sends.
 *
 * A send: copy the message in (ipc_kmsg_get), wait for room on the
 * destination, take the rights from the sender's space, and queue it or
 * hand it to a waiting receiver (or serve it, if the destination is a
 * kernel object).  A receive: take the
 * next message, give its rights to the receiver's space, map its
 * out-of-line memory and write it out.  Send and receive in one call is
 * an RPC: the receiver the send woke runs at once while the caller waits
 * for the reply (sched_wait_locked).  Every error code and what
 * it consumes is listed in docs/ipc.md.
 */
#include "ipc/mach_msg.h"

#include <mach/mig_support.h>

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_kobject.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "kern/clock.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"

/* The deadline of a timeout in ms: 0 polls, no TIMEOUT option waits on. */
static uint64_t deadline_of(mach_msg_option_t option, mach_msg_option_t flag,
			    mach_msg_timeout_t ms)
{
	if (!(option & flag))
		return SCHED_NO_DEADLINE;
	if (ms == 0)
		return 0;
	return clock_now_ns() + (uint64_t)ms * 1000000u;
}

mach_msg_return_t mach_msg_deliver(struct ipc_kmsg *kmsg, uint64_t flags)
{
	mach_msg_return_t mr = ipc_mqueue_deliver_locked(kmsg);

	ipc_unlock(flags);
	if (mr == MACH_SEND_IN_PROGRESS) {
		ipc_kobject_server(kmsg);
		mr = MACH_MSG_SUCCESS;
	}
	return mr;
}

/* The send half, from user memory msg. */
static mach_msg_return_t mach_msg_send(struct ipc_space *space, uint64_t msg,
				       mach_msg_option_t option, mach_msg_size_t size,
				       mach_msg_timeout_t timeout)
{
	struct ipc_kmsg *kmsg;

	mach_msg_return_t mr = ipc_fast_send(msg, size);
	if (mr != MACH_SEND_IN_PROGRESS)
		return mr;
	mr = ipc_kmsg_get(msg, size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	uint64_t flags = ipc_lock_acquire();
	mr = ipc_mqueue_wait_room_locked(kmsg, space,
					 deadline_of(option, MACH_SEND_TIMEOUT, timeout));
	if (mr == MACH_MSG_SUCCESS)
		mr = ipc_kmsg_copyin_locked(kmsg, space);
	if (mr != MACH_MSG_SUCCESS) {
		bool raw = mr != MACH_SEND_INVALID_RIGHT;   /* else destroyed */
		ipc_unlock(flags);
		if (raw)
			ipc_kmsg_free(kmsg);
		return mr;
	}
	if (kmsg->in_place && !ipc_port_is_kobject(kmsg->hdr.msgh_remote_port)) {
		/* Another thread changed the destination's name meanwhile: the
		 * data is taken now, or the message (rights and all) is not sent. */
		ipc_unlock(flags);
		mr = ipc_kmsg_take_in_place(kmsg);
		flags = ipc_lock_acquire();
		if (mr != MACH_MSG_SUCCESS) {
			ipc_kmsg_destroy_locked(kmsg);
			ipc_unlock(flags);
			return mr;
		}
	}
	space->task->msgs_sent++;
	return mach_msg_deliver(kmsg, flags);
}

/* The receive half, into user memory msg of task. */
static mach_msg_return_t mach_msg_receive(struct ipc_space *space, struct task *task,
					  uint64_t msg, mach_msg_option_t option,
					  mach_msg_size_t size, mach_port_name_t name,
					  mach_msg_timeout_t timeout)
{
	if ((msg & 7) || !user_range_ok(msg, size))
		return MACH_RCV_INVALID_DATA;

	struct ipc_kmsg *kmsg;
	mach_msg_size_t needed = 0;
	uint64_t flags = ipc_lock_acquire();
	if (!(option & MACH_RCV_TIMEOUT))
		ipc_fast_wait_locked(space, msg, size, name);   /* returns if it cannot wait */
	mach_msg_return_t mr = ipc_mqueue_receive_locked(
		space, name, size, deadline_of(option, MACH_RCV_TIMEOUT, timeout), &kmsg, &needed);
	if (mr != MACH_MSG_SUCCESS)
		return mach_msg_receive_failed(msg, size, mr, needed, flags);
	return mach_msg_receive_finish(space, task, msg, kmsg, flags);
}

mach_msg_return_t mach_msg_receive_failed(uint64_t msg, mach_msg_size_t size,
					  mach_msg_return_t mr, mach_msg_size_t needed,
					  uint64_t flags)
{
	ipc_unlock(flags);
	/* Say how large the message is, if the buffer has room for the
	 * field; the message stays queued. */
	if (mr == MACH_RCV_TOO_LARGE && size >= 8)
		copyout(&needed, msg + __builtin_offsetof(mach_msg_header_t, msgh_size),
			sizeof(needed));
	return mr;
}

mach_msg_return_t mach_msg_put_pending(uint64_t msg)
{
	struct thread *self = current_thread();
	struct ipc_kmsg *kmsg = self->ith_kmsg;

	self->ith_kmsg = NULL;
	return ipc_kmsg_put(kmsg, self->task, msg, false);
}

mach_msg_return_t mach_msg_receive_finish(struct ipc_space *space, struct task *task,
					  uint64_t msg, struct ipc_kmsg *kmsg, uint64_t flags)
{
	bool body_error;
	mach_msg_return_t mr;

	if (ipc_fast_copyout_locked(space, task, kmsg, msg, &mr)) {
		ipc_unlock(flags);
		return __builtin_expect(mr != MACH_RCV_IN_PROGRESS, 1) ? mr
									: mach_msg_put_pending(msg);
	}
	task->msgs_received++;
	mr = ipc_kmsg_copyout_locked(kmsg, space, &body_error);
	ipc_unlock(flags);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	return ipc_kmsg_put(kmsg, task, msg, body_error);
}

uint64_t mach_msg_general(uint64_t msg, mach_msg_option_t option, uint64_t send_size,
			  uint64_t rcv_size, uint64_t rcv_name, uint64_t timeout)
{
	struct thread *self = current_thread();
	struct ipc_space *space = self->task->itk_space;

	if (option & ~MACH_MSG_OPTIONS_KNOWN)
		return option & MACH_SEND_MSG ? MACH_SEND_INVALID_HEADER : MACH_RCV_INVALID_DATA;
	if (option & MACH_SEND_MSG) {
		mach_msg_return_t mr = mach_msg_send(space, msg, option, (mach_msg_size_t)send_size,
						     (mach_msg_timeout_t)timeout);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (option & MACH_RCV_MSG)
		return mach_msg_receive(space, self->task, msg, option, (mach_msg_size_t)rcv_size,
					(mach_port_name_t)rcv_name, (mach_msg_timeout_t)timeout);
	return MACH_MSG_SUCCESS;
}

uint64_t trap_mach_reply_port(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5)
{
	(void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	struct ipc_space *space = current_thread()->task->itk_space;
	mach_port_name_t name;
	uint64_t flags = ipc_lock_acquire();

	if (ipc_right_alloc_receive_locked(space, &name, NULL) != KERN_SUCCESS)
		name = MACH_PORT_NAME_NULL;
	ipc_unlock(flags);
	return name;
}

/*
 * A message from the kernel: msg is in kernel memory, its ports are
 * pointers with dispositions (ipc_right_copyin_kernel_locked), its
 * out-of-line regions kalloc'd buffers the message takes over.  It is
 * never refused for a full queue, so the kernel never waits on a task
 * to send.  A message to a dead port is destroyed, with its rights.
 */
mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_option_t option,
					    mach_msg_size_t send_size, mach_msg_timeout_t timeout)
{
	(void)option; (void)timeout;
	struct ipc_kmsg *kmsg = NULL;
	uint64_t flags = ipc_lock_acquire();

	/* A small message (a pager request, a notification) in a cached kmsg,
	 * under the one acquisition of the lock. */
	if (send_size <= IPC_KMSG_CACHED_SIZE && (kmsg = ipc_kmsg_cached_locked()) != NULL) {
		memcpy(&kmsg->hdr, msg, send_size);
		kmsg->hdr.msgh_size = send_size;
	} else {
		ipc_unlock(flags);
		mach_msg_return_t mr = ipc_kmsg_get_from_kernel(msg, send_size, &kmsg);
		if (mr != MACH_MSG_SUCCESS) {
			ipc_kmsg_clean_kernel_message(msg);   /* its rights and buffers go */
			return mr;
		}
		flags = ipc_lock_acquire();
	}
	ipc_kmsg_copyin_from_kernel_locked(kmsg);
	return mach_msg_deliver(kmsg, flags);
}

/* The current thread's reply port for the kernel's RPCs, made on first use. */
static struct ipc_port *kernel_reply_port(struct thread *self)
{
	if (self->ith_kernel_reply == NULL)
		self->ith_kernel_reply = ipc_port_alloc_kernel(IKOT_REPLY, self);
	return self->ith_kernel_reply;
}

/* Drops the reply port after a failed RPC, so a late reply is not taken
 * for the next one. */
static void kernel_reply_port_reset(struct thread *self)
{
	struct ipc_port *port = self->ith_kernel_reply;
	uint64_t flags = ipc_lock_acquire();

	self->ith_kernel_reply = NULL;
	ipc_port_destroy_locked(port);
	ipc_unlock(flags);
}

/*
 * An RPC from the kernel on behalf of the current thread: send msg with a
 * send-once right to the thread's kernel reply port, and wait for the
 * reply, which is copied into msg (at most rcv_size bytes) in kernel form.
 */
mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_option_t option,
					   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					   mach_msg_timeout_t timeout)
{
	struct thread *self = current_thread();
	struct ipc_port *reply = kernel_reply_port(self);

	if (reply == NULL)
		return MACH_SEND_NO_BUFFER;
	msg->msgh_local_port = reply;
	msg->msgh_bits = (msg->msgh_bits & ~MACH_MSGH_BITS_LOCAL_MASK) |
			 MACH_MSGH_BITS(0, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mach_msg_return_t mr = mach_msg_send_from_kernel(msg, option, send_size, timeout);
	if (mr != MACH_MSG_SUCCESS)
		return mr;

	struct ipc_kmsg *kmsg;
	uint64_t flags = ipc_lock_acquire();
	mr = ipc_mqueue_receive_port_locked(reply, deadline_of(option, MACH_RCV_TIMEOUT, timeout),
					    &kmsg);
	if (mr == MACH_MSG_SUCCESS && kmsg->hdr.msgh_size > rcv_size) {
		ipc_kmsg_destroy_locked(kmsg);
		mr = MACH_RCV_TOO_LARGE;
	}
	if (mr != MACH_MSG_SUCCESS) {
		ipc_unlock(flags);
		kernel_reply_port_reset(self);
		return mr;
	}
	ipc_kmsg_to_kernel_receive(kmsg);
	/* The destination right (to our own reply port) was used. */
	ipc_port_release_sonce_locked(kmsg->hdr.msgh_local_port);
	kmsg->hdr.msgh_local_port = NULL;
	memcpy(msg, &kmsg->hdr, kmsg->hdr.msgh_size);
	kmsg->hdr.msgh_bits = 0;   /* the caller owns what it carries now */
	kmsg->rights = false;
	ipc_kmsg_destroy_locked(kmsg);
	ipc_unlock(flags);
	return MACH_MSG_SUCCESS;
}

/* A message the kernel received (mach_msg_rpc_from_kernel) and will not
 * use: its rights and buffers go. */
void mach_msg_destroy(mach_msg_header_t *msg)
{
	ipc_kmsg_clean_kernel_message(msg);
}
