/*
 * Copies of memory: vm_map_copyin, vm_map_copyout and vm_map_copy_overwrite
 * (vm_map.h), and the kernel's reads and writes of a task's memory.
 *
 * A copy is a detached list of map entries from address 0.  Small copies
 * (below VM_MAP_COPY_VIRTUAL_MIN) copy the bytes at once into pages of a
 * new object; larger ones take the source's entries copy-on-write, and
 * with destroy (out-of-line data sent with deallocate) the entries simply
 * move.  Putting a copy into a map links its entries in: no byte moves.
 * A copy in place is only a reference to its source until it is used.
 */
#include "kern/kalloc.h"
#include "kern/lock.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_map_priv.h"
#include "vm/vm_object.h"
#include "vm/vm_resident.h"

/*
 * Copy structs are kept for reuse, up to COPY_CACHE_MAX of them: every
 * data_supply makes one and drops it.  Like the rest of the VM system the
 * cache is never touched at interrupt level, and the kernel is not
 * preemptible: no lock.
 */
#define COPY_CACHE_MAX 16u
static struct vm_map_copy *copy_cache;
unsigned vm_map_copy_cached;

static struct vm_map_copy *copy_alloc(uint64_t offset, uint64_t size)
{
	struct vm_map_copy *copy = copy_cache;

	if (copy != NULL) {
		copy_cache = copy->next;
		vm_map_copy_cached--;
	} else if ((copy = kalloc(sizeof(*copy))) == NULL) {
		return NULL;
	}
	*copy = (struct vm_map_copy){ .offset = offset, .size = size };
	return copy;
}

static void copy_free(struct vm_map_copy *copy)
{
	if (copy->borrowed)
		return;
	if (vm_map_copy_cached == COPY_CACHE_MAX) {
		kfree(copy, sizeof(*copy));
		return;
	}
	copy->next = copy_cache;
	copy_cache = copy;
	vm_map_copy_cached++;
}

void vm_map_copy_discard_owned(struct vm_map_copy *copy)
{
	while (copy->entries != NULL) {
		struct vm_map_entry *e = copy->entries;
		copy->entries = e->next;
		vm_object_deallocate(e->object);
		vm_map_entry_free(e);
	}
	if (copy->source != NULL && !copy->borrowed)
		vm_map_deallocate(copy->source);
	copy_free(copy);
}

kern_return_t vm_map_copy_of_object(struct vm_object *object, uint64_t size,
				    struct vm_map_copy **out)
{
	struct vm_map_copy *copy = copy_alloc(0, size);
	struct vm_map_entry *e = vm_map_entry_alloc();

	if (copy == NULL || e == NULL) {
		if (e != NULL)
			vm_map_entry_free(e);
		if (copy != NULL)
			copy_free(copy);
		return KERN_RESOURCE_SHORTAGE;
	}
	e->end = round_page(size);
	e->object = object;   /* the caller's reference */
	e->protection = VM_PROT_DEFAULT;
	e->max_protection = VM_PROT_ALL;
	e->inheritance = VM_INHERIT_DEFAULT;
	copy->entries = e;
	*out = copy;
	return KERN_SUCCESS;
}

/*
 * Fills a copy of size bytes at page offset `offset` with bytes from
 * read(arg, dst, at, len) into pages of a new object; the rest of the
 * first and last page is zero.
 */
static kern_return_t copy_bytes(uint64_t offset, uint64_t size,
				kern_return_t (*read)(void *arg, void *dst, uint64_t at,
						      uint64_t len),
				void *arg, struct vm_map_copy **out)
{
	uint64_t total = round_page(offset + size);
	struct vm_object *object = vm_object_allocate(total);

	if (object == NULL)
		return KERN_RESOURCE_SHORTAGE;
	for (uint64_t page = 0, at = 0; page < total; page += PAGE_SIZE) {
		struct vm_page *p = vm_page_alloc_object(object, page);
		if (p == NULL) {
			vm_object_deallocate(object);
			return KERN_RESOURCE_SHORTAGE;
		}
		uint8_t *va = phys_to_virt(vm_page_to_phys(p));
		uint64_t from = page == 0 ? offset : 0;
		uint64_t len = PAGE_SIZE - from < size - at ? PAGE_SIZE - from : size - at;
		if (from != 0 || len != PAGE_SIZE)
			vm_page_zero(p);
		kern_return_t kr = read(arg, va + from, at, len);
		vm_page_done(p);
		if (kr != KERN_SUCCESS) {
			vm_object_deallocate(object);
			return kr;
		}
		at += len;
	}
	kern_return_t kr = vm_map_copy_of_object(object, total, out);
	if (kr != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return kr;
	}
	(*out)->offset = offset;
	(*out)->size = size;
	return KERN_SUCCESS;
}

