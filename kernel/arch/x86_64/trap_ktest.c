/* Self-tests of exception handling, the FPU/SSE set-up and symbols. */
#include "arch/x86_64/trap.h"
#include "kern/ksyms.h"
#include "kern/ktest.h"
#include "kern/string.h"

void kmain(uint32_t magic, uint32_t info_phys);

KTEST(trap, trap_page_fault_is_caught_and_reports_the_address)
{
	uint64_t value, count = trap_last_recovery.count;

	KEXPECT_EQ(probe_read_u64((void *)0x1000, &value), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(trap_last_recovery.count, count + 1);
	KEXPECT_EQ(trap_last_recovery.vector, T_PAGE_FAULT);
	KEXPECT_EQ(trap_last_recovery.address, 0x1000);
	KEXPECT_EQ(trap_last_recovery.rip, (uint64_t)probe_read_u64);
}

KTEST(trap, trap_non_canonical_access_is_a_general_protection_fault)
{
	uint64_t value;

	KEXPECT_EQ(probe_read_u64((void *)0x8000000000000000ull, &value), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(trap_last_recovery.vector, T_GP);
}

KTEST(trap, trap_names_the_exceptions)
{
	KEXPECT(strcmp(trap_name(T_PAGE_FAULT), "PF (page fault)") == 0);
	KEXPECT(strcmp(trap_name(T_INVALID_OP), "UD (invalid opcode)") == 0);
	KEXPECT(strcmp(trap_name(15), "reserved exception") == 0);
	KEXPECT(strcmp(trap_name(40), "interrupt") == 0);
}

KTEST(trap, ksyms_names_kernel_functions)
{
	uint64_t off = 99;
	const char *name = ksyms_lookup((uint64_t)kmain + 3, &off);

	KEXPECT(name != NULL && strcmp(name, "kmain") == 0);
	KEXPECT_EQ(off, 3);
	KEXPECT(ksyms_lookup(0x1000, &off) == NULL);
}

/* SSE must be usable (newlib's printf needs it in user programs). */
KTEST(fpu, fpu_sse_arithmetic_and_fxsave_work)
{
	uint64_t result;
	static uint8_t area[512] __attribute__((aligned(16)));

	/* The kernel is built without SSE, so xmm0 holds nothing of its own
	 * (and cannot be named as a clobber). */
	__asm__ volatile("movq $21, %%rax\n\t"
			 "cvtsi2sdq %%rax, %%xmm0\n\t"
			 "addsd %%xmm0, %%xmm0\n\t"
			 "cvttsd2siq %%xmm0, %0\n\t"
			 "fxsave %1"
			 : "=r"(result), "=m"(area) : : "rax");
	KEXPECT_EQ(result, 42);
	/* MXCSR, at offset 24 of the FXSAVE area: every exception masked. */
	KEXPECT_EQ(*(uint32_t *)(area + 24) & 0x1f80, 0x1f80);
}
