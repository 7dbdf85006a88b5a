/*
 * Port name spaces.  Each task names the rights it holds by 32-bit names
 * in its own space; a name maps to one entry: the object (a port or a
 * port set), which rights the task holds on it, and a user-reference count.
 *
 * A name is an index into the space's table and a generation
 * (IPC_NAME(index, gen), as Mach's MACH_PORT_MAKE): freeing an entry bumps
 * its generation, and freed indexes are reused last-in-last-out (a FIFO),
 * so a stale name fails the lookup instead of reaching whatever took its
 * index later (until that index has been reused 2^IPC_NAME_GEN_BITS times,
 * as in Mach).  Name 0 (MACH_PORT_NULL) and ~0 (MACH_PORT_DEAD) are never
 * handed out.
 *
 * This layer knows nothing of what rights mean; ipc_right.c does.
 *
 * Locking: ipc_lock (ipc_port.h) guards every space ([I]); these
 * functions are called with it held (_locked).
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/port.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kern/lock.h"

struct task;

#define IPC_NAME_GEN_BITS 8
#define IPC_NAME(index, gen) (((mach_port_name_t)(index) << IPC_NAME_GEN_BITS) | (gen))
#define IPC_NAME_INDEX(name) ((name) >> IPC_NAME_GEN_BITS)
#define IPC_NAME_GEN_MASK    ((1u << IPC_NAME_GEN_BITS) - 1)
#define IPC_NAME_GEN(name)   ((name) & IPC_NAME_GEN_MASK)

/* Index 0 is never used; the last index is kept free so no name is ~0. */
#define IPC_SPACE_INITIAL  64
#define IPC_SPACE_MAX      (1u << 16)   /* entries per task */

/* What a task holds under a name (ipc_entry.bits). */
#define IPC_ENTRY_SEND      0x01u
#define IPC_ENTRY_RECEIVE   0x02u
#define IPC_ENTRY_SEND_ONCE 0x04u
#define IPC_ENTRY_PORT_SET  0x08u
#define IPC_ENTRY_DEAD_NAME 0x10u
#define IPC_ENTRY_DNREQUEST 0x20u   /* a dead-name request is pending */

struct ipc_entry {
	void *object;       /* [I] the port or port set; NULL when free or dead */
	uint32_t bits;      /* [I] IPC_ENTRY_*; 0 when free */
	uint32_t urefs;     /* [I] user references (send rights, dead names) */
	uint32_t gen;       /* [I] generation of the current or next name */
	uint32_t next_free; /* [I] free list link (an index) */
};

struct ipc_space {
	struct ipc_entry *table;    /* [I] table[0] unused */
	uint32_t size;              /* [I] entries in table */
	uint32_t free_head, free_tail; /* [I] FIFO of free indexes; 0: none */
	uint32_t in_use;            /* [I] entries holding something */
	bool active;                /* [I] false once the task is gone */
	struct task *task;          /* [c] whose space it is */
};

/* An empty space.  KERN_RESOURCE_SHORTAGE. */
kern_return_t ipc_space_create(struct ipc_space **out);

/* Frees the table; every entry must have been released (in_use == 0). */
void ipc_space_destroy(struct ipc_space *space);

/*
 * A fresh name with an empty entry.  The caller sets its bits before it
 * lets go of the lock: an entry with no bits reads as free.
 * KERN_NO_SPACE when the space holds IPC_SPACE_MAX entries,
 * KERN_RESOURCE_SHORTAGE when the table cannot grow.
 */
kern_return_t ipc_entry_alloc_locked(struct ipc_space *space, mach_port_name_t *name,
				     struct ipc_entry **entry);

/*
 * The entry of a name the caller chose (mach_port_allocate_name,
 * mach_port_insert_right): KERN_NAME_EXISTS if it is in use,
 * KERN_INVALID_VALUE if it is NULL, DEAD or beyond IPC_SPACE_MAX.
 */
kern_return_t ipc_entry_alloc_name_locked(struct ipc_space *space, mach_port_name_t name,
					  struct ipc_entry **entry);

/* ipc_entry_alloc_locked's common case, in line for the fast path: the
 * head of the free list, or NULL if it is empty (then call the other). */
static inline struct ipc_entry *ipc_entry_take_free_locked(struct ipc_space *space,
							   mach_port_name_t *name)
{
	uint32_t index = space->free_head;

	if (index == 0)
		return NULL;
	struct ipc_entry *e = &space->table[index];
	space->free_head = e->next_free;
	if (space->free_head == 0)
		space->free_tail = 0;
	e->next_free = 0;
	space->in_use++;
	*name = IPC_NAME(index, e->gen);
	return e;
}

/* The entry name denotes, or NULL (free, stale or out of range; index 0
 * is never used, so its entry reads as free).  In line: every message
 * looks up two or three names. */
static inline struct ipc_entry *ipc_entry_lookup_locked(struct ipc_space *space,
							mach_port_name_t name)
{
	uint32_t index = IPC_NAME_INDEX(name);

	if (index >= space->size)
		return NULL;
	struct ipc_entry *e = &space->table[index];
	if (e->bits == 0 || e->gen != IPC_NAME_GEN(name))
		return NULL;
	return e;
}

/* Puts the free entry index at the end of the free list. */
static inline void ipc_entry_append_free_locked(struct ipc_space *space, uint32_t index)
{
	space->table[index].next_free = 0;
	if (space->free_tail != 0)
		space->table[space->free_tail].next_free = index;
	else
		space->free_head = index;
	space->free_tail = index;
}

/* Frees the entry of name; its generation moves on, so name goes stale.
 * In line: the reply of every RPC frees the send-once name it used. */
static inline void ipc_entry_free_locked(struct ipc_space *space, mach_port_name_t name)
{
	uint32_t index = IPC_NAME_INDEX(name);
	struct ipc_entry *e = &space->table[index];

	e->object = NULL;
	e->bits = 0;
	e->urefs = 0;
	e->gen = (e->gen + 1) & IPC_NAME_GEN_MASK;
	space->in_use--;
	ipc_entry_append_free_locked(space, index);
}

/* The name of an entry that names object with one of bits, or
 * MACH_PORT_NAME_NULL. */
mach_port_name_t ipc_entry_find_object_locked(struct ipc_space *space, const void *object,
					       uint32_t bits);

/* The name of table index i as it is now (for walking every entry). */
static inline mach_port_name_t ipc_entry_name(const struct ipc_space *space, uint32_t i)
{
	return IPC_NAME(i, space->table[i].gen);
}
