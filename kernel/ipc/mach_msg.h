/*
 * The message traps (mach_msg, mach_reply_port) and the halves of
 * mach_msg for the kernel's callers.  The kernel's own sends
 * (mach_msg_send_from_kernel, mach_msg_rpc_from_kernel) are declared in
 * mach/mig_support.h, where generated KernelUser stubs find them.
 */
#pragma once

#include <mach/message.h>
#include <stdint.h>

struct ipc_space;
struct task;
struct thread;

/* The mach_msg trap: the RPC fast path (ipc_fast.c) where it applies,
 * else mach_msg_general, which does every call. */
uint64_t trap_mach_msg(uint64_t msg, uint64_t option, uint64_t send_size, uint64_t rcv_size,
		       uint64_t rcv_name, uint64_t timeout);
uint64_t mach_msg_general(uint64_t msg, mach_msg_option_t option, uint64_t send_size,
			  uint64_t rcv_size, uint64_t rcv_name, uint64_t timeout);
uint64_t trap_mach_reply_port(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5);

struct ipc_kmsg;

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
