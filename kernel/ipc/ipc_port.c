/* Ports and port sets; see ipc_port.h for their states and locking. */
#include "ipc/ipc_port.h"

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_notify.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "kern/device.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "vm/memory_object.h"

simple_lock_t ipc_lock = SIMPLE_LOCK_INIT("ipc");
struct ipc_space ipc_space_kernel = { .active = true };
struct ipc_counts ipc_counts;
uint8_t ipc_unlock_queued;

void ipc_unlock_work(void)
{
	if (ipc_notify_pending())
		ipc_notify_flush();
	if (ipc_kmsg_copies_pending())
		ipc_kmsg_discard_copies();
}

static void port_init(struct ipc_port *port)
{
	memset(port, 0, sizeof(*port));
	port->refs = 1;
	port->active = true;
	port->qlimit = MACH_PORT_QLIMIT_DEFAULT;
	ipc_counts.ports++;
}

struct ipc_port *ipc_port_alloc_locked(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_port *port = kalloc(sizeof(*port));

	if (port == NULL)
		return NULL;
	port_init(port);
	port->receiver = space;
	port->receiver_name = name;
	return port;
}

struct ipc_port *ipc_port_alloc_kernel(enum ipc_kotype kotype, void *kobject)
{
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port *port = ipc_port_alloc_locked(&ipc_space_kernel, MACH_PORT_NAME_NULL);

	if (port != NULL) {
		port->kotype = kotype;
		port->kobject = kobject;
	}
	ipc_unlock(flags);
	return port;
}

void ipc_port_free_locked(struct ipc_port *port)
{
	if (port->refs == 0)
		panic("ipc: port %p released with no references", port);
	port->refs = 0;
	if (port->active || port->msg_head != NULL || port->dnrequests != NULL)
		panic("ipc: last reference to a live port %p", port);
	ipc_counts.ports--;
	kfree(port, sizeof(*port));
}

void ipc_port_release_last_send_locked(struct ipc_port *port)
{
	if (port->srights == 0)
		panic("ipc: send right released on port %p with none", port);
	if (--port->srights == 0 && port->active && port->nsrequest != NULL) {
		struct ipc_port *notify = port->nsrequest;
		port->nsrequest = NULL;
		ipc_notify_no_senders_locked(notify, port->mscount);
	}
	ipc_port_release_locked(port);
}

void ipc_port_destroy_sonce_locked(struct ipc_port *port)
{
	if (port->active)
		ipc_notify_send_once_locked(port);   /* the right goes with it */
	else
		ipc_port_release_sonce_locked(port);
}

void ipc_port_clear_receiver_locked(struct ipc_port *port)
{
	if (port->pset != NULL)
		ipc_pset_remove_locked(port);
	port->receiver = NULL;
	port->receiver_name = MACH_PORT_NAME_NULL;
	simple_lock_nested(&sched_lock);
	sched_wakeup_all_locked(&port->receivers);
	simple_unlock(&sched_lock, 0);
}

/* The port dies: nothing can be queued or received on it again. */
static void port_kill_locked(struct ipc_port *port)
{
	if (port->memory_object != NULL)
		memory_object_port_died_locked(port);
	if (port->irq_attachments > 0)
		device_irq_port_died_locked(port);
	port->active = false;
	port->kobject = NULL;
	port->kotype = IKOT_NONE;

	simple_lock_nested(&sched_lock);
	sched_wakeup_all_locked(&port->receivers);
	sched_wakeup_all_locked(&port->senders);
	simple_unlock(&sched_lock, 0);

	struct ipc_kmsg *kmsg;
	while ((kmsg = port->msg_head) != NULL) {
		port->msg_head = kmsg->next;
		port->msgcount--;
		ipc_kmsg_destroy_locked(kmsg);
	}
	port->msg_tail = NULL;

	struct ipc_dnrequest *req;
	while ((req = port->dnrequests) != NULL) {
		port->dnrequests = req->next;
		ipc_right_dead_name_uref_locked(req->space, req->name, port);
		ipc_notify_dead_name_locked(req->notify, req->name);
		kfree(req, sizeof(*req));
	}
	if (port->nsrequest != NULL) {
		ipc_port_destroy_sonce_locked(port->nsrequest);
		port->nsrequest = NULL;
	}
}

