/*
 * I/O ports for user mode (device_io_access, kern/device.c).  A task
 * that drivers run in holds a permission bitmap, one bit per port, clear
 * where in and out are allowed; every other task has none and gets a
 * general-protection fault for any port.  The CPU reads the bitmap from
 * the TSS (gdt.h), which holds one task's at a time:
 *
 *   loaded   the TSS's bitmap is this iopb's and iomap_base points at it
 *   parked   iomap_base says "no bitmap" (a task without one runs), but
 *            the bitmap is still the last owner's, so that switching back
 *            to it costs no copy
 *
 * Switching to another task with a bitmap copies only the bytes that
 * either bitmap uses (ports up to the highest one granted).
 *
 * Locking: the iopb's bits change under the task's device lock in
 * kern/device.c; the TSS is the processor's, changed with interrupts off
 * (a switch, or iopb_changed).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"

struct iopb {
	uint8_t bits[TSS_IOPB_BYTES];   /* clear: allowed */
	uint32_t used;                  /* bytes from the start that have a clear bit */
};

/* A bitmap refusing every port; NULL when memory is short. */
struct iopb *iopb_alloc(void);
/* Frees iopb; if it is loaded, the TSS grants nothing. */
void iopb_free(struct iopb *iopb);

/* Allows (or refuses) [base, base + count); the caller then calls
 * iopb_changed. */
void iopb_set(struct iopb *iopb, uint32_t base, uint32_t count, bool allow);

/* True if no port is allowed. */
bool iopb_empty(const struct iopb *iopb);

/* The TSS for a switch to a thread whose task has iopb (or NULL). */
void iopb_load(const struct iopb *iopb);

/* iopb changed (or is new): the TSS forgets it; current is the running
 * task's bitmap (or NULL), loaded again so that a change to it takes
 * effect at once. */
void iopb_changed(const struct iopb *iopb, const struct iopb *current);

/* The switch's test, in line: most switches are between tasks without one. */
static inline void iopb_switch(const struct iopb *next)
{
	if (next != cpu_self()->iopb)
		iopb_load(next);
}
