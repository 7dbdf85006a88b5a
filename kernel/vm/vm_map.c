/* Address spaces; see vm_map.h for the model. */
#include "vm/vm_map.h"

#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "vm/vm_fault.h"
#include "vm/vm_map_priv.h"
#include "vm/vm_object.h"
#include "vm/vm_pageout.h"
#include "vm/vm_resident.h"

struct vm_map_entry *vm_map_entry_alloc(void)
{
	struct vm_map_entry *entry = kalloc(sizeof(*entry));

	if (entry != NULL) {
		memset(entry, 0, sizeof(*entry));
		vm_counters.map_entries++;
	}
	return entry;
}

void vm_map_entry_free(struct vm_map_entry *entry)
{
	vm_counters.map_entries--;
	kfree(entry, sizeof(*entry));
}

void vm_map_entry_link(struct vm_map *map, struct vm_map_entry *prev, struct vm_map_entry *entry)
{
	entry->prev = prev;
	entry->next = prev->next;
	prev->next->prev = entry;
	prev->next = entry;
	map->nentries++;
	map->timestamp++;
}

void vm_map_entry_unlink(struct vm_map *map, struct vm_map_entry *entry)
{
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	if (map->hint == entry)
		map->hint = &map->header;
	map->nentries--;
	map->timestamp++;
}

