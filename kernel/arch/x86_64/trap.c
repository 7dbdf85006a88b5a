#include "arch/x86_64/trap.h"

#include "arch/x86_64/backtrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/iopb.h"
#include "arch/x86_64/pic.h"
#include "kern/exception.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"
#include "vm/vm_fault.h"
#include "kern/panic.h"
#include "kern/printf.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;      /* present, DPL, gate type */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

#define GATE_INTERRUPT 0x8e  /* present, DPL 0, 64-bit interrupt gate */
#define GATE_USER      0xee  /* the same, DPL 3: user code may raise it (int3) */
#define IRQ_COUNT 16

struct extable_entry {
	uint64_t fault_rip;
	uint64_t fixup_rip;
};

extern const uint64_t trap_stub_table[256];
extern const struct extable_entry extable_start[], extable_end[];

static struct idt_gate idt[256];
static irq_handler_t irq_handlers[IRQ_COUNT];
struct trap_recovery trap_last_recovery;

static const char *const exception_names[32] = {
	[0] = "DE (divide error)",        [1] = "DB (debug)",
	[2] = "NMI (non-maskable interrupt)", [3] = "BP (breakpoint)",
	[4] = "OF (overflow)",            [5] = "BR (bound range)",
	[6] = "UD (invalid opcode)",      [7] = "NM (device not available)",
	[8] = "DF (double fault)",        [10] = "TS (invalid TSS)",
	[11] = "NP (segment not present)", [12] = "SS (stack fault)",
	[13] = "GP (general protection)", [14] = "PF (page fault)",
	[16] = "MF (x87 floating point)", [17] = "AC (alignment check)",
	[18] = "MC (machine check)",      [19] = "XM (SIMD floating point)",
	[20] = "VE (virtualization)",     [21] = "CP (control protection)",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32 && exception_names[vector] != NULL)
		return exception_names[vector];
	return vector < 32 ? "reserved exception" : "interrupt";
}

