#include "kern/exception.h"

#include "kern/printf.h"
#include "kern/task.h"
#include "kern/thread.h"

void exception_user(struct trap_frame *f, uint64_t fault_address)
{
	struct thread *t = current_thread();
	struct task_basic_info info = {
		.exception = f->vector,
		.code = f->error,
		.address = f->vector == T_PAGE_FAULT ? fault_address : 0,
		.rip = f->rip,
	};

	kprintf("kernel: task '%s' (%u) thread %u: exception #%s", t->task->label,
		t->task->name, t->name, trap_name(f->vector));
	if (f->vector == T_PAGE_FAULT)
		kprintf(" at address %016lx (%s%s)", fault_address,
			f->error & 2 ? "write" : "read", f->error & 16 ? ", execute" : "");
	else
		kprintf(", code 0x%lx", f->error);
	kprintf(", rip %016lx, halted\n", f->rip);
	task_halt(t->task, &info);
}
