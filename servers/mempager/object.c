/*
 * mempager's objects (mempager.defs: create, share, objects): each is a
 * libpager object whose cookie is its store, a zero-filled vm_allocate'd
 * region that lives until libpager releases every object over it (nobody
 * holds a send right to any of them any more).  read_page points the
 * kernel at the store's page (it copies from there), write_page copies a
 * returned page into the store.
 */
#include "mempager.h"

#define STORE_SIZE_MAX ((vm_size_t)1 << 30)

static struct mempager_store stores[PAGER_OBJECTS_MAX];
static struct mempager_store *free_stores;
static unsigned stores_used;     /* slots ever handed out */
static unsigned objects_live;

static struct pager_server *objects_server;   /* serves every object */
static const struct pager_ops *objects_ops;    /* with these */

/* The store is memory: the kernel copies its pages from there. */
static kern_return_t read_page(void *cookie, vm_offset_t offset, void *page, const void **data)
{
	struct mempager_store *store = cookie;

	(void)page;
	*data = store->data + offset;
	return KERN_SUCCESS;
}

static kern_return_t write_page(void *cookie, vm_offset_t offset, const void *page)
{
	struct mempager_store *store = cookie;

	memcpy(store->data + offset, page, PAGER_PAGE_SIZE);
	return KERN_SUCCESS;
}

static void store_free(struct mempager_store *store)
{
	vm_deallocate(mach_task_self(), (vm_address_t)store->data, store->size);
	*store = (struct mempager_store){ .next_free = free_stores };
	free_stores = store;
}

static void released(void *cookie)
{
	struct mempager_store *store = cookie;

	if (--store->objects == 0)
		store_free(store);
	objects_live--;
}

const struct pager_ops mempager_store_ops = {
	.read_page = read_page,
	.write_page = write_page,
	.terminated = NULL,   /* the store outlives the kernel's cache */
	.released = released,
};

static struct mempager_store *store_alloc(vm_size_t size)
{
	struct mempager_store *store = free_stores;

	if (store != NULL)
		free_stores = store->next_free;
	else if (stores_used < PAGER_OBJECTS_MAX)
		store = &stores[stores_used++];
	else
		return NULL;
	vm_address_t data = 0;
	if (vm_allocate(mach_task_self(), &data, size, TRUE) != KERN_SUCCESS) {
		*store = (struct mempager_store){ .next_free = free_stores };
		free_stores = store;
		return NULL;
	}
	*store = (struct mempager_store){ .data = (uint8_t *)data, .size = size };
	return store;
}

/* A new object over store, its send right in *memory_object. */
static kern_return_t object_create(struct mempager_store *store, mach_port_t *memory_object)
{
	kern_return_t kr = pager_create(objects_server, objects_ops, store, store->size, false,
					NULL, memory_object);

	if (kr != KERN_SUCCESS)
		return kr == KERN_INVALID_ARGUMENT ? kr : KERN_RESOURCE_SHORTAGE;
	store->objects++;
	objects_live++;
	return KERN_SUCCESS;
}

kern_return_t mempager_S_create(mach_port_t server, vm_size_t size, mach_port_t *memory_object)
{
	(void)server;
	if (size == 0 || size > STORE_SIZE_MAX)
		return KERN_INVALID_ARGUMENT;
	size = (size + PAGER_PAGE_SIZE - 1) & ~(PAGER_PAGE_SIZE - 1);
	struct mempager_store *store = store_alloc(size);
	if (store == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kern_return_t kr = object_create(store, memory_object);
	if (kr != KERN_SUCCESS)
		store_free(store);
	return kr;   /* the reply moves the send right to the client */
}

kern_return_t mempager_S_share(mach_port_t server, memory_object_t memory_object,
			       mach_port_t *shared)
{
	struct pager_object *obj = mempager_object(memory_object);

	(void)server;
	if (obj == NULL)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = object_create(pager_cookie(obj), shared);
	return kr == KERN_SUCCESS ? mempager_done(memory_object) : kr;
}

kern_return_t mempager_S_objects(mach_port_t server, natural_t *count)
{
	(void)server;
	*count = objects_live;
	return KERN_SUCCESS;
}

void mempager_objects_init(struct pager_server *server, const struct pager_ops *ops)
{
	objects_server = server;
	objects_ops = ops;
}

struct pager_object *mempager_object(mach_port_t memory_object)
{
	return pager_lookup(memory_object);
}

kern_return_t mempager_done(mach_port_t memory_object)
{
	mach_port_deallocate(mach_task_self(), memory_object);
	return KERN_SUCCESS;
}

bool mempager_words_ok(const struct mempager_store *store, vm_offset_t offset, vm_size_t size)
{
	return offset % 8 == 0 && size % 8 == 0 && offset <= store->size &&
	       size <= store->size - offset;
}
