/*
 * Page faults (Mach's vm_fault): making the page at an address of a map
 * resident and mapping it, as the map's entry says.
 *
 * The page comes from the first object on the entry's shadow chain that
 * has it: resident there, spilled (taken back from the default pager,
 * memory_object.h), or asked of that object's pager (the thread
 * waits, with the object's deadline), or, past the end of the chain, a
 * zero-filled page of the entry's own object.  A write to a page found
 * behind the entry's object copies it into that object first
 * (copy-on-write), and a write to an object that has a delayed copy
 * pushes the page's old contents to the copy first (vm_object.h).
 *
 * A fault waits only for a pager.  After a wait it starts again from the
 * map lookup: the map, the objects and the page may all have changed.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <stdint.h>

struct vm_map;
struct vm_object;
struct vm_page;

#define VM_FAULT_WAIT 1u   /* may wait for a pager (else KERN_ABORTED) */
#define VM_FAULT_WIRE 2u   /* wire the page (vm_wire); implies WAIT */

/*
 * Resolves a fault at va in map for access and maps the page in map's
 * pmap; *pa (if pa is not NULL) is its physical address, valid until the
 * caller next waits.  Errors: KERN_INVALID_ADDRESS (nothing mapped at
 * va), KERN_PROTECTION_FAILURE (access exceeds the entry's protection),
 * KERN_MEMORY_ERROR (the pager sent data_error), KERN_MEMORY_FAILURE (the
 * pager died or destroyed the object), KERN_OPERATION_TIMED_OUT (the
 * pager's deadline passed), KERN_DEADLOCK (the wait closed a waits-for
 * cycle, vm_waits.h), KERN_RESOURCE_SHORTAGE (no page), KERN_ABORTED
 * (the thread is being terminated, or it would have to wait without
 * VM_FAULT_WAIT).
 */
kern_return_t vm_fault(struct vm_map *map, uint64_t va, vm_prot_t access, unsigned flags,
		       uint64_t *pa);

/*
 * The page of object at offset, made resident as a read fault would
 * (waiting for its pager, or its spill's), without a map: in *out, or
 * NULL if object has none of its own there (zero, or its shadow's).
 * For page-out, which takes spilled pages back (vm_pageout.h).  vm_fault's
 * errors.
 */
kern_return_t vm_fault_object_page(struct vm_object *object, uint64_t offset,
				   struct vm_page **out);
