/*
 * Stand-in servers for the kernel's object interfaces (mach_port, task,
 * thread, host, vm_map, device), so that the fuzz test can feed their generated
 * demuxes: each function reads every value it is given, checks what a
 * real server would check cheaply (flavors, counts, rights), and answers
 * with made-up values.  Out-of-line arrays are allocated here and given
 * away with the reply (dealloc).  system_exercise.c calls them.
 */
#include "system_servers.h"

#include <stdlib.h>
#include <string.h>

#include "deviceServer.h"
#include "hostServer.h"
#include "loopback.h"
#include "mach_portServer.h"
#include "taskServer.h"
#include "threadServer.h"
#include "vm_mapServer.h"

uint32_t system_checksum;
unsigned system_bound_errors;

/* The room a demux gives an out array is the bound in mach_types.defs,
 * which must be the C side's constant. */
static void check_room(mach_msg_type_number_t room, natural_t max)
{
	if (room != max)
		system_bound_errors++;
}

kern_return_t note(uint64_t value)
{
	system_checksum = system_checksum * 31 + (uint32_t)value;
	return KERN_SUCCESS;
}

kern_return_t note_bytes(const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		note(((const uint8_t *)p)[i]);
	return KERN_SUCCESS;
}

static void *allocate(size_t n, size_t size)
{
	void *p = malloc(n ? n * size : 1);

	if (p == NULL)
		abort();
	return p;
}

/* Puts a flavor's struct in an out array of `room` 4-byte units. */
static kern_return_t put_flavor(void *out, mach_msg_type_number_t *room,
				const void *info, size_t size)
{
	if (size / 4 > *room)
		return MIG_ARRAY_TOO_LARGE;
	memcpy(out, info, size);
	*room = (mach_msg_type_number_t)(size / 4);
	return KERN_SUCCESS;
}

/* mach_port.defs */

kern_return_t S_mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
				mach_msg_type_number_t *namesCnt,
				mach_port_type_array_t *types,
				mach_msg_type_number_t *typesCnt)
{
	*names = allocate(3, sizeof **names);
	*types = allocate(3, sizeof **types);
	for (unsigned i = 0; i < 3; i++) {
		(*names)[i] = task + i;
		(*types)[i] = MACH_PORT_TYPE(i);
	}
	*namesCnt = *typesCnt = 3;
	return KERN_SUCCESS;
}

kern_return_t S_mach_port_type(ipc_space_t task, mach_port_name_t name,
			       mach_port_type_t *ptype)
{
	*ptype = name == MACH_PORT_NAME_NULL ? MACH_PORT_TYPE_NONE
					     : MACH_PORT_TYPE_SEND_RECEIVE;
	return note(task + name);
}

static kern_return_t check_right(mach_port_right_t right)
{
	return right < MACH_PORT_RIGHT_NUMBER ? KERN_SUCCESS : KERN_INVALID_VALUE;
}

kern_return_t S_mach_port_allocate_name(ipc_space_t task,
					mach_port_right_t right,
					mach_port_name_t name)
{
	if (check_right(right) != KERN_SUCCESS)
		return KERN_INVALID_VALUE;
	return note(task + right + name);
}

kern_return_t S_mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				   mach_port_name_t *name)
{
	if (check_right(right) != KERN_SUCCESS)
		return KERN_INVALID_VALUE;
	*name = task + right + 1;
	return KERN_SUCCESS;
}

kern_return_t S_mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return note(task + name);
}

kern_return_t S_mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return note(task ^ name);
}

kern_return_t S_mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				   mach_port_right_t right,
				   mach_port_urefs_t *refs)
{
	if (check_right(right) != KERN_SUCCESS)
		return KERN_INVALID_VALUE;
	*refs = (name + task) & 1;
	return KERN_SUCCESS;
}

kern_return_t S_mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				   mach_port_right_t right,
				   mach_port_delta_t delta)
{
	if (check_right(right) != KERN_SUCCESS)
		return KERN_INVALID_VALUE;
	return note(task + name + (uint32_t)delta);
}

kern_return_t S_mach_port_set_qlimit(ipc_space_t task, mach_port_name_t name,
				     mach_port_msgcount_t qlimit)
{
	if (qlimit == 0 || qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	return note(task + name + qlimit);
}

kern_return_t S_mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				      mach_port_mscount_t mscount)
{
	return note(task + name + mscount);
}

