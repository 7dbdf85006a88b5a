/* vm_map.c's helpers that vm_map_copy.c and vm_fault.c share. */
#pragma once

#include "vm/vm_map.h"
#include "vm/vm_object.h"

struct vm_map_entry *vm_map_entry_alloc(void);
void vm_map_entry_free(struct vm_map_entry *entry);

/* Splits entry so that it starts (ends) at address, inside it. */
bool vm_map_clip_start(struct vm_map *map, struct vm_map_entry *entry, uint64_t address);
bool vm_map_clip_end(struct vm_map *map, struct vm_map_entry *entry, uint64_t address);

/* Links entry after prev, and unlinks it. */
void vm_map_entry_link(struct vm_map *map, struct vm_map_entry *prev, struct vm_map_entry *entry);
void vm_map_entry_unlink(struct vm_map *map, struct vm_map_entry *entry);

/* The lowest free range of size bytes at or above VM_MAP_ALLOC_BASE,
 * aligned to mask + 1: its start, and the entry it goes after. */
kern_return_t vm_map_find_space(struct vm_map *map, uint64_t size, uint64_t mask,
				uint64_t *start, struct vm_map_entry **prev);

/* Whether [start, end) is mapped without holes. */
bool vm_map_range_mapped(struct vm_map *map, uint64_t start, uint64_t end);

/* Whether [start, end) is mapped without holes and writable by a copy
 * (device memory is not): KERN_SUCCESS, KERN_INVALID_ADDRESS or
 * KERN_PROTECTION_FAILURE. */
kern_return_t vm_map_check_writable(struct vm_map *map, uint64_t start, uint64_t end);

/* Unmaps and drops the entry (unwiring its pages). */
void vm_map_entry_delete(struct vm_map *map, struct vm_map_entry *entry);

/*
 * Makes dst (a copy of src's fields) a copy-on-write view of src's
 * memory: symmetric (both need copy; src write-protected) when src's
 * object is private, a delayed copy when others write to it.  dst gets its
 * object reference.  KERN_RESOURCE_SHORTAGE (dst's object is unset).
 */
kern_return_t vm_map_entry_copy_on_write(struct vm_map *map, struct vm_map_entry *src,
				       struct vm_map_entry *dst);

/* Whether the entry maps device memory (vm_object.h), which is never copied. */
static inline bool vm_map_entry_is_device(const struct vm_map_entry *e)
{
	return e->object != NULL && e->object->device;
}
