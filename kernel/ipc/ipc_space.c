/* Port name spaces; see ipc_space.h. */
#include "ipc/ipc_space.h"

#include "kern/kalloc.h"
#include "kern/string.h"

/* Appends the indexes [from, to) to the free list. */
static void free_range(struct ipc_space *space, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		ipc_entry_append_free_locked(space, i);
}

/* The usable indexes of a table of size entries (see IPC_SPACE_MAX). */
static uint32_t usable(uint32_t size)
{
	return size < IPC_SPACE_MAX ? size : IPC_SPACE_MAX - 1;
}

kern_return_t ipc_space_create(struct ipc_space **out)
{
	struct ipc_space *space = kalloc(sizeof(*space));

	if (space == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(space, 0, sizeof(*space));
	space->table = kalloc(IPC_SPACE_INITIAL * sizeof(struct ipc_entry));
	if (space->table == NULL) {
		kfree(space, sizeof(*space));
		return KERN_RESOURCE_SHORTAGE;
	}
	memset(space->table, 0, IPC_SPACE_INITIAL * sizeof(struct ipc_entry));
	space->size = IPC_SPACE_INITIAL;
	space->active = true;
	free_range(space, 1, IPC_SPACE_INITIAL);
	*out = space;
	return KERN_SUCCESS;
}

void ipc_space_destroy(struct ipc_space *space)
{
	kfree(space->table, space->size * sizeof(struct ipc_entry));
	kfree(space, sizeof(*space));
}

/* Doubles the table.  Entries move, so no entry pointer survives a call. */
static kern_return_t grow(struct ipc_space *space, uint32_t at_least)
{
	uint32_t size = space->size;

	while (size <= at_least && size < IPC_SPACE_MAX)
		size *= 2;
	if (size == space->size || at_least >= usable(size))
		return KERN_NO_SPACE;
	struct ipc_entry *table = kalloc(size * sizeof(struct ipc_entry));
	if (table == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(table, space->table, space->size * sizeof(struct ipc_entry));
	memset(table + space->size, 0, (size - space->size) * sizeof(struct ipc_entry));
	kfree(space->table, space->size * sizeof(struct ipc_entry));
	uint32_t old = space->size;
	space->table = table;
	space->size = size;
	free_range(space, old, usable(size));
	return KERN_SUCCESS;
}

static void unlink_free(struct ipc_space *space, uint32_t index)
{
	uint32_t prev = 0;

	for (uint32_t i = space->free_head; i != 0; prev = i, i = space->table[i].next_free) {
		if (i != index)
			continue;
		if (prev != 0)
			space->table[prev].next_free = space->table[i].next_free;
		else
			space->free_head = space->table[i].next_free;
		if (space->free_tail == index)
			space->free_tail = prev;
		return;
	}
}

kern_return_t ipc_entry_alloc_locked(struct ipc_space *space, mach_port_name_t *name,
				     struct ipc_entry **entry)
{
	if (space->free_head == 0) {
		kern_return_t kr = grow(space, space->size);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	struct ipc_entry *e = ipc_entry_take_free_locked(space, name);

	e->object = NULL;
	e->bits = 0;
	e->urefs = 0;
	*entry = e;
	return KERN_SUCCESS;
}

kern_return_t ipc_entry_alloc_name_locked(struct ipc_space *space, mach_port_name_t name,
					  struct ipc_entry **entry)
{
	uint32_t index = IPC_NAME_INDEX(name);

	if (name == MACH_PORT_NAME_NULL || name == MACH_PORT_NAME_DEAD || index == 0 ||
	    index >= IPC_SPACE_MAX - 1)
		return KERN_INVALID_VALUE;
	if (index >= space->size) {
		kern_return_t kr = grow(space, index);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	struct ipc_entry *e = &space->table[index];
	if (e->bits != 0)
		return KERN_NAME_EXISTS;
	unlink_free(space, index);
	e->next_free = 0;
	e->object = NULL;
	e->urefs = 0;
	e->gen = IPC_NAME_GEN(name);
	space->in_use++;
	*entry = e;
	return KERN_SUCCESS;
}

mach_port_name_t ipc_entry_find_object_locked(struct ipc_space *space, const void *object,
					       uint32_t bits)
{
	for (uint32_t i = 1; i < space->size; i++)
		if ((space->table[i].bits & bits) && space->table[i].object == object)
			return ipc_entry_name(space, i);
	return MACH_PORT_NAME_NULL;
}
