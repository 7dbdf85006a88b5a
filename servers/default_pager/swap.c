/*
 * The swap disk: a virtio-blk disk of the default pager's own, found in
 * the name service, taken whole.  Each page-sized slot is free or in use
 * in a bitmap (one bit a slot, in wired memory like the rest); slots are
 * handed out next-fit, so that a run of page-outs lands in a run of
 * slots.  The counters answer info (default_pager.defs).
 */
#include <blk.h>
#include <bootstrap.h>

#include "default_pager.h"

#define SLOT_SIZE 4096u
/* How long the first page-out waits for the disk driver to register. */
#define DISK_WAIT_MS 5000u

static const char *disk_name;
static mach_port_t names;
static mach_port_t disk;          /* MACH_PORT_NULL until found */
static bool disk_given_up;        /* looked for it the whole wait: not there */
static uint64_t *slot_map;        /* bit s: slot s in use */
static uint64_t slots, slots_used, next_slot;
static uint64_t pageouts, pageins, full_refusals, read_errors, write_errors;

void swap_init(const char *name, mach_port_t name_service)
{
	disk_name = name;
	names = name_service;
}

/* The disk and its slot map, looked up (and waited for) at first use. */
static bool disk_ready(void)
{
	if (disk != MACH_PORT_NULL)
		return true;
	if (disk_given_up)
		return false;
	mach_port_t port = MACH_PORT_NULL;
	for (unsigned waited = 0;; waited += 10) {
		if (bootstrap_look_up(names, (char *)disk_name, &port) == KERN_SUCCESS)
			break;
		if (waited >= DISK_WAIT_MS) {
			mach_printf("default_pager: no swap disk '%s': page-out refused\n",
				    disk_name);
			disk_given_up = true;
			return false;
		}
		mach_sleep_ns(10 * 1000000ull);
	}
	uint32_t sector_size = 0;
	uint64_t sectors = 0;
	boolean_t read_only = TRUE;
	kern_return_t kr = blk_info(port, &sector_size, &sectors, &read_only);
	vm_address_t map = 0;
	uint64_t n = kr == KERN_SUCCESS ? sectors * sector_size / SLOT_SIZE : 0;
	if (kr != KERN_SUCCESS || read_only || n == 0 || SLOT_SIZE % sector_size != 0 ||
	    n > UINT32_MAX ||
	    vm_allocate(mach_task_self(), &map, (n + 63) / 64 * 8, TRUE) != KERN_SUCCESS) {
		mach_printf("default_pager: swap disk '%s' unusable (%s%s)\n", disk_name,
			    kr != KERN_SUCCESS ? mach_error_name(kr) : "ok",
			    read_only ? ", read-only" : "");
		mach_port_deallocate(mach_task_self(), port);
		disk_given_up = true;
		return false;
	}
	slot_map = (uint64_t *)map;
	slots = n;
	disk = port;
	mach_printf("default_pager: swap disk '%s': %lu pages\n", disk_name, slots);
	return true;
}

kern_return_t swap_alloc(uint32_t *slot)
{
	if (!disk_ready() || slots_used == slots) {
		full_refusals++;
		if (disk != MACH_PORT_NULL && full_refusals == 1)
			mach_printf("default_pager: swap disk '%s' is full (%lu pages)\n",
				    disk_name, slots);
		return KERN_RESOURCE_SHORTAGE;
	}
	for (uint64_t i = 0; i < slots; i++) {
		uint64_t s = (next_slot + i) % slots;
		if (!(slot_map[s / 64] & (1ull << (s % 64)))) {
			slot_map[s / 64] |= 1ull << (s % 64);
			slots_used++;
			next_slot = s + 1;
			*slot = (uint32_t)s;
			return KERN_SUCCESS;
		}
	}
	return KERN_RESOURCE_SHORTAGE;   /* not reached: slots_used counts them */
}

void swap_free(uint32_t slot)
{
	if (slot < slots && (slot_map[slot / 64] & (1ull << (slot % 64)))) {
		slot_map[slot / 64] &= ~(1ull << (slot % 64));
		slots_used--;
	}
}

kern_return_t swap_write(uint32_t slot, const void *page)
{
	kern_return_t kr = blk_write(disk, (uint64_t)slot * SLOT_SIZE, (vm_offset_t)page,
				     SLOT_SIZE);
	if (kr != KERN_SUCCESS) {
		write_errors++;
		mach_printf("default_pager: writing swap page %u failed: %s\n", slot,
			    mach_error_name(kr));
		return KERN_MEMORY_ERROR;
	}
	pageouts++;
	return KERN_SUCCESS;
}

kern_return_t swap_read(uint32_t slot, void *page)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	kern_return_t kr = disk_ready() ? blk_read(disk, (uint64_t)slot * SLOT_SIZE, SLOT_SIZE,
						   &data, &count)
					: KERN_FAILURE;

	if (kr == KERN_SUCCESS && count == SLOT_SIZE)
		memcpy(page, (const void *)data, SLOT_SIZE);
	if (kr == KERN_SUCCESS)
		vm_deallocate(mach_task_self(), data, count);
	if (kr != KERN_SUCCESS || count != SLOT_SIZE) {
		read_errors++;
		mach_printf("default_pager: reading swap page %u failed: %s\n", slot,
			    kr != KERN_SUCCESS ? mach_error_name(kr) : "short read");
		return KERN_MEMORY_ERROR;
	}
	pageins++;
	return KERN_SUCCESS;
}

kern_return_t default_pager_S_info(mach_port_t server, uint64_t *swap_pages,
				   uint64_t *swap_used, uint64_t *objects, uint64_t *out_pageouts,
				   uint64_t *out_pageins, uint64_t *swap_full,
				   uint64_t *out_read_errors, uint64_t *out_write_errors)
{
	if (!objects_is_public(server))
		return KERN_INVALID_ARGUMENT;
	*swap_pages = slots;
	*swap_used = slots_used;
	*objects = objects_count();
	*out_pageouts = pageouts;
	*out_pageins = pageins;
	*swap_full = full_refusals;
	*out_read_errors = read_errors;
	*out_write_errors = write_errors;
	return KERN_SUCCESS;
}
