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

/* The time-stamp counter's rate, measured at the ticks, turns a counter
 * difference into the time clock_now_ns saw pass: within 10 %, since
 * without -icount both follow the host's time, which a loaded host
 * bends (under -icount they agree exactly). */
KTEST(clock, tsc_difference_converts_to_the_clock_time)
{
	int halts = 0;

	while (clock_ticks < 3 && halts++ < TICK_WAIT_LIMIT)
		cpu_halt();
	uint64_t ns = clock_now_ns(), tsc = rdtsc();
	for (halts = 0; clock_now_ns() < ns + 50000000ull && halts < TICK_WAIT_LIMIT; halts++)
		cpu_halt();
	uint64_t clock = clock_now_ns() - ns, counted = clock_tsc_us(rdtsc() - tsc) * 1000;
	KEXPECT(clock >= 50000000ull);
	KEXPECT(counted > clock - clock / 10 && counted < clock + clock / 10);
	KEXPECT(clock_tsc_us(0) == 0);
}