struct map_source {
	struct vm_map *map;
	uint64_t address;
};

static kern_return_t read_map(void *arg, void *dst, uint64_t at, uint64_t len)
{
	struct map_source *s = arg;
	struct task *self = current_thread()->task;

	/* The current task's memory is read directly, faults and all. */
	if (self->map == s->map)
		return copyin(s->address + at, dst, len) == KERN_SUCCESS ? KERN_SUCCESS
									 : KERN_INVALID_ADDRESS;
	return vm_map_read_kernel(s->map, s->address + at, dst, len);
}

static kern_return_t read_kernel(void *arg, void *dst, uint64_t at, uint64_t len)
{
	memcpy(dst, (const uint8_t *)arg + at, len);
	return KERN_SUCCESS;
}

kern_return_t vm_map_copyin_kernel(const void *data, uint64_t size, struct vm_map_copy **out)
{
	if (size == 0) {
		*out = NULL;
		return KERN_SUCCESS;
	}
	return copy_bytes(0, size, read_kernel, (void *)data, out);
}

kern_return_t vm_map_copy_from_buffer(void *buf, uint64_t alloc, uint64_t size,
				      struct vm_map_copy **out)
{
	kern_return_t kr = vm_map_copyin_kernel(buf, size, out);

	if (buf != NULL)
		kfree(buf, alloc);
	return kr;
}

/* A copy's entry for source entry e, mapped as a copy maps: read/write. */
static struct vm_map_entry *copy_entry_of(const struct vm_map_entry *e)
{
	struct vm_map_entry *c = vm_map_entry_alloc();

	if (c == NULL)
		return NULL;
	*c = *e;
	c->prev = c->next = NULL;
	c->protection = VM_PROT_DEFAULT;
	c->max_protection = VM_PROT_ALL;
	c->inheritance = VM_INHERIT_DEFAULT;
	return c;
}

/* The copy's entry for a source entry: moved (destroy, when the memory is
 * private) or copy-on-write. */
static kern_return_t copy_entry(struct vm_map *map, struct vm_map_entry *e, bool destroy,
				struct vm_map_entry **out)
{
	struct vm_map_entry *c = copy_entry_of(e);

	if (c == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (destroy && !e->is_shared && e->wired_count == 0 && e->object != NULL &&
	    e->object->internal) {
		vm_object_reference(c->object);   /* the source entry goes */
	} else if (vm_map_entry_copy_on_write(map, e, c) != KERN_SUCCESS) {
		vm_map_entry_free(c);
		return KERN_RESOURCE_SHORTAGE;
	}
	*out = c;
	return KERN_SUCCESS;
}

/* The checks of a copy's source: in the user half, mapped, readable,
 * not device memory.  *first: the entry that holds address. */
static kern_return_t check_source(struct vm_map *map, uint64_t address, uint64_t size,
				  struct vm_map_entry **first)
{
	if (!user_range_ok(address, size))
		return KERN_INVALID_ADDRESS;
	uint64_t start = trunc_page(address), end = round_page(address + size);
	if (!vm_map_lookup_entry(map, start, first))
		return KERN_INVALID_ADDRESS;
	kern_return_t kr = KERN_SUCCESS;
	for (struct vm_map_entry *x = *first;; x = x->next) {
		if (!(x->protection & VM_PROT_READ) || vm_map_entry_is_device(x))
			kr = KERN_PROTECTION_FAILURE;   /* unless a hole comes first */
		if (x->end >= end)
			return kr;
		if (x->next == &map->header || x->next->start != x->end)
			return KERN_INVALID_ADDRESS;
	}
}

kern_return_t vm_map_copyin(struct vm_map *map, uint64_t address, uint64_t size, bool destroy,
			    struct vm_map_copy **out)
{
	struct vm_map_entry *e;

