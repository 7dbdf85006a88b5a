/*
 * Pages in and out (memory_object.defs: data_request, data_unlock,
 * data_return).  Server functions of the generated demux: KERN_SUCCESS
 * means the message's rights and memory were taken, an error that
 * nothing was (the receive loop destroys the message).
 *
 * Pages go to the kernel without dealloc from where read_page left them:
 * the pager's own memory (its store) or a reused, page-aligned buffer.
 * The kernel reads them in place and copies each once, into its page;
 * a fresh vm_allocate'd page sent with dealloc would move instead, but
 * cost an RPC, a zero-fill fault and a page of zeroing per page, only to
 * be overwritten by read_page.  docs/pagers.md has the reckoning.
 */
#include <memory_objectServer.h>

#include "pager_priv.h"

/* Pages supplied in one data_supply at most: 64 KiB. */
#define SUPPLY_PAGES 16u

static uint8_t supply_buffer[SUPPLY_PAGES * 4096] __attribute__((aligned(4096)));

_Static_assert(PAGER_PAGE_SIZE == 4096, "supply_buffer is sized in 4096-byte pages");

/* The page at offset, in page (a page of supply_buffer) or where read_page
 * points *data. */
static kern_return_t read_page(struct pager_object *obj, vm_offset_t offset, uint8_t *page,
			       const uint8_t **data)
{
	const void *at = page;

	pager_in_callback++;
	kern_return_t kr = obj->ops->read_page(obj->cookie, offset, page, &at);
	pager_in_callback--;
	if (kr == KERN_SUCCESS && at != page && (at == NULL || (vm_address_t)at % PAGER_PAGE_SIZE)) {
		/* Not page aligned: the kernel would refuse it; the library copies it. */
		if (at != NULL)
			memcpy(page, at, PAGER_PAGE_SIZE);
		else
			kr = KERN_MEMORY_ERROR;
		at = page;
	}
	*data = at;
	return kr;
}

/* Pages read and not yet sent: n of them at data, for [offset, ...). */
struct run {
	vm_offset_t offset;
	const uint8_t *data;
	unsigned n;
};

static mach_msg_return_t fail(struct pager_object *obj, vm_offset_t offset, vm_size_t size,
			      kern_return_t error)
{
	obj->stats.pages_failed += size / PAGER_PAGE_SIZE;
	return memory_object_data_error(obj->control, offset, size, error);
}

mach_msg_header_t *pager_deferred_buffer;

/* The run prepared in pager_deferred_buffer, for its accounting. */
static struct {
	bool ready;
	struct pager_object *obj;
	struct run run;
} deferred;

bool pager_deferred_ready(void)
{
	return deferred.ready;
}

/* Data read_page pointed at that the kernel cannot read is a memory
 * error for the pages, not a wait until their deadline.  Out of line, so
 * that supplied needs no frame. */
static __attribute__((noinline, cold)) mach_msg_return_t unreadable(struct pager_object *obj,
								   const struct run *run)
{
	mach_printf("libpager: object %x: read_page's data at %p for %lx is unreadable\n",
		    obj->port, (const void *)run->data, run->offset);
	return fail(obj, run->offset, run->n * PAGER_PAGE_SIZE, KERN_MEMORY_ERROR);
}

/* Accounts for a run's data_supply sent with result mr. */
static mach_msg_return_t supplied(struct pager_object *obj, const struct run *run,
				  mach_msg_return_t mr)
{
	if (mr == MACH_SEND_INVALID_MEMORY)
		return unreadable(obj, run);
	obj->stats.pages_supplied += mr == MACH_MSG_SUCCESS ? run->n : 0;
	return mr;
}

void pager_deferred_sent(mach_msg_return_t mr)
{
	deferred.ready = false;
	supplied(deferred.obj, &deferred.run, mr);
}

/* Sends the run as one data_supply, and empties it.  The last answer to
 * a request (last) is prepared for the receive loop to send, if it has
 * a buffer for it. */
