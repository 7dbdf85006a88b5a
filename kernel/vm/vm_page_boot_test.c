/* Host tests of boot-time memory planning. */
#include <string.h>

#include "host_test.h"
#include "vm/vm_page_boot.h"

static struct boot_info bi;

static void add(uint64_t base, uint64_t length, uint32_t type)
{
	bi.mem[bi.mem_count++] = (struct boot_mem_region){ base, length, type };
}

static bool overlaps(const struct phys_range *r, uint64_t start, uint64_t end)
{
	return r->start < end && start < r->end;
}

HOST_TEST(vm_boot_plan_keeps_out_reserved_ranges_and_low_memory)
{
	struct vm_boot_plan plan;
	const char *why;
	const struct phys_range reserved[] = {
		{ 0x100000, 0x12c000 },     /* kernel */
		{ 0x12c000, 0x12e400 },     /* a module ending mid-page */
		{ 0x3000000, 0x3001000 },   /* a module in the middle of RAM */
	};

	memset(&bi, 0, sizeof(bi));
	add(0, 0x9fc00, 1);
	add(0x9fc00, 0x400, 2);
	add(0xf0000, 0x10000, 2);
	add(0x100000, 0x7ee0000, 1);
	CHECK_EQ(vm_page_boot_plan(&bi, reserved, 3, 40, &plan, &why), KERN_SUCCESS);
	CHECK_EQ(plan.page_count, 0x7fe0);
	CHECK_EQ(plan.array_bytes, (0x7fe0 * 40 + 4095) & ~4095ull);
	for (unsigned i = 0; i < plan.free_count; i++) {
		const struct phys_range *r = &plan.free[i];
		CHECK(r->start < r->end && r->start % 4096 == 0 && r->end % 4096 == 0);
		CHECK(!overlaps(r, 0, 0x100000));
		for (int k = 0; k < 3; k++)
			CHECK(!overlaps(r, reserved[k].start, reserved[k].end));
		CHECK(!overlaps(r, plan.array_phys, plan.array_phys + plan.array_bytes));
		CHECK(r->end <= 0x7fe0000);
	}
	CHECK_EQ(plan.free_bytes + plan.array_bytes,
		 0x7fe0000 - 0x12f000 - 0x1000);
}

HOST_TEST(vm_boot_plan_counts_overlapping_map_entries_once)
{
	struct vm_boot_plan plan;
	const char *why;

	memset(&bi, 0, sizeof(bi));
	add(0x100000, 0x1000000, 1);
	add(0x800000, 0x1000000, 1);     /* overlaps the first */
	add(0x100000, 0x1000000, 1);     /* repeats it */
	CHECK_EQ(vm_page_boot_plan(&bi, NULL, 0, 64, &plan, &why), KERN_SUCCESS);
	CHECK_EQ(plan.free_bytes + plan.array_bytes, 0x1800000 - 0x100000);
}

HOST_TEST(vm_boot_plan_fails_clearly_without_room)
{
	struct vm_boot_plan plan;
	const char *why = NULL;
	const struct phys_range all = { 0x100000, 0x200000 };

	memset(&bi, 0, sizeof(bi));
	add(0x100000, 0x100000, 1);
	CHECK_EQ(vm_page_boot_plan(&bi, &all, 1, 64, &plan, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "no usable page outside the kernel and its modules");

	memset(&bi, 0, sizeof(bi));
	add(0x100000, 0x2000, 1);
	add(0x40000000000ull, 0x1000, 1);   /* a far page makes the array huge */
	CHECK_EQ(vm_page_boot_plan(&bi, NULL, 0, 64, &plan, &why), KERN_RESOURCE_SHORTAGE);
	CHECK_STR(why, "no free range can hold the page descriptors");
}
