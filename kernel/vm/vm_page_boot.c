#include "vm/vm_page_boot.h"

#include "arch/x86_64/layout.h"

#define LOW_MEMORY_END 0x100000   /* BIOS data, real-mode vectors, ROMs */

static uint64_t round_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static uint64_t round_down(uint64_t v)
{
	return v & ~(uint64_t)(PAGE_SIZE - 1);
}

/* Removes [start, end) from every range in the list, splitting as needed. */
static void subtract(struct phys_range *r, unsigned *count, uint64_t start, uint64_t end)
{
	start = round_down(start);
	end = round_up(end);
	for (unsigned i = 0; i < *count; i++) {
		if (end <= r[i].start || start >= r[i].end)
			continue;
		if (start > r[i].start && end < r[i].end && *count < VM_BOOT_MAX_RANGES) {
			r[*count] = (struct phys_range){ end, r[i].end };
			(*count)++;
			r[i].end = start;
		} else if (start > r[i].start) {
			r[i].end = start;
		} else if (end < r[i].end) {
			r[i].start = end;
		} else {
			r[i] = r[--(*count)];
			i--;
		}
	}
}

/* Available RAM, page-aligned inward; overlapping map entries count once. */
static void collect_available(const struct boot_info *bi, struct vm_boot_plan *plan)
{
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *m = &bi->mem[i];
		uint64_t start = round_up(m->base);
		uint64_t end = round_down(m->base + m->length);
		if (end > DIRECT_MAP_SIZE)
			end = DIRECT_MAP_SIZE;
		if (m->type != BOOT_MEM_AVAILABLE || start >= end)
			continue;
		subtract(plan->free, &plan->free_count, start, end);
		if (plan->free_count == VM_BOOT_MAX_RANGES)
			break;
		plan->free[plan->free_count++] = (struct phys_range){ start, end };
		if (end >> PAGE_SHIFT > plan->page_count)
			plan->page_count = end >> PAGE_SHIFT;
	}
}

kern_return_t vm_page_boot_plan(const struct boot_info *bi,
				const struct phys_range *reserved, unsigned reserved_count,
				uint64_t descriptor_size, struct vm_boot_plan *plan,
				const char **why)
{
	*plan = (struct vm_boot_plan){ 0 };
	collect_available(bi, plan);
	subtract(plan->free, &plan->free_count, 0, LOW_MEMORY_END);
	for (unsigned i = 0; i < reserved_count; i++)
		subtract(plan->free, &plan->free_count, reserved[i].start, reserved[i].end);
	if (plan->free_count == 0) {
		*why = "no usable page outside the kernel and its modules";
		return KERN_INVALID_ARGUMENT;
	}

	plan->array_bytes = round_up(plan->page_count * descriptor_size);
	unsigned i = 0;
	while (i < plan->free_count &&
	       plan->free[i].end - plan->free[i].start < plan->array_bytes)
		i++;
	if (i == plan->free_count) {
		*why = "no free range can hold the page descriptors";
		return KERN_RESOURCE_SHORTAGE;
	}
	plan->array_phys = plan->free[i].start;
	subtract(plan->free, &plan->free_count, plan->array_phys,
		 plan->array_phys + plan->array_bytes);

	for (unsigned k = 0; k < plan->free_count; k++)
		plan->free_bytes += plan->free[k].end - plan->free[k].start;
	return KERN_SUCCESS;
}
