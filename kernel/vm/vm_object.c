/* Memory objects as the kernel caches them; see vm_object.h. */
#include "vm/vm_object.h"

#include "arch/x86_64/pmap.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "vm/memory_object.h"
#include "vm/vm_pageout.h"
#include "vm/vm_resident.h"

static uint64_t next_object_id = 1;
struct vm_object *vm_objects;
static struct vm_object *last_object;

/* Puts object, newest, at the end of the list of objects. */
static void enlist(struct vm_object *object)
{
	object->all_prev = last_object;
	if (last_object != NULL)
		last_object->all_next = object;
	else
		vm_objects = object;
	last_object = object;
	vm_counters.objects++;
}

/* Takes object off the list and frees it. */
static void object_free(struct vm_object *object)
{
	if (object->all_prev != NULL)
		object->all_prev->all_next = object->all_next;
	else
		vm_objects = object->all_next;
	if (object->all_next != NULL)
		object->all_next->all_prev = object->all_prev;
	else
		last_object = object->all_prev;
	vm_counters.objects--;
	kfree(object, sizeof(*object));
}

struct vm_object *vm_object_allocate(uint64_t size)
{
	struct vm_object *object = kalloc(sizeof(*object));

	if (object == NULL)
		return NULL;
	*object = (struct vm_object){
		.ref_count = 1,
		.size = round_page(size),
		.id = next_object_id++,
		.internal = true,
		.copy_strategy = MEMORY_OBJECT_COPY_DELAY,
	};
	enlist(object);
	return object;
}

struct vm_object *vm_object_allocate_device(uint64_t physical, uint64_t size, bool uncached,
					    int order)
{
	struct vm_object *object = vm_object_allocate(size);

	if (object == NULL)
		return NULL;
	object->internal = false;
	object->device = true;
	object->device_uncached = uncached;
	object->device_order = (int8_t)order;
	object->device_physical = physical;
	object->copy_strategy = MEMORY_OBJECT_COPY_NONE;
	return object;
}

void vm_object_reference(struct vm_object *object)
{
	if (object != NULL)
		object->ref_count++;
}

/* Frees every page of object. */
static void free_pages(struct vm_object *object)
{
	while (object->pages != NULL)
		vm_page_free_object(object->pages);
}

/* The last reference went: the pages, the pager, the copy links. */
static void terminate(struct vm_object *object)
{
	if (object->copy != NULL)
		panic("vm: object %lu ends while its copy lives", object->id);
	if (object->pager != NULL)
		memory_object_terminate_pager(object);   /* dirty pages go back first */
	vm_object_deallocate(object->spill);
	free_pages(object);
	if (object->device && object->device_order >= 0)
		vm_page_free(vm_page_from_phys(object->device_physical),
			     (unsigned)object->device_order);
	if (object->copy_of != NULL && object->copy_of->copy == object)
		object->copy_of->copy = NULL;
	if (object->existence != NULL)
		kfree(object->existence, vm_object_existence_bytes(object));
	object_free(object);
}

/* vm_object_deallocate of what may be an object's last reference: it
 * ends, and so may the shadows it held. */
static __attribute__((noinline)) void drop_last(struct vm_object *object)
{
	while (object != NULL) {
		if (object->ref_count == 0)
			panic("vm: object %lu has no reference to drop", object->id);
		if (--object->ref_count > 0)
			return;
		if (object->spill != NULL && vm_pageout_hold_end(object))
			return;
		struct vm_object *shadow = object->shadow;
		terminate(object);
		object = shadow;   /* the reference it held on its shadow */
	}
}

void vm_object_deallocate(struct vm_object *object)
{
	/* Not the last: the common case (a fault's hold over its wait, a
	 * kernel call's on its object) is a decrement. */
	if (object != NULL && object->ref_count > 1)
		object->ref_count--;
	else
		drop_last(object);
}

bool vm_object_shadow(struct vm_object **object, uint64_t *offset, uint64_t size)
{
	struct vm_object *shadow = vm_object_allocate(size);

	if (shadow == NULL)
		return false;
	shadow->shadow = *object;
	shadow->shadow_offset = *offset;
	*object = shadow;
	*offset = 0;
	return true;
}

/* Whether object's shadow can be folded into it: nothing else sees it. */
static bool can_collapse(const struct vm_object *object, const struct vm_object *backing)
{
	return backing->ref_count == 1 && backing->internal && backing->pager == NULL &&
	       backing->paging_in_progress == 0 && backing->copy == NULL &&
	       object->pager == NULL && object->paging_in_progress == 0;
}

/* Moves backing's pages that object lacks up into it, frees the rest,
 * and takes backing off the chain. */
static void collapse_one(struct vm_object *object, struct vm_object *backing)
{
	while (backing->pages != NULL) {
		struct vm_page *p = backing->pages;
		uint64_t offset = p->offset - object->shadow_offset;
		if (p->offset < object->shadow_offset || offset >= object->size ||
		    vm_page_lookup(object, offset) != NULL)
			vm_page_free_object(p);
		else
			vm_page_rename(p, object, offset);
	}
	object->shadow = backing->shadow;
	object->shadow_offset += backing->shadow_offset;
	if (backing->copy_of != NULL) {
		/* backing was the copy of its shadow: object takes its place. */
		backing->copy_of->copy = object;
		object->copy_of = backing->copy_of;
	}
	backing->shadow = NULL;
	backing->copy_of = NULL;
	backing->ref_count = 0;
	object_free(backing);
}

void vm_object_collapse(struct vm_object *object)
{
	while (object != NULL && object->shadow != NULL) {
		if (can_collapse(object, object->shadow))
			collapse_one(object, object->shadow);
		else
			object = object->shadow;
	}
}

uint32_t vm_object_shadow_depth(const struct vm_object *object)
{
	uint32_t depth = 0;

	for (; object != NULL && object->shadow != NULL; object = object->shadow)
		depth++;
	return depth;
}

struct vm_object *vm_object_copy_delayed(struct vm_object *src)
{
	struct vm_object *copy = vm_object_allocate(src->size);

	if (copy == NULL)
		return NULL;
	copy->shadow = src;
	src->ref_count++;
	struct vm_object *older = src->copy;
	if (older != NULL) {
		/* The older copy now sees src through the new one, which
		 * receives the pushes from here on. */
		older->shadow = copy;
		older->copy_of = NULL;
		copy->ref_count++;
		src->ref_count--;   /* older's, moved to copy; copy holds src */
	}
	src->copy = copy;
	copy->copy_of = src;
	vm_object_pmap_protect(src, 0, src->size);
	return copy;   /* the caller's reference */
}

void vm_object_page_remove(struct vm_object *object, uint64_t start, uint64_t end)
{
	struct vm_page *p = object->pages;

	while (p != NULL) {
		struct vm_page *next = p->obj_next;
		if (p->offset >= start && p->offset < end && !(p->vm_flags & VM_PAGE_BUSY))
			vm_page_free_object(p);
		p = next;
	}
}

void vm_object_pmap_protect(struct vm_object *object, uint64_t start, uint64_t end)
{
	for (struct vm_page *p = object->pages; p != NULL; p = p->obj_next)
		if (p->offset >= start && p->offset < end)
			pmap_page_protect(p, VM_PROT_READ);
}
