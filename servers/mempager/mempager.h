/*
 * mempager: the example pager (idl/defs/mempager.defs).  Each object's
 * store is memory of mempager's own (vm_allocate), read and written by
 * libpager's callbacks; clients make objects and look at their stores
 * through mempager's port.
 *
 *   main.c    the receive loop
 *   object.c  create, share, objects; the store's life; the pager_ops
 *   store.c   fill, checksum: the store as the clients see it
 *   cache.c   sync, stats: the kernel's cache of an object
 */
#pragma once

#include <mempagerServer.h>

#include "pager.h"

/* An object's store: size bytes at data, under `objects` objects. */
struct mempager_store {
	uint8_t *data;
	vm_size_t size;
	unsigned objects;
	struct mempager_store *next_free;
};

/* The store's callbacks: read_page points the kernel at the store's
 * page, write_page copies a returned page into it (cookie: the store). */
extern const struct pager_ops mempager_store_ops;

/* Objects are served by server from now on, their data read and written
 * by ops (mempager_store_ops, or callbacks of a pager built on mempager's
 * files, servers/faultpager, that call them). */
void mempager_objects_init(struct pager_server *server, const struct pager_ops *ops);

/*
 * The object a request names by memory_object, a send right the request
 * brought, or NULL (not one of ours).  A server function that finds it
 * and succeeds releases that right with mempager_done.
 */
struct pager_object *mempager_object(mach_port_t memory_object);
kern_return_t mempager_done(mach_port_t memory_object);

/* True if [offset, offset + size) is whole words inside the store. */
bool mempager_words_ok(const struct mempager_store *store, vm_offset_t offset, vm_size_t size);
