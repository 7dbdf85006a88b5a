/* Deferred notifications; see ipc_notify.h. */
#include "ipc/ipc_notify.h"

#include <mach/notify.h>
#include <notify.h>

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_port.h"
#include "kern/kalloc.h"

struct pending {
	struct pending *next;
	mach_msg_id_t id;          /* MACH_NOTIFY_* */
	struct ipc_port *notify;   /* a naked send-once right */
	struct ipc_port *port;     /* port-destroyed: the receive right */
	uint32_t value;            /* a name or a make-send count */
};

static struct pending *head, **tail = &head;   /* [I] FIFO; IPC_UNLOCK_NOTIFY: not empty */

static void record(mach_msg_id_t id, struct ipc_port *notify, struct ipc_port *port,
		   uint32_t value)
{
	struct pending *p = kalloc(sizeof(*p));

	if (p == NULL) {
		ipc_counts.notifications_lost++;
		if (port != NULL)
			ipc_port_destroy_locked(port);
		ipc_port_release_sonce_locked(notify);
		return;
	}
	p->next = NULL;
	p->id = id;
	p->notify = notify;
	p->port = port;
	p->value = value;
	*tail = p;
	tail = &p->next;
	ipc_unlock_queued |= IPC_UNLOCK_NOTIFY;
}

void ipc_notify_no_senders_locked(struct ipc_port *notify, uint32_t mscount)
{
	record(MACH_NOTIFY_NO_SENDERS, notify, NULL, mscount);
}

void ipc_notify_dead_name_locked(struct ipc_port *notify, mach_port_name_t name)
{
	record(MACH_NOTIFY_DEAD_NAME, notify, NULL, name);
}

void ipc_notify_port_deleted_locked(struct ipc_port *notify, mach_port_name_t name)
{
	record(MACH_NOTIFY_PORT_DELETED, notify, NULL, name);
}

void ipc_notify_port_destroyed_locked(struct ipc_port *notify, struct ipc_port *port)
{
	record(MACH_NOTIFY_PORT_DESTROYED, notify, port, 0);
}

void ipc_notify_send_once_locked(struct ipc_port *port)
{
	record(MACH_NOTIFY_SEND_ONCE, port, NULL, 0);
}


static struct pending *take(void)
{
	uint64_t flags = simple_lock(&ipc_lock);
	struct pending *p = head;

	if (p != NULL) {
		head = p->next;
		if (head == NULL) {
			tail = &head;
			ipc_unlock_queued &= (uint8_t)~IPC_UNLOCK_NOTIFY;
		}
	}
	simple_unlock(&ipc_lock, flags);
	return p;
}

/* A notification that cannot be queued is dropped with its rights, by
 * the send itself (mach_msg_send_from_kernel destroys what it refuses). */
void ipc_notify_flush(void)
{
	struct pending *p;

	while ((p = take()) != NULL) {
		switch (p->id) {
		case MACH_NOTIFY_NO_SENDERS:
			mach_notify_no_senders(p->notify, p->value);
			break;
		case MACH_NOTIFY_DEAD_NAME:
			mach_notify_dead_name(p->notify, p->value);
			break;
		case MACH_NOTIFY_PORT_DELETED:
			mach_notify_port_deleted(p->notify, p->value);
			break;
		case MACH_NOTIFY_PORT_DESTROYED:
			mach_notify_port_destroyed(p->notify, p->port);
			break;
		case MACH_NOTIFY_SEND_ONCE:
			mach_notify_send_once(p->notify);
			break;
		}
		kfree(p, sizeof(*p));
	}
}
