/*
 * Stand-in servers for the project's interfaces (idl/defs), so that the
 * fuzz test can feed their generated demuxes: each function reads every
 * byte it is given and, like a real server, takes the request's
 * out-of-line memory only when it succeeds.  pager_exercise() calls every
 * routine once through the generated user stubs, to seed the corpus.
 */
#include "pager_servers.h"

#include <stdlib.h>

#include "loopback.h"
#include "memory_object.h"
#include "memory_objectServer.h"
#include "memory_object_control.h"
#include "memory_object_controlServer.h"
#include "memory_object_default.h"
#include "memory_object_defaultServer.h"
#include "default_pager.h"
#include "default_pagerServer.h"
#include "mempager.h"
#include "mempagerServer.h"
#include "faultpager.h"
#include "faultpagerServer.h"

uint32_t pager_checksum;

static kern_return_t take(pointer_t data, mach_msg_type_number_t size)
{
	const uint8_t *p = (const uint8_t *)data;

	for (mach_msg_type_number_t i = 0; i < size; i++)
		pager_checksum = pager_checksum * 31 + p[i];
	free((void *)data);
	return KERN_SUCCESS;
}

static kern_return_t note(uint64_t value)
{
	pager_checksum = pager_checksum * 31 + (uint32_t)value;
	return KERN_SUCCESS;
}

/* The pager's side of memory_object.defs. */

kern_return_t memory_object_S_init(memory_object_t memory_object,
				   memory_object_control_t memory_control,
				   vm_size_t page_size)
{
	return note(memory_object + memory_control + page_size);
}

kern_return_t memory_object_S_terminate(memory_object_t memory_object,
					memory_object_control_t memory_control)
{
	return note(memory_object + memory_control);
}

kern_return_t memory_object_S_data_request(
	memory_object_t memory_object, vm_offset_t offset, vm_size_t length,
	vm_prot_t desired_access)
{
	return note(memory_object + offset + length + (uint32_t)desired_access);
}

kern_return_t memory_object_S_data_unlock(
	memory_object_t memory_object, vm_offset_t offset, vm_size_t length,
	vm_prot_t desired_access)
{
	return note(memory_object + offset + length + (uint32_t)desired_access);
}

kern_return_t memory_object_S_lock_completed(
	memory_object_t memory_object, memory_object_control_t memory_control,
	vm_offset_t offset, vm_size_t length)
{
	return note(memory_object + memory_control + offset + length);
}

kern_return_t memory_object_S_data_return(
	memory_object_t memory_object, memory_object_control_t memory_control,
	vm_offset_t offset, pointer_t data, mach_msg_type_number_t dataCnt,
	boolean_t dirty, boolean_t kernel_copy)
{
	note(memory_object + memory_control + offset + (uint32_t)dirty +
	     (uint32_t)kernel_copy);
	return take(data, dataCnt);
}

kern_return_t memory_object_S_change_completed(
	memory_object_t memory_object, boolean_t may_cache,
	memory_object_copy_strategy_t copy_strategy)
{
	return note(memory_object + (uint32_t)may_cache +
		    (uint32_t)copy_strategy);
}

/* The kernel's side of memory_object_control.defs. */

kern_return_t memory_object_control_S_data_supply(
	memory_object_control_t memory_control, vm_offset_t offset,
	pointer_t data, mach_msg_type_number_t dataCnt, vm_prot_t lock_value,
	boolean_t precious)
{
	note(memory_control + offset + (uint32_t)lock_value +
	     (uint32_t)precious);
	return take(data, dataCnt);
}

kern_return_t memory_object_control_S_data_error(
	memory_object_control_t memory_control, vm_offset_t offset,
	vm_size_t size, kern_return_t error_value)
{
	return note(memory_control + offset + size + (uint32_t)error_value);
}

kern_return_t memory_object_control_S_data_unavailable(
	memory_object_control_t memory_control, vm_offset_t offset,
	vm_size_t size)
{
	return note(memory_control + offset + size);
}

kern_return_t memory_object_control_S_lock_request(
	memory_object_control_t memory_control, vm_offset_t offset,
	vm_size_t size, memory_object_return_t should_return,
	boolean_t should_flush, vm_prot_t lock_value, mach_port_t reply_to)
{
	return note(memory_control + offset + size + (uint32_t)should_return +
		    (uint32_t)should_flush + (uint32_t)lock_value + reply_to);
}

kern_return_t memory_object_control_S_change_attributes(
	memory_object_control_t memory_control, boolean_t may_cache,
	memory_object_copy_strategy_t copy_strategy, mach_port_t reply_to)
{
	return note(memory_control + (uint32_t)may_cache +
		    (uint32_t)copy_strategy + reply_to);
}

