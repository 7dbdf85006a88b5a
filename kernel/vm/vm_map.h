/*
 * Address spaces (Mach's vm_map): a task's user memory as a sorted list
 * of entries, each mapping a range of addresses to a range of a
 * vm_object, with a protection, a maximum protection and an inheritance.
 * The map's pmap holds the translations the MMU uses; they are a cache
 * of what the entries say, filled by page faults (vm_fault.h) and
 * dropped at will.
 *
 * An entry is in one of these states:
 *
 *   zero        object NULL: memory never touched; the first fault makes
 *               an internal object for the whole entry
 *   private     its object is written only through this entry
 *   needs_copy  its object is shared copy-on-write with a copy (task
 *               creation, a message, vm_copy): the first write makes a
 *               shadow object for the entry (vm_object_shadow) and the
 *               entry becomes private; until then it is mapped read-only
 *   shared      is_shared: others write to the same object (share
 *               inheritance, or vm_map of a memory object without copy);
 *               a copy of it is a delayed copy (vm_object_copy_delayed)
 *
 * Copies of memory (vm_map_copy) are detached lists of entries, made by
 * vm_map_copyin and put into a map by vm_map_copyout: the cost follows
 * the entries, not the bytes.  Out-of-line message data and vm_read,
 * vm_write and vm_copy use them; small copies are made by copying the
 * bytes into pages of a new object at once.
 *
 * Locking: as vm_resident.h.  The only waits are in vm_fault, which
 * looks the address up again after every wait: the map may have changed
 * meanwhile.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/vm_info.h>
#include <mach/vm_prot.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/pmap.h"

struct vm_object;

/* Where "anywhere" allocations go: from 4 GiB (above the programs'
 * segments) to below the initial stack (boot_module.h). */
#define VM_MAP_ALLOC_BASE  0x0000000100000000ull
#define VM_MAP_MAX         0x0000800000000000ull

struct vm_map_entry {
	struct vm_map_entry *prev, *next;  /* [M] sorted by address */
	uint64_t start, end;               /* [M] page aligned */
	struct vm_object *object;          /* [M] with a reference, or NULL */
	uint64_t offset;                   /* [M] of start in object */
	vm_prot_t protection;              /* [M] */
	vm_prot_t max_protection;          /* [M] */
	vm_inherit_t inheritance;          /* [M] */
	bool needs_copy;                   /* [M] */
	bool is_shared;                    /* [M] */
	uint16_t wired_count;              /* [M] */
};

struct vm_map {
	struct vm_map_entry header;  /* [M] list head: next is the first entry */
	uint32_t nentries;           /* [M] */
	uint32_t ref_count;          /* [M] the task's, and calls in progress */
	uint64_t timestamp;          /* [M] changes whenever entries do */
	struct vm_map_entry *hint;   /* [M] the last entry found */
	bool wire_all;               /* [M] every entry is wired as it is made */
	uint64_t wired_pages;        /* [M] pages of its wired entries */
	struct pmap pmap;
};

/*
 * A detached copy of memory (see above): entries from address 0.  A copy
 * in place has no entries yet: its data is still at source_address in
 * source (vm_map_copyin_in_place).
 */
struct vm_map_copy {
	struct vm_map_entry *entries;  /* next-linked; prev unused */
	uint64_t offset;               /* of the data in the first page */
	uint64_t size;                 /* bytes of data */
	struct vm_map *source;         /* in place: the map (a reference, unless borrowed), */
	uint64_t source_address;       /* and where the data is in it */
	struct vm_map_copy *next;      /* on a list of copies to discard (ipc) */
	bool borrowed;                 /* in place in its sender's frame (ipc_fast.c): the
					  struct is not freed, the map not referenced */
};

/* Freed copy structs kept for reuse (host_ipc_info.copies_cached). */
extern unsigned vm_map_copy_cached;

/* Below this many bytes a copy copies the bytes at once (into pages of
 * its own); from it on, a copy is virtual (copy-on-write). */
#define VM_MAP_COPY_VIRTUAL_MIN (4u * 4096u)

