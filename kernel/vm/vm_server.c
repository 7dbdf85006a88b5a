/*
 * The virtual-memory interface (idl/defs/vm_map.defs) for whoever holds a
 * task's port, on the interim user-memory layer (vm_user.h) until the VM
 * issue brings vm_map.  Errors are listed with each routine there.
 */
#include <stddef.h>
#include <vm_mapServer.h>

#include "vm/vm_user.h"

kern_return_t S_vm_allocate(task_t task, vm_address_t *address, vm_size_t size,
			    boolean_t anywhere)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	return vm_user_allocate(task, address, size, anywhere != 0);
}

kern_return_t S_vm_deallocate(task_t task, vm_address_t address, vm_size_t size)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	return vm_user_deallocate(task, address, size);
}

kern_return_t S_vm_protect(task_t task, vm_address_t address, vm_size_t size,
			   boolean_t set_maximum, vm_prot_t prot)
{
	if (task == NULL)
		return KERN_INVALID_TASK;
	return vm_user_protect(task, address, size, set_maximum != 0, prot);
}