	*out = NULL;
	if (size == 0)
		return KERN_SUCCESS;
	kern_return_t check = check_source(map, address, size, &e);
	if (check != KERN_SUCCESS)
		return check;
	uint64_t start = trunc_page(address), end = round_page(address + size);
	if (size < VM_MAP_COPY_VIRTUAL_MIN) {
		struct map_source src = { map, address };
		kern_return_t kr = copy_bytes(address - start, size, read_map, &src, out);
		if (kr == KERN_SUCCESS && destroy)
			vm_map_remove(map, start, end);
		return kr;
	}

	struct vm_map_copy *copy = copy_alloc(address - start, size);
	if (copy == NULL || !vm_map_clip_start(map, e, start))
		goto shortage;
	struct vm_map_entry **tail = &copy->entries;
	for (; e != &map->header && e->start < end; e = e->next) {
		if (!vm_map_clip_end(map, e, end))
			goto shortage;
		struct vm_map_entry *c;
		if (copy_entry(map, e, destroy, &c) != KERN_SUCCESS)
			goto shortage;
		c->start -= start;
		c->end -= start;
		*tail = c;
		tail = &c->next;
	}
	map->timestamp++;
	if (destroy)
		vm_map_remove(map, start, end);
	*out = copy;
	return KERN_SUCCESS;
shortage:
	vm_map_copy_discard(copy);
	return KERN_RESOURCE_SHORTAGE;
}

kern_return_t vm_map_copyin_in_place(struct vm_map *map, uint64_t address, uint64_t size,
				     struct vm_map_copy *room, struct vm_map_copy **out)
{
	struct vm_map_entry *e;

	*out = NULL;
	if (size == 0)
		return KERN_SUCCESS;
	kern_return_t kr = check_source(map, address, size, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	struct vm_map_copy *copy = room;
	if (copy != NULL) {
		*copy = (struct vm_map_copy){ .offset = address & PAGE_MASK, .size = size,
					      .source = map, .source_address = address,
					      .borrowed = true };
	} else if ((copy = copy_alloc(address & PAGE_MASK, size)) == NULL) {
		return KERN_RESOURCE_SHORTAGE;
	} else {
		vm_map_reference(map);
		copy->source = map;
		copy->source_address = address;
	}
	*out = copy;
	return KERN_SUCCESS;
}

kern_return_t vm_map_copy_materialize(struct vm_map_copy *copy)
{
	if (copy == NULL || copy->source == NULL)
		return KERN_SUCCESS;
	struct map_source src = { copy->source, copy->source_address };
	struct vm_map_copy *bytes;
	kern_return_t kr = copy_bytes(copy->offset, copy->size, read_map, &src, &bytes);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!copy->borrowed)
		vm_map_deallocate(copy->source);
	copy->source = NULL;
	copy->entries = bytes->entries;
	copy_free(bytes);
	return KERN_SUCCESS;
}

/*
 * The bytes of copy in place for its page at relative address at, into
 * page (the rest of it zero), read from the current task without waiting
 * on a fault: false if that cannot be done.
 */
static bool read_in_place(struct vm_map_copy *copy, uint64_t at, struct vm_page *page)
{
	uint64_t from = at < copy->offset ? copy->offset : at;
	uint64_t to = copy->offset + copy->size < at + PAGE_SIZE ? copy->offset + copy->size
								  : at + PAGE_SIZE;
	uint8_t *va = phys_to_virt(vm_page_to_phys(page));

	if (current_thread()->task->map != copy->source || from >= to)
		return false;
	if (from != at || to != at + PAGE_SIZE)
		vm_page_zero(page);
	/* Interrupts off: a fault in the copy is served only if it need not wait. */
	uint64_t flags = irq_save();
	kern_return_t kr = copyin(copy->source_address - copy->offset + from, va + (from - at),
				  to - from);
	irq_restore(flags);
	return kr == KERN_SUCCESS;
}

/* Links copy's entries into map anywhere; the copy is left empty (its
 * struct still the caller's). */
static kern_return_t copyout_entries(struct vm_map *map, uint64_t *address,
				     struct vm_map_copy *copy)
{
	struct vm_map_entry *prev;
	uint64_t start;
	kern_return_t kr = vm_map_find_space(map, round_page(copy->offset + copy->size),
					     PAGE_MASK, &start, &prev);