kern_return_t memory_object_control_S_ready(
	memory_object_control_t memory_control, boolean_t may_cache,
	memory_object_copy_strategy_t copy_strategy)
{
	return note(memory_control + (uint32_t)may_cache +
		    (uint32_t)copy_strategy);
}

kern_return_t memory_object_control_S_destroy(
	memory_object_control_t memory_control, kern_return_t reason)
{
	return note(memory_control + (uint32_t)reason);
}

kern_return_t memory_object_control_S_get_attributes(
	memory_object_control_t memory_control, boolean_t *object_ready,
	boolean_t *may_cache, memory_object_copy_strategy_t *copy_strategy)
{
	*object_ready = TRUE;
	*may_cache = memory_control & 1;
	*copy_strategy = MEMORY_OBJECT_COPY_DELAY;
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_return_completed(
	memory_object_control_t memory_control, vm_offset_t offset,
	vm_size_t size, kern_return_t result)
{
	return note(memory_control + offset + size + (uint32_t)result);
}

/* The default pager's side of memory_object_default.defs. */

kern_return_t default_pager_S_create(
	memory_object_default_t default_pager, memory_object_t new_memory_object,
	vm_size_t new_object_size, memory_object_control_t new_control,
	vm_size_t new_page_size)
{
	return note(default_pager + new_memory_object + new_object_size +
		    new_control + new_page_size);
}

kern_return_t default_pager_S_data_initialize(
	memory_object_t memory_object, memory_object_control_t memory_control,
	vm_offset_t offset, pointer_t data, mach_msg_type_number_t dataCnt)
{
	note(memory_object + memory_control + offset);
	return take(data, dataCnt);
}

/* mempager.defs: the example pager's clients' side. */

kern_return_t mempager_S_create(mach_port_t server, vm_size_t size,
				mach_port_t *memory_object)
{
	*memory_object = PAGER_PORT;
	return note(server + size);
}

kern_return_t mempager_S_fill(mach_port_t server, memory_object_t memory_object,
			      vm_offset_t offset, vm_size_t size, uint64_t seed)
{
	return note(server + memory_object + offset + size + seed);
}

kern_return_t mempager_S_checksum(mach_port_t server,
				  memory_object_t memory_object,
				  vm_offset_t offset, vm_size_t size,
				  uint64_t *sum)
{
	*sum = pager_checksum;
	return note(server + memory_object + offset + size);
}

kern_return_t mempager_S_sync(mach_port_t server, memory_object_t memory_object,
			      vm_offset_t offset, vm_size_t size,
			      memory_object_return_t should_return,
			      boolean_t should_flush)
{
	return note(server + memory_object + offset + size +
		    (uint32_t)should_return + (uint32_t)should_flush);
}

kern_return_t mempager_S_stats(mach_port_t server, memory_object_t memory_object,
			       uint64_t *inits, uint64_t *terminates,
			       uint64_t *data_requests, uint64_t *pages_supplied,
			       uint64_t *data_returns, uint64_t *pages_written,
			       uint64_t *locks_completed, uint64_t *refused)
{
	*inits = *terminates = *data_requests = *pages_supplied = 1;
	*data_returns = *pages_written = *locks_completed = *refused = 2;
	return note(server + memory_object);
}

kern_return_t mempager_S_objects(mach_port_t server, natural_t *count)
{
	*count = 3;
	return note(server);
}

kern_return_t mempager_S_share(mach_port_t server, memory_object_t memory_object,
			       mach_port_t *shared)
{
	*shared = PAGER_PORT;
	return note(server + memory_object);
}

/* faultpager.defs: the fault-injecting pager's clients' side. */

kern_return_t faultpager_S_inject(mach_port_t server, natural_t mode,
				  uint64_t arg, natural_t after)
{
	return note(server + mode + arg + after);
}

kern_return_t faultpager_S_injected(mach_port_t server, natural_t *mode,
				    uint64_t *arg, natural_t *after,
				    uint64_t *requests, uint64_t *misbehaved)
{
	*mode = 1;
	*arg = 2;
	*after = 3;
	*requests = 4;
	*misbehaved = 1;
	return note(server);
}

kern_return_t faultpager_S_peer(mach_port_t server,
				memory_object_t memory_object, vm_size_t size)
{
	return note(server + memory_object + size);
}

/* default_pager.defs: the default pager's clients' side. */

kern_return_t default_pager_S_info(mach_port_t server, uint64_t *swap_pages,
				   uint64_t *swap_used, uint64_t *objects,
				   uint64_t *pageouts, uint64_t *pageins,
				   uint64_t *swap_full, uint64_t *read_errors,
				   uint64_t *write_errors)
{
	*swap_pages = 4;
	*swap_used = *objects = *pageouts = *pageins = 1;
	*swap_full = *read_errors = *write_errors = 0;
	return note(server);
}

void pager_serve(void)
{
	loopback_serve(PAGER_PORT, memory_object_server,
		       memory_object_MAX_REPLY_SIZE);
	loopback_serve(CONTROL_PORT, memory_object_control_server,
		       memory_object_control_MAX_REPLY_SIZE);
	loopback_serve(DEFAULT_PAGER_PORT, memory_object_default_server,
		       memory_object_default_MAX_REPLY_SIZE);
	loopback_serve(MEMPAGER_PORT, mempager_server, mempager_MAX_REPLY_SIZE);
	loopback_serve(FAULTPAGER_PORT, faultpager_server,
		       faultpager_MAX_REPLY_SIZE);
	loopback_serve(DP_INFO_PORT, default_pager_server, default_pager_MAX_REPLY_SIZE);
}

static pointer_t region(unsigned size)
{
	uint8_t *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(i * 13);
	return (pointer_t)p;
}

static void mempager_exercise(void)
{
	mach_port_t object;
	uint64_t sum, n[8];
	natural_t count, mode, after;

	mempager_create(MEMPAGER_PORT, 3 * 4096, &object);
	mempager_fill(MEMPAGER_PORT, PAGER_PORT, 8, 4096, 42);
	mempager_checksum(MEMPAGER_PORT, PAGER_PORT, 0, 4096, &sum);
	mempager_sync(MEMPAGER_PORT, PAGER_PORT, 0, 8192,
		      MEMORY_OBJECT_RETURN_DIRTY, TRUE);
	mempager_stats(MEMPAGER_PORT, PAGER_PORT, &n[0], &n[1], &n[2], &n[3],
		       &n[4], &n[5], &n[6], &n[7]);
	mempager_objects(MEMPAGER_PORT, &count);
	mempager_share(MEMPAGER_PORT, PAGER_PORT, &object);
	faultpager_inject(FAULTPAGER_PORT, 2, 4096, 1);
	faultpager_injected(FAULTPAGER_PORT, &mode, &n[0], &after, &n[1],
			    &n[2]);
	faultpager_peer(FAULTPAGER_PORT, PAGER_PORT, 3 * 4096);
	default_pager_info(DP_INFO_PORT, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6],
			   &n[7]);
}

