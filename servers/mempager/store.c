/*
 * The store as clients see it (mempager.defs: fill, checksum): mempager's
 * copy of an object's data, which the kernel reads with data_request and
 * writes with data_return.  The words are servers/mempager/pattern.h's.
 */
#include "mempager.h"

#include "pattern.h"

/* The store of the object a request names, if the range is whole words in it. */
static struct mempager_store *store_of(mach_port_t memory_object, vm_offset_t offset,
				       vm_size_t size, kern_return_t *kr)
{
	struct pager_object *obj = mempager_object(memory_object);
	struct mempager_store *store = obj != NULL ? pager_cookie(obj) : NULL;

	*kr = KERN_INVALID_ARGUMENT;
	if (store == NULL || !mempager_words_ok(store, offset, size))
		return NULL;
	*kr = KERN_SUCCESS;
	return store;
}

kern_return_t mempager_S_fill(mach_port_t server, memory_object_t memory_object,
			      vm_offset_t offset, vm_size_t size, uint64_t seed)
{
	kern_return_t kr;
	struct mempager_store *store = store_of(memory_object, offset, size, &kr);

	(void)server;
	if (store == NULL)
		return kr;
	uint64_t *words = (uint64_t *)(store->data + offset);
	for (vm_size_t i = 0; i < size / 8; i++)
		words[i] = mempager_pattern(seed, offset + i * 8);
	return mempager_done(memory_object);
}

kern_return_t mempager_S_checksum(mach_port_t server, memory_object_t memory_object,
				  vm_offset_t offset, vm_size_t size, uint64_t *sum)
{
	kern_return_t kr;
	struct mempager_store *store = store_of(memory_object, offset, size, &kr);

	(void)server;
	if (store == NULL)
		return kr;
	*sum = mempager_sum(MEMPAGER_CHECKSUM_START,
				 (const uint64_t *)(store->data + offset), size / 8);
	return mempager_done(memory_object);
}