kern_return_t vm_map_create(struct vm_map **out)
{
	struct vm_map *map = kalloc(sizeof(*map));

	if (map == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(map, 0, sizeof(*map));
	if (pmap_create(&map->pmap) != KERN_SUCCESS) {
		kfree(map, sizeof(*map));
		return KERN_RESOURCE_SHORTAGE;
	}
	map->header.next = map->header.prev = &map->header;
	map->header.start = map->header.end = 0;
	map->hint = &map->header;
	map->ref_count = 1;
	*out = map;
	return KERN_SUCCESS;
}

void vm_map_reference(struct vm_map *map)
{
	map->ref_count++;
}

void vm_map_terminate(struct vm_map *map)
{
	vm_map_remove(map, 0, VM_MAP_MAX);
}

void vm_map_deallocate(struct vm_map *map)
{
	if (map == NULL)
		return;   /* what a failed translation gives a generated server */
	if (--map->ref_count > 0)
		return;
	vm_map_terminate(map);
	pmap_destroy(&map->pmap);
	kfree(map, sizeof(*map));
}

bool vm_map_lookup_entry(struct vm_map *map, uint64_t va, struct vm_map_entry **out)
{
	struct vm_map_entry *e = map->hint;

	if (e == &map->header || va < e->start)
		e = map->header.next;
	for (; e != &map->header && e->start <= va; e = e->next) {
		if (va < e->end) {
			map->hint = e;
			*out = e;
			return true;
		}
	}
	*out = e->prev;
	return false;
}

static struct vm_map_entry *entry_copy_of(const struct vm_map_entry *entry)
{
	struct vm_map_entry *copy = vm_map_entry_alloc();

	if (copy == NULL)
		return NULL;
	*copy = *entry;
	vm_object_reference(copy->object);
	return copy;
}

bool vm_map_clip_start(struct vm_map *map, struct vm_map_entry *entry, uint64_t address)
{
	if (address <= entry->start || address >= entry->end)
		return true;
	struct vm_map_entry *front = entry_copy_of(entry);
	if (front == NULL)
		return false;
	front->end = address;
	entry->offset += address - entry->start;
	entry->start = address;
	vm_map_entry_link(map, entry->prev, front);
	return true;
}

bool vm_map_clip_end(struct vm_map *map, struct vm_map_entry *entry, uint64_t address)
{
	if (address <= entry->start || address >= entry->end)
		return true;
	struct vm_map_entry *back = entry_copy_of(entry);
	if (back == NULL)
		return false;
	back->offset += address - entry->start;
	back->start = address;
	entry->end = address;
	vm_map_entry_link(map, entry, back);
	return true;
}

kern_return_t vm_map_find_space(struct vm_map *map, uint64_t size, uint64_t mask,
				uint64_t *start, struct vm_map_entry **prev)
{
	uint64_t at = VM_MAP_ALLOC_BASE;
	struct vm_map_entry *e;

	if (size == 0 || size > VM_MAP_MAX - VM_MAP_ALLOC_BASE)
		return KERN_NO_SPACE;
	vm_map_lookup_entry(map, at, &e);
	if (e != &map->header && e->end > at)
		at = e->end;
	for (;;) {
		at = (at + mask) & ~mask;
		if (at < VM_MAP_ALLOC_BASE || at > VM_MAP_MAX - size)
			return KERN_NO_SPACE;
		struct vm_map_entry *next = e->next;
		if (next == &map->header || at + size <= next->start) {
			*start = at;
			*prev = e;
			return KERN_SUCCESS;
		}
		e = next;
		if (e->end > at)
			at = e->end;
	}
}

bool vm_map_range_mapped(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e;

	if (!vm_map_lookup_entry(map, start, &e))
		return false;
	while (e->end < end) {
		if (e->next == &map->header || e->next->start != e->end)
			return false;
		e = e->next;
	}
	return true;
}

kern_return_t vm_map_check_writable(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e;

	if (!vm_map_range_mapped(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lookup_entry(map, start, &e);
	for (; e != &map->header && e->start < end; e = e->next)
		if (!(e->protection & VM_PROT_WRITE) || vm_map_entry_is_device(e))
			return KERN_PROTECTION_FAILURE;
	return KERN_SUCCESS;
}

static kern_return_t wire_unwired(struct vm_map *map, uint64_t start, uint64_t end);

/* A range just mapped into a map that wires all is wired; if it cannot
 * be (memory is short), it stays mapped all the same, and the log says. */
static kern_return_t wired_new(struct vm_map *map, uint64_t start, uint64_t end)
{
	if (map->wire_all && wire_unwired(map, start, end) != KERN_SUCCESS)
		kprintf("vm: could not wire %lx..%lx of a map that wires all\n", start, end);
	return KERN_SUCCESS;
}

/* Whether a new zero entry can just extend prev (vm_allocate after
 * vm_allocate makes one entry, not thousands). */
static bool can_extend(const struct vm_map *map, const struct vm_map_entry *prev,
		       uint64_t start, vm_prot_t cur, vm_prot_t max, vm_inherit_t inheritance)
{
	return prev != &map->header && prev->end == start && prev->object == NULL &&
	       prev->protection == cur && prev->max_protection == max &&
	       prev->inheritance == inheritance && prev->wired_count == 0 && !prev->is_shared;
}

kern_return_t vm_map_enter(struct vm_map *map, uint64_t *address, uint64_t size,
			   uint64_t mask, bool anywhere, struct vm_object *object,
			   uint64_t offset, bool needs_copy, vm_prot_t cur, vm_prot_t max,
			   vm_inherit_t inheritance)
{
	struct vm_map_entry *prev;
	uint64_t start;

	size = round_page(size);
	if (anywhere) {
		kern_return_t kr = vm_map_find_space(map, size, mask | PAGE_MASK, &start, &prev);
		if (kr != KERN_SUCCESS)
			return kr;
	} else {
		start = trunc_page(*address);
		if (start >= VM_MAP_MAX || size > VM_MAP_MAX - start)
			return KERN_INVALID_ADDRESS;
		struct vm_map_entry *e;
		if (vm_map_lookup_entry(map, start, &e))
			return KERN_NO_SPACE;
		prev = e;
		if (prev->next != &map->header && prev->next->start < start + size)
			return KERN_NO_SPACE;
	}
	if (object == NULL && can_extend(map, prev, start, cur, max, inheritance)) {
		prev->end = start + size;
		map->timestamp++;
		*address = start;
		return wired_new(map, start, start + size);
	}
	struct vm_map_entry *entry = vm_map_entry_alloc();
	if (entry == NULL)
		return KERN_RESOURCE_SHORTAGE;
	entry->start = start;
	entry->end = start + size;
	entry->object = object;
	entry->offset = offset;
	entry->needs_copy = needs_copy;
	entry->protection = cur;
	entry->max_protection = max;
	entry->inheritance = inheritance;
	vm_map_entry_link(map, prev, entry);
	*address = start;
	return wired_new(map, start, start + size);
}

uint64_t vm_map_wired_limit;

/* Unwires the pages a wired entry holds (each was wired once for it). */
static void unwire_pages(struct vm_map *map, struct vm_map_entry *entry)
{
	map->wired_pages -= (entry->end - entry->start) / PAGE_SIZE;
	for (uint64_t va = entry->start; va < entry->end; va += PAGE_SIZE) {
		uint64_t pa;
		vm_prot_t prot;
		if (!pmap_lookup(&map->pmap, va, &pa, &prot))
			continue;
		struct vm_page *page = vm_page_from_phys(pa);
		if (page != NULL && page->wire_count > 0)
			vm_page_unwire(page);
	}
}

void vm_map_entry_delete(struct vm_map *map, struct vm_map_entry *entry)
{
	if (entry->wired_count > 0)
		unwire_pages(map, entry);
	pmap_remove(&map->pmap, entry->start, entry->end);
	vm_map_entry_unlink(map, entry);
	vm_object_deallocate(entry->object);
	vm_map_entry_free(entry);
}

void vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e;

	if (!vm_map_lookup_entry(map, start, &e))
		e = e->next;
	else if (!vm_map_clip_start(map, e, start))
		goto shortage;
	while (e != &map->header && e->start < end) {
		if (!vm_map_clip_end(map, e, end))
			goto shortage;
		struct vm_map_entry *next = e->next;
		vm_map_entry_delete(map, e);
		e = next;
	}
	return;
shortage:
	/* No entry for a split: take out the whole entries in the way; what
	 * the caller wanted gone is gone, and a little more. */
	kprintf("vm: out of memory splitting a map entry; removing whole entries\n");
	if (!vm_map_lookup_entry(map, start, &e))
		e = e->next;
	while (e != &map->header && e->start < end) {
		struct vm_map_entry *next = e->next;
		vm_map_entry_delete(map, e);
		e = next;
	}
}

/*
 * The entries that cover [start, end), clipped to it, in *first; false if
 * a split found no memory.  The range must be mapped (callers check).
 */
static kern_return_t clip_range(struct vm_map *map, uint64_t start, uint64_t end,
				struct vm_map_entry **first)
{
	struct vm_map_entry *e;

	if (!vm_map_lookup_entry(map, start, &e))
		e = e->next;
	if (!vm_map_clip_start(map, e, start))
		return KERN_RESOURCE_SHORTAGE;
	*first = e;
	for (; e != &map->header && e->start < end; e = e->next)
		if (!vm_map_clip_end(map, e, end))
			return KERN_RESOURCE_SHORTAGE;
	return KERN_SUCCESS;
}

/* The protection the pmap gets for an entry. */
static vm_prot_t pmap_prot(const struct vm_map_entry *e)
{
	return e->needs_copy ? e->protection & ~VM_PROT_WRITE : e->protection;
}

kern_return_t vm_map_protect(struct vm_map *map, uint64_t start, uint64_t end,
			     vm_prot_t prot, bool set_max)
{
	struct vm_map_entry *e, *first;

	if (!vm_map_range_mapped(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lookup_entry(map, start, &e);
	for (; e != &map->header && e->start < end; e = e->next)
		if (prot & ~e->max_protection)
			return KERN_PROTECTION_FAILURE;
	kern_return_t kr = clip_range(map, start, end, &first);
	if (kr != KERN_SUCCESS)
		return kr;
	for (e = first; e != &map->header && e->start < end; e = e->next) {
		vm_prot_t old = e->protection;
		if (set_max) {
			e->max_protection = prot;
			e->protection &= prot;
		} else {
			e->protection = prot;
		}
		if (e->protection != old)
			pmap_protect(&map->pmap, e->start, e->end, pmap_prot(e));
	}
	map->timestamp++;
	return KERN_SUCCESS;
}

kern_return_t vm_map_inherit(struct vm_map *map, uint64_t start, uint64_t end,
			     vm_inherit_t inheritance)
{
	struct vm_map_entry *e;

	if (inheritance != VM_INHERIT_SHARE && inheritance != VM_INHERIT_COPY &&
	    inheritance != VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	if (!vm_map_lookup_entry(map, start, &e))
		e = e->next;
	if (e == &map->header || e->start >= end)
		return KERN_SUCCESS;
	if (!vm_map_clip_start(map, e, start))
		return KERN_RESOURCE_SHORTAGE;
	for (; e != &map->header && e->start < end; e = e->next) {
		if (!vm_map_clip_end(map, e, end))
			return KERN_RESOURCE_SHORTAGE;
		e->inheritance = inheritance;
	}
	return KERN_SUCCESS;
}

kern_return_t vm_map_region(struct vm_map *map, uint64_t *address, uint64_t *size,
			    struct vm_region_info *info)
{
	struct vm_map_entry *e;

	if (*address >= VM_MAP_MAX)
		return KERN_INVALID_ADDRESS;
	if (!vm_map_lookup_entry(map, *address, &e))
		e = e->next;
	if (e == &map->header)
		return KERN_NO_SPACE;
	*address = e->start;
	*size = e->end - e->start;
	*info = (struct vm_region_info){
		.protection = e->protection,
		.max_protection = e->max_protection,
		.inheritance = e->inheritance,
		.shared = e->is_shared,
		.wired = e->wired_count > 0,
		.offset = e->offset,
	};
	if (e->object != NULL) {
		info->shadow_depth = (int32_t)vm_object_shadow_depth(e->object);
		info->resident_pages = e->object->resident_count;
		info->object_id = e->object->id;
		info->external = !e->object->internal;
	}
	return KERN_SUCCESS;
}

kern_return_t vm_map_msync(struct vm_map *map, uint64_t start, uint64_t end, int flags)
{
	struct vm_map_entry *e;

	if (!vm_map_range_mapped(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lookup_entry(map, start, &e);
	for (; e != &map->header && e->start < end; e = e->next) {
		if (e->object == NULL)
			continue;
		uint64_t from = e->start > start ? e->start : start;
		uint64_t to = e->end < end ? e->end : end;
		vm_pageout_sync(e->object, e->offset + (from - e->start),
				e->offset + (to - e->start), flags);
	}
	return KERN_SUCCESS;
}

void vm_map_sizes(struct vm_map *map, uint64_t *virtual_size, uint64_t *resident_size)
{
	*virtual_size = *resident_size = 0;
	for (struct vm_map_entry *e = map->header.next; e != &map->header; e = e->next) {
		uint64_t size = e->end - e->start;
		uint64_t resident = e->object != NULL ? e->object->resident_count * PAGE_SIZE : 0;
		*virtual_size += size;
		*resident_size += resident < size ? resident : size;
	}
}

/* The child's entry for an entry its parent shares with it. */
static kern_return_t fork_share(struct vm_map_entry *old)
{
	if (old->object == NULL) {
		old->object = vm_object_allocate(old->end - old->start);
		if (old->object == NULL)
			return KERN_RESOURCE_SHORTAGE;
		old->offset = 0;
	} else if (old->needs_copy) {
		/* Sharing needs one object both write to. */
		if (!vm_object_shadow(&old->object, &old->offset, old->end - old->start))
			return KERN_RESOURCE_SHORTAGE;
		old->needs_copy = false;
	}
	old->is_shared = true;
	return KERN_SUCCESS;
}

kern_return_t vm_map_entry_copy_on_write(struct vm_map *map, struct vm_map_entry *src,
				       struct vm_map_entry *dst)
{
	dst->is_shared = false;
	dst->wired_count = 0;
	dst->object = src->object;
	dst->offset = src->offset;
	dst->needs_copy = src->needs_copy;
	if (src->object == NULL || src->needs_copy) {
		vm_object_reference(dst->object);   /* zero memory, or already a view */
		return KERN_SUCCESS;
	}
	if (src->is_shared || !src->object->internal || src->wired_count > 0) {
		dst->object = vm_object_copy_delayed(src->object);
		if (dst->object == NULL)
			return KERN_RESOURCE_SHORTAGE;
		dst->needs_copy = true;
		return KERN_SUCCESS;
	}
	vm_object_collapse(src->object);
	vm_object_reference(src->object);
	if (src->protection & VM_PROT_WRITE)
		pmap_protect(&map->pmap, src->start, src->end, src->protection & ~VM_PROT_WRITE);
	src->needs_copy = true;
	dst->needs_copy = true;
	return KERN_SUCCESS;
}

kern_return_t vm_map_fork(struct vm_map *old_map, struct vm_map **out)
{
	struct vm_map *map;
	kern_return_t kr = vm_map_create(&map);

	if (kr != KERN_SUCCESS)
		return kr;
	for (struct vm_map_entry *old = old_map->header.next; old != &old_map->header;
	     old = old->next) {
		if (old->inheritance == VM_INHERIT_NONE)
			continue;
		/* Device memory cannot be copied: a child shares it. */
		bool share = old->inheritance == VM_INHERIT_SHARE || vm_map_entry_is_device(old);
		if (share && (kr = fork_share(old)) != KERN_SUCCESS)
			break;
		struct vm_map_entry *new = vm_map_entry_alloc();
		if (new == NULL) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
		*new = *old;
		new->wired_count = 0;
		if (share) {
			vm_object_reference(new->object);
		} else if ((kr = vm_map_entry_copy_on_write(old_map, old, new)) != KERN_SUCCESS) {
			vm_map_entry_free(new);
			break;
		}
		vm_map_entry_link(map, map->header.prev, new);
	}
	old_map->timestamp++;
	if (kr != KERN_SUCCESS) {
		vm_map_deallocate(map);
		return kr;
	}
	*out = map;
	return KERN_SUCCESS;
}

/* Wires (or unwires) the pages of one entry, faulting them in. */
static kern_return_t wire_entry(struct vm_map *map, uint64_t start, uint64_t end,
				vm_prot_t access)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		kern_return_t kr = vm_fault(map, va, access, VM_FAULT_WIRE, NULL);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

/* The entry that holds start, or the first after it. */
static struct vm_map_entry *first_in(struct vm_map *map, uint64_t start)
{
	struct vm_map_entry *e;

	return vm_map_lookup_entry(map, start, &e) ? e : e->next;
}

kern_return_t vm_map_wire(struct vm_map *map, uint64_t start, uint64_t end, vm_prot_t access)
{
	struct vm_map_entry *e, *first;

	if (access & ~VM_PROT_ALL)
		return KERN_INVALID_VALUE;
	if (!vm_map_range_mapped(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lookup_entry(map, start, &e);
	for (; e != &map->header && e->start < end; e = e->next) {
		if (access == VM_PROT_NONE ? e->wired_count == 0 : (access & ~e->protection) != 0)
			return access == VM_PROT_NONE ? KERN_INVALID_ARGUMENT
						      : KERN_PROTECTION_FAILURE;
	}
	/* The task's bound on wired memory (vm_map_wired_limit). */
	uint64_t more = 0;
	for (e = first_in(map, start); e != &map->header && e->start < end; e = e->next)
		if (access != VM_PROT_NONE && e->wired_count == 0)
			more += ((e->end < end ? e->end : end) - (e->start > start ? e->start : start)) /
				PAGE_SIZE;
	if (vm_map_wired_limit != 0 && map->wired_pages + more > vm_map_wired_limit)
		return KERN_RESOURCE_SHORTAGE;
	kern_return_t kr = clip_range(map, start, end, &first);
	if (kr != KERN_SUCCESS)
		return kr;
	if (access == VM_PROT_NONE) {
		for (e = first; e != &map->header && e->start < end; e = e->next)
			if (--e->wired_count == 0)
				unwire_pages(map, e);
		return KERN_SUCCESS;
	}
	/* Entry by entry, by address: a fault may wait, and the map may
	 * change meanwhile. */
	for (uint64_t at = start; at < end;) {
		if (!vm_map_lookup_entry(map, at, &e))
			return KERN_INVALID_ADDRESS;
		uint64_t stop = e->end < end ? e->end : end;
		if (e->wired_count == 0)
			map->wired_pages += (stop - at) / PAGE_SIZE;
		if (e->wired_count++ == 0 && (kr = wire_entry(map, at, stop, access)) != KERN_SUCCESS) {
			if (vm_map_lookup_entry(map, at, &e) && --e->wired_count == 0)
				unwire_pages(map, e);
			return kr;
		}
		at = stop;
	}
	return KERN_SUCCESS;
}

/* Wires the entries in [start, end) that are not wired (see vm_map.h). */
static kern_return_t wire_unwired(struct vm_map *map, uint64_t start, uint64_t end)
{
	kern_return_t result = KERN_SUCCESS;

	for (uint64_t at = start; at < end;) {
		struct vm_map_entry *e;
		if (!vm_map_lookup_entry(map, at, &e)) {
			e = e->next;   /* a hole: on to the next entry */
			if (e == &map->header || e->start >= end)
				break;
			at = e->start;
		}
		uint64_t stop = e->end < end ? e->end : end;
		vm_prot_t access = e->protection & (VM_PROT_READ | VM_PROT_WRITE);
		if (e->wired_count == 0 && access != VM_PROT_NONE) {
			kern_return_t kr = vm_map_wire(map, at, stop, access);
			if (kr != KERN_SUCCESS && result == KERN_SUCCESS)
				result = kr;
		}
		at = stop;
	}
	return result;
}

kern_return_t vm_map_wire_all(struct vm_map *map)
{
	map->wire_all = true;
	return wire_unwired(map, 0, VM_MAP_MAX);
}

void vm_map_wire_new(struct vm_map *map, uint64_t start, uint64_t end)
{
	wired_new(map, start, end);
}