void pager_exercise(void)
{
	boolean_t ready, cache;
	memory_object_copy_strategy_t strategy;
	pointer_t kept = region(64);

	memory_object_init(PAGER_PORT, CONTROL_PORT, 4096);
	memory_object_terminate(PAGER_PORT, CONTROL_PORT);
	memory_object_data_request(PAGER_PORT, 8192, 4096, VM_PROT_READ);
	memory_object_data_unlock(PAGER_PORT, 0, 4096, VM_PROT_WRITE);
	memory_object_lock_completed(PAGER_PORT, MACH_MSG_TYPE_MAKE_SEND_ONCE,
				     CONTROL_PORT, 0, 8192);
	memory_object_data_return(PAGER_PORT, CONTROL_PORT, 4096, region(4096),
				  4096, TRUE, FALSE);
	memory_object_change_completed(PAGER_PORT, MACH_MSG_TYPE_COPY_SEND,
				       TRUE, MEMORY_OBJECT_COPY_DELAY);
	memory_object_data_supply(CONTROL_PORT, 0, region(4096), 4096, TRUE,
				  VM_PROT_NONE, FALSE);
	memory_object_data_supply(CONTROL_PORT, 4096, kept, 64, FALSE,
				  VM_PROT_WRITE, TRUE);
	memory_object_data_error(CONTROL_PORT, 0, 4096, KERN_MEMORY_ERROR);
	memory_object_data_unavailable(CONTROL_PORT, 0, 4096);
	memory_object_lock_request(CONTROL_PORT, 0, 8192,
				   MEMORY_OBJECT_RETURN_DIRTY, TRUE,
				   VM_PROT_WRITE, PAGER_PORT + 1);
	memory_object_change_attributes(CONTROL_PORT, TRUE,
					MEMORY_OBJECT_COPY_NONE, MACH_PORT_NULL);
	memory_object_ready(CONTROL_PORT, FALSE, MEMORY_OBJECT_COPY_DELAY);
	memory_object_destroy(CONTROL_PORT, KERN_ABORTED);
	memory_object_return_completed(CONTROL_PORT, 0x3000, 0x2000, KERN_SUCCESS);
	memory_object_get_attributes(CONTROL_PORT, &ready, &cache, &strategy);
	memory_object_create(DEFAULT_PAGER_PORT, PAGER_PORT + 2, 1 << 20,
			     CONTROL_PORT, 4096);
	/* A real default pager serves its objects with both demuxes; here
	 * each has its own port. */
	memory_object_data_initialize(DEFAULT_PAGER_PORT, CONTROL_PORT, 0,
				      region(100), 100);
	free((void *)kept);
	mempager_exercise();
}
