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

uint64_t trap_mach_msg(uint64_t msg, uint64_t option, uint64_t send_size, uint64_t rcv_size,
		       uint64_t rcv_name, uint64_t timeout);
uint64_t trap_mach_reply_port(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5);

/* The send half from user memory msg; *woken: a receiver to hand off to. */
mach_msg_return_t mach_msg_send(struct ipc_space *space, uint64_t msg, mach_msg_option_t option,
				mach_msg_size_t size, mach_msg_timeout_t timeout,
				struct thread **woken);

/* The receive half into user memory msg of task. */
mach_msg_return_t mach_msg_receive(struct ipc_space *space, struct task *task, uint64_t msg,
				   mach_msg_option_t option, mach_msg_size_t size,
				   mach_port_name_t name, mach_msg_timeout_t timeout,
				   struct thread *handoff);
