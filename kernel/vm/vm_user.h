/*
 * A task's user memory before the VM layer: an interim layer, replaced by
 * vm_map when the VM issue lands (docs/architecture.md, "User memory").
 *
 * Model.  There is no vm_map yet: a task's page tables are the record of
 * what is allocated.  Memory is page-granular and anonymous; each page is
 * a vm_page on the task's ownership list (task->pages) mapped at exactly
 * one address of its pmap.  A page is in one state:
 *
 *   unmapped   no entry in the task's tables
 *   mapped     on task->pages, mapped with a protection (VM_PROT_NONE
 *              included: the entry faults but keeps the frame, pmap.h)
 *
 * vm_user_allocate (or task_map_page, the ELF loader's call) takes a page
 * from unmapped to mapped; vm_user_deallocate and the end of the task
 * take it back, returning the frame to vm_page.  Page tables emptied by a
 * deallocation are freed.  There are no shared pages, no copy-on-write,
 * no maximum protection and no paging; out-of-line data is copied.
 *
 * Locking: none of its own.  The kernel is uniprocessor and not
 * preemptible and these calls never block, so each runs to completion
 * without another thread seeing the task's tables half changed (the
 * vm_map lock takes this over).  The caller holds a reference on task.
 *
 * Ranges: an address range [address, address + size) must lie inside the
 * user half (below USER_ADDRESS_LIMIT, usercopy.h) without wrapping, and
 * is widened to whole pages: [trunc(address), round(address + size)).
 * Every call below can also return KERN_INVALID_TASK: the task has been
 * destroyed (its memory is gone), or is the kernel task (no user half).
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

struct task;

/* Where vm_user_allocate looks for room "anywhere": from 4 GiB (above
 * the programs' segments) up to the initial stack (boot_module.h). */
#define VM_USER_ALLOC_BASE  0x0000000100000000ull
#define VM_USER_ALLOC_LIMIT (0x00007ffffff00000ull - 64 * 1024)

/*
 * Allocates round(size) bytes of zero-filled read/write memory in task.
 * anywhere: in the first free range at or above VM_USER_ALLOC_BASE (the
 * value of *address is ignored); else exactly at *address.  Sets
 * *address to the start.  Size 0 allocates nothing, sets *address to 0
 * and succeeds (as Mach does).  Errors, after which nothing is allocated:
 *   KERN_INVALID_ADDRESS    fixed: *address not page aligned, or the
 *                           range leaves the user half or wraps
 *   KERN_NO_SPACE           fixed: a page of the range is mapped;
 *                           anywhere: no free range is large enough
 *   KERN_RESOURCE_SHORTAGE  out of pages for memory or page tables
 */
kern_return_t vm_user_allocate(struct task *task, uint64_t *address, uint64_t size,
			       bool anywhere);

/*
 * Unmaps the task's pages in the range and frees them; unmapped pages in
 * the range are skipped (Mach semantics), and so are missing page-table
 * subtrees, so a huge sparse range (the whole user half) is cheap.  Size
 * 0 does nothing.  Errors: KERN_INVALID_ADDRESS (the range leaves the user
 * half or wraps; nothing is freed).
 */
kern_return_t vm_user_deallocate(struct task *task, uint64_t address, uint64_t size);

/*
 * Sets the protection of the mapped pages in the range to prot; unmapped
 * pages are skipped.  VM_PROT_NONE keeps the pages, but every access
 * faults.  There is no maximum protection yet: set_maximum is accepted
 * and prot is applied as the current protection all the same.  x86 reads
 * what it can write or execute, so pmap_lookup reports such pages with
 * VM_PROT_READ as well.  Errors: KERN_INVALID_ARGUMENT (prot has bits
 * outside VM_PROT_ALL), KERN_INVALID_ADDRESS (as for deallocate).
 */
kern_return_t vm_user_protect(struct task *task, uint64_t address, uint64_t size,
			      bool set_maximum, vm_prot_t prot);

/*
 * Allocates round(size) bytes anywhere in task and copies size bytes of
 * kernel memory src there (through the frames' direct-map addresses, so
 * task need not be the current task); the rest of the last page is zero.
 * Sets *address to the copy.  Size 0 sets *address to 0 and succeeds.
 * Errors: those of vm_user_allocate anywhere.
 */
kern_return_t vm_user_copyout(struct task *task, const void *src, uint64_t size,
			      uint64_t *address);

/*
 * Copies size bytes of task's memory at address into kernel memory dst,
 * through the task's page tables and the direct map (any task, not only
 * the current one).  Errors, after which dst is untouched:
 * KERN_INVALID_ADDRESS (the range leaves the user half or wraps, or a page
 * of it is unmapped or not readable by the task).
 */
kern_return_t vm_user_copyin(struct task *task, uint64_t address, void *dst, uint64_t size);
