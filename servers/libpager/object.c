/*
 * Memory objects: their table, their creation and their end.
 *
 * An object is a port whose receive right the library holds, in its
 * server's port set.  Whoever holds a send right can map it (vm_map); the
 * kernel, when it first maps it, makes a cache of it and talks to the
 * object about that cache:
 *
 *      pager_create ──> IDLE ──init──> READY ──terminate──> IDLE ...
 *                        │               │
 *                        └──── no senders, or pager_destroy ────> freed
 *
 *   IDLE   no cache.  Only memory_object_init is accepted; it brings a
 *          send right to the cache's control port, and the library
 *          answers memory_object_ready on it.
 *   READY  the kernel asks for pages (data_request), gives them back
 *          (data_return), answers lock requests (lock_completed) and
 *          finally terminates the cache, after giving back its modified
 *          pages.  Every such message names the control port, which is
 *          how the library tells the cache's messages from anyone
 *          else's: only the kernel holds the control port's send rights.
 *          A second init while READY is refused.
 *   freed  when the object has no senders left (the kernel's no-senders
 *          notification, asked for at creation: clients dropped their
 *          rights and the kernel its cache), or when the pager destroys
 *          it (pager_destroy).  Its port is destroyed, `released` called.
 *
 * Rights the library holds: the object's receive right (the kernel's
 * messages arrive on it, and so do lock_completed and the no-senders
 * notification, through send-once rights the library made from it); one
 * send right to the control port while READY, plus the references later
 * messages bring, dropped in batches (PAGER_CONTROL_REFS_BATCH) rather
 * than with one call per message.  Terminate destroys the control name,
 * whatever it then holds (send right, dead name).
 *
 * Objects live in a fixed table (PAGER_OBJECTS_MAX), found by port name
 * through a hash; nothing is locked: one thread runs the library.
 */
#include "pager_priv.h"

#define PAGER_CONTROL_REFS_BATCH 1024u
#define PAGER_HASH_BUCKETS 256u

static struct pager_object objects[PAGER_OBJECTS_MAX];
static struct pager_object *buckets[PAGER_HASH_BUCKETS];
static struct pager_object *free_list;
static unsigned objects_used;   /* slots ever handed out; the rest are free */
struct pager_object *pager_last_found;

static unsigned bucket_of(mach_port_t name)
{
	return (unsigned)((name * 2654435761u) >> 24) % PAGER_HASH_BUCKETS;
}

struct pager_object *pager_lookup_table(mach_port_t name)
{
	if (name == MACH_PORT_NULL || name == MACH_PORT_DEAD)
		return NULL;
	for (struct pager_object *o = buckets[bucket_of(name)]; o != NULL; o = o->next) {
		if (o->port == name) {
			pager_last_found = o;
			return o;
		}
	}
	return NULL;
}

struct pager_object *pager_lookup(mach_port_t name)
{
	return pager_find(name);
}

static struct pager_object *slot_alloc(void)
{
	struct pager_object *o = free_list;

	if (o != NULL)
		free_list = o->next;
	else if (objects_used < PAGER_OBJECTS_MAX)
		o = &objects[objects_used++];
	return o;
}

static void slot_free(struct pager_object *o)
{
	*o = (struct pager_object){ .next = free_list };
	free_list = o;
}

static void table_insert(struct pager_object *o)
{
	unsigned b = bucket_of(o->port);

	o->next = buckets[b];
	buckets[b] = o;
}

static void table_remove(struct pager_object *o)
{
	if (pager_last_found == o)
		pager_last_found = NULL;
	for (struct pager_object **p = &buckets[bucket_of(o->port)]; *p != NULL; p = &(*p)->next) {
		if (*p == o) {
			*p = o->next;
			return;
		}
	}
}

/*
 * The object's port: a receive right with one send right for the caller,
 * a no-senders request naming the port itself (the notification comes
 * through a send-once right, which only the kernel can hold), in the
 * server's set.
 */
