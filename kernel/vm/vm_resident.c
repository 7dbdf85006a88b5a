/* Resident pages; see vm_resident.h for their states. */
#include "vm/vm_resident.h"

#include "arch/x86_64/pmap.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "vm/vm_object.h"
#include "vm/vm_pageout.h"

struct vm_counters vm_counters;

/* (object, offset) -> page: chains through hash_next. */
static struct vm_page **page_hash;
static uint64_t page_hash_mask;

/* The page queues (next/prev links): new at the head, oldest at the tail. */
static struct {
	struct vm_page *head, *tail;
} queues[3];

/* Threads sleeping on pages, hashed by page: a wakeup wakes a bucket. */
#define PAGE_WAIT_BUCKETS 64
static struct wait_queue page_waits[PAGE_WAIT_BUCKETS];

void vm_resident_init(uint64_t total_pages)
{
	uint64_t buckets = 64;

	while (buckets < total_pages / 2 && buckets < (1u << 20))
		buckets <<= 1;
	page_hash = kalloc(buckets * sizeof(*page_hash));
	if (page_hash == NULL)
		panic("vm: no memory for the page hash");
	memset(page_hash, 0, buckets * sizeof(*page_hash));
	page_hash_mask = buckets - 1;
}

static struct vm_page **bucket_of(const struct vm_object *object, uint64_t offset)
{
	uint64_t h = ((uint64_t)object >> 6) * 0x9e3779b97f4a7c15ull + (offset >> PAGE_SHIFT);

	return &page_hash[(h ^ (h >> 29)) & page_hash_mask];
}

struct vm_page *vm_page_lookup(struct vm_object *object, uint64_t offset)
{
	for (struct vm_page *p = *bucket_of(object, offset); p != NULL; p = p->hash_next)
		if (p->object == object && p->offset == offset)
			return p;
	return NULL;
}

static uint64_t *queue_count(uint8_t queue)
{
	return queue == VM_PAGE_Q_ACTIVE ? &vm_counters.active : &vm_counters.inactive;
}

static void queue_enter(struct vm_page *page, uint8_t queue)
{
	vm_page_list_push(&queues[queue].head, page);
	if (page->next == NULL)
		queues[queue].tail = page;
	page->queue = queue;
	(*queue_count(queue))++;
}

static void queue_leave(struct vm_page *page)
{
	if (page->queue == VM_PAGE_Q_NONE)
		return;
	if (queues[page->queue].tail == page)
		queues[page->queue].tail = page->prev;
	vm_page_list_remove(&queues[page->queue].head, page);
	(*queue_count(page->queue))--;
	page->queue = VM_PAGE_Q_NONE;
}

struct vm_page *vm_page_queue_oldest(uint8_t queue)
{
	return queues[queue].tail;
}

void vm_page_requeue(struct vm_page *page, uint8_t queue)
{
	if (page->queue == VM_PAGE_Q_NONE)
		return;
	queue_leave(page);
	queue_enter(page, queue);
}

void vm_page_insert(struct vm_page *page, struct vm_object *object, uint64_t offset)
{
	struct vm_page **b = bucket_of(object, offset);
	bool twice = page->object != NULL;

	for (struct vm_page *p = *b; p != NULL && !twice; p = p->hash_next)
		twice = p->object == object && p->offset == offset;
	if (twice)
		panic("vm: page inserted twice at %lx of an object", offset);
	page->object = object;
	page->offset = offset;
	page->hash_next = *b;
	*b = page;
	page->obj_prev = NULL;
	page->obj_next = object->pages;
	if (object->pages != NULL)
		object->pages->obj_prev = page;
	object->pages = page;
	object->resident_count++;
	if (page->wire_count == 0 && page->queue == VM_PAGE_Q_NONE)
		queue_enter(page, VM_PAGE_Q_ACTIVE);
}

void vm_page_remove(struct vm_page *page)
{
	struct vm_object *object = page->object;
	struct vm_page **link = bucket_of(object, page->offset);

	while (*link != page)
		link = &(*link)->hash_next;
	*link = page->hash_next;
	if (page->obj_prev != NULL)
		page->obj_prev->obj_next = page->obj_next;
	else
		object->pages = page->obj_next;
	if (page->obj_next != NULL)
		page->obj_next->obj_prev = page->obj_prev;
	object->resident_count--;
	queue_leave(page);
	page->object = NULL;
	page->hash_next = page->obj_next = page->obj_prev = NULL;
}

struct vm_page *vm_page_alloc_object(struct vm_object *object, uint64_t offset)
{
	struct vm_page *page = vm_page_may_allocate() ? vm_page_alloc(0) : NULL;

	if (page == NULL)
		return NULL;
	page->object = NULL;
	page->queue = VM_PAGE_Q_NONE;
	/* An internal object's page is data only it has (until the default
	 * pager holds it): dirty from the start, so page-out never drops
	 * what the kernel wrote into it through the direct map. */
	page->vm_flags = VM_PAGE_BUSY | (object->internal ? VM_PAGE_DIRTY : 0);
	page->page_lock = VM_PROT_NONE;
	page->pmap_flags = 0;
	page->wire_count = 0;
	page->pv = (struct pv_entry){ 0 };
	vm_page_insert(page, object, offset);
	return page;
}