void ipc_port_destroy_locked(struct ipc_port *port)
{
	if (port->receiver != NULL)
		ipc_port_clear_receiver_locked(port);
	port->destination = NULL;
	if (port->pdrequest != NULL) {
		struct ipc_port *notify = port->pdrequest;
		port->pdrequest = NULL;
		ipc_notify_port_destroyed_locked(notify, port);   /* takes our ref */
		return;
	}
	port_kill_locked(port);
	ipc_port_release_locked(port);
}

bool ipc_port_check_circularity_locked(struct ipc_port *port, struct ipc_port *dest)
{
	for (struct ipc_port *p = dest; p != NULL; p = p->destination) {
		if (p == port)
			return true;
		if (p->receiver != NULL)
			return false;
	}
	return false;
}

void ipc_port_nsrequest_locked(struct ipc_port *port, uint32_t sync, struct ipc_port *notify,
			       struct ipc_port **previous)
{
	*previous = port->nsrequest;
	port->nsrequest = NULL;
	if (notify == NULL)
		return;
	if (port->srights == 0 && sync <= port->mscount)
		ipc_notify_no_senders_locked(notify, port->mscount);
	else
		port->nsrequest = notify;
}

void ipc_port_pdrequest_locked(struct ipc_port *port, struct ipc_port *notify,
			       struct ipc_port **previous)
{
	*previous = port->pdrequest;
	port->pdrequest = notify;
}

struct ipc_pset *ipc_pset_alloc_locked(void)
{
	struct ipc_pset *pset = kalloc(sizeof(*pset));

	if (pset == NULL)
		return NULL;
	memset(pset, 0, sizeof(*pset));
	pset->refs = 1;
	pset->active = true;
	ipc_counts.psets++;
	return pset;
}

void ipc_pset_release_locked(struct ipc_pset *pset)
{
	if (--pset->refs != 0)
		return;
	ipc_counts.psets--;
	kfree(pset, sizeof(*pset));
}

void ipc_pset_destroy_locked(struct ipc_pset *pset)
{
	while (pset->members != NULL)
		ipc_pset_remove_locked(pset->members);
	pset->active = false;
	simple_lock_nested(&sched_lock);
	sched_wakeup_all_locked(&pset->receivers);
	simple_unlock(&sched_lock, 0);
	ipc_pset_release_locked(pset);
}

void ipc_pset_add_locked(struct ipc_pset *pset, struct ipc_port *port)
{
	port->pset = pset;
	if (pset->members == NULL) {
		port->set_next = port->set_prev = port;
		pset->members = port;
	} else {
		struct ipc_port *head = pset->members;
		port->set_next = head;
		port->set_prev = head->set_prev;
		head->set_prev->set_next = port;
		head->set_prev = port;
	}
	/* Threads receiving on the port alone learn that it moved. */
	simple_lock_nested(&sched_lock);
	sched_wakeup_all_locked(&port->receivers);
	if (port->msgcount != 0)
		sched_wakeup_one_locked(&pset->receivers);
	simple_unlock(&sched_lock, 0);
}

void ipc_pset_remove_locked(struct ipc_port *port)
{
	struct ipc_pset *pset = port->pset;

	if (port->set_next == port) {
		pset->members = NULL;
	} else {
		port->set_prev->set_next = port->set_next;
		port->set_next->set_prev = port->set_prev;
		if (pset->members == port)
			pset->members = port->set_next;
	}
	port->set_next = port->set_prev = NULL;
	port->pset = NULL;
}

int ipc_wait_locked(struct wait_queue *wq, uint64_t deadline)
{
	/* Notifications queued under the lock go first; they may be what the
	 * caller waits for, so it looks again instead of sleeping. */
	if (ipc_notify_pending()) {
		ipc_lock.held = 0;
		ipc_notify_flush();
		ipc_lock.held = 1;
		return WAIT_AWAKENED;
	}
	simple_lock_trade(&ipc_lock, &sched_lock);
	int r = sched_wait_locked(wq, deadline);
	simple_lock_trade(&sched_lock, &ipc_lock);
	return r;
}
