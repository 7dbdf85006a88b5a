/*
 * The boot's figure for `make bench` (docs/performance.md, "The new
 * figures"): an interactive shell whose environment holds
 * PAGODA_BOOT_FIGURE=1 prints, just before its first prompt,
 *
 *	BENCH boot_to_prompt_instructions N
 *
 * N the time stamp counter less the time the processor spent halted.
 * Under QEMU's -icount shift=0,sleep=off that is the guest instructions
 * executed since reset.  The boot's command line sets the variable (the
 * UNIX server gives init the boot's NAME=value arguments, init gives them
 * to its shells), and the shell removes it from its own environment, so
 * that the shells started from it do not print too (one that init starts
 * again after the first ends does).  Without the variable it costs one
 * look-up.
 *
 * The shell is POSIX otherwise, and its tests build it for the host
 * (bin/sh/tests/run.sh), where there is no Mach: there it does nothing.
 */
#include "sh.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if __has_include(<mach/host_info.h>)
#include <mach/host_info.h>
#include <mach/mach.h>
#define HAVE_MACH 1
#endif

#define FIGURE_VARIABLE "PAGODA_BOOT_FIGURE"

#ifdef HAVE_MACH
/* host_info before rdtsc, so that the halted time is the latest and the
 * call itself counts as boot work.  False if the kernel does not say how
 * long it halted: a figure without that would count the waits. */
static bool instructions_since_reset(uint64_t *n)
{
	struct host_cpu_info cpu;
	integer_t info[HOST_INFO_MAX];
	mach_msg_type_number_t count = HOST_INFO_MAX;
	uint32_t lo, hi;

	if (host_info(mach_host_self(), HOST_CPU_INFO, info, &count) != KERN_SUCCESS ||
	    count * sizeof(integer_t) < sizeof(cpu))
		return false;
	memcpy(&cpu, info, sizeof(cpu));
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	*n = ((uint64_t)hi << 32 | lo) - cpu.halted_tsc;
	return true;
}
#endif

void figure_boot(void)
{
	const char *asked = var_get(FIGURE_VARIABLE);

	if (asked == NULL)
		return;
	bool print = strcmp(asked, "1") == 0;
	var_unset(FIGURE_VARIABLE);   /* frees asked */
	if (!print)
		return;
#ifdef HAVE_MACH
	uint64_t n;
	if (!instructions_since_reset(&n)) {
		sh_error("%s: the kernel gave no halted time", FIGURE_VARIABLE);
		return;
	}
	printf("BENCH boot_to_prompt_instructions %llu\n", (unsigned long long)n);
	fflush(stdout);
#endif
}
