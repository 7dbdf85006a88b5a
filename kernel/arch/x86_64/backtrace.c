#include "arch/x86_64/backtrace.h"

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "kern/thread.h"
#include "kern/ksyms.h"
#include "kern/printf.h"

#define BACKTRACE_MAX_FRAMES 16

extern char boot_stack_bottom[], boot_stack_top[];

static bool within(uint64_t addr, uint64_t len, uint64_t lo, uint64_t hi)
{
	return addr >= lo && addr <= hi && len <= hi - addr;
}

bool kernel_stack_contains(uint64_t addr, uint64_t len)
{
	if (within(addr, len, (uint64_t)boot_stack_bottom, (uint64_t)boot_stack_top))
		return true;
	/* Uniprocessor: cpu0's thread (GS may not be set up yet). */
	struct thread *t = cpu0.current;
	if (t != NULL && t->pcb.kstack != NULL &&
	    within(addr, len, (uint64_t)t->pcb.kstack,
		   (uint64_t)t->pcb.kstack + KERNEL_STACK_SIZE))
		return true;
	for (int i = 1; i <= IST_COUNT; i++) {
		uint64_t lo, hi;
		gdt_ist_stack(i, &lo, &hi);
		if (within(addr, len, lo, hi))
			return true;
	}
	return false;
}

void print_symbolized(uint64_t addr)
{
	uint64_t off;
	const char *name = ksyms_lookup(addr, &off);

	if (name != NULL)
		kprintf("%016lx <%s+0x%lx>", addr, name, off);
	else
		kprintf("%016lx", addr);
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	kprintf("backtrace:\n");
	for (int depth = 0; depth < BACKTRACE_MAX_FRAMES; depth++) {
		kprintf("  #%d ", depth);
		print_symbolized(rip);
		kprintf("\n");
		/* A frame is [saved rbp, return address]; it must be on a stack
		 * and above the previous one. */
		if ((rbp & 7) != 0 || !kernel_stack_contains(rbp, 16))
			return;
		const uint64_t *frame = (const uint64_t *)rbp;
		if (frame[0] != 0 && frame[0] <= rbp)
			return;
		rip = frame[1];
		rbp = frame[0];
		if (rip == 0)
			return;
	}
	kprintf("  ...\n");
}

void backtrace_print_here(void)
{
	backtrace_print((uint64_t)__builtin_return_address(0),
			(uint64_t)__builtin_frame_address(1));
}
