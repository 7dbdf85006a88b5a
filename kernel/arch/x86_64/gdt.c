#include "arch/x86_64/gdt.h"

#define IST_STACK_SIZE 8192

/* The bitmap starts refusing every port, set in the image rather than at
 * boot (8 KiB of stores). */
struct tss tss __attribute__((aligned(4096))) = {
	.iomap_base = TSS_IOPB_NONE,
	.iopb = { [0 ... TSS_IOPB_BYTES - 1] = 0xff },
	.iopb_end = 0xff,
};
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Access byte and flags for each descriptor, Intel SDM vol. 3 §3.4.5. */
static uint64_t gdt[8] = {
	0,
	0x00af9a000000ffff,  /* 0x08 kernel code: present, DPL0, L */
	0x00cf92000000ffff,  /* 0x10 kernel data */
	0,                   /* 0x18 unused (32-bit user code in sysret's scheme) */
	0x00cff2000000ffff,  /* 0x20 user data: DPL3 */
	0x00affa000000ffff,  /* 0x28 user code: DPL3, L */
	0, 0,                /* 0x30 TSS (16 bytes) */
};

static void load_gdt(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof(gdt) - 1, (uint64_t)gdt };

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"movw %3, %%ax\n\t"
		"ltr %%ax"
		:
		: "m"(ptr), "i"(GDT_KERNEL_CODE), "i"(GDT_KERNEL_DATA), "i"(GDT_TSS)
		: "rax", "memory");
}

void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	for (int i = 1; i <= IST_COUNT; i++)
		tss.ist[i - 1] = (uint64_t)ist_stacks[i - 1] + IST_STACK_SIZE;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (0x89ull << 40) |                 /* present, 64-bit TSS */
			   (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
	load_gdt();
}

void gdt_ist_stack(int n, uint64_t *lo, uint64_t *hi)
{
	*lo = (uint64_t)ist_stacks[n - 1];
	*hi = *lo + IST_STACK_SIZE;
}
