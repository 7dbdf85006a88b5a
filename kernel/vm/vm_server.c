/*
 * The virtual-memory interface (idl/defs/vm_map.defs) for whoever holds a
 * task's port: decode and check each request, then call vm_map.h.  The
 * errors are listed with each routine there; every refusal of a malformed
 * argument is logged.
 */
#include <stddef.h>
#include <vm_mapServer.h>

#include "ipc/ipc_port.h"
#include "kern/printf.h"
#include "kern/usercopy.h"
#include "vm/memory_object.h"
#include "vm/vm_map.h"
#include "vm/vm_map_priv.h"
#include "vm/vm_object.h"
#include "vm/vm_resident.h"

/* The pages [*start, *end) that cover [address, address + size); false
 * if that range leaves the user half or wraps. */
static bool user_pages(uint64_t address, uint64_t size, uint64_t *start, uint64_t *end)
{
	if (!user_range_ok(address, size))
		return false;
	*start = trunc_page(address);
	*end = round_page(address + size);
	return true;
}

/* Where a fixed mapping of size bytes at address goes, as Mach places it:
 * round(size) bytes from the page address is in; false if that leaves
 * the user half or wraps. */
static bool fixed_pages(uint64_t address, uint64_t size, uint64_t *start, uint64_t *end)
{
	*start = trunc_page(address);
	if (size > USER_ADDRESS_LIMIT || !user_range_ok(*start, round_page(size)))
		return false;
	*end = *start + round_page(size);
	return true;
}

kern_return_t S_vm_region(vm_task_t map, vm_address_t *address, vm_size_t *size,
			  vm_region_info_t *info)
{
	if (map == NULL)
		return KERN_INVALID_TASK;
	return vm_map_region(map, address, size, info);
}

