/*
 * The objects the kernel hands over (memory_object_create) and where
 * their pages are on the swap disk.  Each object has a table from page
 * to slot: a directory of chunks of CHUNK_PAGES entries (slot + 1; 0: the
 * page was never written out), a chunk made when a page of its range
 * first goes out.  The object's slots are freed when it ends: the kernel
 * terminates its cache and drops its send right, and libpager releases
 * the object (no senders).
 */
#include "default_pager.h"

#define CHUNK_PAGES 1024u   /* entries of a chunk: one page of uint32_t */

struct dp_object {
	vm_size_t pages;
	uint32_t **chunks;         /* pages / CHUNK_PAGES, rounded up */
	vm_size_t nchunks;
	struct dp_object *next_free;
};

static struct dp_object table[PAGER_OBJECTS_MAX];
static struct dp_object *free_objects;
static unsigned table_used;
static uint64_t live;
static struct pager_server *pager_server;
static mach_port_t private_port, public_port;

void objects_init(struct pager_server *server, mach_port_t private, mach_port_t public)
{
	pager_server = server;
	private_port = private;
	public_port = public;
}

bool objects_is_public(mach_port_t port)
{
	return port == public_port;
}

uint64_t objects_count(void)
{
	return live;
}

/* Where the entry of page is: its chunk made if make (NULL if not made). */
static uint32_t *entry_of(struct dp_object *o, vm_size_t page, bool make)
{
	uint32_t **chunk = &o->chunks[page / CHUNK_PAGES];

	if (*chunk == NULL) {
		vm_address_t a = 0;
		if (!make || vm_allocate(mach_task_self(), &a, CHUNK_PAGES * 4, TRUE) != KERN_SUCCESS)
			return NULL;
		*chunk = (uint32_t *)a;
	}
	return &(*chunk)[page % CHUNK_PAGES];
}

static kern_return_t read_page(void *cookie, vm_offset_t offset, void *page, const void **data)
{
	uint32_t *entry = entry_of(cookie, offset / PAGER_PAGE_SIZE, false);

	(void)data;
	if (entry == NULL || *entry == 0) {
		memset(page, 0, PAGER_PAGE_SIZE);   /* never written out: zeros */
		return KERN_SUCCESS;
	}
	return swap_read(*entry - 1, page);
}

static kern_return_t write_page(void *cookie, vm_offset_t offset, const void *page)
{
	uint32_t *entry = entry_of(cookie, offset / PAGER_PAGE_SIZE, true);
	uint32_t slot;

	if (entry == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (*entry != 0)
		return swap_write(*entry - 1, page);
	kern_return_t kr = swap_alloc(&slot);
	if (kr == KERN_SUCCESS)
		kr = swap_write(slot, page);
	if (kr == KERN_SUCCESS)
		*entry = slot + 1;
	else if (kr == KERN_MEMORY_ERROR)
		swap_free(slot);
	return kr;
}

/* The object is gone: its slots, its table. */
static void released(void *cookie)
{
	struct dp_object *o = cookie;

	for (vm_size_t c = 0; c < o->nchunks; c++) {
		if (o->chunks[c] == NULL)
			continue;
		for (unsigned i = 0; i < CHUNK_PAGES; i++)
			if (o->chunks[c][i] != 0)
				swap_free(o->chunks[c][i] - 1);
		vm_deallocate(mach_task_self(), (vm_address_t)o->chunks[c], CHUNK_PAGES * 4);
	}
	vm_deallocate(mach_task_self(), (vm_address_t)o->chunks, o->nchunks * sizeof(uint32_t *));
	*o = (struct dp_object){ .next_free = free_objects };
	free_objects = o;
	live--;
}

static const struct pager_ops ops = { .read_page = read_page, .write_page = write_page,
				      .released = released };

static struct dp_object *object_alloc(vm_size_t pages)
{
	struct dp_object *o = free_objects;
	vm_address_t dir = 0;
	vm_size_t nchunks = (pages + CHUNK_PAGES - 1) / CHUNK_PAGES;

	if (o == NULL && table_used == PAGER_OBJECTS_MAX)
		return NULL;
	if (vm_allocate(mach_task_self(), &dir, nchunks * sizeof(uint32_t *), TRUE) !=
	    KERN_SUCCESS)
		return NULL;
	if (o != NULL)
		free_objects = o->next_free;
	else
		o = &table[table_used++];
	*o = (struct dp_object){ .pages = pages, .chunks = (uint32_t **)dir, .nchunks = nchunks };
	return o;
}

/* The kernel's only: an error destroys the message, and with it the
 * object's port; the kernel then keeps the object's pages itself. */
kern_return_t default_pager_S_create(memory_object_default_t server,
				     memory_object_t new_memory_object, vm_size_t size,
				     memory_object_control_t new_control, vm_size_t page_size)
{
	if (server != private_port) {
		mach_printf("default_pager: create on the clients' port: refused\n");
		return KERN_INVALID_ARGUMENT;
	}
	if (page_size != PAGER_PAGE_SIZE || size == 0 || size % PAGER_PAGE_SIZE != 0) {
		mach_printf("default_pager: create of %lx bytes in pages of %lx: refused\n", size,
			    page_size);
		return KERN_INVALID_ARGUMENT;
	}
	struct dp_object *o = object_alloc(size / PAGER_PAGE_SIZE);
	if (o == NULL) {
		mach_printf("default_pager: no room for another object: refused\n");
		return KERN_RESOURCE_SHORTAGE;
	}
	kern_return_t kr = pager_adopt(pager_server, &ops, o, new_memory_object, size, new_control,
				       NULL);
	if (kr != KERN_SUCCESS) {
		mach_printf("default_pager: cannot serve a new object: %s\n", mach_error_name(kr));
		live++;
		released(o);
		return kr;
	}
	live++;
	return KERN_SUCCESS;
}

/* Never sent by this kernel, whose page-out returns every page with
 * data_return; refused, so that its memory is freed. */
kern_return_t default_pager_S_data_initialize(memory_object_t memory_object,
					      memory_object_control_t memory_control,
					      vm_offset_t offset, vm_offset_t data,
					      mach_msg_type_number_t dataCnt)
{
	(void)memory_object;
	(void)memory_control;
	(void)offset;
	(void)data;
	(void)dataCnt;
	return KERN_INVALID_ARGUMENT;
}
