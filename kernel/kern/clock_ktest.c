/* Self-test of the periodic tick. */
#include "arch/x86_64/cpu.h"
#include "kern/clock.h"
#include "kern/ktest.h"

/* Each hlt ends at the next interrupt, so the wait is bounded in ticks. */
#define TICK_WAIT_LIMIT 1000

KTEST(clock, clock_ticks_advance_with_interrupts_on)
{
	uint64_t start = clock_ticks;
	int halts = 0;

	KEXPECT(read_rflags() & RFLAGS_IF);
	while (clock_ticks < start + 10 && halts < TICK_WAIT_LIMIT) {
		cpu_halt();
		halts++;
	}
	KEXPECT(clock_ticks >= start + 10);
	KEXPECT(halts < TICK_WAIT_LIMIT);
	KEXPECT(clock_hz >= 10 && clock_hz <= 1000);
}