	if (kr != KERN_SUCCESS)
		return kr;
	while (copy->entries != NULL) {
		struct vm_map_entry *e = copy->entries;
		copy->entries = e->next;
		e->start += start;
		e->end += start;
		vm_map_entry_link(map, prev, e);
		prev = e;
	}
	*address = start + copy->offset;
	return KERN_SUCCESS;
}

kern_return_t vm_map_copyout(struct vm_map *map, uint64_t *address, struct vm_map_copy *copy)
{
	if (copy == NULL) {
		*address = 0;
		return KERN_SUCCESS;
	}
	kern_return_t kr = vm_map_copy_materialize(copy);
	if (kr == KERN_SUCCESS)
		kr = copyout_entries(map, address, copy);
	if (kr == KERN_SUCCESS) {
		vm_map_wire_new(map, trunc_page(*address), round_page(*address + copy->size));
		copy_free(copy);
	}
	return kr;
}

/*
 * The slow overwrite: the copy's entries go into map at a free place, and
 * the bytes are copied from there page by page (faults on both sides keep
 * copy-on-write and pagers right), then that place is unmapped.  For
 * destinations that others share or that are wired, which must be written
 * in place, and for data that does not start on a page.  The copy is left
 * empty either way.
 */
static kern_return_t overwrite_by_bytes(struct vm_map *map, uint64_t address,
					struct vm_map_copy *copy)
{
	uint64_t size = copy->size, temp;
	void *buf = kalloc(PAGE_SIZE);

	if (buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kern_return_t kr = copyout_entries(map, &temp, copy);
	if (kr != KERN_SUCCESS) {
		kfree(buf, PAGE_SIZE);
		return kr;
	}
	for (uint64_t at = 0; kr == KERN_SUCCESS && at < size; at += PAGE_SIZE) {
		uint64_t len = size - at < PAGE_SIZE ? size - at : PAGE_SIZE;
		kr = vm_map_read_kernel(map, temp + at, buf, len);
		if (kr == KERN_SUCCESS)
			kr = vm_map_write_kernel(map, address + at, buf, len);
	}
	vm_map_remove(map, trunc_page(temp), round_page(temp + size));
	kfree(buf, PAGE_SIZE);
	return kr;
}

/* Splits copy entry c at relative address at (inside it). */
static bool copy_entry_split(struct vm_map_entry *c, uint64_t at)
{
	struct vm_map_entry *back = vm_map_entry_alloc();

	if (back == NULL)
		return false;
	*back = *c;
	vm_object_reference(back->object);
	back->offset += at - c->start;
	back->start = at;
	c->end = at;
	c->next = back;
	return true;
}

kern_return_t vm_map_copy_overwrite(struct vm_map *map, uint64_t address,
				    struct vm_map_copy *copy)
{
	uint64_t end = address + round_page(copy->size);
	struct vm_map_entry *e;
	kern_return_t kr = vm_map_check_writable(map, address, end);

