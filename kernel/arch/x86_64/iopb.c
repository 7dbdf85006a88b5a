/* I/O permission bitmaps; see iopb.h. */
#include "arch/x86_64/iopb.h"

#include "kern/kalloc.h"
#include "kern/string.h"

const struct iopb *iopb_loaded;
static const struct iopb *held;   /* whose bytes the TSS holds, or NULL */

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
	/* A later bitmap at the same address must not pass for this one. */
	iopb_changed(iopb);
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

void iopb_load(const struct iopb *iopb)
{
	if (iopb == NULL) {
		iopb_park();
		return;
	}
	iopb_loaded = iopb;
	if (held != iopb) {
		/* The old owner's bytes past this one's are refused again. */
		uint32_t old = held != NULL ? held->used : TSS_IOPB_BYTES;
		memcpy(tss.iopb, iopb->bits, iopb->used);
		if (old > iopb->used)
			memset(tss.iopb + iopb->used, 0xff, old - iopb->used);
		held = iopb;
	}
	tss.iomap_base = __builtin_offsetof(struct tss, iopb);
}

void iopb_changed(const struct iopb *iopb)
{
	if (held == iopb) {
		memset(tss.iopb, 0xff, sizeof(tss.iopb));
		held = NULL;
	}
	if (iopb_loaded == iopb)
		iopb_load(NULL);
}

bool iopb_fault(const struct iopb *iopb)
{
	if (iopb == NULL || iopb_loaded == iopb)
		return false;   /* a fault of its own */
	iopb_load(iopb);
	return true;
}
