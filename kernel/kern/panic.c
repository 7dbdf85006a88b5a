#include "kern/panic.h"

#include "arch/x86_64/backtrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/machine.h"
#include "kern/printf.h"

static int panicking;

void panic(const char *fmt, ...)
{
	va_list ap;

	cpu_disable_interrupts();
	if (panicking++) {
		kprintf("panic: recursive panic; stopping\n");
		machine_stop(MACHINE_PANIC);
	}
	kprintf("panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace_print_here();
	machine_stop(MACHINE_PANIC);
}
