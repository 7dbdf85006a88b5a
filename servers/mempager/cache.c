/*
 * The kernel's cache of an object (mempager.defs: sync, stats), through
 * libpager: a lock request and its round trip, and the counts of what
 * the protocol did.
 */
#include "mempager.h"

/* How long sync waits for the kernel's lock_completed. */
#define SYNC_TIMEOUT_MS 5000

kern_return_t mempager_S_sync(mach_port_t server, memory_object_t memory_object,
			      vm_offset_t offset, vm_size_t size,
			      memory_object_return_t should_return, boolean_t should_flush)
{
	struct pager_object *obj = mempager_object(memory_object);

	(void)server;
	if (obj == NULL)
		return KERN_INVALID_ARGUMENT;
	/* The request's send right keeps obj alive through the wait. */
	kern_return_t kr = pager_lock(obj, offset, size, should_return, should_flush != FALSE,
				      VM_PROT_NONE, SYNC_TIMEOUT_MS);
	if (kr != KERN_SUCCESS)
		return kr;
	return mempager_done(memory_object);
}

kern_return_t mempager_S_stats(mach_port_t server, memory_object_t memory_object,
			       uint64_t *inits, uint64_t *terminates, uint64_t *data_requests,
			       uint64_t *pages_supplied, uint64_t *data_returns,
			       uint64_t *pages_written, uint64_t *locks_completed,
			       uint64_t *refused)
{
	struct pager_object *obj = mempager_object(memory_object);
	struct pager_stats s;

	(void)server;
	if (obj == NULL)
		return KERN_INVALID_ARGUMENT;
	pager_get_stats(obj, &s);
	*inits = s.inits;
	*terminates = s.terminates;
	*data_requests = s.data_requests;
	*pages_supplied = s.pages_supplied;
	*data_returns = s.data_returns;
	*pages_written = s.pages_written;
	*locks_completed = s.locks_completed;
	*refused = s.refused;
	return mempager_done(memory_object);
}
