#include "arch/x86_64/fpu.h"

#include "arch/x86_64/cpu.h"
#include "kern/panic.h"

#define CPUID_EDX_FXSR (1u << 24)
#define CPUID_EDX_SSE2 (1u << 26)

void fpu_init(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	if ((r[3] & (CPUID_EDX_FXSR | CPUID_EDX_SSE2)) != (CPUID_EDX_FXSR | CPUID_EDX_SSE2))
		panic("fpu: this CPU lacks FXSR or SSE2, which x86_64 requires");
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
	uint32_t mxcsr = 0x1f80;  /* all SIMD exceptions masked: the default */
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
}