/* A new empty map with its own pmap.  KERN_RESOURCE_SHORTAGE. */
kern_return_t vm_map_create(struct vm_map **out);

void vm_map_reference(struct vm_map *map);
/* Drops a reference; the last one frees every entry, and the pmap. */
void vm_map_deallocate(struct vm_map *map);

/* Frees everything the map maps (the task's end): [0, VM_MAP_MAX). */
void vm_map_terminate(struct vm_map *map);

/*
 * Maps [*address, *address + size) to object from offset (the caller's
 * reference moves to the map; NULL object: zero-filled memory).
 * anywhere: the lowest free range at or above VM_MAP_ALLOC_BASE aligned
 * to mask + 1.  Errors: KERN_INVALID_ADDRESS (outside the user half),
 * KERN_NO_SPACE (no room, or the fixed range is in use),
 * KERN_RESOURCE_SHORTAGE; on error the reference stays the caller's.
 * In a map that wires all (wire_all) the range is wired at once: that
 * faults it in, and may wait.
 */
kern_return_t vm_map_enter(struct vm_map *map, uint64_t *address, uint64_t size,
			   uint64_t mask, bool anywhere, struct vm_object *object,
			   uint64_t offset, bool needs_copy, vm_prot_t cur, vm_prot_t max,
			   vm_inherit_t inheritance);

/* Unmaps [start, end) (page aligned); holes are skipped. */
void vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end);

/* vm_protect, vm_inherit, vm_region: the errors of vm_map.defs. */
kern_return_t vm_map_protect(struct vm_map *map, uint64_t start, uint64_t end,
			     vm_prot_t prot, bool set_max);
kern_return_t vm_map_inherit(struct vm_map *map, uint64_t start, uint64_t end,
			     vm_inherit_t inheritance);
/* The bytes map's entries cover, and of those the pages resident in each
 * entry's own object (a shadow's pages below it are not counted). */
void vm_map_sizes(struct vm_map *map, uint64_t *virtual_size, uint64_t *resident_size);

kern_return_t vm_map_region(struct vm_map *map, uint64_t *address, uint64_t *size,
			    struct vm_region_info *info);

/* The most pages a map may have wired (0: no bound), set at boot: a
 * quarter of the machine.  Wiring past it is KERN_RESOURCE_SHORTAGE. */
extern uint64_t vm_map_wired_limit;

/* vm_wire: access VM_PROT_NONE unwires.  The errors of host.defs. */
kern_return_t vm_map_wire(struct vm_map *map, uint64_t start, uint64_t end, vm_prot_t access);

/*
 * Wires every entry of map that is not wired yet, each with the access
 * its protection allows (none: left alone), and makes map wire every
 * entry made from now on (wire_all): a VM-privileged task's.  The first
 * error of vm_map_wire; what could be wired is.
 */
kern_return_t vm_map_wire_all(struct vm_map *map);

/* The same for the entries in [start, end) (just mapped), if map wires
 * all; what cannot be wired (memory is short) stays mapped, logged. */
void vm_map_wire_new(struct vm_map *map, uint64_t start, uint64_t end);

/*
 * The child's map for task_create with inherit_memory: every entry of
 * old as its inheritance says.  KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_map_fork(struct vm_map *old, struct vm_map **out);

/* vm_msync: vm_pageout_sync over the objects of [start, end), which must
 * all be mapped (else KERN_INVALID_ADDRESS). */
kern_return_t vm_map_msync(struct vm_map *map, uint64_t start, uint64_t end, int flags);

/*
 * The entry that holds va, or the one before it (the header if none):
 * true if va is inside the returned entry.
 */
bool vm_map_lookup_entry(struct vm_map *map, uint64_t va, struct vm_map_entry **out);

/*
 * Copies of memory.  vm_map_copyin: a copy of [address, address + size)
 * of map, which must be mapped and readable; with destroy the range is
 * unmapped after (its pages move when they can).  Errors:
 * KERN_INVALID_ADDRESS (outside the user half, or a hole),
 * KERN_PROTECTION_FAILURE, KERN_RESOURCE_SHORTAGE, and vm_fault's for the
 * bytes of a small copy.  Size 0 gives a NULL copy.
 */
