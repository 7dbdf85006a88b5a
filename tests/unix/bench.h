/* unixbench's parts (bench.c, bench_file.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Whether a check failed: the program's status. */
extern bool failed;
/* Says what failed unless ok, and marks the run failed. */
void must(bool ok, const char *what);

/* bench_file.c */
void file_fault_figure(void);
void file_read_figure(void);
