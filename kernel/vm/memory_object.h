/*
 * The kernel's side of the external pager protocol (idl/defs/
 * memory_object.defs, memory_object_control.defs; docs/vm.md).
 *
 * An external object is made the first time a memory object's port is
 * mapped (vm_object_enter_pager): the object keeps a naked send right to
 * the port, and the port points back at the object (ipc_port.
 * memory_object), so a second mapping finds the same object.  The kernel
 * makes the object's control port (a kernel object, IKOT_PAGER_CONTROL)
 * and sends memory_object_init; the pager answers ready.
 *
 * A fault on a page the object lacks places an absent, busy page and sends
 * data_request; the pager answers on the control port (served by the
 * kernel in the pager's thread) and the kernel checks every answer
 * against what it asked: data for a page it did not ask for, at a
 * misaligned offset, outside the object, or of a size that is not whole
 * pages is refused and logged, never used.  Faults wait with the object's
 * deadline (kernel option pager_deadline, milliseconds).
 *
 * Life of the pager relation:
 *
 *   waiting ready   init sent; faults wait for ready (deadline applies)
 *   ready           requests flow
 *   failed          the pager died (its port's receive right was
 *                   destroyed) or sent destroy: waiting faults end at
 *                   once with KERN_MEMORY_FAILURE, and so do later ones
 *   terminated      the object's last reference went: dirty pages went
 *                   back by data_return, then terminate; the control
 *                   port is destroyed
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/memory_object.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

struct ipc_port;
struct vm_object;
struct vm_page;

/* The deadline of waits on pagers, ns (kernel option pager_deadline). */
extern uint64_t vm_pager_deadline_ns;

/*
 * The external object of the memory object port (the object takes a send
 * right of its own), made and initialised if the port has none,
 * covering at least [0, end).  A reference.  Errors:
 * KERN_INVALID_ARGUMENT (a kernel object's port), KERN_INVALID_NAME (a
 * dead port), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_object_enter_pager(struct ipc_port *port, uint64_t end,
				    struct vm_object **out);

/* A new absent page of object at offset, asked of the pager; *page is it.
 * KERN_RESOURCE_SHORTAGE, KERN_MEMORY_FAILURE (the pager is gone). */
kern_return_t memory_object_request(struct vm_object *object, uint64_t offset,
				    vm_prot_t access, struct vm_page **page);

/* Asks the pager for more access to a locked page (data_unlock). */
kern_return_t memory_object_unlock(struct vm_object *object, struct vm_page *page,
				   vm_prot_t access);

/* An absent page whose request failed (deadline, dead pager) goes. */
void memory_object_request_failed(struct vm_object *object, struct vm_page *page);

/* The policy objects get when first mapped (vm_pager_policy_set with no
 * object), VM_PAGER_POLICY_FAIL unless set. */
extern vm_pager_policy_t vm_pager_default_policy;

/* RETRY: asks the pager again for the absent page it has not answered.
 * KERN_MEMORY_FAILURE if the request cannot be sent (a dead pager). */
kern_return_t memory_object_request_again(struct vm_object *object, struct vm_page *page,
					  vm_prot_t access);

/* RETRY: sends init again to a pager that has not said ready. */
kern_return_t memory_object_init_again(struct vm_object *object);

/* ZERO: the page (absent, or new and busy) becomes a page of zeros, in
 * place of the pager's data (why goes to the log, every time). */
void memory_object_zero_fill(struct vm_object *object, struct vm_page *page, const char *why);

/* FALLBACK: the pager missed a deadline: the object is treated as if its
 * pager had died (its waits end, its laundry is dirty again), so that
 * page-out hands its dirty pages to the default pager. */
void memory_object_fall_back(struct vm_object *object);

/* host.defs vm_pager_policy_set and _get: the object of port (a memory
 * object's port), or the default with port NULL.  Their errors. */
kern_return_t memory_object_policy_set(struct ipc_port *port, vm_pager_policy_t policy,
				       uint32_t deadline_ms);
