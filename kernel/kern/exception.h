/*
 * User exceptions, as messages (idl/defs/exc.defs).  A fault in ring 3
 * (page fault outside the task's memory, general protection, divide
 * error, invalid opcode, breakpoint, ...) is sent by the faulting thread
 * itself as an exception_raise RPC to its thread's exception port, then
 * to its task's.  The handler may change the thread's state in its reply
 * and answer KERN_SUCCESS: the thread resumes with that state.  Any other
 * answer (or a dead port) passes the exception on.  With no handler that
 * takes it, the log names the task, thread, exception, address and
 * instruction, and the task is terminated.  Other tasks run on.
 *
 * The faulting thread waits for the handler's reply without a deadline:
 * the handler is the task's own choice, and the wait ends when the
 * handler dies (its reply right dies, the RPC fails) or when the thread
 * is terminated.  A thread being terminated raises nothing (a fault of
 * its is a wait that termination interrupted) and does not end its task:
 * it ends alone, at the boundary to user mode.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/trap.h"

/* Called by the trap handler for an exception in user mode; for a page
 * fault, fault is why the VM could not resolve it (the exception's code:
 * KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE, KERN_MEMORY_ERROR,
 * KERN_MEMORY_FAILURE, KERN_OPERATION_TIMED_OUT, ...). */
#include <mach/kern_return.h>
void exception_user(struct trap_frame *frame, uint64_t fault_address, kern_return_t fault);
