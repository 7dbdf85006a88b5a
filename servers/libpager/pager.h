/*
 * libpager: the pager's side of Pagoda's external pager protocol
 * (idl/defs/memory_object.defs from the kernel, memory_object_control.defs
 * back to it), so that a pager is its page reads and writes and little
 * else.  docs/pagers.md shows a whole pager; the model (the states of an
 * object, who owns which right) is at the top of object.c.
 *
 * A pager program:
 *
 *   struct pager_server server;
 *   pager_server_init(&server, my_demux);          my_demux may be NULL
 *   pager_server_add_port(&server, my_service);    requests for my_demux
 *   pager_create(&server, &my_ops, cookie, size, FALSE, &object, &right);
 *   ... give `right` to a client, which vm_maps it ...
 *   pager_serve(&server);                          for good
 *
 * The library is single-threaded: call it from the thread that runs
 * pager_serve (from inside my_demux's functions, or before pager_serve
 * starts).  The callbacks of struct pager_ops run on that thread too.
 */
#pragma once

#include <mach/mach.h>
#include <mach/memory_object.h>
#include <stdbool.h>

/* The unit of every request; the kernel's page_size must match it. */
#define PAGER_PAGE_SIZE ((vm_size_t)4096)

/* The most objects one program serves at once. */
#define PAGER_OBJECTS_MAX 1024

/*
 * What a pager provides for each object; cookie is what it gave
 * pager_create.  offset is always a multiple of PAGER_PAGE_SIZE below the
 * object's size, and page is PAGER_PAGE_SIZE bytes, page aligned.
 */
struct pager_ops {
	/* The object's data at offset: either fills page, or, where the page
	 * already is in the pager's memory (its store, a cache), points *data
	 * (page on entry) at it instead, page aligned, and keeps it there
	 * unchanged until the request is answered: the kernel copies it from
	 * there, and the copy into page is saved.  KERN_SUCCESS, or an error
	 * the kernel hands to the faulting thread (data_error). */
	kern_return_t (*read_page)(void *cookie, vm_offset_t offset, void *page,
				   const void **data);
	/* Stores page, which the kernel gave back modified.  An error is
	 * logged and counted (struct pager_stats.write_errors); if the kernel
	 * kept the page (page-out), it hears of the error and keeps it dirty,
	 * else (a flush the pager asked for) that page's data is lost. */
	kern_return_t (*write_page)(void *cookie, vm_offset_t offset, const void *page);
	/* The kernel dropped its cache of the object, after giving back its
	 * modified pages; the object lives on and can be mapped again.  May
	 * be NULL. */
	void (*terminated)(void *cookie);
	/* The object is gone: nobody holds a send right to it any more, or
	 * the pager destroyed it (pager_destroy).  The last call with cookie.
	 * May be NULL. */
	void (*released)(void *cookie);
};

/* What happened to one object since pager_create. */
struct pager_stats {
	uint64_t inits;           /* memory_object_init accepted (one per kernel cache) */
	uint64_t terminates;      /* memory_object_terminate accepted */
	uint64_t data_requests;   /* data_request messages accepted */
	uint64_t pages_supplied;  /* pages sent with data_supply */
	uint64_t pages_failed;    /* pages answered with data_error */
	uint64_t data_returns;    /* data_return messages accepted */
	uint64_t pages_written;   /* returned pages given to write_page */
	uint64_t write_errors;    /* of those, pages write_page refused */
	uint64_t unlocks;         /* data_unlock requests granted */
	uint64_t locks_completed; /* lock_request round trips completed */
	uint64_t refused;         /* messages refused: malformed, forged or out of turn */
};

struct pager_object;

/*
 * For a pager that misbehaves on purpose (servers/faultpager, the fault
 * injection of docs/liability-inversion.md): each hook may be NULL, which
 * is the library's own behaviour.
 */
struct pager_hooks {
	/* A message of the kernel's for obj (id: MSGID_memory_object_init,
	 * _data_request, _data_unlock or _data_return; offset: its first
	 * byte, 0 for init), checked and about to be served: false drops it,
	 * unanswered, as if it never came. */
	bool (*take)(struct pager_object *obj, mach_msg_id_t id, vm_offset_t offset);
	/* The offset a data_supply of the pages read for offset names. */
	vm_offset_t (*supply_at)(struct pager_object *obj, vm_offset_t offset);
	/* Whether pages the kernel kept while the pager stores them (a
	 * data_return's kernel_copy) get their return_completed. */
	bool (*acknowledge)(struct pager_object *obj);
};

/* One receive loop: the port set of its objects and of the ports added. */
struct pager_server {
	mach_port_t port_set;   /* private */
	mig_demux_t demux;      /* private: for messages to added ports */
	const struct pager_hooks *hooks;   /* private: pager_server_set_hooks */
	void (*no_senders)(mach_port_t port);   /* private: pager_server_set_no_senders */
};

/*
 * Makes server's port set.  demux (NULL: none) serves the messages that
 * arrive on ports given to pager_server_add_port, with MIG's rules
 * (mach/mig_support.h); its replies must fit MACH_MSG_SIZE_MAX.
 * Errors: those of mach_port_allocate.
 */
kern_return_t pager_server_init(struct pager_server *server, mig_demux_t demux);

/*
 * Moves the receive right port into server's set: its messages go to the
 * server's demux.
 * Errors: those of mach_port_move_member.
 */
kern_return_t pager_server_add_port(struct pager_server *server, mach_port_t port);

