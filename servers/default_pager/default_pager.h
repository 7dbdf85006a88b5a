/*
 * The default pager: the pager of anonymous memory.  The kernel hands it
 * an internal object (memory_object_create, on a port only the kernel
 * holds) when page-out first writes one of the object's pages; from then
 * on it stores the pages the kernel returns on the swap disk, and reads
 * them back when the kernel asks.  It serves the objects with libpager;
 * its clients' port answers default_pager.defs (info).
 *
 * It is one of the tasks page-out depends on: booted with the word
 * "wired" (bootstrap's vm_privilege), all its memory is wired and it may
 * take the kernel's reserved pages, so that writing pages out never
 * waits for pages to be written out.  The disk driver it writes through
 * is booted the same way.
 *
 *   main.c     the receive loop
 *   objects.c  create; each object's page -> swap slot table; the pager_ops
 *   swap.c     the swap disk: its slot map, reads and writes, info
 */
#pragma once

#include <default_pagerServer.h>
#include <memory_object_defaultServer.h>

#include "pager.h"

/* The swap disk's name in the name service, from "swap=NAME" (default
 * "disk1": make run's second disk). */
void swap_init(const char *disk_name, mach_port_t names);

/*
 * A free slot (a page of the swap disk), taken: KERN_SUCCESS, or
 * KERN_RESOURCE_SHORTAGE when the disk is full or has not been found
 * (the first call waits a few seconds for the disk driver).
 */
kern_return_t swap_alloc(uint32_t *slot);
void swap_free(uint32_t slot);

/* Writes (reads) one page at slot: KERN_SUCCESS, or KERN_MEMORY_ERROR
 * when the disk failed (logged). */
kern_return_t swap_write(uint32_t slot, const void *page);
kern_return_t swap_read(uint32_t slot, void *page);

/* Objects are served by server; private is the port the kernel sends
 * create to, public the clients' (info). */
void objects_init(struct pager_server *server, mach_port_t private_port,
		  mach_port_t public_port);
/* True if port is the clients' port. */
bool objects_is_public(mach_port_t port);
/* The objects handed over and not ended. */
uint64_t objects_count(void);
