/*
 * Simple locks.  The kernel is uniprocessor and not preemptible, so today a
 * lock only has to keep interrupt handlers out: taking it disables
 * interrupts and releasing it restores them.  The lock word is still kept
 * and checked, so a nested acquisition is caught now and the places where
 * SMP needs a real spin lock are already marked.
 */
#pragma once

#include <stdint.h>

#include "kern/panic.h"

typedef struct {
	volatile int held;
	const char *name;
} simple_lock_t;

#define SIMPLE_LOCK_INIT(n) { 0, n }

#ifdef PAGODA_HOST
static inline uint64_t irq_save(void) { return 0; }
static inline void irq_restore(uint64_t flags) { (void)flags; }
#else
#include "arch/x86_64/cpu.h"
static inline uint64_t irq_save(void)
{
	uint64_t flags = read_rflags();
	cpu_disable_interrupts();
	return flags;
}
static inline void irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		cpu_enable_interrupts();
}
#endif

static inline uint64_t simple_lock(simple_lock_t *l)
{
	uint64_t flags = irq_save();
	if (l->held)
		panic("lock: %s taken twice", l->name);
	l->held = 1;
	return flags;
}

static inline void simple_unlock(simple_lock_t *l, uint64_t flags)
{
	l->held = 0;
	irq_restore(flags);
}

/* Takes l while another lock is held, so interrupts are off already;
 * simple_unlock(l, 0) gives it back and leaves them off. */
static inline void simple_lock_nested(simple_lock_t *l)
{
	if (l->held)
		panic("lock: %s taken twice", l->name);
	l->held = 1;
}

/* Trades a held lock for another (interrupts stay off): a sleep under
 * one lock that the scheduler's lock must cover, and back on waking. */
static inline void simple_lock_trade(simple_lock_t *held, simple_lock_t *l)
{
	if (l->held)
		panic("lock: %s taken twice", l->name);
	l->held = 1;
	held->held = 0;
}