void vm_page_free_object(struct vm_page *page)
{
	pmap_page_protect(page, VM_PROT_NONE);
	if (page->wire_count != 0)
		vm_counters.wired--;
	page->wire_count = 0;
	if (page->object != NULL)
		vm_page_laundry_leave(page);
	if (page->vm_flags & VM_PAGE_WANTED)
		vm_page_wakeup(page);
	if (page->object != NULL)
		vm_page_remove(page);
	page->vm_flags = 0;
	vm_page_free(page, 0);
	vm_page_freed();
}

/* Whether the object's pager is the default pager, which page-out trusts. */
static bool default_paged(const struct vm_object *object)
{
	return object->existence != NULL;
}

void vm_page_laundry_enter(struct vm_page *page)
{
	if (page->vm_flags & VM_PAGE_LAUNDRY)
		return;
	page->vm_flags |= VM_PAGE_LAUNDRY;
	page->object->laundry++;
	vm_counters.laundry++;
	if (!default_paged(page->object))
		vm_counters.laundry_untrusted++;
}

void vm_page_laundry_leave(struct vm_page *page)
{
	if (!(page->vm_flags & VM_PAGE_LAUNDRY))
		return;
	page->vm_flags &= (uint8_t)~VM_PAGE_LAUNDRY;
	page->object->laundry--;
	vm_counters.laundry--;
	if (!default_paged(page->object))
		vm_counters.laundry_untrusted--;
}

void vm_page_rename(struct vm_page *page, struct vm_object *object, uint64_t offset)
{
	uint16_t wired = page->wire_count;

	vm_page_laundry_leave(page);   /* the pager's answer will not find it */
	vm_page_remove(page);
	page->wire_count = wired;
	vm_page_insert(page, object, offset);
}

void vm_page_wire(struct vm_page *page)
{
	if (page->wire_count++ == 0) {
		queue_leave(page);
		vm_counters.wired++;
	}
}

void vm_page_unwire(struct vm_page *page)
{
	if (page->wire_count == 0)
		panic("vm: unwiring a page that is not wired");
	if (--page->wire_count == 0) {
		vm_counters.wired--;
		queue_enter(page, VM_PAGE_Q_ACTIVE);
	}
}

/* rep stosq / movsq: 512 iterations a page, where byte loops cost 4096. */
void vm_page_zero(struct vm_page *page)
{
	void *dst = phys_to_virt(vm_page_to_phys(page));
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(n) : "a"(0ull) : "memory");
}

void vm_page_copy(const struct vm_page *from, struct vm_page *to)
{
	const void *src = phys_to_virt(vm_page_to_phys(from));
	void *dst = phys_to_virt(vm_page_to_phys(to));
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

bool vm_page_is_dirty(struct vm_page *page)
{
	if (pmap_is_modified(page))
		page->vm_flags |= VM_PAGE_DIRTY;
	return (page->vm_flags & VM_PAGE_DIRTY) != 0;
}

void vm_page_done(struct vm_page *page)
{
	page->vm_flags &= (uint8_t)~(VM_PAGE_BUSY | VM_PAGE_ABSENT);
	if (page->vm_flags & VM_PAGE_WANTED)
		vm_page_wakeup(page);
}

static struct wait_queue *wait_of(const struct vm_page *page)
{
	return &page_waits[((uint64_t)page >> 6) % PAGE_WAIT_BUCKETS];
}

struct wait_queue *vm_page_want(struct vm_page *page)
{
	page->vm_flags |= VM_PAGE_WANTED;
	return wait_of(page);
}

void vm_page_wakeup(struct vm_page *page)
{
	page->vm_flags &= (uint8_t)~VM_PAGE_WANTED;
	uint64_t flags = simple_lock(&sched_lock);
	sched_wakeup_all_locked(wait_of(page));
	simple_unlock(&sched_lock, flags);
}

void vm_statistics_get(struct vm_statistics *s)
{
	*s = (struct vm_statistics){
		.page_size = PAGE_SIZE,
		.free_count = vm_page_stats.free,
		.active_count = vm_counters.active,
		.inactive_count = vm_counters.inactive,
		.wire_count = vm_counters.wired,
		.faults = vm_counters.faults,
		.zero_fill_count = vm_counters.zero_fill,
		.cow_faults = vm_counters.cow_faults,
		.pageins = vm_counters.pageins,
		.pageouts = vm_counters.pageouts,
		.pager_requests = vm_counters.pager_requests,
		.pager_timeouts = vm_counters.pager_timeouts,
		.objects = vm_counters.objects,
		.map_entries = vm_counters.map_entries,
		.laundry_count = vm_counters.laundry,
		.reclaimed = vm_counters.reclaimed,
		.pageout_failures = vm_counters.pageout_failures,
		.memory_waits = vm_counters.memory_waits,
		.memory_timeouts = vm_counters.memory_timeouts,
		.pager_cycles = vm_counters.pager_cycles,
	};
}
