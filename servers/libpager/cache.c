/*
 * The life of the kernel's cache of an object (memory_object.defs: init,
 * terminate, change_completed) and of the object itself (notify.defs: the
 * no-senders notification ends it).  See object.c for the states.
 *
 * Every function here is a server function of a generated demux: it
 * returns KERN_SUCCESS having taken what the message carried, or an error
 * having taken nothing (the receive loop then destroys the message).
 */
#include <memory_objectServer.h>
#include <notifyServer.h>

#include "pager_priv.h"

/* True if name denotes a receive right of ours: never a kernel's control port. */
static bool is_our_port(mach_port_t name)
{
	mach_port_type_t type;

	return mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS ||
	       (type & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET));
}

kern_return_t memory_object_S_init(memory_object_t memory_object,
				   memory_object_control_t memory_control, vm_size_t page_size)
{
	struct pager_object *obj = pager_find(memory_object);

	if (obj == NULL) {
		pager_refuse(NULL, "init", "not an object of this pager");
		return KERN_INVALID_ARGUMENT;
	}
	/* The kernel's cache ended before its init came (it was unmapped at
	 * once): its terminate, as dead, follows.  Nothing to do. */
	if (memory_control == MACH_PORT_DEAD)
		return KERN_SUCCESS;
	if (obj->state != PAGER_IDLE) {
		pager_refuse(obj, "init", "the object has a kernel cache already");
		return KERN_INVALID_ARGUMENT;
	}
	if (page_size != PAGER_PAGE_SIZE) {
		pager_refuse(obj, "init", "page size is not 4096");
		return KERN_INVALID_ARGUMENT;
	}
	/* Forged: a name of no port, or one of our own ports, which would
	 * be destroyed with the cache. */
	if (memory_control == MACH_PORT_NULL || is_our_port(memory_control)) {
		pager_refuse(obj, "init", "the control port is not a send right of another task's");
		return KERN_INVALID_ARGUMENT;
	}
	if (pager_dropped(obj, MSGID_memory_object_init, 0))
		return KERN_ABORTED;
	obj->state = PAGER_READY;
	obj->control = memory_control;   /* keeps the right init brought */
	obj->control_refs = 0;
	obj->stats.inits++;
	/* A dead control port: its terminate follows in the queue. */
	memory_object_ready(memory_control, obj->may_cache, MEMORY_OBJECT_COPY_DELAY);
	return KERN_SUCCESS;
}

kern_return_t memory_object_S_terminate(memory_object_t memory_object,
					memory_object_control_t memory_control)
{
	struct pager_object *obj = pager_find(memory_object);

	if (obj != NULL && obj->state == PAGER_IDLE && memory_control == MACH_PORT_DEAD)
		return KERN_SUCCESS;   /* of a cache whose init came dead */
	if (!pager_check_control(obj, memory_control, "terminate"))
		return KERN_INVALID_ARGUMENT;
	/* The right terminate brought joins the control name, destroyed
	 * with it.  The kernel's send right to the object went with the
	 * message itself (moved). */
	pager_drop_cache(obj);
	obj->stats.terminates++;
	if (obj->ops->terminated != NULL) {
		pager_in_callback++;
		obj->ops->terminated(obj->cookie);
		pager_in_callback--;
	}
	return KERN_SUCCESS;
}

kern_return_t memory_object_S_change_completed(memory_object_t memory_object,
					       boolean_t may_cache,
					       memory_object_copy_strategy_t copy_strategy)
{
	(void)may_cache;
	(void)copy_strategy;
	/* The library never sends change_attributes. */
	pager_refuse(pager_find(memory_object), "change_completed", "never asked for");
	return KERN_INVALID_ARGUMENT;
}

/*
 * Notifications on an object's port.  Only the kernel holds send-once
 * rights to it (the library made them for it), so a notification that
 * came otherwise is forged.
 */
static struct pager_object *notified(mach_port_t notify, const char *what)
{
	struct pager_object *obj = pager_find(notify);

	if (obj == NULL) {
		pager_refuse(NULL, what, "on a port that is not an object's");
		return NULL;
	}
	if (!pager_via_send_once()) {
		pager_refuse(obj, what, "not sent through a send-once right");
		return NULL;
	}
	return obj;
}

bool pager_senders_again(mach_port_t port)
{
	mach_port_status_t status;
	mach_port_t previous = MACH_PORT_NULL;

	if (mach_port_get_receive_status(mach_task_self(), port, &status) != KERN_SUCCESS ||
	    status.mps_srights == 0)
		return false;
	mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS,
				       status.mps_mscount, port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
				       &previous);
	return true;
}

kern_return_t do_mach_notify_no_senders(mach_port_t notify, natural_t mscount)
{
	(void)mscount;   /* the receive status tells whether senders are left */
	if (pager_find(notify) == NULL)
		return pager_added_no_senders(notify);
	struct pager_object *obj = notified(notify, "no-senders notification");

	if (obj == NULL)
		return KERN_INVALID_ARGUMENT;
	if (!pager_senders_again(obj->port))
		pager_release(obj);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_send_once(mach_port_t notify)
{
	struct pager_object *obj = notified(notify, "send-once notification");

	if (obj == NULL)
		return KERN_INVALID_ARGUMENT;
	pager_lock_right_died(obj);
	return KERN_SUCCESS;
}

/* Never asked for on an object's port. */
kern_return_t do_mach_notify_dead_name(mach_port_t notify, mach_port_name_t name)
{
	(void)name;
	pager_refuse(pager_find(notify), "dead-name notification", "never asked for");
	return KERN_INVALID_ARGUMENT;
}

kern_return_t do_mach_notify_port_deleted(mach_port_t notify, mach_port_name_t name)
{
	(void)name;
	pager_refuse(pager_find(notify), "port-deleted notification", "never asked for");
	return KERN_INVALID_ARGUMENT;
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify, mach_port_t rights)
{
	(void)rights;
	pager_refuse(pager_find(notify), "port-destroyed notification", "never asked for");
	return KERN_INVALID_ARGUMENT;
}
