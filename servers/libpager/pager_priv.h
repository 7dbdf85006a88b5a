/*
 * libpager's insides, shared by its files: the object, its table, the
 * checks every kernel message goes through, and the pieces of the
 * receive loop the lock wait reuses.  Single-threaded: nothing is locked.
 */
#pragma once

#include <memory_object_control.h>

#include "pager.h"

/* Where an object's kernel cache stands (see object.c). */
enum pager_state {
	PAGER_IDLE,    /* no cache: only memory_object_init is accepted */
	PAGER_READY,   /* init answered with ready: the cache is served on control */
};

/* A pager_lock waiting for its lock_completed, on the caller's stack. */
struct pager_lock_wait {
	vm_offset_t offset;
	vm_size_t size;
	bool done;
	kern_return_t result;          /* once done */
	struct pager_lock_wait *next;  /* the object's next, younger one */
};

struct pager_object {
	mach_port_t port;                /* the receive right: the memory object */
	struct pager_server *server;     /* whose port set holds port */
	const struct pager_ops *ops;
	void *cookie;
	vm_size_t size;                  /* bytes, whole pages */
	bool may_cache;
	enum pager_state state;
	mach_port_t control;             /* READY: send right to the cache's control port */
	uint32_t control_refs;           /* references to control taken since the last drop */
	struct pager_lock_wait *locks;   /* lock_requests in flight, oldest first */
	unsigned stale_locks;            /* older ones whose waits timed out */
	unsigned waiting;                /* pager_lock calls serving this object now */
	bool gone;                       /* released while waited on: free when the wait ends */
	struct pager_stats stats;
	struct pager_object *next;       /* in its hash bucket, or on the free list */
};

/* ---- object.c ---- */

/*
 * pager_lookup, its common case in line: the last object found
 * (pager_last_found, NULL once it leaves the table), since a message's
 * object is looked up by the demux and again by its handler; else the
 * table (pager_lookup_table).
 */
extern struct pager_object *pager_last_found;
struct pager_object *pager_lookup_table(mach_port_t name);
static inline struct pager_object *pager_find(mach_port_t name)
{
	struct pager_object *o = pager_last_found;

	return o != NULL && o->port == name ? o : pager_lookup_table(name);
}

/* True if obj is an object of this pager that the kernel caches (READY);
 * else refuses (logs and counts) the message `what`. */
bool pager_check_cache(struct pager_object *obj, const char *what);

/*
 * True if a message that names control (the send right it brought) comes
 * from obj's cache: obj is READY and control is its control port, or dead
 * once that port has died (the cache's last messages still queued carry
 * the dead right).  Else refuses (logs and counts) the message `what`.
 */
bool pager_check_control(struct pager_object *obj, mach_port_t control, const char *what);
/* Keeps the reference to control that an accepted message brought. */
void pager_take_control_ref(struct pager_object *obj, mach_port_t control);
/* Ends obj's cache: pending locks succeed, control's rights go, IDLE. */
void pager_drop_cache(struct pager_object *obj);
/* Nobody holds a send right any more: frees obj now or after its wait. */
void pager_release(struct pager_object *obj);
/* Frees obj: its cache, its port, its slot; calls released. */
void pager_free(struct pager_object *obj);

/* Logs why a message was refused, and counts it (obj may be NULL). */
void pager_refuse(struct pager_object *obj, const char *what, const char *why);
/* True if [offset, offset + size) is whole pages, not empty, inside obj. */
bool pager_range_ok(const struct pager_object *obj, vm_offset_t offset, vm_size_t size);

/* ---- serve.c ---- */

/* Nonzero while a struct pager_ops callback runs. */
extern unsigned pager_in_callback;
/* True if the message being served came through a send-once right: from
 * the kernel, on one of the send-once rights the library made. */
bool pager_via_send_once(void);
/* True if the server's hooks drop the kernel's message id for obj
 * (struct pager_hooks.take): its server function then returns
 * KERN_ABORTED, and the receive loop destroys it. */
static inline bool pager_dropped(struct pager_object *obj, mach_msg_id_t id, vm_offset_t offset)
{
	const struct pager_hooks *hooks = obj->server->hooks;

	return hooks != NULL && hooks->take != NULL && !hooks->take(obj, id, offset);
}
/* A no-senders notification on a port that is no object's: an added
 * port's, served as pager_server_set_no_senders says, or refused. */
kern_return_t pager_added_no_senders(mach_port_t port);
/* Serves one message received on an object's port or an added port. */
void pager_serve_message(struct pager_server *server, mach_msg_header_t *in,
			 mig_reply_error_t *out);
/* Receives one message on port alone within timeout_ms and serves it. */
mach_msg_return_t pager_serve_one(struct pager_server *server, mach_port_t port,
				  mach_msg_timeout_t timeout_ms);

/* ---- data.c ---- */

/*
 * The receive loop's buffer for the answer it sends with its next
 * receive (pager_serve): NULL when there is none to fill (the answer is
 * sent at once).  A data_request's last data_supply is prepared there,
 * so that the kernel serves it and gives the next request in one trap.
 */
extern mach_msg_header_t *pager_deferred_buffer;
/* True if an answer waits in pager_deferred_buffer. */
bool pager_deferred_ready(void);
/* The deferred answer was sent with result mr: an error answers its
 * pages as data_supply's send would have (memory error, or nothing). */
void pager_deferred_sent(mach_msg_return_t mr);

/* ---- cache.c ---- */

/* True if port has send rights again since its no-senders notification
 * was sent (a stale one): the notification is asked for anew. */
bool pager_senders_again(mach_port_t port);

/* ---- lock.c ---- */

/* Finishes every lock waiting on obj with result. */
void pager_finish_locks(struct pager_object *obj, kern_return_t result);
/* A send-once right of obj's died unused: its oldest lock was refused. */
void pager_lock_right_died(struct pager_object *obj);
