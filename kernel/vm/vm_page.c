/* The physical page allocator; see vm_page.h for the model. */
#include "vm/vm_page.h"

#include "kern/lock.h"
#include "kern/panic.h"

static simple_lock_t vm_page_lock = SIMPLE_LOCK_INIT("vm_page");

static struct vm_page *vm_page_array;   /* [vm_page_lock] contents */
static uint64_t vm_page_count;
static struct vm_page *free_lists[VM_PAGE_MAX_ORDER];  /* [vm_page_lock] */
struct vm_page_stats vm_page_stats;                    /* [vm_page_lock] */

/*
 * Single pages, the request of every fault and kalloc slab, come from a
 * stack of free pages taken from the buddy lists a block of
 * 2^SINGLES_BATCH_ORDER at a time, and freed single pages go back on it
 * while it has room: one split per batch instead of one for every page
 * or two.
 * The pages on it are FREE and not block heads (so no buddy merges with
 * them, and a free of one is caught as a double free); they count as
 * free, and go back to the buddy lists when a larger block is wanted.
 */
#define SINGLES_BATCH_ORDER 4
#define SINGLES_MAX 32u
static struct vm_page *singles[SINGLES_MAX];   /* [vm_page_lock] */
static unsigned singles_count;                  /* [vm_page_lock] */

static uint64_t pfn_of(const struct vm_page *p)
{
	return (uint64_t)(p - vm_page_array);
}

static void list_push_locked(unsigned order, struct vm_page *p)
{
	p->state = VM_PAGE_FREE;
	p->order = (uint8_t)order;
	vm_page_list_push(&free_lists[order], p);
}

void vm_page_init(struct vm_page *array, uint64_t page_count)
{
	vm_page_lock = (simple_lock_t)SIMPLE_LOCK_INIT("vm_page");
	vm_page_array = array;
	vm_page_count = page_count;
	for (uint64_t i = 0; i < page_count; i++)
		array[i] = (struct vm_page){ .state = VM_PAGE_RESERVED, .order = VM_PAGE_NOT_HEAD };
	for (unsigned k = 0; k < VM_PAGE_MAX_ORDER; k++)
		free_lists[k] = NULL;
	singles_count = 0;
	vm_page_stats = (struct vm_page_stats){ 0 };
}

/* Frees a block, merging it with its buddies as far as they are free. */
static void free_block_locked(uint64_t pfn, unsigned order)
{
	while (order + 1 < VM_PAGE_MAX_ORDER) {
		uint64_t buddy = pfn ^ (1ull << order);
		if (buddy + (1ull << order) > vm_page_count)
			break;
		struct vm_page *b = &vm_page_array[buddy];
		if (b->state != VM_PAGE_FREE || b->order != order)
			break;
		vm_page_list_remove(&free_lists[order], b);
		b->order = VM_PAGE_NOT_HEAD;
		pfn &= ~(1ull << order);
		order++;
	}
	list_push_locked(order, &vm_page_array[pfn]);
}

/* The largest order of a block starting at pfn that ends by last. */
static unsigned largest_block(uint64_t pfn, uint64_t last)
{
	unsigned order = 0;

	while (order + 1 < VM_PAGE_MAX_ORDER &&
	       (pfn & ((2ull << order) - 1)) == 0 && pfn + (2ull << order) <= last)
		order++;
	return order;
}

/*
 * Boot memory goes in as the largest aligned blocks that fit, not page by
 * page: each page descriptor is still checked and marked once, but the
 * free lists see one insertion per block.
 */