kern_return_t vm_map_copyin(struct vm_map *map, uint64_t address, uint64_t size, bool destroy,
			    struct vm_map_copy **out);

/*
 * A copy in place of [address, address + size) of map, checked as
 * vm_map_copyin checks it, whose bytes are read only when the copy is
 * used: for a small region sent to a kernel object, which the kernel
 * serves in the sender's context before the send returns, so the data is
 * copied once, straight to where it goes.  vm_map_copy_take_page reads it
 * in place; any other use makes it an ordinary copy first
 * (vm_map_copy_materialize, whose errors are vm_map_copyin's).
 *
 * With room, the copy is made there and borrows the map: the caller
 * (the current thread, whose map it is) discards it before it returns.
 */
kern_return_t vm_map_copyin_in_place(struct vm_map *map, uint64_t address, uint64_t size,
				     struct vm_map_copy *room, struct vm_map_copy **out);
kern_return_t vm_map_copy_materialize(struct vm_map_copy *copy);

/* A copy of kernel memory (bytes copied into pages of its own). */
kern_return_t vm_map_copyin_kernel(const void *data, uint64_t size, struct vm_map_copy **out);

/* A copy of size bytes of a kalloc'd buffer of alloc bytes, which it
 * frees (even on error).  Size 0 gives a NULL copy. */
kern_return_t vm_map_copy_from_buffer(void *buf, uint64_t alloc, uint64_t size,
				      struct vm_map_copy **out);

/* Puts copy into map anywhere (consuming it on success): *address is
 * where its data starts.  KERN_NO_SPACE, KERN_RESOURCE_SHORTAGE. */
kern_return_t vm_map_copyout(struct vm_map *map, uint64_t *address, struct vm_map_copy *copy);

/*
 * Overwrites map's [address, address + copy->size) (address page aligned,
 * mapped and writable) with copy, consuming it on success.  Errors as
 * vm_write's (vm_map.defs).
 */
kern_return_t vm_map_copy_overwrite(struct vm_map *map, uint64_t address,
				    struct vm_map_copy *copy);

void vm_map_copy_discard_owned(struct vm_map_copy *copy);

/* Frees copy (NULL: nothing) and what it holds.  A borrowed copy still in
 * place holds nothing: its discard is a test, in line, on the path of
 * every small region a pager sends the kernel. */
static inline void vm_map_copy_discard(struct vm_map_copy *copy)
{
	if (copy != NULL && !(copy->borrowed && copy->entries == NULL))
		vm_map_copy_discard_owned(copy);
}

/* A copy of [0, size) of object (whose reference it takes). */
struct vm_object;
kern_return_t vm_map_copy_of_object(struct vm_object *object, uint64_t size,
				    struct vm_map_copy **out);

/*
 * data_supply's use of a copy: the data at relative address at fills the
 * absent page placeholder of object.  The copy's own page moves into the
 * object in its place (placeholder is freed; look the page up again);
 * else the bytes are copied into placeholder.  False if the data is not
 * in memory (it would have to come from another pager, or, for a copy in
 * place, from a fault that waits: vm_map_copy_materialize, then again).
 * Never waits, so placeholder stays valid.
 */
struct vm_page;
bool vm_map_copy_take_page(struct vm_map_copy *copy, uint64_t at, struct vm_object *object,
			   struct vm_page *placeholder);

/*
 * Reads and writes another task's memory from the kernel (the program
 * loader, debugging): through faults, so memory not yet touched is made
 * and copy-on-write is honoured; force writes through a read-only
 * protection (the loader writes text).  Errors are vm_fault's.
 */
kern_return_t vm_map_read_kernel(struct vm_map *map, uint64_t address, void *dst, uint64_t size);
kern_return_t vm_map_write_kernel(struct vm_map *map, uint64_t address, const void *src,
				  uint64_t size);
