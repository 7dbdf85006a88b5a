#include "arch/x86_64/percpu.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

struct cpu cpu0 = { .self = &cpu0 };

void syscall_entry(void);

void percpu_init(void)
{
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_FS_BASE, 0);

	/*
	 * syscall loads CS from STAR[47:32] and SS = CS + 8; sysret (64-bit)
	 * loads CS from STAR[63:48] + 16 and SS from STAR[63:48] + 8, which is
	 * why the user data descriptor sits before the user code descriptor.
	 * FMASK clears IF (the entry runs with interrupts off until it is on
	 * the kernel stack), TF, DF, AC and NT.
	 */
	wrmsr(MSR_STAR, ((uint64_t)GDT_USER_BASE << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
