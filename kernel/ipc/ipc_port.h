/*
 * Ports and port sets.
 *
 * A port is a kernel-held message queue.  Exactly one receive right names
 * it at a time; it can be held in a task's name space (receiver is that
 * space), be in transit inside a message (receiver NULL, destination the
 * port whose queue holds the message), or be held by the kernel itself
 * (receiver ipc_space_kernel: kernel objects and the kernel's reply
 * ports).  Send and send-once rights are counted (srights, sorights)
 * wherever they are: in name spaces, in messages, in kernel structures
 * ("naked" rights).
 *
 * States:
 *   active      the receive right exists; messages queue
 *   dead        the receive right was destroyed: active is false, the
 *               queue is empty and stays empty, every send and send-once
 *               right to it is a dead name (converted lazily, on lookup)
 * A port's memory goes with its last reference (refs): one per name-space
 * entry that names it, per naked right, per queued message that carries
 * it, and per kernel pointer that must outlive a wait.
 *
 * Notifications (mach/notify.h), each requested with a send-once right:
 *   no-senders      srights fell to zero (nsrequest, with mscount)
 *   port-destroyed  the receive right was destroyed (pdrequest): the
 *                   right is sent to the requester instead
 *   dead-name       the port died while a name space held a send or
 *                   send-once right to it (dnrequests, one per name)
 *   send-once       a send-once right was destroyed without being used:
 *                   the notification goes to its port through that right
 *   port-deleted    a name with a dead-name request lost its right
 *
 * Locking: one lock, ipc_lock, guards every name space, port, port set and
 * message queue ([I]).  The kernel is uniprocessor and not preemptible, so
 * one lock costs nothing in concurrency today and keeps each operation
 * atomic; SMP would split it along the objects.  It is taken after
 * task_lock and before sched_lock, and it is never held across a wait:
 * ipc_wait_locked drops it while the thread sleeps.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/lock.h"
#include "kern/sched.h"

struct ipc_space;
struct ipc_kmsg;

extern simple_lock_t ipc_lock;

/* What a kernel-held port stands for (ipc_port.kotype). */
enum ipc_kotype {
	IKOT_NONE = 0,       /* an ordinary port */
	IKOT_TASK,
	IKOT_THREAD,
	IKOT_HOST,
	IKOT_HOST_PRIV,
	IKOT_REPLY,          /* a reply port of the kernel's own RPCs */
	IKOT_PAGER_CONTROL,  /* a memory object's control port (vm_object) */
	IKOT_DEVICE_MASTER,  /* the device master port (kern/device.h) */
};

/* A dead-name request: when the port dies, tell notify about name. */
struct ipc_dnrequest {
	struct ipc_dnrequest *next;
	struct ipc_space *space;
	mach_port_name_t name;
	struct ipc_port *notify;   /* a naked send-once right */
};

struct ipc_port {
	uint32_t refs;                   /* [I] */
	bool active;                     /* [I] */
	uint8_t kotype;                  /* [I] enum ipc_kotype */
	void *kobject;                   /* [I] the task, thread, host... */
	struct ipc_space *receiver;      /* [I] NULL: in transit */
	mach_port_name_t receiver_name;  /* [I] the receive right's name there */
	struct ipc_port *destination;    /* [I] in transit: the queue it is in */
	struct ipc_pset *pset;           /* [I] the set it belongs to, or NULL */
	struct ipc_port *set_next, *set_prev; /* [I] the set's members */

	uint32_t srights;                /* [I] send rights, anywhere */
	uint32_t sorights;               /* [I] send-once rights, anywhere */
	uint32_t mscount;                /* [I] make-send count */
	uint32_t seqno;                  /* [I] of the next message received */
	uint32_t qlimit;                 /* [I] queued messages before senders wait */
	uint32_t msgcount;               /* [I] queued messages */
	struct ipc_kmsg *msg_head, *msg_tail; /* [I] */
	struct wait_queue receivers;     /* [S] threads receiving on the port */
	struct wait_queue senders;       /* [S] threads waiting for room */

	struct ipc_port *nsrequest;      /* [I] no-senders: a send-once right */
	struct ipc_port *pdrequest;      /* [I] port-destroyed: a send-once right */
	struct ipc_dnrequest *dnrequests;/* [I] dead-name requests */

	struct vm_object *memory_object; /* [I] the kernel's object for the pager
					  * that holds this port (memory_object.h) */
	uint32_t irq_attachments;        /* [I] interrupt lines it is attached to
					  * (kern/device_irq.c): its death detaches them */

	uint64_t msgs_sent;              /* [I] messages queued (counters) */
	uint64_t msgs_received;          /* [I] messages taken off the queue */
	uint64_t senders_blocked;        /* [I] sends that waited for room */
};

/* A port set: receiving on it takes a message from any member. */
struct ipc_pset {
	uint32_t refs;                   /* [I] */
	bool active;                     /* [I] */
	struct ipc_port *members;        /* [I] circular list, NULL if empty */
	struct wait_queue receivers;     /* [S] threads receiving on the set */
};

/* The space that holds the receive rights of kernel-held ports. */
extern struct ipc_space ipc_space_kernel;

/* Counters for host_info and the leak checks of the tests. */
struct ipc_counts {
	uint64_t ports, psets;
	uint64_t kmsgs;               /* allocated: in use or cached */
	uint64_t notifications_lost;
	uint64_t fast_rpcs;
	uint64_t fast_sends;
	uint64_t fast_waits;
};
extern struct ipc_counts ipc_counts;

struct host_ipc_info;
/* The counts for host_info(HOST_IPC_INFO). */
void ipc_info(struct host_ipc_info *info);

