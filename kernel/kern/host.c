/* The host object and its interface (idl/defs/host.defs). */
#include "kern/host.h"

#include <hostServer.h>
#include <mach/host_info.h>
#include <mach/task_special_ports.h>

#include "arch/x86_64/machine.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "kern/boot_module.h"
#include "kern/kalloc.h"
#include "kern/usercopy.h"
#include "vm/memory_object.h"
#include "vm/vm_map.h"
#include "vm/vm_resident.h"
#include "vm/vm_waits.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/ipc_tt.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "vm/vm_page.h"

struct host realhost;

void host_init(void)
{
	realhost.self = ipc_port_alloc_kernel(IKOT_HOST, &realhost);
	realhost.priv = ipc_port_alloc_kernel(IKOT_HOST_PRIV, &realhost);
	if (realhost.self == NULL || realhost.priv == NULL)
		panic("host: no memory for the host ports");
}

kern_return_t host_give_priv(struct task *task)
{
	uint64_t flags = ipc_lock_acquire();
	ipc_port_make_send_locked(realhost.priv);
	ipc_unlock(flags);
	return ipc_task_set_special(task, TASK_HOST_PRIV_PORT, realhost.priv);
}

kern_return_t S_host_info(host_t host, host_flavor_t flavor, host_info_t info,
			  mach_msg_type_number_t *count)
{
	if (host == NULL)
		return KERN_INVALID_HOST;
	if (flavor == HOST_IPC_INFO && *count >= HOST_IPC_INFO_COUNT) {
		struct host_ipc_info ipc;
		ipc_info(&ipc);
		memcpy(info, &ipc, sizeof(ipc));
		*count = HOST_IPC_INFO_COUNT;
		return KERN_SUCCESS;
	}
	if (flavor == HOST_CPU_INFO && *count >= HOST_CPU_INFO_COUNT) {
		struct host_cpu_info cpu = { .halted_tsc = sched_halted_tsc };
		memcpy(info, &cpu, sizeof(cpu));
		*count = HOST_CPU_INFO_COUNT;
		return KERN_SUCCESS;
	}
	if (flavor != HOST_MEMORY_INFO || *count < HOST_MEMORY_INFO_COUNT)
		return KERN_INVALID_ARGUMENT;
	struct host_memory_info m = {
		.page_size = PAGE_SIZE,
		.total_pages = vm_page_stats.total,
		.free_pages = vm_page_stats.free,
		.kalloc_bytes = kalloc_stats.bytes_in_use,
		.kalloc_allocations = kalloc_stats.allocations,
	};
	task_counts(&m.tasks, &m.threads);
	memcpy(info, &m, sizeof(m));
	*count = HOST_MEMORY_INFO_COUNT;
	return KERN_SUCCESS;
}

kern_return_t S_host_log(host_t host, host_log_text_t text, mach_msg_type_number_t count)
{
	if (host == NULL)
		return KERN_INVALID_HOST;
	if (count != 0)
		kprintf("%.*s", (int)count, text);
	return KERN_SUCCESS;
}

kern_return_t S_host_log_read(host_t host, uint64_t offset, host_log_text_t text,
			      mach_msg_type_number_t *count, uint64_t *next)
{
	if (host == NULL)
		return KERN_INVALID_HOST;
	*count = (mach_msg_type_number_t)klog_read(offset, text, HOST_LOG_MAX, next);
	return KERN_SUCCESS;
}

kern_return_t S_host_halt(host_t host_priv, int status)
{
	struct task *task = current_thread()->task;

	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	if (status != HOST_HALT_SUCCESS && status != HOST_HALT_FAILURE)
		return KERN_INVALID_ARGUMENT;
	kprintf("kernel: halted by task '%s' (%u), status %s\n", task->label, task->name,
		status == HOST_HALT_SUCCESS ? "success" : "failure");
	machine_stop(status == HOST_HALT_SUCCESS ? MACHINE_SUCCESS : MACHINE_TEST_FAILED);
}

