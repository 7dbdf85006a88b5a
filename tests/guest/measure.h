/*
 * Measuring in guest instructions (docs/performance.md): under QEMU's
 * -icount shift=0,sleep=off an rdtsc difference is an instruction count.
 * Shared by bench.c and ipcbench/.
 */
#pragma once

#include <stdint.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The median of v[0..n), which it sorts. */
static inline uint64_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return v[n / 2];
}
