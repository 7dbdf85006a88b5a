#include "arch/x86_64/pcb.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "kern/kalloc.h"
#include "kern/string.h"

#define USER_LIMIT 0x0000800000000000ull
#define FCW_DEFAULT 0x37f      /* fninit: all x87 exceptions masked */
#define MXCSR_DEFAULT 0x1f80   /* all SIMD exceptions masked */

void thread_start_user(void);
void thread_start_kernel(void);
void thread_continue(void);

static struct x86_64_float_state fpu_default;
static uint32_t mxcsr_mask;

void pcb_init(void)
{
	__asm__ volatile("fxsave64 %0" : "=m"(fpu_default));
	/* A zero mask means the CPU predates the field: bit 6 (DAZ) is then
	 * reserved (Intel SDM vol. 1 §11.6.6). */
	mxcsr_mask = fpu_default.mxcsr_mask ? fpu_default.mxcsr_mask : 0xffbf;
	memset(&fpu_default, 0, sizeof(fpu_default));
	fpu_default.fcw = FCW_DEFAULT;
	fpu_default.mxcsr = MXCSR_DEFAULT;
	fpu_default.mxcsr_mask = mxcsr_mask;
}

/* The stack switch_context resumes: six callee-saved registers, then ret. */
static void push_start(struct pcb *pcb, uint64_t top, void (*entry)(void))
{
	uint64_t *sp = (uint64_t *)top - 7;

	memset(sp, 0, 6 * sizeof(uint64_t));
	sp[6] = (uint64_t)entry;
	pcb->ksp = (uint64_t)sp;
}

kern_return_t pcb_init_user(struct pcb *pcb)
{
	pcb->kstack = kalloc(KERNEL_STACK_SIZE);
	if (pcb->kstack == NULL)
		return KERN_RESOURCE_SHORTAGE;
	pcb->user = true;
	pcb->fs_base = pcb->gs_base = 0;
	pcb->fpu = fpu_default;

	struct trap_frame *f = pcb_frame(pcb);
	memset(f, 0, sizeof(*f));
	f->cs = GDT_USER_CODE;
	f->ss = GDT_USER_DATA;
	f->rflags = RFLAGS_IF | 2;
	push_start(pcb, (uint64_t)f, thread_start_user);
	return KERN_SUCCESS;
}

kern_return_t pcb_init_kernel(struct pcb *pcb, void (*body)(void))
{
	pcb->kstack = kalloc(KERNEL_STACK_SIZE);
	if (pcb->kstack == NULL)
		return KERN_RESOURCE_SHORTAGE;
	pcb->user = false;
	push_start(pcb, (uint64_t)pcb->kstack + KERNEL_STACK_SIZE, thread_start_kernel);
	((uint64_t *)pcb->ksp)[3] = (uint64_t)body;   /* r12 (switch_context's pops) */
	return KERN_SUCCESS;
}

void pcb_prepare_continuation(struct pcb *pcb)
{
	uint64_t *sp = (uint64_t *)pcb_frame(pcb) - 7;

	sp[6] = (uint64_t)thread_continue;    /* no register's value matters */
	pcb->ksp = (uint64_t)sp;
}

void pcb_free(struct pcb *pcb)
{
	kfree(pcb->kstack, KERNEL_STACK_SIZE);
	pcb->kstack = NULL;
}

void pcb_set_entry(struct pcb *pcb, uint64_t rip, uint64_t rsp)
{
	struct trap_frame *f = pcb_frame(pcb);

	f->rip = rip;
	f->rsp = rsp;
}

void pcb_set_fs_base(struct pcb *pcb, uint64_t base)
{
	pcb->fs_base = base;
	wrmsr(MSR_FS_BASE, base);
}

static void frame_to_state(const struct trap_frame *f, const struct pcb *pcb,
			   struct x86_64_thread_state *s)
{
	*s = (struct x86_64_thread_state){
		.rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rdx = f->rdx,
		.rsi = f->rsi, .rdi = f->rdi, .rbp = f->rbp, .rsp = f->rsp,
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
		.r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
		.rip = f->rip, .rflags = f->rflags,
		.fs_base = pcb->fs_base, .gs_base = pcb->gs_base,
	};
}

kern_return_t pcb_get_state(const struct pcb *pcb, int flavor, void *state, uint64_t size)
{
	if (!pcb->user)
		return KERN_INVALID_ARGUMENT;
	if (flavor == X86_64_THREAD_STATE && size == sizeof(struct x86_64_thread_state)) {
		frame_to_state(pcb_frame(pcb), pcb, state);
		return KERN_SUCCESS;
	}
	if (flavor == X86_64_FLOAT_STATE && size == sizeof(struct x86_64_float_state)) {
		memcpy(state, &pcb->fpu, sizeof(pcb->fpu));
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}

static kern_return_t set_thread_state(struct pcb *pcb, const struct x86_64_thread_state *s)
{
	/* What iret, sysret or wrmsr would refuse in ring 0 is refused here. */
	if (s->rip >= USER_LIMIT || s->rsp >= USER_LIMIT || s->fs_base >= USER_LIMIT ||
	    s->gs_base >= USER_LIMIT)
		return KERN_INVALID_ARGUMENT;
	struct trap_frame *f = pcb_frame(pcb);
	f->rax = s->rax; f->rbx = s->rbx; f->rcx = s->rcx; f->rdx = s->rdx;
	f->rsi = s->rsi; f->rdi = s->rdi; f->rbp = s->rbp; f->rsp = s->rsp;
	f->r8 = s->r8; f->r9 = s->r9; f->r10 = s->r10; f->r11 = s->r11;
	f->r12 = s->r12; f->r13 = s->r13; f->r14 = s->r14; f->r15 = s->r15;
	f->rip = s->rip;
	f->rflags = (s->rflags & RFLAGS_USER) | RFLAGS_IF | 2;
	pcb->fs_base = s->fs_base;
	pcb->gs_base = s->gs_base;
	return KERN_SUCCESS;
}

kern_return_t pcb_set_state(struct pcb *pcb, int flavor, const void *state, uint64_t size)
{
	if (!pcb->user)
		return KERN_INVALID_ARGUMENT;
	if (flavor == X86_64_THREAD_STATE && size == sizeof(struct x86_64_thread_state))
		return set_thread_state(pcb, state);
	if (flavor == X86_64_FLOAT_STATE && size == sizeof(struct x86_64_float_state)) {
		const struct x86_64_float_state *fs = state;
		if (fs->mxcsr & ~mxcsr_mask)
			return KERN_INVALID_ARGUMENT;   /* fxrstor would fault */
		memcpy(&pcb->fpu, fs, sizeof(pcb->fpu));
		pcb->fpu.mxcsr_mask = mxcsr_mask;
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}
