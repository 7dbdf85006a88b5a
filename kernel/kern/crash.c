#include "kern/crash.h"

#include <stdint.h>

#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"

/* Recursion that the compiler cannot turn into a loop. */
static __attribute__((noinline)) uint64_t crash_recurse(volatile uint64_t depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth == UINT64_MAX)   /* never: the stack ends long before */
		return 0;
	return crash_recurse(depth + 1) + pad[0];
}

static __attribute__((noinline)) void crash_page_fault(void)
{
	volatile uint64_t *p = (volatile uint64_t *)0xdead000;

	*p = 1;
}

static __attribute__((noinline)) void crash_divide(void)
{
	__asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; xorl %%edx, %%edx; divl %%ecx"
			 : : : "rax", "rcx", "rdx");
}

static __attribute__((noinline)) void crash_general_protection(void)
{
	volatile uint64_t *p = (volatile uint64_t *)0x8000000000000000ull;

	(void)*p;
}

/* A frame of its own, even under LTO: the report's backtrace goes from
 * the faulting function through it to kmain (tests/boot/exceptions.sh). */
__attribute__((noipa)) void crash_now(const char *kind)
{
	kprintf("crash: crashing on purpose (crash=%s)\n", kind);
	if (strcmp(kind, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(kind, "pf") == 0)
		crash_page_fault();
	else if (strcmp(kind, "gp") == 0)
		crash_general_protection();
	else if (strcmp(kind, "de") == 0)
		crash_divide();
	else if (strcmp(kind, "stack") == 0)
		crash_recurse(0);
	panic("crash: %s requested", kind);
}
