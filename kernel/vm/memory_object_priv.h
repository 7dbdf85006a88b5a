/*
 * What memory_object.c shares with the other files of the kernel's side
 * of the pager protocol (memory_object_replace.c).
 */
#pragma once

#include <mach/memory_object.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

struct ipc_port;
struct vm_object;

/* A send right to the object's pager for one message: the kernel's stubs
 * consume the naked right they are given (COPY_SEND from the kernel moves
 * the right the caller made). */
struct ipc_port *memory_object_right(struct vm_object *object);

/* Wakes every thread waiting on object's pager. */
void memory_object_wake_waiters(struct vm_object *object);

/* The pager will not answer for its laundry: those pages are dirty again
 * (their data is still here, and nowhere else for certain). */
void memory_object_laundry_to_dirty(struct vm_object *object);

/* The object of a memory object's port, if the kernel caches it. */
struct vm_object *memory_object_of_port(struct ipc_port *port);

/*
 * The lock_request work on [start, end): returns pages as should_return
 * says (runs of contiguous pages, one message each), then flushes them or
 * sets their lock.  A range much larger than what is resident is done
 * page by page from the object's list.
 */
void memory_object_lock_range(struct vm_object *object, uint64_t start, uint64_t end,
		memory_object_return_t should_return, bool flush, vm_prot_t lock);
