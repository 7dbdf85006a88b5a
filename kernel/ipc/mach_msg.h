/*
 * The message traps (mach_msg, mach_reply_port) and the halves of
 * mach_msg for the kernel's callers.  The kernel's own sends
 * (mach_msg_send_from_kernel, mach_msg_rpc_from_kernel) are declared in
 * mach/mig_support.h, where generated KernelUser stubs find them.
 */
#pragma once

#include <mach/message.h>
#include <stdbool.h>
#include <stdint.h>

struct ipc_kmsg;
struct ipc_space;
struct task;
struct thread;

/* The options mach_msg knows; any other is an error. */
#define MACH_MSG_OPTIONS_KNOWN                                                             \
	(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_LARGE | MACH_SEND_TIMEOUT |               \
	 MACH_SEND_INTERRUPT | MACH_RCV_TIMEOUT | MACH_RCV_INTERRUPT)

/* The mach_msg trap: the fast paths (ipc_fast.c) where they apply, else
 * mach_msg_general, which does every call. */
uint64_t trap_mach_msg(uint64_t msg, uint64_t option, uint64_t send_size, uint64_t rcv_size,
		       uint64_t rcv_name, uint64_t timeout);
/*
 * The receive of a simple kmsg in transit whose reply is a send-once right
 * or none, in short (ipc_fast.c): gives task's space its rights, writes
 * it to msg (a buffer the caller checked to lie in the user half), and
 * sets *mr; false (nothing done) for anything else.  ipc_lock held.
 * *mr MACH_RCV_IN_PROGRESS: the buffer needs a fault that may wait; the
 * kmsg waits in the thread's ith_kmsg, and the caller writes it with
 * mach_msg_put_pending once it has dropped the lock.
 */
bool ipc_fast_copyout_locked(struct ipc_space *space, struct task *task, struct ipc_kmsg *kmsg,
			     uint64_t msg, mach_msg_return_t *mr);

/* Writes the kmsg ipc_fast_copyout_locked left in the current thread's
 * ith_kmsg to msg, faulting (and waiting) as the buffer needs; no lock
 * held.  ipc_kmsg_put's results. */
__attribute__((noinline, cold)) mach_msg_return_t mach_msg_put_pending(uint64_t msg);

/* The send of a one-way message, in short (ipc_fast.c): as
 * mach_msg_deliver, or MACH_SEND_IN_PROGRESS with nothing done. */
mach_msg_return_t ipc_fast_send(uint64_t msg, mach_msg_size_t send_size);
/*
 * The general receive's wait when nothing is queued for it and it has no
 * timeout, as the RPC path's (ipc_fast.c): in the continuation, which
 * ends the trap, so that the next message to it goes straight to its
 * buffer.  Returns, with nothing changed and ipc_lock still held, where
 * the general receive must go on: a message is queued, name is not a
 * port or port set, notifications are pending, or the thread is being
 * terminated.  msg and size: the checked buffer.
 */
void ipc_fast_wait_locked(struct ipc_space *space, uint64_t msg, mach_msg_size_t size,
			  mach_port_name_t name);
uint64_t mach_msg_general(uint64_t msg, mach_msg_option_t option, uint64_t send_size,
			  uint64_t rcv_size, uint64_t rcv_name, uint64_t timeout);
uint64_t trap_mach_reply_port(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5);

/*
 * Delivers a kmsg in transit, sent from the current thread's context
 * (ipc_mqueue_deliver_locked; a kernel object's is served at once), and
 * releases ipc_lock (flags).
 */
mach_msg_return_t mach_msg_deliver(struct ipc_kmsg *kmsg, uint64_t flags);

/*
 * The end of every receive, with ipc_lock held (and released): a message
 * taken off its queue goes to task's space and user memory msg
 * (mach_msg_receive_finish), or the failure is reported, with the size
 * needed for MACH_RCV_TOO_LARGE written to a buffer of size bytes
 * (mach_msg_receive_failed).  Shared by
 * the general path and the fast path.
 */
mach_msg_return_t mach_msg_receive_finish(struct ipc_space *space, struct task *task,
					  uint64_t msg, struct ipc_kmsg *kmsg, uint64_t flags);
mach_msg_return_t mach_msg_receive_failed(uint64_t msg, mach_msg_size_t size,
					  mach_msg_return_t mr, mach_msg_size_t needed,
					  uint64_t flags);