static kern_return_t object_port(struct pager_server *server, mach_port_t *port)
{
	mach_port_t self = mach_task_self(), previous = MACH_PORT_NULL;
	kern_return_t kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, port);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_insert_right(self, *port, *port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_request_notification(self, *port, MACH_NOTIFY_NO_SENDERS, 1, *port,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(self, *port, server->port_set);
	if (kr != KERN_SUCCESS)
		mach_port_destroy(self, *port);
	return kr;
}

kern_return_t pager_create(struct pager_server *server, const struct pager_ops *ops,
			   void *cookie, vm_size_t size, bool may_cache,
			   struct pager_object **object, mach_port_t *object_right)
{
	vm_size_t pages = size / PAGER_PAGE_SIZE + (size % PAGER_PAGE_SIZE != 0);

	if (size == 0 || pages > ~(vm_size_t)0 / PAGER_PAGE_SIZE || ops == NULL ||
	    ops->read_page == NULL || ops->write_page == NULL)
		return KERN_INVALID_ARGUMENT;
	struct pager_object *o = slot_alloc();
	if (o == NULL)
		return KERN_RESOURCE_SHORTAGE;
	mach_port_t port;
	kern_return_t kr = object_port(server, &port);
	if (kr != KERN_SUCCESS) {
		slot_free(o);
		return kr;
	}
	*o = (struct pager_object){ .port = port, .server = server, .ops = ops,
				    .cookie = cookie, .size = pages * PAGER_PAGE_SIZE,
				    .may_cache = may_cache, .state = PAGER_IDLE };
	table_insert(o);
	if (object != NULL)
		*object = o;
	*object_right = port;
	return KERN_SUCCESS;
}

kern_return_t pager_adopt(struct pager_server *server, const struct pager_ops *ops, void *cookie,
			  mach_port_t port, vm_size_t size, mach_port_t control,
			  struct pager_object **object)
{
	mach_port_t self = mach_task_self(), previous = MACH_PORT_NULL;

	if (size == 0 || size % PAGER_PAGE_SIZE != 0 || ops == NULL || ops->read_page == NULL ||
	    ops->write_page == NULL || pager_lookup(port) != NULL)
		return KERN_INVALID_ARGUMENT;
	struct pager_object *o = slot_alloc();
	if (o == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kern_return_t kr = mach_port_request_notification(self, port, MACH_NOTIFY_NO_SENDERS, 1,
							  port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
							  &previous);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(self, port, server->port_set);
	if (kr != KERN_SUCCESS) {
		slot_free(o);
		return kr;
	}
	*o = (struct pager_object){ .port = port, .server = server, .ops = ops,
				    .cookie = cookie, .size = size, .state = PAGER_READY,
				    .control = control };
	o->stats.inits = 1;
	table_insert(o);
	if (object != NULL)
		*object = o;
	return KERN_SUCCESS;
}

void *pager_cookie(const struct pager_object *object)
{
	return object->cookie;
}

vm_size_t pager_size(const struct pager_object *object)
{
	return object->size;
}

mach_port_t pager_port(const struct pager_object *object)
{
	return object->port;
}

void pager_get_stats(const struct pager_object *object, struct pager_stats *stats)
{
	*stats = object->stats;
}

void pager_refuse(struct pager_object *obj, const char *what, const char *why)
{
	if (obj != NULL)
		obj->stats.refused++;
	mach_printf("libpager: object %x: %s refused: %s\n", obj != NULL ? obj->port : 0, what,
		    why);
}

bool pager_range_ok(const struct pager_object *obj, vm_offset_t offset, vm_size_t size)
{
	return size != 0 && offset % PAGER_PAGE_SIZE == 0 && size % PAGER_PAGE_SIZE == 0 &&
	       offset < obj->size && size <= obj->size - offset;
}

static bool is_dead_name(mach_port_t name)
{
	mach_port_type_t type;

	return mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
	       (type & MACH_PORT_TYPE_DEAD_NAME);
}

bool pager_check_cache(struct pager_object *obj, const char *what)
{
	if (obj == NULL) {
		pager_refuse(NULL, what, "not an object of this pager");
		return false;
	}
	if (obj->state != PAGER_READY) {
		pager_refuse(obj, what, "the object has no kernel cache (no init)");
		return false;
	}
	return true;
}

bool pager_check_control(struct pager_object *obj, mach_port_t control, const char *what)
{
	if (!pager_check_cache(obj, what))
		return false;
	if (control == obj->control ||
	    (control == MACH_PORT_DEAD && is_dead_name(obj->control)))
		return true;
	pager_refuse(obj, what, "not from the object's cache (wrong control port)");
	return false;
}

void pager_take_control_ref(struct pager_object *obj, mach_port_t control)
{
	if (control == MACH_PORT_DEAD)
		return;   /* a dead right the kernel already counted as no name */
	if (++obj->control_refs < PAGER_CONTROL_REFS_BATCH)
		return;
	/* Fails only once control is dead; terminate destroys the name then. */
	mach_port_mod_refs(mach_task_self(), obj->control, MACH_PORT_RIGHT_SEND,
			   -(mach_port_delta_t)obj->control_refs);
	obj->control_refs = 0;
}

void pager_drop_cache(struct pager_object *obj)
{
	if (obj->state != PAGER_READY)
		return;
	pager_finish_locks(obj, KERN_SUCCESS);   /* nothing is cached any more */
	mach_port_destroy(mach_task_self(), obj->control);
	obj->control = MACH_PORT_NULL;
	obj->control_refs = 0;
	obj->stale_locks = 0;   /* answers of the old cache never come now */
	obj->state = PAGER_IDLE;
}

void pager_free(struct pager_object *obj)
{
	const struct pager_ops *ops = obj->ops;
	void *cookie = obj->cookie;

	pager_finish_locks(obj, KERN_ABORTED);
	pager_drop_cache(obj);
	table_remove(obj);
	mach_port_destroy(mach_task_self(), obj->port);
	slot_free(obj);
	if (ops->released != NULL) {
		pager_in_callback++;
		ops->released(cookie);
		pager_in_callback--;
	}
}

void pager_release(struct pager_object *obj)
{
	pager_finish_locks(obj, KERN_ABORTED);
	if (obj->waiting != 0) {
		obj->gone = true;   /* pager_lock frees it when its wait ends */
		return;
	}
	pager_free(obj);
}

kern_return_t pager_destroy(struct pager_object *object, kern_return_t reason)
{
	if (pager_in_callback)
		return KERN_FAILURE;
	if (object->state == PAGER_READY)
		memory_object_destroy(object->control, reason);   /* a dead cache: no matter */
	pager_free(object);
	return KERN_SUCCESS;
}
