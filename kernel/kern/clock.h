/*
 * The periodic tick.  clock_ticks counts timer interrupts since boot; it is
 * written only by the tick handler and read anywhere (a 64-bit aligned
 * load is atomic on x86_64).
 */
#pragma once

#include <stdint.h>

extern volatile uint64_t clock_ticks;
extern unsigned clock_hz;

void clock_init(unsigned hz);
