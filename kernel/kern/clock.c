#include "kern/clock.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/trap.h"
#include "kern/lock.h"
#include "kern/printf.h"
#include "kern/sched.h"

volatile uint64_t clock_ticks;
unsigned clock_hz;
static unsigned divisor;        /* PIT counts per tick */
static uint64_t last_ns;        /* the latest time handed out */
/* At the last tick: its time, and the time two ticks on (clock_passed). */
static volatile uint64_t coarse_ns, horizon_ns;
/* The time-stamp counter's rate (clock_tsc_us keeps it per microsecond),
 * measured from the base: when the clock started, then moved up every
 * second. */
static uint64_t base_tsc, base_ns, tsc_per_us;

static uint64_t counts_to_ns(uint64_t counts)
{
	return counts / PIT_HZ * 1000000000ull + counts % PIT_HZ * 1000000000ull / PIT_HZ;
}

/* The tick's times, kept so that the waits with deadlines need not
 * divide (interrupts off, or at the tick). */
static void note_tick(void)
{
	coarse_ns = counts_to_ns(clock_ticks * divisor);
	/* clock_now_ns is behind the next tick, which may be pending. */
	horizon_ns = counts_to_ns((clock_ticks + 2) * divisor);
}

/* The counter's rate since the base, by the precise clock (a tick's
 * interrupt may come late); the base moves up once a second has passed,
 * so that the rate follows the counter's. */
static void note_tsc(void)
{
	uint64_t tsc = rdtsc(), ns = clock_now_ns();

	if (ns <= base_ns)
		return;
	tsc_per_us = (tsc - base_tsc) * 1000u / (ns - base_ns);
	if (ns - base_ns >= 1000000000ull) {
		base_tsc = tsc;
		base_ns = ns;
	}
}

static void clock_tick(unsigned irq)
{
	(void)irq;
	clock_ticks++;
	note_tick();
	note_tsc();
	sched_tick(coarse_ns);
}

uint64_t clock_coarse_ns(void)
{
	return coarse_ns;
}

uint64_t clock_tsc_us(uint64_t d)
{
	uint64_t per_us = tsc_per_us;

	return per_us == 0 ? 0 : d / per_us;
}

uint64_t clock_tick_ns(void)
{
	return counts_to_ns(divisor);
}

bool clock_passed(uint64_t deadline_ns)
{
	if (deadline_ns > horizon_ns)
		return false;
	return deadline_ns <= clock_now_ns();
}

uint64_t clock_now_ns(void)
{
	uint64_t flags = irq_save();
	uint64_t ticks = clock_ticks;
	unsigned count = pit_read_count();
	unsigned elapsed = count <= divisor ? divisor - count : 0;

	/* The counter reloaded but the tick is not counted yet: interrupts
	 * are off.  (Pending with a large elapsed count means the reload came
	 * after the latch; the tick then belongs to the next reading.) */
	if (pic_irq_pending(0) && elapsed < divisor / 2)
		ticks++;
	uint64_t ns = counts_to_ns(ticks * divisor + elapsed);
	if (ns < last_ns)
		ns = last_ns;
	last_ns = ns;
	irq_restore(flags);
	return ns;
}

void clock_init(unsigned hz)
{
	clock_hz = hz;
	divisor = pit_init(hz);
	note_tick();
	base_ns = clock_now_ns();
	base_tsc = rdtsc();
	irq_register(0, clock_tick);
	kprintf("clock: %u Hz tick on IRQ 0\n", hz);
}