/* host.defs vm_pager_stats: the record of the object of port
 * (memory_object_info.c). */
kern_return_t memory_object_stats(struct ipc_port *port, struct vm_pager_stats *stats);
/* host.defs vm_pager_objects: the objects with a pager whose ids are
 * first or more, at most max of them in out, and how many there are in
 * *total.  Returns the number written. */
unsigned memory_object_list(uint64_t first, struct vm_pager_object *out, unsigned max,
			    unsigned *total);
/* host.defs vm_pager_object_port: a new naked send right to the pager
 * port of the object whose id is id (memory_object_info.c). */
kern_return_t memory_object_port_of(uint64_t id, struct ipc_port **port);
kern_return_t memory_object_policy_get(struct ipc_port *port, vm_pager_policy_t *policy,
				       uint32_t *deadline_ms);

/* The object's last reference went: dirty pages back, then terminate. */
void memory_object_terminate_pager(struct vm_object *object);

/*
 * Page-out of one dirty (or precious) page of an object with a live
 * pager: a copy goes to the pager by data_return and the page stays,
 * clean and LAUNDRY, until return_completed.  False if the copy could
 * not be made (no memory; logged): the page is unchanged.
 */
bool memory_object_page_out(struct vm_object *object, struct vm_page *page);

/* vm_set_default_memory_manager (host.defs): port (a naked send right,
 * taken on success) becomes the default pager; NULL asks whether a live
 * one is set.  Its errors. */
kern_return_t memory_object_set_default_pager(struct ipc_port *port);

/*
 * Hands an object to the default pager (memory_object_create): an
 * internal object without a pager, or an external one whose pager died
 * (orphaned: the pages the kernel still holds are the only copy left).
 * A port of its own, whose receive right goes to the default pager,
 * becomes its pager, ready at once.  False if there is no live default
 * pager or no memory: nothing changed (or, if the default pager died
 * meanwhile, the object's pager failed).
 */
bool memory_object_default_attach(struct vm_object *object);

/*
 * Spill (vm_object.spill): page-out of a dirty page whose pager may not
 * take it now (vm_pageout.h: past its bound on laundry, paused after a
 * refusal, not ready) gives it to the default pager instead, in an
 * internal object as large as the object.  A fault on a spilled page
 * takes it back (dirty: its pager has never had it); a lock_request that
 * returns dirty pages takes back those of its range first, one that only
 * flushes drops them; the object's end takes all back and returns them to
 * the pager (page-out fetches those that are out first).
 *
 * may_spill: whether object's pages may spill (an external object with
 * a live pager, and a live default pager).  spill: page goes to object's
 * spill; false (nothing done) if it cannot.  spilled: whether the spill
 * holds the page at offset.  unspill: page, the spill's and resident,
 * becomes object's again.  spill_out: whether pages of object's spill are
 * out at the default pager and object's pager must get them at its end.
 * fetch_spill: brings them all back (waiting on the default pager); false
 * if memory ran short first.
 */
bool memory_object_may_spill(const struct vm_object *object);
bool memory_object_spill(struct vm_object *object, struct vm_page *page);
bool memory_object_spilled(const struct vm_object *object, uint64_t offset);
void memory_object_unspill(struct vm_object *object, struct vm_page *page);
bool memory_object_spill_out(const struct vm_object *object);
bool memory_object_fetch_spill(struct vm_object *object);

/*
 * host.defs vm_pager_replace: new_pager (a send right, taken on success)
 * becomes the pager of the object of port, in mode
 * (VM_PAGER_REPLACE_*), while the object stays mapped
 * (memory_object_replace.c).  Waits on the old pager, each up to the
 * object's deadline.  Its errors.
 */
kern_return_t memory_object_replace(struct ipc_port *port, struct ipc_port *new_pager, int mode);

/* The port's receive right died (ipc_port.c, ipc_lock held). */
void memory_object_port_died_locked(struct ipc_port *port);
