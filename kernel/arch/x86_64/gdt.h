/*
 * Segments and the task-state segment.  Long mode ignores segment bases
 * (but for fs/gs); the GDT exists for privilege levels, and the TSS for the
 * stacks the CPU switches to: rsp0 on entry from user mode, and the
 * interrupt stacks (IST) for faults that must work even when the current
 * stack is unusable.
 */
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_BASE   0x18   /* STAR: user SS = +8, user CS = +16 */
#define GDT_USER_DATA   (0x20 | 3)
#define GDT_USER_CODE   (0x28 | 3)
#define GDT_TSS         0x30

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3
#define IST_COUNT        3

/* The I/O permission bitmap: one bit per port, set: refused (iopb.h). */
#define TSS_IOPB_BYTES (65536 / 8)
#define TSS_IOPB_NONE  0xffff   /* an iomap_base past the limit: no ports */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;          /* offsetof(iopb), or TSS_IOPB_NONE */
	uint8_t iopb[TSS_IOPB_BYTES];
	uint8_t iopb_end;             /* 0xff: the CPU reads a byte past a port's */
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct tss, iopb) == 104, "TSS layout");

extern struct tss tss;

void gdt_init(void);

/* Sets the stack the CPU loads on entry from ring 3 (every switch). */
static inline void gdt_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

/* The bounds of interrupt stack n (1..IST_COUNT). */
void gdt_ist_stack(int n, uint64_t *lo, uint64_t *hi);
