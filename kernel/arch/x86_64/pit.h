/* The 8254 interval timer, channel 0, as the periodic tick on IRQ 0. */
#pragma once

#define PIT_HZ 1193182   /* input clock: counts per second */

/* Starts the tick at about hz; returns the divisor (counts per tick). */
unsigned pit_init(unsigned hz);

/* Channel 0's current count: divisor down to 1, then the tick and reload. */
unsigned pit_read_count(void);
