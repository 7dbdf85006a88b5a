/*
 * User exceptions.  A fault in ring 3 (page fault outside the task's
 * memory, general protection, divide error, invalid opcode, ...) is
 * contained: the log names the task, thread, exception, address and
 * instruction, and the task is halted (task_halt) for its parent to look
 * at and terminate.  Other tasks run on.  The ports issue turns this into
 * an exception message to the task's exception port.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/trap.h"

/* Called by the trap handler for an exception in user mode. */
void exception_user(struct trap_frame *frame, uint64_t fault_address);