kern_return_t S_vm_allocate(vm_task_t map, vm_address_t *address, vm_size_t size,
			    boolean_t anywhere)
{
	uint64_t start, end;

	if (map == NULL)
		return KERN_INVALID_TASK;
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	if (anywhere)
		start = 0, end = round_page(size);
	else if (!fixed_pages(*address, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	if (anywhere && (size > USER_ADDRESS_LIMIT || end == 0))
		return KERN_NO_SPACE;
	uint64_t at = start;
	kern_return_t kr = vm_map_enter(map, &at, end - start, 0, anywhere != 0, NULL, 0, false,
					VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT);
	if (kr == KERN_SUCCESS)
		*address = at;
	return kr;
}

kern_return_t S_vm_deallocate(vm_task_t map, vm_address_t address, vm_size_t size)
{
	uint64_t start, end;

	if (map == NULL)
		return KERN_INVALID_TASK;
	if (size == 0)
		return KERN_SUCCESS;
	if (!user_pages(address, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	vm_map_remove(map, start, end);
	return KERN_SUCCESS;
}

kern_return_t S_vm_protect(vm_task_t map, vm_address_t address, vm_size_t size,
			   boolean_t set_maximum, vm_prot_t prot)
{
	uint64_t start, end;

	if (map == NULL)
		return KERN_INVALID_TASK;
	if (prot & ~VM_PROT_ALL)
		return KERN_INVALID_VALUE;
	if (!user_pages(address, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	if (start == end)
		return KERN_SUCCESS;
	return vm_map_protect(map, start, end, prot, set_maximum != 0);
}

kern_return_t S_vm_inherit(vm_task_t map, vm_address_t address, vm_size_t size,
			   vm_inherit_t inheritance)
{
	uint64_t start, end;

	if (map == NULL)
		return KERN_INVALID_TASK;
	if (!user_pages(address, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	return vm_map_inherit(map, start, end, inheritance);
}

kern_return_t S_vm_read(vm_task_t map, vm_address_t address, vm_size_t size, vm_offset_t *data,
			mach_msg_type_number_t *count)
{
	struct vm_map_copy *copy;

	if (map == NULL)
		return KERN_INVALID_TASK;
	if (size > UINT32_MAX)
		return KERN_INVALID_ARGUMENT;   /* dataCnt is 32 bits */
	kern_return_t kr = vm_map_copyin(map, address, size, false, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	*data = (vm_offset_t)copy;
	*count = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

kern_return_t S_vm_write(vm_task_t map, vm_address_t address, vm_offset_t data,
			 mach_msg_type_number_t count)
{
	struct vm_map_copy *copy = (struct vm_map_copy *)data;

	if (map == NULL)
		return KERN_INVALID_TASK;
	if ((address | count) & PAGE_MASK) {
		kprintf("vm_write: address or size not page aligned\n");
		return KERN_INVALID_ARGUMENT;
	}
	if (!user_range_ok(address, count))
		return KERN_INVALID_ADDRESS;
	if (count == 0)
		return KERN_SUCCESS;   /* the empty copy is no copy */
	return vm_map_copy_overwrite(map, address, copy);
}

kern_return_t S_vm_copy(vm_task_t map, vm_address_t source, vm_size_t size, vm_address_t dest)
{
	struct vm_map_copy *copy;

	if (map == NULL)
		return KERN_INVALID_TASK;
	if ((source | size | dest) & PAGE_MASK) {
		kprintf("vm_copy: an argument is not page aligned\n");
		return KERN_INVALID_ARGUMENT;
	}
	if (!user_range_ok(source, size) || !user_range_ok(dest, size))
		return KERN_INVALID_ADDRESS;
	if (size == 0)
		return KERN_SUCCESS;
	/* Checked before the copy-in, which would write-protect the source. */
	kern_return_t kr = vm_map_check_writable(map, dest, dest + size);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_map_copyin(map, source, size, false, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_map_copy_overwrite(map, dest, copy);
	if (kr != KERN_SUCCESS)
		vm_map_copy_discard(copy);
	return kr;
}

kern_return_t S_vm_map(vm_task_t map, vm_address_t *address, vm_size_t size, vm_address_t mask,
		       boolean_t anywhere, mach_port_t memory_object, vm_offset_t offset,
		       boolean_t copy, vm_prot_t cur, vm_prot_t max, vm_inherit_t inheritance)
{
	uint64_t start = 0, end = round_page(size);

	if (map == NULL)
		return KERN_INVALID_TASK;
	if ((cur | max) & ~VM_PROT_ALL || (cur & ~max) ||
	    (inheritance != VM_INHERIT_SHARE && inheritance != VM_INHERIT_COPY &&
	     inheritance != VM_INHERIT_NONE))
		return KERN_INVALID_VALUE;
	if (size == 0 || (offset & PAGE_MASK) || offset + end < offset ||
	    (mask & (mask + 1)) != 0) {
		kprintf("vm_map: size 0, offset not page aligned, or a bad mask\n");
		return KERN_INVALID_ARGUMENT;
	}
	if (!anywhere && !fixed_pages(*address, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	if (anywhere && (size > USER_ADDRESS_LIMIT || end == 0))
		return KERN_NO_SPACE;
	struct vm_object *object = NULL;
	if (memory_object != NULL) {
		kern_return_t kr = vm_object_enter_pager(memory_object, offset + end - start,
							 &object);
		if (kr != KERN_SUCCESS) {
			kprintf("vm_map: the memory object is %s\n",
				kr == KERN_INVALID_NAME ? "a dead port" : "a kernel object's port");
			return kr;   /* the request, and its right, is destroyed */
		}
	}
	uint64_t at = start;
	kern_return_t kr = vm_map_enter(map, &at, end - start, mask, anywhere != 0, object,
					offset, copy && object != NULL, cur, max, inheritance);
	if (kr != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return kr;
	}
	if (object != NULL && !copy) {
		struct vm_map_entry *e;
		vm_map_lookup_entry(map, at, &e);
		e->is_shared = true;
	}
	if (memory_object != NULL) {
		/* Success consumes the request: its right to the object goes. */
		uint64_t flags = ipc_lock_acquire();
		ipc_port_release_send_locked(memory_object);
		ipc_unlock(flags);
	}
	*address = at;
	return KERN_SUCCESS;
}

kern_return_t S_vm_msync(vm_task_t map, vm_address_t address, vm_size_t size, int flags)
{
	if (map == NULL)
		return KERN_INVALID_TASK;
	if (flags == 0 || (flags & ~(VM_SYNC_ASYNCHRONOUS | VM_SYNC_INVALIDATE)) != 0)
		return KERN_INVALID_VALUE;
	if (!user_range_ok(address, size))
		return KERN_INVALID_ADDRESS;
	if (size == 0)
		return KERN_SUCCESS;
	return vm_map_msync(map, trunc_page(address), round_page(address + size), flags);
}

kern_return_t S_vm_statistics(vm_task_t map, vm_statistics_data_t *stats)
{
	if (map == NULL)
		return KERN_INVALID_TASK;
	vm_statistics_get(stats);
	return KERN_SUCCESS;
}
