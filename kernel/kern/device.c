/*
 * The device master object and the device interface's I/O-port and
 * memory routines (idl/defs/device.defs); the interrupt routines are in
 * device_irq.c.  See device.h.
 */
#include "kern/device.h"

#include <deviceServer.h>
#include <mach/device_types.h>
#include <mach/task_special_ports.h>

#include "arch/x86_64/iopb.h"
#include "arch/x86_64/pmap.h"
#include "ipc/ipc_port.h"
#include "kern/bootinfo.h"
#include "kern/ipc_tt.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_resident.h"

struct device_master device_master;

/* The ports the kernel drives itself: no driver gets them. */
static const struct {
	uint32_t first, last;
	const char *what;
} kernel_ports[] = {
	{ 0x20, 0x21, "the master interrupt controller" },
	{ 0x40, 0x43, "the timer" },
	{ 0xa0, 0xa1, "the slave interrupt controller" },
	{ 0x4d0, 0x4d1, "the interrupt trigger modes" },
};

/* Physical addresses a page table can hold. */
#define PHYSICAL_LIMIT (1ull << 52)

void device_init(void)
{
	device_master.port = ipc_port_alloc_kernel(IKOT_DEVICE_MASTER, &device_master);
	if (device_master.port == NULL)
		panic("device: no memory for the device master port");
}

kern_return_t device_give_master(struct task *task)
{
	uint64_t flags = ipc_lock_acquire();
	ipc_port_make_send_locked(device_master.port);
	ipc_unlock(flags);
	return ipc_task_set_special(task, TASK_DEVICE_PORT, device_master.port);
}

void device_task_destroyed(struct task *task)
{
	device_irq_task_destroyed(task);
	struct iopb *iopb = task->pmap->iopb;
	if (iopb != NULL) {
		task->pmap->iopb = NULL;
		iopb_free(iopb);
	}
}

/* ---- I/O ports ---- */

/* The kernel's port range that [base, end) overlaps, or NULL. */
static const char *kernel_port_in(uint32_t base, uint32_t end)
{
	for (unsigned i = 0; i < sizeof(kernel_ports) / sizeof(kernel_ports[0]); i++)
		if (base <= kernel_ports[i].last && end > kernel_ports[i].first)
			return kernel_ports[i].what;
	return NULL;
}

kern_return_t S_device_io_access(device_master_t master, task_t task, uint32_t base,
				 uint32_t count, boolean_t enable)
{
	if (master == NULL)
		return KERN_NO_ACCESS;
	if (task == NULL)
		return KERN_INVALID_TASK;
	if (count == 0 || count > DEVICE_IO_PORTS || base > DEVICE_IO_PORTS - count) {
		kprintf("device: io_access: ports 0x%x+%u are not 0..0xffff\n", base, count);
		return KERN_INVALID_ARGUMENT;
	}
	const char *kernels = kernel_port_in(base, base + count);
	if (kernels != NULL) {
		kprintf("device: io_access: ports 0x%x+%u hold %s's\n", base, count, kernels);
		return KERN_PROTECTION_FAILURE;
	}
	struct pmap *pmap = task->pmap;
	if (task->map == NULL)
		return KERN_INVALID_TASK;   /* ended meanwhile: its pmap is the kernel's */
	if (pmap->iopb == NULL) {
		if (!enable)
			return KERN_SUCCESS;
		if ((pmap->iopb = iopb_alloc()) == NULL)
			return KERN_RESOURCE_SHORTAGE;
	}
	uint64_t flags = irq_save();
	iopb_set(pmap->iopb, base, count, enable);
	iopb_changed(pmap->iopb);   /* the task's next port access loads it */
	irq_restore(flags);
	return KERN_SUCCESS;
}

/* ---- device memory ---- */

/* Maps object (the reference moves to the map) at *address of map. */
static kern_return_t map_device_object(struct vm_map *map, vm_address_t *address,
				       vm_size_t size, boolean_t anywhere,
				       struct vm_object *object)
{
	uint64_t at = *address;
	kern_return_t kr = vm_map_enter(map, &at, size, 0, anywhere, object, 0, false, VM_PROT_DEFAULT,
			  VM_PROT_DEFAULT, VM_INHERIT_SHARE);
	if (kr != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return kr;
	}
	*address = at;
	return KERN_SUCCESS;
}

kern_return_t S_device_memory_map(device_master_t master, vm_task_t map,
				  vm_address_t *address, vm_size_t size, uint64_t physical,
				  boolean_t anywhere, int cache)
{
	if (master == NULL)
		return KERN_NO_ACCESS;
	if (map == NULL)
		return KERN_INVALID_TASK;
	if (size == 0 || (size | physical) & PAGE_MASK || physical >= PHYSICAL_LIMIT ||
	    size > PHYSICAL_LIMIT - physical ||
	    (cache != DEVICE_MEMORY_CACHED && cache != DEVICE_MEMORY_UNCACHED)) {
		kprintf("device: memory_map: 0x%lx+0x%lx (cache %d) is not a page-aligned range\n",
			physical, size, cache);
		return KERN_INVALID_ARGUMENT;
	}
	if (boot_info_range_touches_ram(kernel_boot_info, physical, physical + size)) {
		kprintf("device: memory_map: 0x%lx+0x%lx holds RAM\n", physical, size);
		return KERN_PROTECTION_FAILURE;
	}
	struct vm_object *object =
		vm_object_allocate_device(physical, size, cache == DEVICE_MEMORY_UNCACHED, -1);
	if (object == NULL)
		return KERN_RESOURCE_SHORTAGE;
	return map_device_object(map, address, size, anywhere, object);
}

kern_return_t S_device_dma_allocate(device_master_t master, vm_task_t map,
				    vm_address_t *address, vm_size_t size, boolean_t anywhere,
				    uint64_t *physical)
{
	if (master == NULL)
		return KERN_NO_ACCESS;
	if (map == NULL)
		return KERN_INVALID_TASK;
	if (size == 0 || size > DEVICE_DMA_MAX) {
		kprintf("device: dma_allocate: size 0x%lx is not 1..0x%llx\n", size, DEVICE_DMA_MAX);
		return KERN_INVALID_ARGUMENT;
	}
	unsigned order = vm_page_order_for(size);
	struct vm_page *block = vm_page_alloc(order);
	if (block == NULL)
		return KERN_RESOURCE_SHORTAGE;
	uint64_t pa = vm_page_to_phys(block);
	struct vm_object *object = vm_object_allocate_device(pa, (uint64_t)PAGE_SIZE << order, false,
							     (int)order);
	if (object == NULL) {
		vm_page_free(block, order);
		return KERN_RESOURCE_SHORTAGE;
	}
	for (unsigned i = 0; i < (1u << order); i++)
		vm_page_zero(block + i);
	kern_return_t kr = map_device_object(map, address, (uint64_t)PAGE_SIZE << order, anywhere, object);
	if (kr == KERN_SUCCESS)
		*physical = pa;
	return kr;
}
