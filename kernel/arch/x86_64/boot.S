/*
 * Boot entry: multiboot headers, the 32-bit entry point, and the switch to
 * long mode.
 *
 * Both loaders enter here in 32-bit protected mode with paging off:
 *   GRUB 2 (multiboot2):        eax = 0x36d76289, ebx = boot information
 *   QEMU -kernel (multiboot1):  eax = 0x2badb002, ebx = boot information
 * We record the time stamp counter first (under -icount it counts guest
 * instructions), check that the CPU has long mode, build boot page tables
 * that map the first 4 GiB twice (identity, for the jump, and at the direct
 * map, so that C code can read the boot information and modules, which
 * multiboot places below 4 GiB) plus the kernel image at KERNEL_BASE, turn
 * on PAE, long mode, NX and paging, and jump to kmain in the higher half.
 * kmain replaces these tables with the kernel's own.
 */
#include "layout.h"

#define MB1_MAGIC        0x1badb002
#define MB1_FLAGS        0x00000003     /* page-align modules, memory info */
#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0

#define CR0_PG   (1 << 31)
#define CR0_WP   (1 << 16)
#define CR4_PAE  (1 << 5)
#define EFER_MSR 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define PTE_P    0x1
#define PTE_W    0x2
#define PTE_PS   0x80
#define COM1     0x3f8
#define DEBUG_EXIT_PORT 0xf4

	.section .multiboot, "a"
	.balign 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Information request: memory map, command line, modules. */
	.balign 8
	.word 1, 0
	.long 20
	.long 6, 1, 3
	.balign 8
	/* Page-align modules. */
	.word 6, 0
	.long 8
	/* End tag. */
	.balign 8
	.word 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl %eax, %esi                 /* multiboot magic */
	movl %ebx, %edi                 /* boot information (physical) */

	/* rdtsc is available in any mode; store it for the init measurement. */
	rdtsc
	movl %eax, (boot_tsc - KERNEL_BASE)
	movl %edx, (boot_tsc - KERNEL_BASE + 4)

	movl $(boot_stack32_top), %esp

	/* Long mode and NX must exist (CPUID 0x80000001 EDX bits 29 and 20). */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode
	testl $(1 << 20), %edx
	jz no_long_mode

	/* Four page directories of 2 MiB pages map 0..4 GiB. */
	movl $(boot_pd), %ebx
	xorl %ecx, %ecx                 /* entry index 0..2047 */
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%ebx, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax                  /* high half of the physical address */
	movl %eax, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* boot_pdpt_low: four entries, one per page directory. */
	movl $(boot_pd + PTE_P + PTE_W), boot_pdpt_low
	movl $(boot_pd + 0x1000 + PTE_P + PTE_W), boot_pdpt_low + 8
	movl $(boot_pd + 0x2000 + PTE_P + PTE_W), boot_pdpt_low + 16
	movl $(boot_pd + 0x3000 + PTE_P + PTE_W), boot_pdpt_low + 24
	/* boot_pdpt_high[510] maps KERNEL_BASE (-2 GiB) to physical 0. */
	movl $(boot_pd + PTE_P + PTE_W), boot_pdpt_high + 510 * 8

	/* PML4: identity, direct map, kernel image. */
	movl $(boot_pdpt_low + PTE_P + PTE_W), boot_pml4
	movl $(boot_pdpt_low + PTE_P + PTE_W), boot_pml4 + PML4_INDEX_DIRECT_MAP * 8
	movl $(boot_pdpt_high + PTE_P + PTE_W), boot_pml4 + 511 * 8

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $(boot_pml4), %eax
	movl %eax, %cr3
	movl $EFER_MSR, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_entry

/* A CPU without long mode cannot run us: say so on COM1 and stop. */
no_long_mode:
	movl $no_long_mode_msg, %esi
2:	lodsb
	testb %al, %al
	jz 4f
	movb %al, %bl
	movw $(COM1 + 5), %dx
3:	inb %dx, %al
	testb $0x20, %al
	jz 3b
	movb %bl, %al
	movw $COM1, %dx
	outb %al, %dx
	jmp 2b
4:	movb $0x13, %al
	outb %al, $DEBUG_EXIT_PORT
5:	hlt
	jmp 5b

	.code64
long_mode_entry:
	xorl %eax, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movabsq $higher_half, %rax
	jmp *%rax

	.section .boot.data, "aw"
no_long_mode_msg:
	.asciz "boot: this CPU has no long mode or no NX; Pagoda needs x86_64\r\n"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 64-bit code */
	.quad 0x00cf92000000ffff        /* data */
boot_gdt_ptr:
	.word boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt

	.section .boot.bss, "aw", @nobits
	.balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
boot_stack32:   .skip 256
boot_stack32_top:

	.text
higher_half:
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	/* kmain(magic, info_phys); xchgl also clears the upper halves. */
	xchgl %esi, %edi
	call kmain
	ud2

/*
 * The boot thread's stack, with an unmapped guard page below it (kmain's
 * page tables leave that page out) so that an overflow faults instead of
 * silently corrupting what lies below.
 */
	.section .stack, "aw", @nobits
	.balign 4096
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip 4096
boot_stack_bottom:
	.skip KERNEL_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
