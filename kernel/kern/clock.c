#include "kern/clock.h"

#include "arch/x86_64/pit.h"
#include "arch/x86_64/trap.h"
#include "kern/printf.h"

volatile uint64_t clock_ticks;
unsigned clock_hz;

static void clock_tick(unsigned irq)
{
	(void)irq;
	clock_ticks++;
}

void clock_init(unsigned hz)
{
	clock_hz = hz;
	pit_init(hz);
	irq_register(0, clock_tick);
	kprintf("clock: %u Hz tick on IRQ 0\n", hz);
}