/*
 * A new active port with one reference, its receive right held by space
 * under name (the caller makes the entry).  NULL when memory runs out.
 */
struct ipc_port *ipc_port_alloc_locked(struct ipc_space *space, mach_port_name_t name);

/* A kernel object's port: receiver ipc_space_kernel, one reference. */
struct ipc_port *ipc_port_alloc_kernel(enum ipc_kotype kotype, void *kobject);

/* Whether the kernel serves a message to port at once, in the sender's
 * context (ipc_kobject_server): a kernel object's port, not a reply port. */
static inline bool ipc_port_is_kobject(const struct ipc_port *port)
{
	return port->receiver == &ipc_space_kernel && port->kotype != IKOT_NONE &&
	       port->kotype != IKOT_REPLY;
}

static inline void ipc_port_reference_locked(struct ipc_port *port)
{
	port->refs++;
}

/* Frees a port whose last reference went (ipc_port_release_locked). */
void ipc_port_free_locked(struct ipc_port *port);

static inline void ipc_port_release_locked(struct ipc_port *port)
{
	if (port->refs > 1)
		port->refs--;
	else
		ipc_port_free_locked(port);
}

/*
 * Naked rights, held by the kernel or a message.  make_send needs the
 * port active (the caller holds the receive right); copy_send needs an
 * existing send right.  Each takes one reference.  In line, with the
 * releases' common cases: every RPC makes and drops two rights.
 */
static inline void ipc_port_make_send_locked(struct ipc_port *port)
{
	port->mscount++;
	port->srights++;
	port->refs++;
}

static inline void ipc_port_copy_send_locked(struct ipc_port *port)
{
	port->srights++;
	port->refs++;
}

static inline void ipc_port_make_sonce_locked(struct ipc_port *port)
{
	port->sorights++;
	port->refs++;
}

/* Drops a naked send right (no-senders notification at zero).  In line
 * always: LTO made a function of it, whose call cost more than its
 * common case. */
void ipc_port_release_last_send_locked(struct ipc_port *port);
static inline __attribute__((always_inline)) void
ipc_port_release_send_locked(struct ipc_port *port)
{
	if (port->srights > 1 && port->refs > 1) {
		port->srights--;
		port->refs--;
	} else {
		ipc_port_release_last_send_locked(port);
	}
}

/* Drops a naked send-once right that was used (the message was delivered
 * or the port is dead): no notification. */
static inline void ipc_port_release_sonce_locked(struct ipc_port *port)
{
	if (port->sorights == 0)
		panic("ipc: send-once right released on port %p with none", port);
	port->sorights--;
	ipc_port_release_locked(port);
}

/* Destroys a naked send-once right unused: the send-once notification. */
void ipc_port_destroy_sonce_locked(struct ipc_port *port);

/*
 * Destroys the receive right (whoever held it has let go of it, and of
 * its reference, which this call consumes).  With a port-destroyed
 * request the right goes to the requester instead; otherwise the port
 * dies: its queue is destroyed, waiters wake, dead-name notifications go.
 */
void ipc_port_destroy_locked(struct ipc_port *port);

/* The receive right left its space (moved or destroyed): out of its set,
 * and threads receiving on it wake to find out. */
void ipc_port_clear_receiver_locked(struct ipc_port *port);

/* True if sending port's receive right to dest would put the port inside
 * its own queue (directly or through ports in transit). */
bool ipc_port_check_circularity_locked(struct ipc_port *port, struct ipc_port *dest);

/* Sets a notification request; *previous gets the old one (or NULL). */
void ipc_port_nsrequest_locked(struct ipc_port *port, uint32_t sync, struct ipc_port *notify,
			       struct ipc_port **previous);
void ipc_port_pdrequest_locked(struct ipc_port *port, struct ipc_port *notify,
			       struct ipc_port **previous);

/* Port sets. */
struct ipc_pset *ipc_pset_alloc_locked(void);
void ipc_pset_destroy_locked(struct ipc_pset *pset);   /* consumes a reference */
void ipc_pset_release_locked(struct ipc_pset *pset);
void ipc_pset_add_locked(struct ipc_pset *pset, struct ipc_port *port);
void ipc_pset_remove_locked(struct ipc_port *port);

/*
 * Taking and dropping ipc_lock.  ipc_unlock also sends the notifications
 * that operations under the lock have queued (ipc_notify.h): sending is a
 * message copy-in that needs the lock itself.
 */
static inline uint64_t ipc_lock_acquire(void)
{
	return simple_lock(&ipc_lock);
}

/* What waits for ipc_unlock, one bit each, so that every unlock tests
 * one byte: notifications (ipc_notify.h) and copies to discard
 * (ipc_kmsg.h).  ipc_unlock_work does them. */
#define IPC_UNLOCK_NOTIFY 1u
#define IPC_UNLOCK_COPIES 2u
extern uint8_t ipc_unlock_queued;   /* [I] */
void ipc_unlock_work(void);

static inline bool ipc_unlock_work_queued(void)
{
	return __builtin_expect(ipc_unlock_queued != 0, 0);
}

static inline void ipc_unlock(uint64_t flags)
{
	simple_unlock(&ipc_lock, flags);
	if (ipc_unlock_work_queued())
		ipc_unlock_work();
}

/*
 * Sleeps on wq (a port's or set's; NULL: only the deadline) until woken,
 * interrupted or deadline, with ipc_lock held on entry and on return (it
 * is dropped for the sleep).  WAIT_*.
 */
int ipc_wait_locked(struct wait_queue *wq, uint64_t deadline);
