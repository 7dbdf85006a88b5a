/* User exceptions as messages; see exception.h. */
#include "kern/exception.h"

#include <exc.h>
#include <mach/exception_types.h>
#include <mach/kernel_server.h>
#include <mach/thread_status.h>

#include "arch/x86_64/cpu.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "kern/printf.h"
#include "kern/task.h"
#include "kern/thread.h"

/* The Mach exception and codes of an x86 trap: the table in
 * mach/exception_types.h. */
static exception_type_t classify(const struct trap_frame *f, uint64_t address,
				  kern_return_t fault, int64_t code[2])
{
	code[0] = 0;
	code[1] = 0;
	switch (f->vector) {
	case T_PAGE_FAULT:
		code[0] = fault;
		code[1] = (int64_t)address;
		return EXC_BAD_ACCESS;
	case T_GP:
	case 12:   /* #SS */
		code[0] = KERN_PROTECTION_FAILURE;
		return EXC_BAD_ACCESS;
	case 17:   /* #AC */
		code[0] = KERN_INVALID_ADDRESS;
		return EXC_BAD_ACCESS;
	case T_INVALID_OP:
		code[0] = T_INVALID_OP;
		return EXC_BAD_INSTRUCTION;
	case T_DIVIDE:
		return EXC_ARITHMETIC;
	case 16: {   /* #MF: the x87 status word */
		uint16_t fsw;
		__asm__ volatile("fnstsw %0" : "=m"(fsw));
		code[0] = 16;
		code[1] = fsw;
		return EXC_ARITHMETIC;
	}
	case 19: {   /* #XM: the SSE status */
		uint32_t mxcsr;
		__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
		code[0] = 19;
		code[1] = mxcsr;
		return EXC_ARITHMETIC;
	}
	case T_BREAKPOINT:
		code[0] = T_BREAKPOINT;
		return EXC_BREAKPOINT;
	case 1: {   /* #DB */
		uint64_t dr6;
		__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
		code[0] = 1;
		code[1] = (int64_t)dr6;
		return EXC_BREAKPOINT;
	}
	default:
		code[0] = f->vector;
		code[1] = (int64_t)f->error;
		return EXC_BAD_INSTRUCTION;
	}
}

/* A new naked send right to the exception port in slot, or NULL. */
static struct ipc_port *handler_port(struct ipc_port *const *slot)
{
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port *port = *slot;

	if (IPC_PORT_VALID(port) && port->active)
		ipc_port_copy_send_locked(port);
	else
		port = NULL;
	ipc_unlock(flags);
	return port;
}

/* One exception_raise to port: KERN_SUCCESS if the handler took it. */
static kern_return_t raise_to(struct ipc_port *port, struct thread *t, exception_type_t exc,
		     int64_t code[2])
{
	struct x86_64_thread_state state, new_state;
	mach_msg_type_number_t new_count = X86_64_THREAD_STATE_COUNT;

	pcb_get_state(&t->pcb, X86_64_THREAD_STATE, &state, sizeof(state));
	thread_reference(t);
	task_reference(t->task);
	kern_return_t kr = exception_raise(port, convert_thread_to_port(t),
					   convert_task_to_port(t->task), exc, code, 2,
					   X86_64_THREAD_STATE, (thread_state_t)&state,
					   X86_64_THREAD_STATE_COUNT, (thread_state_t)&new_state,
					   &new_count);
	if (kr != KERN_SUCCESS || new_count == 0)
		return kr;
	/* A state the thread may not have ends it like an unhandled fault. */
	return pcb_set_state(&t->pcb, X86_64_THREAD_STATE, &new_state,
			     (uint64_t)new_count * sizeof(natural_t));
}

void exception_user(struct trap_frame *f, uint64_t fault_address, kern_return_t fault)
{
	struct thread *t = current_thread();
	int64_t code[2];

	/* A thread being terminated ends at the boundary to user mode,
	 * which it is at: its fault (a wait that termination interrupted)
	 * is no exception, and must not end its task as an unhandled one.
	 * A fault whose wait thread_abort interrupted (KERN_ABORTED) is
	 * none either: the instruction takes it again when the thread goes
	 * on. */
	if (t->terminating || fault == KERN_ABORTED)
		return;
	exception_type_t exc = classify(f, fault_address, fault, code);

	cpu_enable_interrupts();   /* the RPC waits like a system call */
	struct ipc_port *ports[] = { handler_port(&t->ith_exception),
				     handler_port(&t->task->itk_exception) };
	for (unsigned i = 0; i < 2; i++) {
		kern_return_t kr = ports[i] != NULL ? raise_to(ports[i], t, exc, code) : KERN_FAILURE;
		/* Handled; or the wait for the handler was interrupted
		 * (termination, or thread_abort: the instruction is taken
		 * again when the thread goes on, and the handler's late reply
		 * finds the kernel's reply port gone). */
		if (kr == KERN_SUCCESS || kr == MACH_RCV_INTERRUPTED || t->terminating)
			return;
	}

	kprintf("kernel: task '%s' (%u) thread %u: exception #%s", t->task->label,
		t->task->name, t->name, trap_name(f->vector));
	if (f->vector == T_PAGE_FAULT)
		kprintf(" at address %016lx (%s%s, error %d)", fault_address,
			f->error & 2 ? "write" : "read", f->error & 16 ? ", execute" : "", fault);
	else
		kprintf(", code 0x%lx", f->error);
	kprintf(", rip %016lx, no handler: terminated\n", f->rip);
	task_terminate(t->task);
}