kern_return_t S_host_boot_module_load(host_t host_priv, boot_module_name_t name,
				      boot_module_args_t args, mach_msg_type_number_t args_count,
				      task_t *task, thread_t *thread)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	if (name[0] == '\0')
		return KERN_INVALID_ARGUMENT;
	int index = boot_module_find(name);
	if (index < 0)
		return KERN_INVALID_NAME;
	kern_return_t kr = boot_module_spawn(current_thread()->task, (unsigned)index, args,
					     args_count, task, thread);
	if (kr != KERN_SUCCESS)
		return kr;
	/* The reply's send rights consume these references. */
	task_reference(*task);
	thread_reference(*thread);
	return KERN_SUCCESS;
}

kern_return_t S_vm_wire(host_t host_priv, vm_task_t map, vm_address_t address, vm_size_t size,
			vm_prot_t access)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	if (map == NULL)
		return KERN_INVALID_TASK;
	if (!user_range_ok(address, size))
		return KERN_INVALID_ADDRESS;
	if (size == 0)
		return KERN_SUCCESS;
	return vm_map_wire(map, trunc_page(address), round_page(address + size), access);
}

kern_return_t S_vm_privilege(host_t host_priv, task_t task)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	if (task == NULL || task->map == NULL)
		return KERN_INVALID_TASK;
	task_set_vm_privileged(task);
	return vm_map_wire_all(task->map);
}

kern_return_t S_vm_set_default_memory_manager(host_t host_priv, mach_port_t default_manager)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	return memory_object_set_default_pager(default_manager);
}

/* kr, the result of a call on a memory object's port: success consumes
 * the request's send right to it (on error MIG destroys the request). */
static kern_return_t consumed(kern_return_t kr, struct ipc_port *port)
{
	if (kr == KERN_SUCCESS && IPC_PORT_VALID(port)) {
		uint64_t flags = ipc_lock_acquire();
		ipc_port_release_send_locked(port);
		ipc_unlock(flags);
	}
	return kr;
}

kern_return_t S_vm_pager_policy_set(host_t host_priv, mach_port_t memory_object, int policy,
				    natural_t deadline_ms)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	return consumed(memory_object_policy_set(memory_object, policy, deadline_ms),
			memory_object);
}

kern_return_t S_vm_pager_policy_get(host_t host_priv, mach_port_t memory_object, int *policy,
				    natural_t *deadline_ms)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	return consumed(memory_object_policy_get(memory_object, policy, deadline_ms),
			memory_object);
}

kern_return_t S_vm_pager_stats(host_t host_priv, mach_port_t memory_object,
			       vm_pager_stats_data_t *stats)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	return consumed(memory_object_stats(memory_object, stats), memory_object);
}

kern_return_t S_vm_pager_waits(host_t host_priv, vm_pager_waits_t waits,
			       mach_msg_type_number_t *waits_count, natural_t *total)
{
	unsigned all;

	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	_Static_assert(VM_PAGER_WAITS_MAX * VM_PAGER_WAIT_COUNT == 448,
		       "vm_pager_waits_t's bound in host.defs");
	unsigned n = vm_waits_list((struct vm_pager_wait *)waits, VM_PAGER_WAITS_MAX, &all);
	*waits_count = n * VM_PAGER_WAIT_COUNT;
	*total = all;
	return KERN_SUCCESS;
}

kern_return_t S_vm_pager_objects(host_t host_priv, uint64_t first, vm_pager_objects_t objects,
				 mach_msg_type_number_t *objects_count, natural_t *total)
{
	unsigned all;

	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	_Static_assert(VM_PAGER_OBJECTS_MAX * VM_PAGER_OBJECT_COUNT == 1184,
		       "vm_pager_objects_t's bound in host.defs");
	unsigned n = memory_object_list(first, (struct vm_pager_object *)objects,
					VM_PAGER_OBJECTS_MAX, &all);
	*objects_count = n * VM_PAGER_OBJECT_COUNT;
	*total = all;
	return KERN_SUCCESS;
}

kern_return_t S_vm_pager_object_port(host_t host_priv, uint64_t object, mach_port_t *port)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	return memory_object_port_of(object, port);
}

kern_return_t S_vm_pager_replace(host_t host_priv, mach_port_t memory_object,
				 mach_port_t new_pager, int mode)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	return consumed(memory_object_replace(memory_object, new_pager, mode), memory_object);
}