static mach_msg_return_t supply(struct pager_object *obj, struct run *run, bool last)
{
	struct run r = *run;

	run->n = 0;
	if (r.n == 0)
		return MACH_MSG_SUCCESS;
	mach_msg_type_number_t size = (mach_msg_type_number_t)(r.n * PAGER_PAGE_SIZE);
	const struct pager_hooks *hooks = obj->server->hooks;
	if (hooks != NULL && hooks->supply_at != NULL)
		r.offset = hooks->supply_at(obj, r.offset);
	if (last && pager_deferred_buffer != NULL && !deferred.ready &&
	    memory_object_data_supply_prepare(pager_deferred_buffer, obj->control, r.offset,
					      (vm_offset_t)r.data, size, FALSE, VM_PROT_NONE,
					      FALSE) == MACH_MSG_SUCCESS) {
		deferred.ready = true;
		deferred.obj = obj;
		deferred.run = r;
		return MACH_MSG_SUCCESS;
	}
	return supplied(obj, &r,
			memory_object_data_supply(obj->control, r.offset, (vm_offset_t)r.data,
						  size, FALSE, VM_PROT_NONE, FALSE));
}

/*
 * Answers for [offset, end), inside the object, at most SUPPLY_PAGES
 * pages: runs of pages read_page gave whose data lie one after another
 * as data_supply, each page it refused as data_error with its code.
 * last: nothing is sent for the request after.
 */
static mach_msg_return_t supply_chunk(struct pager_object *obj, vm_offset_t offset,
				      vm_offset_t end, bool last)
{
	struct run run = { .offset = offset };
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	for (vm_offset_t at = offset; at < end && mr == MACH_MSG_SUCCESS; at += PAGER_PAGE_SIZE) {
		const uint8_t *data;
		kern_return_t kr = read_page(obj, at, supply_buffer + (at - offset), &data);
		if (kr != KERN_SUCCESS) {
			mr = supply(obj, &run, false);
			if (mr == MACH_MSG_SUCCESS)
				mr = fail(obj, at, PAGER_PAGE_SIZE, kr);
			continue;
		}
		if (run.n > 0 && data != run.data + run.n * PAGER_PAGE_SIZE)
			mr = supply(obj, &run, false);
		if (run.n == 0)
			run = (struct run){ .offset = at, .data = data };
		run.n++;
	}
	if (mr == MACH_MSG_SUCCESS)
		mr = supply(obj, &run, last);
	return mr;
}

/*
 * The answer to a data_request for [offset, offset + length): what lies
 * in the object is read and supplied, what lies beyond its end is a
 * memory error.  Stops when the cache's control port is gone (the send
 * fails): nobody waits for the rest.
 */
static void answer_request(struct pager_object *obj, vm_offset_t offset, vm_size_t length)
{
	vm_offset_t end = offset + length;
	vm_offset_t inside = end < obj->size ? end : obj->size;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	for (vm_offset_t at = offset; at < inside && mr == MACH_MSG_SUCCESS;) {
		vm_offset_t chunk_end = inside - at > SUPPLY_PAGES * PAGER_PAGE_SIZE
						? at + SUPPLY_PAGES * PAGER_PAGE_SIZE
						: inside;
		mr = supply_chunk(obj, at, chunk_end, chunk_end == end);
		at = chunk_end;
	}
	if (mr == MACH_MSG_SUCCESS && end > inside) {
		vm_offset_t from = offset > inside ? offset : inside;
		fail(obj, from, end - from, KERN_MEMORY_ERROR);
	}
}

/*
 * The checks of a request's range: whole pages, not empty, no wrap.
 * Beyond the object's end is allowed: a mapping may be larger than the
 * object, and the kernel does not know the object's size.
 */
static bool request_ok(struct pager_object *obj, vm_offset_t offset, vm_size_t length,
		       vm_prot_t access, const char *what)
{
	if (length == 0 || offset % PAGER_PAGE_SIZE != 0 || length % PAGER_PAGE_SIZE != 0 ||
	    offset + length < offset) {
		pager_refuse(obj, what, "range not whole pages, empty, or wrapping");
		return false;
	}
	if (access & ~VM_PROT_ALL) {
		pager_refuse(obj, what, "access is not a vm_prot_t");
		return false;
	}
	return true;
}

