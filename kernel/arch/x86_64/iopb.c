/* I/O permission bitmaps; see iopb.h. */
#include "arch/x86_64/iopb.h"

#include "kern/kalloc.h"
#include "kern/string.h"

struct iopb *iopb_alloc(void)
{
	struct iopb *iopb = kalloc(sizeof(*iopb));

	if (iopb != NULL) {
		memset(iopb->bits, 0xff, sizeof(iopb->bits));
		iopb->used = 0;
	}
	return iopb;
}

void iopb_free(struct iopb *iopb)
{
	struct cpu *cpu = cpu_self();

	/* A later bitmap at the same address must not pass for this one. */
	if (cpu->iopb_held == iopb)
		cpu->iopb_held = NULL;
	if (cpu->iopb == iopb)
		iopb_load(NULL);
	kfree(iopb, sizeof(*iopb));
}

void iopb_set(struct iopb *iopb, uint32_t base, uint32_t count, bool allow)
{
	for (uint32_t port = base; port < base + count; port++) {
		if (allow)
			iopb->bits[port / 8] &= (uint8_t)~(1u << (port % 8));
		else
			iopb->bits[port / 8] |= (uint8_t)(1u << (port % 8));
	}
	uint32_t used = sizeof(iopb->bits);
	while (used > 0 && iopb->bits[used - 1] == 0xff)
		used--;
	iopb->used = used;
}

bool iopb_empty(const struct iopb *iopb)
{
	return iopb->used == 0;
}

void iopb_load(const struct iopb *iopb)
{
	struct cpu *cpu = cpu_self();

	cpu->iopb = iopb;
	if (iopb == NULL) {
		tss.iomap_base = TSS_IOPB_NONE;   /* parked: the bytes stay */
		return;
	}
	if (cpu->iopb_held != iopb) {
		/* The old owner's bytes past this one's are refused again. */
		uint32_t old = cpu->iopb_held != NULL ? cpu->iopb_held->used : TSS_IOPB_BYTES;
		memcpy(tss.iopb, iopb->bits, iopb->used);
		if (old > iopb->used)
			memset(tss.iopb + iopb->used, 0xff, old - iopb->used);
		cpu->iopb_held = iopb;
	}
	tss.iomap_base = __builtin_offsetof(struct tss, iopb);
}

void iopb_changed(const struct iopb *iopb, const struct iopb *current)
{
	struct cpu *cpu = cpu_self();

	if (cpu->iopb_held == iopb) {
		/* Forget its bytes: the next load copies it whole. */
		memset(tss.iopb, 0xff, sizeof(tss.iopb));
		cpu->iopb_held = NULL;
	}
	cpu->iopb = NULL;
	iopb_load(current);
}