kern_return_t S_mach_port_get_set_status(ipc_space_t task,
					 mach_port_name_t name,
					 mach_port_name_array_t *members,
					 mach_msg_type_number_t *membersCnt)
{
	*members = allocate(2, sizeof **members);
	(*members)[0] = task;
	(*members)[1] = name;
	*membersCnt = 2;
	return KERN_SUCCESS;
}

kern_return_t S_mach_port_move_member(ipc_space_t task,
				      mach_port_name_t member,
				      mach_port_name_t after)
{
	return note(task + member + after);
}

kern_return_t S_mach_port_request_notification(
	ipc_space_t task, mach_port_name_t name, mach_msg_id_t id,
	mach_port_mscount_t sync, mach_port_t notify, mach_port_t *previous)
{
	if (id != MACH_NOTIFY_DEAD_NAME && id != MACH_NOTIFY_NO_SENDERS &&
	    id != MACH_NOTIFY_PORT_DESTROYED)
		return KERN_INVALID_VALUE;
	*previous = MACH_PORT_NULL;
	return note(task + name + sync + notify);
}

kern_return_t S_mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				       mach_port_t poly,
				       mach_msg_type_name_t polyPoly)
{
	return note(task + name + poly + polyPoly);
}

kern_return_t S_mach_port_extract_right(ipc_space_t task,
					mach_port_name_t name,
					mach_msg_type_name_t msgt_name,
					mach_port_t *poly,
					mach_msg_type_name_t *polyPoly)
{
	if (!MACH_MSG_TYPE_DISPOSITION_P(msgt_name))
		return KERN_INVALID_VALUE;
	*poly = name;
	*polyPoly = msgt_name;
	return note(task);
}

kern_return_t S_mach_port_get_receive_status(ipc_space_t task,
					     mach_port_name_t name,
					     mach_port_status_t *status)
{
	*status = (mach_port_status_t){
		.mps_pset = MACH_PORT_NULL,
		.mps_seqno = name,
		.mps_mscount = task,
		.mps_qlimit = MACH_PORT_QLIMIT_DEFAULT,
		.mps_srights = TRUE,
	};
	return KERN_SUCCESS;
}

kern_return_t S_mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				    mach_port_seqno_t seqno)
{
	return note(task + name + seqno);
}

kern_return_t S_mach_port_get_stats(ipc_space_t task, mach_port_name_t name,
				    mach_port_stats_t *stats)
{
	*stats = (mach_port_stats_t){
		.msgs_sent = task,
		.msgs_received = name,
		.qlimit = MACH_PORT_QLIMIT_DEFAULT,
		.senders_blocked = 1,
	};
	return KERN_SUCCESS;
}

/* task.defs */

kern_return_t S_task_create(task_t target_task, boolean_t inherit_memory,
			    task_t *child_task)
{
	*child_task = target_task + 1 + (inherit_memory != FALSE);
	return KERN_SUCCESS;
}

kern_return_t S_task_terminate(task_t target_task)
{
	return note(target_task);
}

kern_return_t S_task_threads(task_t target_task, thread_array_t *thread_list,
			     mach_msg_type_number_t *thread_listCnt)
{
	*thread_list = allocate(2, sizeof **thread_list);
	(*thread_list)[0] = THREAD_PORT;
	(*thread_list)[1] = target_task;
	*thread_listCnt = 2;
	return KERN_SUCCESS;
}

kern_return_t S_task_info(task_t target_task, task_flavor_t flavor,
			  task_info_t task_info_out,
			  mach_msg_type_number_t *task_info_outCnt)
{
	struct task_basic_info basic = { .state = TASK_STATE_RUNNING,
					 .thread_count = target_task,
					 .name = "stand-in" };
	struct task_ipc_info ipc = { .msgs_sent = target_task, .names = 1 };

	check_room(*task_info_outCnt, TASK_INFO_MAX);
	if (flavor == TASK_BASIC_INFO)
		return put_flavor(task_info_out, task_info_outCnt, &basic,
				  sizeof basic);
	if (flavor == TASK_IPC_INFO)
		return put_flavor(task_info_out, task_info_outCnt, &ipc,
				  sizeof ipc);
	return KERN_INVALID_ARGUMENT;
}

kern_return_t S_task_suspend(task_t target_task)
{
	return note(target_task + 1);
}

