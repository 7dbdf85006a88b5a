/*
 * I/O ports for user mode (device_io_access, kern/device.c).  A task
 * that drivers run in holds a permission bitmap, one bit per port, clear
 * where in and out are allowed; every other task has none and gets a
 * general-protection fault for any port.  The CPU reads the bitmap from
 * the TSS (gdt.h), which grants one task's at a time, and only while
 * that task runs:
 *
 *   loaded   iomap_base points at the TSS's bitmap, which is this iopb's
 *   parked   iomap_base says "no bitmap" (another task runs), but the
 *            bytes are still the last owner's, so that loading it again
 *            costs no copy
 *
 * The switch never loads a bitmap: when the address space changes it
 * only parks a loaded one (one test of iopb_loaded).  A driver's first
 * port access after a switch then faults, the fault handler loads its
 * bitmap (iopb_fault) and the instruction is retried; loading another
 * driver's copies only the bytes either bitmap uses.  So switches between
 * tasks without ports, nearly all of them, pay one test.
 *
 * Locking: the TSS and iopb_loaded are the processor's, changed with
 * interrupts off (a switch, a fault, device_io_access).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/gdt.h"

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

/* The bitmap the TSS grants now, or NULL (the processor's: SMP makes it
 * per CPU). */
extern const struct iopb *iopb_loaded;

/* Loads iopb into the TSS (NULL: grants nothing). */
void iopb_load(const struct iopb *iopb);

/* iopb changed: the TSS forgets its bytes, and grants nothing until the
 * next fault loads a bitmap again. */
void iopb_changed(const struct iopb *iopb);

/* A general-protection fault in user mode of a task whose bitmap is iopb
 * (or NULL): true if the fault was only that its bitmap was not loaded
 * (it is now: retry the instruction). */
bool iopb_fault(const struct iopb *iopb);

/* Parks the loaded bitmap (iopb_load(NULL)): the TSS grants nothing, its
 * bytes stay.  In line for the switch, which must not pay a call. */
static inline void iopb_park(void)
{
	iopb_loaded = NULL;
	tss.iomap_base = TSS_IOPB_NONE;
}

/* The switch's part: a new address space may not use the ports of the
 * one before. */
static inline void iopb_switch(void)
{
	if (iopb_loaded != NULL)
		iopb_park();
}
