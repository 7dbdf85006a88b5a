/* Host tests of the buddy allocator over a fake array of 1024 frames. */
#include <stdlib.h>

#include "host_test.h"
#include "vm/vm_page.h"

#define FRAMES 1024
static struct vm_page frames[FRAMES];

static void setup(void)
{
	vm_page_init(frames, FRAMES);
	vm_page_release_range(0x10000, 0x100000);      /* frames 16..255 */
	vm_page_release_range(0x200123, 0x400000);     /* 513..1023: inward rounding */
}

HOST_TEST(vm_page_counts_only_released_whole_pages)
{
	setup();
	CHECK_EQ(vm_page_stats.total, 240 + 511);
	CHECK_EQ(vm_page_stats.free, 240 + 511);
	CHECK_EQ(frames[512].state, VM_PAGE_RESERVED);
	CHECK_EQ(frames[15].state, VM_PAGE_RESERVED);
}

HOST_TEST(vm_page_never_hands_out_reserved_frames)
{
	setup();
	struct vm_page *p;
	uint64_t n = 0, bad = 0;

	while ((p = vm_page_alloc(0)) != NULL) {
		uint64_t pfn = vm_page_to_phys(p) >> PAGE_SHIFT;
		bad += pfn < 16 || (pfn >= 256 && pfn <= 512);
		n++;
	}
	CHECK_EQ(n, 240 + 511);
	CHECK_EQ(bad, 0);
	CHECK_EQ(vm_page_stats.free, 0);
	CHECK_EQ(vm_page_stats.low_water, 0);
}

HOST_TEST(vm_page_splits_and_merges_blocks)
{
	setup();
	struct vm_page *big = vm_page_alloc(8);          /* 256 frames: 768..1023 */

	CHECK(big != NULL);
	CHECK_EQ(vm_page_to_phys(big) % (256 * PAGE_SIZE), 0);
	vm_page_free(big, 8);
	struct vm_page *small[8];
	for (int i = 0; i < 8; i++)
		small[i] = vm_page_alloc(0);
	for (int i = 0; i < 8; i++)
		vm_page_free(small[i], 0);
	CHECK_EQ(vm_page_stats.free, 240 + 511);
	CHECK(vm_page_alloc(8) == big);                  /* merged back whole */
	CHECK(vm_page_alloc(9) == NULL);                 /* never that much in one piece */
}

HOST_TEST(vm_page_catches_double_and_misaligned_frees)
{
	setup();
	struct vm_page *p = vm_page_alloc(1);

	CHECK(p != NULL);
	vm_page_free(p, 1);
	CHECK_PANICS(vm_page_free(p, 1));
	/* A panic leaves the allocator as it was mid-call: start afresh. */
	setup();
	p = vm_page_alloc(2);
	CHECK_PANICS(vm_page_free(p + 1, 1));
	setup();
	CHECK_PANICS(vm_page_free(&frames[3], 0));       /* a reserved frame */
	setup();
	CHECK_PANICS(vm_page_release_range(0x10000, 0x11000));   /* released twice */
}

HOST_TEST(vm_page_order_for_rounds_up_to_a_power_of_two)
{
	CHECK_EQ(vm_page_order_for(1), 0);
	CHECK_EQ(vm_page_order_for(4096), 0);
	CHECK_EQ(vm_page_order_for(4097), 1);
	CHECK_EQ(vm_page_order_for(5 * 4096), 3);
	CHECK(vm_page_from_phys((uint64_t)FRAMES << PAGE_SHIFT) == NULL);
}

/* Releasing a range block-wise must give the same free lists as page-wise:
 * the largest block comes back whole, and a misaligned tail stays usable. */
HOST_TEST(vm_page_release_range_forms_the_largest_blocks)
{
	vm_page_init(frames, FRAMES);
	vm_page_release_range(0x3000, 0x400000);        /* frames 3..1023 */
	CHECK_EQ(vm_page_stats.free, 1021);
	struct vm_page *big = vm_page_alloc(9);          /* 512..1023 */
	CHECK(big == &frames[512]);
	struct vm_page *odd = vm_page_alloc(0);
	CHECK(odd != NULL && vm_page_to_phys(odd) >= 0x3000);
	CHECK(vm_page_alloc(9) == NULL);                 /* 3..511 holds no 512-block */
	CHECK(vm_page_alloc(8) == &frames[256]);
}

/* Single pages are handed out from a batch taken whole; when a larger
 * block is wanted the batch's free pages merge back into it. */
HOST_TEST(vm_page_single_pages_go_back_for_a_larger_block)
{
	vm_page_init(frames, FRAMES);
	vm_page_release_range(0x10000, 0x20000);        /* frames 16..31: one 16-block */
	struct vm_page *one = vm_page_alloc(0), *two = vm_page_alloc(0);
	CHECK(one != NULL && two != NULL && one != two);
	CHECK_EQ(vm_page_stats.free, 14);
	CHECK(vm_page_alloc(4) == NULL);                /* two pages of it are out */
	vm_page_free(one, 0);
	vm_page_free(two, 0);
	CHECK_PANICS(vm_page_free(two, 0));             /* a double free is still caught */
	vm_page_init(frames, FRAMES);
	vm_page_release_range(0x10000, 0x20000);
	one = vm_page_alloc(0);
	vm_page_free(one, 0);
	CHECK_EQ(vm_page_stats.free, 16);
	CHECK(vm_page_alloc(4) == &frames[16]);         /* merged whole again */
	CHECK_EQ(vm_page_stats.free, 0);
}
