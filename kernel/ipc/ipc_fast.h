/* The RPC fast path of mach_msg: see ipc_fast.c. */
#pragma once

#include <mach/message.h>
#include <stdint.h>

struct thread;

/* mach_msg(SEND|RCV) by the current thread self, if the fast path
 * applies; MACH_SEND_IN_PROGRESS (nothing done) if it does not. */
mach_msg_return_t ipc_fast_rpc(struct thread *self, uint64_t msg, mach_msg_size_t send_size,
			       mach_msg_size_t rcv_size, mach_port_name_t rcv_name);