void vm_page_release_range(uint64_t start, uint64_t end)
{
	uint64_t pfn = (start + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t last = end >> PAGE_SHIFT;
	uint64_t flags = simple_lock(&vm_page_lock);

	if (last > vm_page_count)
		last = vm_page_count;
	while (pfn < last) {
		unsigned order = largest_block(pfn, last);
		uint64_t n = 1ull << order;
		for (uint64_t i = pfn; i < pfn + n; i++) {
			if (vm_page_array[i].state != VM_PAGE_RESERVED)
				panic("vm_page: page %lx released twice", i);
			vm_page_array[i].state = VM_PAGE_FREE;
		}
		free_block_locked(pfn, order);
		vm_page_stats.total += n;
		vm_page_stats.free += n;
		pfn += n;
	}
	vm_page_stats.low_water = vm_page_stats.free;
	simple_unlock(&vm_page_lock, flags);
}

/* A block of 2^order pages off the free lists, the rest of a larger one
 * given back; its pages still FREE.  NULL if none is large enough. */
static struct vm_page *take_block_locked(unsigned order)
{
	unsigned k = order;

	while (k < VM_PAGE_MAX_ORDER && free_lists[k] == NULL)
		k++;
	if (k == VM_PAGE_MAX_ORDER)
		return NULL;
	struct vm_page *p = free_lists[k];
	vm_page_list_remove(&free_lists[k], p);
	/* Split: give back the upper halves until the block is the right size. */
	while (k > order) {
		k--;
		list_push_locked(k, p + (1ull << k));
	}
	p->order = VM_PAGE_NOT_HEAD;
	return p;
}

/* A batch of single pages onto the empty stack; false if no block of
 * the batch's size is free. */
static bool singles_refill_locked(void)
{
	struct vm_page *p = take_block_locked(SINGLES_BATCH_ORDER);

	if (p == NULL)
		return false;
	for (unsigned i = 0; i < 1u << SINGLES_BATCH_ORDER; i++)
		singles[singles_count++] = p + i;
	return true;
}

/* The stack's pages back to the buddy lists (merged as they go). */
static void singles_drain_locked(void)
{
	while (singles_count > 0)
		free_block_locked(pfn_of(singles[--singles_count]), 0);
}

/* The counts and fields of 2^order pages handed out. */
static void hand_out_locked(struct vm_page *p, unsigned order)
{
	for (uint64_t i = 0; i < (1ull << order); i++) {
		p[i].state = VM_PAGE_ALLOCATED;
		p[i].order = VM_PAGE_NOT_HEAD;
		p[i].slab_bucket = VM_PAGE_NOT_SLAB;
		p[i].slab_in_use = 0;
		p[i].slab_free = NULL;
	}
	vm_page_stats.free -= 1ull << order;
	if (vm_page_stats.free < vm_page_stats.low_water)
		vm_page_stats.low_water = vm_page_stats.free;
}

/* vm_page_alloc from the buddy lists (a single page: through a refill
 * of the stack). */
static __attribute__((noinline)) struct vm_page *alloc_block(unsigned order)
{
	uint64_t flags = simple_lock(&vm_page_lock);
	struct vm_page *p;

	if (order == 0 && singles_refill_locked())
		p = singles[--singles_count];
	else if ((p = take_block_locked(order)) == NULL && singles_count > 0) {
		singles_drain_locked();
		p = take_block_locked(order);
	}
	if (p != NULL)
		hand_out_locked(p, order);
	simple_unlock(&vm_page_lock, flags);
	return p;
}

struct vm_page *vm_page_alloc(unsigned order)
{
	if (order >= VM_PAGE_MAX_ORDER)
		return NULL;
	if (order == 0) {
		uint64_t flags = simple_lock(&vm_page_lock);
		if (singles_count > 0) {
			struct vm_page *p = singles[--singles_count];
			hand_out_locked(p, 0);
			simple_unlock(&vm_page_lock, flags);
			return p;
		}
		simple_unlock(&vm_page_lock, flags);
	}
	return alloc_block(order);
}

void vm_page_free(struct vm_page *page, unsigned order)
{
	uint64_t pfn = pfn_of(page);

	if (order >= VM_PAGE_MAX_ORDER || pfn >= vm_page_count ||
	    (pfn & ((1ull << order) - 1)) != 0)
		panic("vm_page: bad free of page %lx order %u", pfn, order);

	uint64_t flags = simple_lock(&vm_page_lock);
	for (uint64_t i = 0; i < (1ull << order); i++) {
		if (page[i].state != VM_PAGE_ALLOCATED)
			panic("vm_page: page %lx freed but not allocated", pfn + i);
		page[i].state = VM_PAGE_FREE;
		page[i].order = VM_PAGE_NOT_HEAD;
	}
	if (order == 0 && singles_count < SINGLES_MAX)
		singles[singles_count++] = page;
	else
		free_block_locked(pfn, order);
	vm_page_stats.free += 1ull << order;
	simple_unlock(&vm_page_lock, flags);
}

uint64_t vm_page_to_phys(const struct vm_page *page)
{
	return pfn_of(page) << PAGE_SHIFT;
}

struct vm_page *vm_page_from_phys(uint64_t phys)
{
	uint64_t pfn = phys >> PAGE_SHIFT;

	return pfn < vm_page_count ? &vm_page_array[pfn] : NULL;
}

unsigned vm_page_order_for(size_t size)
{
	unsigned order = 0;

	while (((size_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}