	if (kr == KERN_SUCCESS)
		kr = vm_map_copy_materialize(copy);
	if (kr != KERN_SUCCESS)
		return kr;
	vm_map_lookup_entry(map, address, &e);
	bool in_place = copy->offset != 0;
	for (struct vm_map_entry *x = e; x != &map->header && x->start < end; x = x->next)
		in_place |= x->is_shared || x->wired_count > 0;
	if (in_place) {
		kr = overwrite_by_bytes(map, address, copy);
		if (kr == KERN_SUCCESS)
			vm_map_copy_discard(copy);   /* its emptied struct */
		return kr;
	}
	if (!vm_map_clip_start(map, e, address))
		return KERN_RESOURCE_SHORTAGE;
	/* Each destination entry takes the copy's object for its range. */
	struct vm_map_entry *c = copy->entries;
	for (; e != &map->header && e->start < end; e = e->next) {
		if (!vm_map_clip_end(map, e, end))
			return KERN_RESOURCE_SHORTAGE;
		uint64_t rel = e->start - address, rel_end = e->end - address;
		while (c != NULL && c->end <= rel)
			c = c->next;
		if (c->start < rel && !copy_entry_split(c, rel))
			return KERN_RESOURCE_SHORTAGE;
		if (c->start < rel)
			c = c->next;
		if (c->end > rel_end && !copy_entry_split(c, rel_end))
			return KERN_RESOURCE_SHORTAGE;
		if (c->end < rel_end && !vm_map_clip_end(map, e, address + c->end))
			return KERN_RESOURCE_SHORTAGE;
		pmap_remove(&map->pmap, e->start, e->end);
		vm_object_deallocate(e->object);
		e->object = c->object;
		e->offset = c->offset;
		e->needs_copy = c->object != NULL;
		c->object = NULL;
	}
	map->timestamp++;
	vm_map_copy_discard(copy);
	return KERN_SUCCESS;
}

bool vm_map_copy_take_page(struct vm_map_copy *copy, uint64_t at, struct vm_object *object,
			   struct vm_page *placeholder)
{
	if (copy->source != NULL)
		return read_in_place(copy, at, placeholder);
	struct vm_map_entry *c = copy->entries;

	while (c != NULL && c->end <= at)
		c = c->next;
	struct vm_page *page = NULL;
	struct vm_object *o = c != NULL ? c->object : NULL;
	uint64_t off = c != NULL ? c->offset + (at - c->start) : 0;
	bool top = true;
	for (; o != NULL; off += o->shadow_offset, o = o->shadow, top = false) {
		if ((page = vm_page_lookup(o, off)) != NULL)
			break;
		if (o->pager != NULL || o->pager_failed)
			return false;
	}
	if (page != NULL && (page->vm_flags & VM_PAGE_BUSY))
		return false;
	if (page != NULL && top && o->ref_count == 1 && o->copy == NULL &&
	    page->wire_count == 0) {
		/* The copy's own page: it moves, no byte is copied. */
		uint64_t offset = placeholder->offset;
		pmap_page_protect(page, VM_PROT_NONE);
		vm_page_free_object(placeholder);
		vm_page_rename(page, object, offset);
		page->vm_flags = VM_PAGE_BUSY;   /* the caller ends it with its wakeup */
		page->pmap_flags = 0;
		return true;
	}
	if (page != NULL)
		vm_page_copy(page, placeholder);
	else
		vm_page_zero(placeholder);
	return true;
}

/* The page at va of map, faulted in for access; its kernel address. */
static kern_return_t map_page(struct vm_map *map, uint64_t va, vm_prot_t access, uint8_t **kva)
{
	uint64_t pa;
	kern_return_t kr = vm_fault(map, va, access, VM_FAULT_WAIT, &pa);

	if (kr == KERN_SUCCESS)
		*kva = phys_to_virt(pa);
	return kr;
}

/* Copies size bytes between the kernel's buffer and map at address,
 * page by page, faulting each in (write: into map). */
static kern_return_t copy_kernel(struct vm_map *map, uint64_t address, uint8_t *buffer,
				 uint64_t size, bool write)
{
	if (!user_range_ok(address, size))
		return KERN_INVALID_ADDRESS;
	while (size > 0) {
		uint64_t in = address & PAGE_MASK;
		uint64_t len = PAGE_SIZE - in < size ? PAGE_SIZE - in : size;
		uint8_t *kva;
		kern_return_t kr = map_page(map, address, write ? VM_PROT_WRITE : VM_PROT_READ, &kva);
		if (kr != KERN_SUCCESS)
			return kr;
		if (write)
			memcpy(kva + in, buffer, len);
		else
			memcpy(buffer, kva + in, len);
		buffer += len;
		address += len;
		size -= len;
	}
	return KERN_SUCCESS;
}

kern_return_t vm_map_read_kernel(struct vm_map *map, uint64_t address, void *dst, uint64_t size)
{
	return copy_kernel(map, address, dst, size, false);
}

kern_return_t vm_map_write_kernel(struct vm_map *map, uint64_t address, const void *src,
				  uint64_t size)
{
	return copy_kernel(map, address, (uint8_t *)src, size, true);
}
