/* The kernel heap; see kalloc.h. */
#include "kern/kalloc.h"

#include "arch/x86_64/pmap.h"
#include "kern/lock.h"
#include "kern/panic.h"
#include "kern/thread.h"
#include "vm/vm_page.h"

#define BUCKET_COUNT 8   /* 16, 32, ..., 2048 */

struct free_object {
	struct free_object *next;
};

static simple_lock_t kalloc_lock = SIMPLE_LOCK_INIT("kalloc");
static struct vm_page *partial[BUCKET_COUNT];   /* [kalloc_lock] slabs with room */
struct kalloc_stats kalloc_stats;               /* [kalloc_lock] */
uint64_t kalloc_page_limit;
static uint64_t pages_held;                     /* [kalloc_lock] slabs and blocks */

/*
 * n more pages for the heap: within the bound, or for a VM-privileged
 * thread (page-out's, whose work must not fail for memory that others
 * took).  Counted if so; give_pages gives them back.
 */
static bool take_pages(uint64_t n)
{
	uint64_t flags = simple_lock(&kalloc_lock);
	bool ok = kalloc_page_limit == 0 || pages_held + n <= kalloc_page_limit ||
		  current_thread()->vm_privileged;

	if (ok)
		pages_held += n;
	simple_unlock(&kalloc_lock, flags);
	return ok;
}

static void give_pages(uint64_t n)
{
	uint64_t flags = simple_lock(&kalloc_lock);
	pages_held -= n;
	simple_unlock(&kalloc_lock, flags);
}

static unsigned bucket_for(size_t size)
{
	unsigned b = 0;

	while (((size_t)KALLOC_MIN << b) < size)
		b++;
	return b;
}

static void account_locked(int64_t bytes, int64_t count, bool failed)
{
	kalloc_stats.bytes_in_use += (uint64_t)bytes;
	kalloc_stats.allocations += (uint64_t)count;
	kalloc_stats.failures += failed;
}

/* A fresh slab for bucket b, its objects all on its free list. */
static struct vm_page *slab_create(unsigned b)
{
	if (!take_pages(1))
		return NULL;
	struct vm_page *pg = vm_page_alloc(0);
	if (pg == NULL) {
		give_pages(1);
		return NULL;
	}
	size_t size = (size_t)KALLOC_MIN << b;
	char *base = phys_to_virt(vm_page_to_phys(pg));
	struct free_object *head = NULL;
	for (size_t off = PAGE_SIZE; off >= size; off -= size) {
		struct free_object *o = (struct free_object *)(base + off - size);
		o->next = head;
		head = o;
	}
	pg->slab_free = head;
	pg->slab_in_use = 0;
	pg->slab_bucket = (uint16_t)b;
	return pg;
}

static void *slab_alloc(unsigned b)
{
	uint64_t flags = simple_lock(&kalloc_lock);
	struct vm_page *pg = partial[b];

	if (pg == NULL) {
		/* vm_page has its own lock; kalloc_lock is never taken inside it. */
		simple_unlock(&kalloc_lock, flags);
		struct vm_page *fresh = slab_create(b);
		flags = simple_lock(&kalloc_lock);
		if (fresh == NULL) {
			account_locked(0, 0, true);
			simple_unlock(&kalloc_lock, flags);
			return NULL;
		}
		kalloc_stats.slab_pages++;
		vm_page_list_push(&partial[b], fresh);
		pg = fresh;
	}
	struct free_object *o = pg->slab_free;
	pg->slab_free = o->next;
	pg->slab_in_use++;
	if (pg->slab_free == NULL)
		vm_page_list_remove(&partial[b], pg);
	account_locked((int64_t)KALLOC_MIN << b, 1, false);
	simple_unlock(&kalloc_lock, flags);
	return o;
}

static void slab_free(void *addr, unsigned b)
{
	struct vm_page *pg = vm_page_from_phys(virt_to_phys(addr));
	size_t size = (size_t)KALLOC_MIN << b;

	if (pg == NULL || pg->state != VM_PAGE_ALLOCATED || pg->slab_bucket != b ||
	    pg->slab_in_use == 0 || ((uint64_t)addr & (size - 1)) != 0)
		panic("kfree: %p is not a live %zu-byte allocation", addr, size);

	uint64_t flags = simple_lock(&kalloc_lock);
	bool was_full = pg->slab_free == NULL;
	struct free_object *o = addr;
	o->next = pg->slab_free;
	pg->slab_free = o;
	pg->slab_in_use--;
	account_locked(-(int64_t)size, -1, false);
	if (pg->slab_in_use == 0) {
		if (!was_full)
			vm_page_list_remove(&partial[b], pg);
		kalloc_stats.slab_pages--;
		pages_held--;
		simple_unlock(&kalloc_lock, flags);
		vm_page_free(pg, 0);
		return;
	}
	if (was_full)
		vm_page_list_push(&partial[b], pg);
	simple_unlock(&kalloc_lock, flags);
}


/* Page-block allocations have no lock of their own to account under. */
static void account(int64_t bytes, int64_t count, bool failed)
{
	uint64_t flags = simple_lock(&kalloc_lock);

	account_locked(bytes, count, failed);
	simple_unlock(&kalloc_lock, flags);
}

void *kalloc(size_t size)
{
	if (size == 0 || size > ((size_t)PAGE_SIZE << (VM_PAGE_MAX_ORDER - 1)))
		return NULL;
	if (size <= KALLOC_SLAB_MAX)
		return slab_alloc(bucket_for(size));   /* accounts under its lock */

	unsigned order = vm_page_order_for(size);
	bool taken = take_pages(1ull << order);
	struct vm_page *pg = taken ? vm_page_alloc(order) : NULL;
	if (pg == NULL) {
		if (taken)
			give_pages(1ull << order);
		account(0, 0, true);
		return NULL;
	}
	account((int64_t)PAGE_SIZE << order, 1, false);
	return phys_to_virt(vm_page_to_phys(pg));
}

void kfree(void *addr, size_t size)
{
	if (addr == NULL)
		return;
	if (size == 0 || size > ((size_t)PAGE_SIZE << (VM_PAGE_MAX_ORDER - 1)))
		panic("kfree: bad size %zu for %p", size, addr);
	if (size <= KALLOC_SLAB_MAX) {
		slab_free(addr, bucket_for(size));     /* accounts under its lock */
		return;
	}

	unsigned order = vm_page_order_for(size);
	struct vm_page *pg = vm_page_from_phys(virt_to_phys(addr));
	if (pg == NULL || ((uint64_t)addr & (PAGE_SIZE - 1)) != 0)
		panic("kfree: %p is not a page allocation", addr);
	vm_page_free(pg, order);
	give_pages(1ull << order);
	account(-((int64_t)PAGE_SIZE << order), -1, false);
}
