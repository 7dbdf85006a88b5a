/*
 * Time.  The periodic tick (clock_ticks counts timer interrupts since
 * boot; written only by the tick handler, read anywhere: a 64-bit aligned
 * load is atomic on x86_64) drives the scheduler; the monotonic clock
 * reads the timer's counter between ticks for a resolution of about a
 * microsecond (one PIT count, 838 ns).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

extern volatile uint64_t clock_ticks;
extern unsigned clock_hz;

void clock_init(unsigned hz);

/* Nanoseconds since the clock started; never goes backwards. */
uint64_t clock_now_ns(void);

/* The time of the latest tick: a cheaper, coarser clock_now_ns (behind it
 * by less than a tick), for deadlines that a tick late does not harm. */
uint64_t clock_coarse_ns(void);

/*
 * A difference of two rdtsc readings in whole microseconds (one
 * division), at the rate the time-stamp counter has kept against the
 * timer since the clock started (measured at every tick); 0 before the
 * first tick.  For intervals that must be cheap to measure (a few
 * instructions, where clock_now_ns reads the timer's ports): the pager
 * latency histograms.
 */
uint64_t clock_tsc_us(uint64_t tsc_difference);

/* The length of one tick in nanoseconds (about 1e9 / clock_hz). */
uint64_t clock_tick_ns(void);

/* Whether the time deadline_ns has come: clock_now_ns is read only when
 * the deadline is within two ticks of the coarse clock. */
bool clock_passed(uint64_t deadline_ns);
