/*
 * Asking the kernel for its cached pages back: memory_object_lock_request
 * on the control port, answered with data_return for each range of pages
 * and then lock_completed, both on the object's port.  The library names
 * the object's port itself as reply_to (a send-once right made from it),
 * so lock_completed queues behind the pages it completes: once it is
 * served, they are stored.
 *
 * pager_lock waits on the caller's stack (struct pager_lock_wait), the
 * object's list holding it oldest first; the kernel answers lock requests
 * in the order they came, so lock_completed finishes the oldest wait of
 * its range, and a send-once notification (the kernel refused the request
 * and destroyed its reply right unused) the oldest of all.  A wait that
 * timed out leaves its request in flight, older than any later one: the
 * next answer is its (stale_locks), not a later wait's.  While it
 * waits the object's port is out of its server's set, received alone, so
 * that only its own messages are served meanwhile.
 */
#include <memory_objectServer.h>

#include "pager_priv.h"

static void finish(struct pager_object *obj, struct pager_lock_wait *w, kern_return_t result)
{
	for (struct pager_lock_wait **p = &obj->locks; *p != NULL; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	w->done = true;
	w->result = result;
}

void pager_finish_locks(struct pager_object *obj, kern_return_t result)
{
	while (obj->locks != NULL)
		finish(obj, obj->locks, result);
}

/* True (consuming it) if the answer that came is a timed-out request's. */
static bool stale_answer(struct pager_object *obj)
{
	if (obj->stale_locks == 0)
		return false;
	obj->stale_locks--;
	return true;
}

void pager_lock_right_died(struct pager_object *obj)
{
	if (stale_answer(obj) || obj->locks == NULL)
		return;   /* with no lock in flight: the no-senders request's */
	pager_refuse(obj, "lock_request", "the kernel destroyed its reply right unanswered");
	finish(obj, obj->locks, KERN_ABORTED);
}

kern_return_t memory_object_S_lock_completed(memory_object_t memory_object,
					     memory_object_control_t memory_control,
					     vm_offset_t offset, vm_size_t length)
{
	struct pager_object *obj = pager_find(memory_object);

	if (!pager_via_send_once()) {
		pager_refuse(obj, "lock_completed", "not sent through a send-once right");
		return KERN_INVALID_ARGUMENT;
	}
	if (!pager_check_control(obj, memory_control, "lock_completed"))
		return KERN_INVALID_ARGUMENT;
	pager_take_control_ref(obj, memory_control);
	if (stale_answer(obj))
		return KERN_SUCCESS;
	struct pager_lock_wait *w = obj->locks;
	while (w != NULL && (w->offset != offset || w->size != length))
		w = w->next;
	if (w == NULL) {
		/* Taken all the same: the control reference is counted. */
		pager_refuse(obj, "lock_completed", "no lock_request of that range waits");
		return KERN_SUCCESS;
	}
	obj->stats.locks_completed++;
	finish(obj, w, KERN_SUCCESS);
	return KERN_SUCCESS;
}

static kern_return_t lock_args_ok(const struct pager_object *obj, vm_offset_t offset,
				  vm_size_t size, memory_object_return_t should_return,
				  vm_prot_t lock_value)
{
	if (!pager_range_ok(obj, offset, size))
		return KERN_INVALID_ARGUMENT;
	if (should_return < MEMORY_OBJECT_RETURN_NONE ||
	    should_return > MEMORY_OBJECT_RETURN_ALL || (lock_value & ~VM_PROT_ALL))
		return KERN_INVALID_VALUE;
	return KERN_SUCCESS;
}

/* Serves obj's port alone until w is done, obj is gone, or time is up. */
static void wait_alone(struct pager_object *obj, struct pager_lock_wait *w,
		       mach_msg_timeout_t timeout_ms)
{
	uint64_t deadline = mach_clock_ns() + (uint64_t)timeout_ms * MACH_NS_PER_MS;
	mach_port_t self = mach_task_self();

	obj->waiting++;
	mach_port_move_member(self, obj->port, MACH_PORT_NULL);
	while (!w->done && !obj->gone) {
		uint64_t now = mach_clock_ns();
		if (now >= deadline)
			break;
		uint64_t left_ms = (deadline - now + MACH_NS_PER_MS - 1) / MACH_NS_PER_MS;
		mach_msg_return_t mr = pager_serve_one(obj->server, obj->port,
						       (mach_msg_timeout_t)left_ms);
		if (mr != MACH_MSG_SUCCESS && mr != MACH_RCV_TIMED_OUT)
			break;
	}
	obj->waiting--;
	if (!obj->gone)
		mach_port_move_member(self, obj->port, obj->server->port_set);
}

kern_return_t pager_lock(struct pager_object *object, vm_offset_t offset, vm_size_t size,
			 memory_object_return_t should_return, bool should_flush,
			 vm_prot_t lock_value, mach_msg_timeout_t timeout_ms)
{
	if (pager_in_callback)
		return KERN_FAILURE;
	kern_return_t kr = lock_args_ok(object, offset, size, should_return, lock_value);
	if (kr != KERN_SUCCESS)
		return kr;
	if (object->state != PAGER_READY)
		return KERN_SUCCESS;   /* no cache: nothing to return or flush */

	struct pager_lock_wait w = { .offset = offset, .size = size };
	struct pager_lock_wait **tail = &object->locks;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = &w;
	mach_msg_return_t mr = memory_object_lock_request(object->control, offset, size,
							  should_return, should_flush,
							  lock_value, object->port);
	/* A dead control port: the cache is ending, and its terminate (which
	 * finishes w) follows the pages it gives back.  Wait for it. */
	if (mr != MACH_MSG_SUCCESS && mr != MACH_SEND_INVALID_DEST) {
		finish(object, &w, mr);
		return mr;
	}
	wait_alone(object, &w, timeout_ms);
	if (object->gone) {
		if (object->waiting == 0)
			pager_free(object);
		return KERN_ABORTED;
	}
	if (!w.done) {
		finish(object, &w, KERN_OPERATION_TIMED_OUT);
		if (mr == MACH_MSG_SUCCESS)
			object->stale_locks++;   /* its answer may still come */
	}
	return w.result;
}
