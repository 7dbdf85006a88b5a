/* Self-tests of the kernel heap, including running it dry. */
#include "arch/x86_64/pmap.h"
#include "kern/kalloc.h"
#include "kern/ktest.h"
#include "kern/string.h"
#include "vm/vm_page.h"

KTEST(heap, kalloc_gives_aligned_distinct_blocks_of_every_size)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 511, 1024, 2048, 2049,
					4096, 5000, 65536 };
	void *blocks[sizeof(sizes) / sizeof(sizes[0])];
	uint64_t bytes_before = kalloc_stats.bytes_in_use;
	uint64_t free_before = vm_page_stats.free;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		blocks[i] = kalloc(sizes[i]);
		if (!KEXPECT(blocks[i] != NULL))
			return;
		KEXPECT_EQ((uint64_t)blocks[i] % 16, 0);
		memset(blocks[i], (int)i, sizes[i]);
	}
	/* No block overwrote another. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const unsigned char *b = blocks[i];
		KEXPECT(b[0] == i && b[sizes[i] - 1] == i);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		kfree(blocks[i], sizes[i]);
	KEXPECT_EQ(kalloc_stats.bytes_in_use, bytes_before);
	KEXPECT_EQ(vm_page_stats.free, free_before);
}

KTEST(heap, kalloc_refuses_zero_and_oversized_requests)
{
	uint64_t failures = kalloc_stats.failures;

	KEXPECT(kalloc(0) == NULL);
	KEXPECT(kalloc((size_t)PAGE_SIZE << VM_PAGE_MAX_ORDER) == NULL);
	KEXPECT(kalloc(~(size_t)0) == NULL);
	KEXPECT_EQ(kalloc_stats.failures, failures);  /* refusals, not shortages */
}

/*
 * Allocates until kalloc fails, checks that it failed cleanly and that the
 * kernel still works, then frees everything: every counter returns to
 * where it was.
 */
KTEST(heap, kalloc_exhaustion_returns_null_and_everything_comes_back)
{
	uint64_t bytes_before = kalloc_stats.bytes_in_use;
	uint64_t free_before = vm_page_stats.free;
	uint64_t failures_before = kalloc_stats.failures;
	void **list = NULL;
	uint64_t count = 0;
	void **b;

	while ((b = kalloc(2048)) != NULL) {
		*b = list;
		list = b;
		count++;
	}
	KEXPECT(count > 1000);
	KEXPECT_EQ(kalloc_stats.failures, failures_before + 1);
	KEXPECT(kalloc(16) == NULL);          /* no page left for a new slab */
	KEXPECT(kalloc(1 << 20) == NULL);
	/* Freeing one block makes room in its slab again. */
	void **first = list;
	list = *list;
	kfree(first, 2048);
	first = kalloc(2048);
	if (KEXPECT(first != NULL)) {
		*first = list;
		list = first;
	}
	while (list != NULL) {
		void **next = *list;
		kfree(list, 2048);
		list = next;
	}
	KEXPECT_EQ(kalloc_stats.bytes_in_use, bytes_before);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	void *after = kalloc(100);
	KEXPECT(after != NULL);
	kfree(after, 100);
}