kern_return_t memory_object_S_data_request(memory_object_t memory_object, vm_offset_t offset,
					   vm_size_t length, vm_prot_t desired_access)
{
	struct pager_object *obj = pager_find(memory_object);

	if (!pager_check_cache(obj, "data_request") ||
	    !request_ok(obj, offset, length, desired_access, "data_request"))
		return KERN_INVALID_ARGUMENT;
	if (pager_dropped(obj, MSGID_memory_object_data_request, offset))
		return KERN_ABORTED;
	obj->stats.data_requests++;
	answer_request(obj, offset, length);
	return KERN_SUCCESS;
}

/*
 * The library supplies every page unlocked and locks only in pager_lock,
 * for as long as the kernel takes to answer; a thread that then needs
 * more access gets it at once.
 */
kern_return_t memory_object_S_data_unlock(memory_object_t memory_object, vm_offset_t offset,
					  vm_size_t length, vm_prot_t desired_access)
{
	struct pager_object *obj = pager_find(memory_object);

	if (!pager_check_cache(obj, "data_unlock") ||
	    !request_ok(obj, offset, length, desired_access, "data_unlock"))
		return KERN_INVALID_ARGUMENT;
	if (pager_dropped(obj, MSGID_memory_object_data_unlock, offset))
		return KERN_ABORTED;
	obj->stats.unlocks++;
	memory_object_lock_request(obj->control, offset, length, MEMORY_OBJECT_RETURN_NONE,
				   FALSE, VM_PROT_NONE, MACH_PORT_NULL);
	return KERN_SUCCESS;
}

/* Gives each page of a returned region to write_page: KERN_SUCCESS, or
 * the first error. */
static kern_return_t store_pages(struct pager_object *obj, vm_offset_t offset,
				 const uint8_t *data, vm_size_t size)
{
	kern_return_t result = KERN_SUCCESS;
	vm_size_t failed = 0;

	for (vm_size_t done = 0; done < size; done += PAGER_PAGE_SIZE) {
		pager_in_callback++;
		kern_return_t kr = obj->ops->write_page(obj->cookie, offset + done, data + done);
		pager_in_callback--;
		obj->stats.pages_written++;
		if (kr != KERN_SUCCESS) {
			obj->stats.write_errors++;
			failed++;
			if (result == KERN_SUCCESS)
				result = kr;
		}
	}
	/* One line a message, and none while the same error repeats (a full
	 * store refuses every page): the counts are in the stats. */
	static kern_return_t last_logged = KERN_SUCCESS;
	if (result != last_logged && result != KERN_SUCCESS)
		mach_printf("libpager: object %x: write_page failed for %lu of the pages at "
			    "%lx: %s\n",
			    obj->port, failed, offset, mach_error_name(result));
	last_logged = result;
	return result;
}

kern_return_t memory_object_S_data_return(memory_object_t memory_object,
					  memory_object_control_t memory_control,
					  vm_offset_t offset, vm_offset_t data,
					  mach_msg_type_number_t dataCnt, boolean_t dirty,
					  boolean_t kernel_copy)
{
	struct pager_object *obj = pager_find(memory_object);

	if (!pager_check_control(obj, memory_control, "data_return"))
		return KERN_INVALID_ARGUMENT;
	if (!pager_range_ok(obj, offset, dataCnt)) {
		pager_refuse(obj, "data_return", "range not whole pages inside the object");
		return KERN_INVALID_ARGUMENT;
	}
	if (pager_dropped(obj, MSGID_memory_object_data_return, offset))
		return KERN_ABORTED;
	pager_take_control_ref(obj, memory_control);
	obj->stats.data_returns++;
	/* Clean pages come back only if precious, which the library never
	 * supplies: there is nothing new to store. */
	kern_return_t stored = KERN_SUCCESS;
	if (dirty)
		stored = store_pages(obj, offset, (const uint8_t *)data, dataCnt);
	vm_deallocate(mach_task_self(), data, dataCnt);
	/* The kernel kept its pages until it hears whether they are stored:
	 * on an error it keeps them (nothing is lost); else it may drop them. */
	const struct pager_hooks *hooks = obj->server->hooks;
	if (kernel_copy && (hooks == NULL || hooks->acknowledge == NULL || hooks->acknowledge(obj)))
		memory_object_return_completed(obj->control, offset, dataCnt, stored);
	return KERN_SUCCESS;
}