kern_return_t S_task_resume(task_t target_task)
{
	return note(target_task + 2);
}

static kern_return_t check_task_port(int which_port)
{
	switch (which_port) {
	case TASK_KERNEL_PORT:
	case TASK_EXCEPTION_PORT:
	case TASK_BOOTSTRAP_PORT:
	case TASK_HOST_PRIV_PORT:
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t S_task_get_special_port(task_t task, int which_port,
				      mach_port_t *special_port)
{
	if (check_task_port(which_port) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	*special_port = task + (mach_port_t)which_port;
	return KERN_SUCCESS;
}

kern_return_t S_task_set_special_port(task_t task, int which_port,
				      mach_port_t special_port)
{
	if (check_task_port(which_port) != KERN_SUCCESS ||
	    which_port == TASK_KERNEL_PORT)
		return KERN_INVALID_ARGUMENT;
	return note(task + special_port);
}

kern_return_t S_task_set_name(task_t target_task, task_name_t name)
{
	if (name[0] == '\0')
		return KERN_INVALID_ARGUMENT;
	note(target_task);
	return note_bytes(name, strlen(name));
}

kern_return_t S_thread_create(task_t parent_task, thread_t *child_thread)
{
	*child_thread = THREAD_PORT + parent_task;
	return KERN_SUCCESS;
}

/* thread.defs */

kern_return_t S_thread_terminate(thread_t target_thread)
{
	return note(target_thread);
}

static natural_t state_count(thread_state_flavor_t flavor)
{
	if (flavor == X86_64_THREAD_STATE)
		return X86_64_THREAD_STATE_COUNT;
	if (flavor == X86_64_FLOAT_STATE)
		return X86_64_FLOAT_STATE_COUNT;
	return 0;
}

kern_return_t S_thread_get_state(thread_t target_thread,
				 thread_state_flavor_t flavor,
				 thread_state_t old_state,
				 mach_msg_type_number_t *old_stateCnt)
{
	natural_t count = state_count(flavor);

	check_room(*old_stateCnt, THREAD_STATE_MAX);
	if (count == 0)
		return KERN_INVALID_ARGUMENT;
	if (count > *old_stateCnt)
		return MIG_ARRAY_TOO_LARGE;
	for (natural_t i = 0; i < count; i++)
		old_state[i] = target_thread + i;
	*old_stateCnt = count;
	return KERN_SUCCESS;
}

kern_return_t S_thread_set_state(thread_t target_thread,
				 thread_state_flavor_t flavor,
				 thread_state_t new_state,
				 mach_msg_type_number_t new_stateCnt)
{
	natural_t count = state_count(flavor);

	if (count == 0 || new_stateCnt != count)
		return KERN_INVALID_ARGUMENT;
	note(target_thread);
	return note_bytes(new_state, new_stateCnt * sizeof *new_state);
}

kern_return_t S_thread_suspend(thread_t target_thread)
{
	return note(target_thread + 1);
}

kern_return_t S_thread_resume(thread_t target_thread)
{
	return note(target_thread + 2);
}

kern_return_t S_thread_info(thread_t target_thread, thread_flavor_t flavor,
			    thread_info_t thread_info_out,
			    mach_msg_type_number_t *thread_info_outCnt)
{
	struct thread_basic_info basic = { .state = THREAD_STATE_STOPPED,
					   .priority = THREAD_PRIORITY_DEFAULT,
					   .switches = target_thread };

	check_room(*thread_info_outCnt, THREAD_INFO_MAX);
	if (flavor != THREAD_BASIC_INFO)
		return KERN_INVALID_ARGUMENT;
	return put_flavor(thread_info_out, thread_info_outCnt, &basic,
			  sizeof basic);
}

kern_return_t S_thread_get_special_port(thread_t thread, int which_port,
					mach_port_t *special_port)
{
	if (which_port != THREAD_KERNEL_PORT &&
	    which_port != THREAD_EXCEPTION_PORT)
		return KERN_INVALID_ARGUMENT;
	*special_port = thread + (mach_port_t)which_port;
	return KERN_SUCCESS;
}

kern_return_t S_thread_set_special_port(thread_t thread, int which_port,
					mach_port_t special_port)
{
	if (which_port != THREAD_EXCEPTION_PORT)
		return KERN_INVALID_ARGUMENT;
	return note(thread + special_port);
}

kern_return_t S_thread_terminate_release(thread_t thread, mach_port_name_t reply_name,
					 mach_port_name_t thread_name)
{
	return note(thread + reply_name + thread_name);
}

kern_return_t S_thread_abort(thread_t thread)
{
	return note(thread);
}

kern_return_t S_thread_priority(thread_t thread, int priority,
				boolean_t set_max)
{
	if (priority < THREAD_PRIORITY_MIN ||
	    priority > THREAD_PRIORITY_USER_MAX)
		return KERN_INVALID_VALUE;
	return note(thread + (uint32_t)priority + (uint32_t)set_max);
}

/* host.defs */

kern_return_t S_host_info(host_t host, host_flavor_t flavor,
			  host_info_t host_info_out,
			  mach_msg_type_number_t *host_info_outCnt)
{
	struct host_memory_info memory = { .page_size = 4096,
					   .total_pages = host };

	check_room(*host_info_outCnt, HOST_INFO_MAX);
	if (flavor != HOST_MEMORY_INFO)
		return KERN_INVALID_ARGUMENT;
	return put_flavor(host_info_out, host_info_outCnt, &memory,
			  sizeof memory);
}

kern_return_t S_host_log(host_t host, host_log_text_t text,
			 mach_msg_type_number_t textCnt)
{
	note(host);
	return note_bytes(text, textCnt);
}

kern_return_t S_host_log_read(host_t host, uint64_t offset, host_log_text_t text,
			      mach_msg_type_number_t *textCnt, uint64_t *next)
{
	if (*textCnt < 5) {
		system_bound_errors++;
		return KERN_INVALID_ARGUMENT;
	}
	memcpy(text, "boot\n", 5);
	*textCnt = 5;
	*next = offset + 5;
	return note(host);
}

kern_return_t S_host_halt(host_t host_priv, int status)
{
	if (status != HOST_HALT_SUCCESS && status != HOST_HALT_FAILURE)
		return KERN_INVALID_ARGUMENT;
	return note(host_priv + (uint32_t)status);
}

kern_return_t S_host_boot_module_load(host_t host_priv,
				      boot_module_name_t name,
				      boot_module_args_t args,
				      mach_msg_type_number_t argsCnt,
				      task_t *task, thread_t *thread)
{
	if (name[0] == '\0' || (argsCnt != 0 && args[argsCnt - 1] != '\0'))
		return KERN_INVALID_ARGUMENT;
	note(host_priv);
	note_bytes(name, strlen(name));
	note_bytes(args, argsCnt);
	*task = TASK_PORT;
	*thread = THREAD_PORT;
	return KERN_SUCCESS;
}

kern_return_t S_vm_wire(host_t host_priv, vm_task_t task, vm_address_t address,
		       vm_size_t size, vm_prot_t access)
{
	if (access & ~VM_PROT_ALL)
		return KERN_INVALID_VALUE;
	return note(host_priv + task + address + size + (uint32_t)access);
}

kern_return_t S_vm_privilege(host_t host_priv, task_t task)
{
	return note(host_priv + task);
}

kern_return_t S_vm_set_default_memory_manager(host_t host_priv, mach_port_t default_manager)
{
	return note(host_priv + default_manager);
}

kern_return_t S_vm_pager_policy_set(host_t host_priv, mach_port_t memory_object, int policy,
				    natural_t deadline_ms)
{
	return note(host_priv + memory_object + (uint32_t)policy + deadline_ms);
}

kern_return_t S_vm_pager_stats(host_t host_priv, mach_port_t memory_object,
			       vm_pager_stats_data_t *stats)
{
	*stats = (struct vm_pager_stats){ .requests = 3, .supplied = 2, .policy = 1 };
	return note(host_priv + memory_object);
}

kern_return_t S_vm_pager_waits(host_t host_priv, vm_pager_waits_t waits,
			       mach_msg_type_number_t *waitsCnt, natural_t *total)
{
	struct vm_pager_wait wait = { .thread = 7, .task = 3, .pager_task = 3,
				      .kind = VM_PAGER_WAIT_DATA, .state = VM_PAGER_WAIT_CYCLE };

	check_room(*waitsCnt, VM_PAGER_WAITS_MAX * VM_PAGER_WAIT_COUNT);
	memcpy(waits, &wait, sizeof wait);
	*waitsCnt = VM_PAGER_WAIT_COUNT;
	*total = 2;
	return note(host_priv);
}

kern_return_t S_vm_pager_objects(host_t host_priv, uint64_t first, vm_pager_objects_t objects,
				 mach_msg_type_number_t *objectsCnt, natural_t *total)
{
	struct vm_pager_object object = { .object = first, .pager_task = 3,
					  .flags = VM_PAGER_OBJECT_READY };

	object.stats.latency[VM_PAGER_LATENCY_BUCKETS - 1] = 9;
	check_room(*objectsCnt, VM_PAGER_OBJECTS_MAX * VM_PAGER_OBJECT_COUNT);
	memcpy(objects, &object, sizeof object);
	*objectsCnt = VM_PAGER_OBJECT_COUNT;
	*total = 5;
	return note(host_priv + (uint32_t)first);
}

kern_return_t S_vm_pager_replace(host_t host_priv, mach_port_t memory_object,
				 mach_port_t new_pager, int mode)
{
	if (mode != VM_PAGER_REPLACE_SAME_STORE && mode != VM_PAGER_REPLACE_MIGRATE)
		return KERN_INVALID_VALUE;
	return note(host_priv + memory_object + new_pager + (uint32_t)mode);
}

kern_return_t S_vm_pager_object_port(host_t host_priv, uint64_t object, mach_port_t *port)
{
	*port = (mach_port_t)(object & 0xffffu);
	return note(host_priv + (uint32_t)object);
}

kern_return_t S_vm_pager_policy_get(host_t host_priv, mach_port_t memory_object, int *policy,
				    natural_t *deadline_ms)
{
	*policy = 2;
	*deadline_ms = 500;
	return note(host_priv + memory_object);
}

/* vm_map.defs */

kern_return_t S_vm_region(vm_task_t target_task, vm_address_t *address,
			  vm_size_t *size, vm_region_info_t *info)
{
	if (*address >= 0x0000800000000000ull)
		return KERN_INVALID_ADDRESS;
	*address &= ~(vm_address_t)4095;
	*size = 4096;
	*info = (struct vm_region_info){ .protection = VM_PROT_DEFAULT,
					 .max_protection = VM_PROT_ALL,
					 .inheritance = VM_INHERIT_COPY,
					 .object_id = target_task };
	return note(target_task + *address);
}

kern_return_t S_vm_allocate(vm_task_t target_task, vm_address_t *address,
			    vm_size_t size, boolean_t anywhere)
{
	if (size == 0)
		return KERN_INVALID_ARGUMENT;
	if (anywhere)
		*address = 0x10000000u;
	*address &= ~(vm_address_t)4095;
	return note(target_task + size);
}

kern_return_t S_vm_deallocate(vm_task_t target_task, vm_address_t address,
			      vm_size_t size)
{
	return note(target_task + address + size);
}

kern_return_t S_vm_protect(vm_task_t target_task, vm_address_t address,
			   vm_size_t size, boolean_t set_maximum,
			   vm_prot_t new_protection)
{
	if (new_protection & ~VM_PROT_ALL)
		return KERN_INVALID_VALUE;
	return note(target_task + address + size + (uint32_t)set_maximum);
}

kern_return_t S_vm_inherit(vm_task_t target_task, vm_address_t address,
			   vm_size_t size, vm_inherit_t new_inheritance)
{
	if (new_inheritance != VM_INHERIT_SHARE &&
	    new_inheritance != VM_INHERIT_COPY &&
	    new_inheritance != VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	return note(target_task + address + size + (uint32_t)new_inheritance);
}

/* Each byte of the "memory" is the low byte of its address. */
kern_return_t S_vm_read(vm_task_t target_task, vm_address_t address,
			vm_size_t size, vm_offset_t *data,
			mach_msg_type_number_t *dataCnt)
{
	if (size > 65536)
		return KERN_RESOURCE_SHORTAGE;
	uint8_t *bytes = allocate(size, 1);

	for (vm_size_t i = 0; i < size; i++)
		bytes[i] = (uint8_t)(address + i);
	*data = (vm_offset_t)bytes;
	*dataCnt = (mach_msg_type_number_t)size;
	return note(target_task + address + size);
}

kern_return_t S_vm_write(vm_task_t target_task, vm_address_t address,
			 vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	if ((address | dataCnt) & 4095)
		return KERN_INVALID_ARGUMENT;
	note(target_task + address);
	note_bytes((const void *)data, dataCnt);
	free((void *)data);
	return KERN_SUCCESS;
}

kern_return_t S_vm_copy(vm_task_t target_task, vm_address_t source_address,
			vm_size_t size, vm_address_t dest_address)
{
	if ((source_address | size | dest_address) & 4095)
		return KERN_INVALID_ARGUMENT;
	return note(target_task + source_address + size + dest_address);
}

kern_return_t S_vm_msync(vm_task_t target_task, vm_address_t address, vm_size_t size,
			 int sync_flags)
{
	if (sync_flags == 0 || (sync_flags & ~(VM_SYNC_ASYNCHRONOUS | VM_SYNC_INVALIDATE)))
		return KERN_INVALID_VALUE;
	return note(target_task + address + size + (uint32_t)sync_flags);
}

kern_return_t S_vm_map(vm_task_t target_task, vm_address_t *address,
		       vm_size_t size, vm_address_t mask, boolean_t anywhere,
		       memory_object_t memory_object, vm_offset_t offset,
		       boolean_t copy, vm_prot_t cur_protection,
		       vm_prot_t max_protection, vm_inherit_t inheritance)
{
	if (size == 0 || (offset & 4095))
		return KERN_INVALID_ARGUMENT;
	if ((cur_protection | max_protection) & ~VM_PROT_ALL)
		return KERN_INVALID_VALUE;
	if (anywhere)
		*address = 0x20000000u & ~mask;
	*address &= ~(vm_address_t)4095;
	note(target_task + size + memory_object + offset + (uint32_t)copy);
	return note((uint32_t)cur_protection + (uint32_t)max_protection +
		    (uint32_t)inheritance);
}

kern_return_t S_vm_statistics(vm_task_t target_task,
			      vm_statistics_data_t *vm_stats)
{
	*vm_stats = (struct vm_statistics){ .page_size = 4096,
					    .free_count = target_task };
	return note(target_task);
}

/* device.defs */

kern_return_t S_device_io_access(device_master_t master, task_t task, uint32_t base,
				 uint32_t count, boolean_t enable)
{
	if (count == 0 || count > DEVICE_IO_PORTS || base > DEVICE_IO_PORTS - count)
		return KERN_INVALID_ARGUMENT;
	return note(master + task + base + count + (uint32_t)enable);
}

kern_return_t S_device_irq_attach(device_master_t master, uint32_t line, mach_port_t port)
{
	if (line >= DEVICE_IRQ_LINES)
		return KERN_INVALID_ARGUMENT;
	return note(master + line + port);
}

kern_return_t S_device_irq_ack(device_master_t master, uint32_t line, mach_port_t port)
{
	return note(master + line * 3 + port);
}

kern_return_t S_device_irq_detach(device_master_t master, uint32_t line, mach_port_t port)
{
	return note(master + line * 5 + port);
}

kern_return_t S_device_memory_map(device_master_t master, vm_task_t task,
				  vm_address_t *address, vm_size_t size, uint64_t physical,
				  boolean_t anywhere, int cache)
{
	if ((size | physical) & 4095)
		return KERN_INVALID_ARGUMENT;
	note(master + task + size + physical + (uint32_t)cache);
	if (anywhere)
		*address = 0x100000000ull;
	return KERN_SUCCESS;
}

kern_return_t S_device_dma_allocate(device_master_t master, vm_task_t task,
				    vm_address_t *address, vm_size_t size, boolean_t anywhere,
				    uint64_t *physical)
{
	if (size == 0 || size > DEVICE_DMA_MAX)
		return KERN_INVALID_ARGUMENT;
	note(master + task + size);
	if (anywhere)
		*address = 0x200000000ull;
	*physical = 0x1000000ull + size;
	return KERN_SUCCESS;
}

void kernel_serve(void)
{
	loopback_serve(SPACE_PORT, mach_port_server, mach_port_MAX_REPLY_SIZE);
	loopback_serve(TASK_PORT, task_server, task_MAX_REPLY_SIZE);
	loopback_serve(THREAD_PORT, thread_server, thread_MAX_REPLY_SIZE);
	loopback_serve(HOST_PORT, host_server, host_MAX_REPLY_SIZE);
	loopback_serve(VM_TASK_PORT, vm_map_server, vm_map_MAX_REPLY_SIZE);
	loopback_serve(DEVICE_PORT, device_server, device_MAX_REPLY_SIZE);
}