static void idt_set(unsigned vector, uint64_t handler, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = handler & 0xffff,
		.selector = GDT_KERNEL_CODE,
		.ist = ist,
		.type = vector == T_BREAKPOINT ? GATE_USER : GATE_INTERRUPT,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void trap_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		idt_set(v, trap_stub_table[v], 0);
	idt_set(T_DOUBLE_FAULT, trap_stub_table[T_DOUBLE_FAULT], IST_DOUBLE_FAULT);
	idt_set(T_NMI, trap_stub_table[T_NMI], IST_NMI);
	idt_set(T_MACHINE_CHECK, trap_stub_table[T_MACHINE_CHECK], IST_MACHINE_CHECK);

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void irq_register(unsigned irq, irq_handler_t handler)
{
	if (irq >= IRQ_COUNT)
		panic("trap: irq %u out of range", irq);
	irq_handlers[irq] = handler;
	pic_unmask(irq);
}

void irq_unregister(unsigned irq)
{
	if (irq >= IRQ_COUNT)
		panic("trap: irq %u out of range", irq);
	pic_mask(irq);
	irq_handlers[irq] = NULL;
}

static const struct extable_entry *extable_find(uint64_t rip)
{
	for (const struct extable_entry *e = extable_start; e < extable_end; e++)
		if (e->fault_rip == rip)
			return e;
	return NULL;
}

static void dump_page_fault_error(uint64_t error)
{
	kprintf(" (%s, %s, %s%s)", error & 2 ? "write" : "read",
		error & 1 ? "protection" : "not present",
		error & 4 ? "user" : "kernel",
		error & 16 ? ", instruction fetch" : "");
}

static void dump_frame(const struct trap_frame *f, uint64_t cr2)
{
	kprintf("trap: exception #%s, vector %lu, error 0x%lx", trap_name(f->vector),
		f->vector, f->error);
	if (f->vector == T_PAGE_FAULT)
		dump_page_fault_error(f->error);
	kprintf("\ntrap: rip ");
	print_symbolized(f->rip);
	kprintf("\n");
	if (f->vector == T_PAGE_FAULT)
		kprintf("trap: fault address %016lx\n", cr2);
	if (f->vector == T_DOUBLE_FAULT)
		kprintf("trap: a fault while delivering a fault; kernel stack overflow?\n");
	kprintf("trap: rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
		f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("trap: rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n",
		f->rsi, f->rdi, f->rbp, f->rsp);
	kprintf("trap: r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n",
		f->r8, f->r9, f->r10, f->r11);
	kprintf("trap: r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n",
		f->r12, f->r13, f->r14, f->r15);
	kprintf("trap: cs %04lx ss %04lx rflags %016lx cr0 %016lx cr3 %016lx cr4 %016lx\n",
		f->cs, f->ss, f->rflags, read_cr0(), read_cr3(), read_cr4());
}

/* Vectors that say the machine, not the running program, is in trouble. */
static bool is_machine_exception(uint64_t vector)
{
	return vector == T_NMI || vector == T_DOUBLE_FAULT || vector == T_MACHINE_CHECK;
}

/*
 * A page fault on user memory goes to the VM (vm_fault): from user mode,
 * or from the kernel's user copies (their instructions are in the
 * exception table).  The fault may wait for a pager only where the
 * faulting code could (interrupts were on: no lock held); otherwise it
 * fails and the copy's caller takes its slow path.  Returns the VM's
 * answer; KERN_SUCCESS means retry the instruction.
 */
static kern_return_t user_page_fault(struct trap_frame *f, uint64_t address, bool from_user)
{
	struct task *task = current_thread()->task;

	if (address >= USER_ADDRESS_LIMIT)
		return KERN_PROTECTION_FAILURE;   /* the kernel's memory */
	if (task->map == NULL)
		return KERN_INVALID_ADDRESS;
	if (!from_user && extable_find(f->rip) == NULL)
		return KERN_INVALID_ADDRESS;   /* the kernel itself is wrong: panic below */
	vm_prot_t access = f->error & 2 ? VM_PROT_WRITE
			   : f->error & 16 ? VM_PROT_EXECUTE : VM_PROT_READ;
	unsigned flags = 0;
	if (from_user || (f->rflags & RFLAGS_IF)) {
		flags = VM_FAULT_WAIT;
		cpu_enable_interrupts();
	}
	kern_return_t kr = vm_fault(task->map, address, access, flags, NULL);
	cpu_disable_interrupts();
	return kr;
}

static void exception(struct trap_frame *f)
{
	uint64_t cr2 = f->vector == T_PAGE_FAULT ? read_cr2() : 0;
	bool from_user = (f->cs & 3) == 3;
	kern_return_t fault = KERN_SUCCESS;

	if (f->vector == T_PAGE_FAULT &&
	    (fault = user_page_fault(f, cr2, from_user)) == KERN_SUCCESS)
		return;
	if (f->vector == T_GP && from_user && iopb_fault(current_thread()->task->pmap->iopb))
		return;   /* a driver's first port access since a switch */
	const struct extable_entry *e = extable_find(f->rip);
	if (from_user && !is_machine_exception(f->vector)) {
		exception_user(f, cr2, fault);
		return;
	}
	if (e != NULL && (f->cs & 3) == 0) {
		trap_last_recovery = (struct trap_recovery){
			.count = trap_last_recovery.count + 1,
			.vector = f->vector,
			.address = cr2,
			.rip = f->rip,
		};
		f->rip = e->fixup_rip;
		return;
	}
	dump_frame(f, cr2);
	/* panic's backtrace runs through trap_common's frame into the faulting
	 * code, so the dump needs none of its own. */
	panic("trap: unhandled exception #%s in the kernel", trap_name(f->vector));
}

static void interrupt(struct trap_frame *f)
{
	unsigned irq = f->vector - T_IRQ_BASE;

	if (irq >= IRQ_COUNT) {
		kprintf("trap: unexpected interrupt vector %lu ignored\n", f->vector);
		return;
	}
	if (pic_is_spurious(irq))
		return;
	if (irq_handlers[irq] != NULL)
		irq_handlers[irq](irq);
	pic_eoi(irq);
}

void trap_dispatch(struct trap_frame *f);

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector < T_IRQ_BASE)
		exception(f);
	else
		interrupt(f);
}