/*
 * Has notify(port) called once no send right to port, a port given to
 * pager_server_add_port, is left.  The pager asks for the notification
 * itself (mach_port_request_notification: MACH_NOTIFY_NO_SENDERS, the
 * port itself as the notify port, MACH_MSG_TYPE_MAKE_SEND_ONCE); the
 * library serves it as it serves its objects' (docs/pagers.md): it must
 * come through a send-once right, and if senders were made since, it is
 * asked for again instead.  NULL, the default: such notifications are
 * refused.  (The library defines notify.defs' server functions, so a
 * pager cannot serve notifications itself.)
 */
void pager_server_set_no_senders(struct pager_server *server, void (*notify)(mach_port_t port));

/* Makes server misbehave as hooks say (NULL: not at all), from the next
 * message on. */
void pager_server_set_hooks(struct pager_server *server, const struct pager_hooks *hooks);

/*
 * Serves server's ports for good: the objects' messages by the pager
 * protocol, the added ports' by the demux.  Returns only if receiving
 * fails, with mach_msg's error.
 */
mach_msg_return_t pager_serve(struct pager_server *server);

/*
 * Makes a memory object of size bytes (rounded up to whole pages) whose
 * data ops reads and writes; served by server.  *object_right is a send
 * right to it, the caller's to give away (clients pass it to vm_map);
 * *object (if not NULL) is the library's handle.  With may_cache the
 * kernel may keep the object's pages cached after its last mapping goes
 * (memory_object_ready); else it gives them back and terminates the cache.
 * Errors: KERN_INVALID_ARGUMENT (size is 0, or ops lacks read_page or
 * write_page), KERN_RESOURCE_SHORTAGE (PAGER_OBJECTS_MAX objects exist),
 * and those of mach_port_allocate, mach_port_insert_right,
 * mach_port_request_notification and mach_port_move_member.
 */
kern_return_t pager_create(struct pager_server *server, const struct pager_ops *ops,
			   void *cookie, vm_size_t size, bool may_cache,
			   struct pager_object **object, mach_port_t *object_right);

/*
 * Takes on an object the kernel made (memory_object_create, to the
 * default pager): port is its receive right, control a send right to its
 * cache's control port, size its size (whole pages).  It is served as
 * one of pager_create's whose init was answered: the kernel treats it as
 * ready at once.  The library owns both rights on success; on error the
 * caller keeps them.
 * Errors: KERN_INVALID_ARGUMENT (size 0 or not whole pages, ops lacks
 * read_page or write_page, or port is an object's already),
 * KERN_RESOURCE_SHORTAGE (PAGER_OBJECTS_MAX objects exist), and those of
 * mach_port_request_notification and mach_port_move_member.
 */
kern_return_t pager_adopt(struct pager_server *server, const struct pager_ops *ops, void *cookie,
			  mach_port_t port, vm_size_t size, mach_port_t control,
			  struct pager_object **object);

/* The object whose port is name, or NULL: how a request that names an
 * object (a send right under the object's name) finds it. */
struct pager_object *pager_lookup(mach_port_t name);

void *pager_cookie(const struct pager_object *object);
vm_size_t pager_size(const struct pager_object *object);
mach_port_t pager_port(const struct pager_object *object);
void pager_get_stats(const struct pager_object *object, struct pager_stats *stats);

/*
 * Asks the kernel for its cached pages of [offset, offset + size) and
 * waits until it has done as asked (memory_object_lock_request, then
 * lock_completed): should_return says which pages come back
 * (MEMORY_OBJECT_RETURN_NONE, _DIRTY or _ALL), and are given to
 * write_page before this returns; with should_flush the kernel then drops
 * them, so that the next touch asks for them again; lock_value is the
 * access the kernel withholds from the pages it keeps (VM_PROT_NONE: none
 * withheld).  Typical uses: "clean" (RETURN_DIRTY, no flush) so that the
 * store holds what was written; "flush" (RETURN_DIRTY, flush).
 *
 * While it waits it serves the object's own messages, and only those
 * (data_requests of other threads of the kernel, the pages coming back):
 * other objects and the added ports wait.  Call it from the demux's
 * functions, never from a struct pager_ops callback (KERN_FAILURE).
 * If the kernel ends its cache meanwhile (terminate, after giving back
 * its modified pages), or has none, there is nothing cached: success.
 * Errors: KERN_INVALID_ARGUMENT (range not page aligned, empty, or beyond
 * the object), KERN_INVALID_VALUE (should_return or lock_value out of
 * range), KERN_FAILURE (called from a callback), KERN_ABORTED (the kernel
 * refused the request, or the object was released meanwhile: then it is
 * gone, which pager_lookup of its port tells; a caller that holds a send
 * right to the object, as a request naming it brings, keeps it alive),
 * KERN_OPERATION_TIMED_OUT (nothing completed within timeout_ms), or
 * mach_msg's error sending the request.
 */
kern_return_t pager_lock(struct pager_object *object, vm_offset_t offset, vm_size_t size,
			 memory_object_return_t should_return, bool should_flush,
			 vm_prot_t lock_value, mach_msg_timeout_t timeout_ms);

/*
 * Gives up object: the kernel ends every mapping of it and later faults
 * on it fail with reason (memory_object_destroy), its port is destroyed,
 * and released is called.  The object must not be used after this.  Like
 * pager_lock, not from a struct pager_ops callback.
 * Errors: KERN_FAILURE (called from a callback: nothing was done).  The
 * kernel's cache may already be gone; that is no error.
 */
kern_return_t pager_destroy(struct pager_object *object, kern_return_t reason);
