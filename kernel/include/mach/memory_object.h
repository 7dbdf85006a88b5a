/*
 * Types of the pager protocol (idl/defs/memory_object*.defs), Mach's names
 * and values.  A memory object is a port whose receiver is a pager; its
 * control port is the kernel's handle for one cache of that object.
 */
#pragma once

#include <mach/machine/vm_types.h>
#include <mach/port.h>

typedef mach_port_t memory_object_t;         /* the pager's port */
typedef mach_port_t memory_object_control_t; /* the kernel's port for the cache */
typedef mach_port_t memory_object_default_t; /* the default pager's port */

/* Which pages memory_object_lock_request asks the kernel to return. */
typedef int memory_object_return_t;
#define MEMORY_OBJECT_RETURN_NONE     0 /* return no page */
#define MEMORY_OBJECT_RETURN_DIRTY    1 /* return dirty pages */
#define MEMORY_OBJECT_RETURN_ALL      2 /* return dirty and precious pages */

/* How the kernel copies the object's data (copy strategies). */
typedef int memory_object_copy_strategy_t;
#define MEMORY_OBJECT_COPY_NONE       0 /* copy by reading the pager's data */
#define MEMORY_OBJECT_COPY_CALL       1 /* ask the pager (not used yet) */
#define MEMORY_OBJECT_COPY_DELAY      2 /* copy-on-write; the pager never changes data */

/*
 * What a fault does when the pager has not answered its data_request by
 * the object's deadline, or when the pager dies (host.defs
 * vm_pager_policy_set).  docs/vm.md, "Pager policies".
 */
typedef int vm_pager_policy_t;
#define VM_PAGER_POLICY_FAIL     0 /* the fault fails: EXC_BAD_ACCESS (the default) */
#define VM_PAGER_POLICY_WAIT     1 /* no deadline: classic Mach, may wait forever */
#define VM_PAGER_POLICY_RETRY    2 /* ask again, the deadline doubling, 3 times; then fail */
#define VM_PAGER_POLICY_ZERO     3 /* the page is zero-filled (logged every time) */
#define VM_PAGER_POLICY_FALLBACK 4 /* the default pager takes the object's dirty pages
				      over (nothing written is lost); the fault fails */
#define VM_PAGER_POLICY_MAX      VM_PAGER_POLICY_FALLBACK
/* Their names, in order, for tools: const char *const n[] = VM_PAGER_POLICY_NAMES; */
#define VM_PAGER_POLICY_NAMES    { "fail", "wait", "retry", "zero", "fallback" }
#define VM_PAGER_RETRIES         3
/* The pages a pager other than the default pager may hold returned and
 * unanswered (data_return before return_completed); page-out gives the
 * default pager the rest meanwhile (spill).  docs/vm.md, "Spill". */
#define VM_PAGER_LAUNDRY_MAX     8

#define VM_PAGER_LATENCY_BUCKETS 24

/* What the kernel's cache of one memory object did with its pager
 * (host.defs vm_pager_stats), since the object was first mapped. */
struct vm_pager_stats {
	uint64_t requests;       /* data_requests sent (retries included) */
	uint64_t supplied;       /* pages the pager supplied */
	uint64_t errors;         /* pages it answered with data_error */
	uint64_t timeouts;       /* waits on it that passed the deadline */
	uint64_t retries;        /* data_requests sent again (policy retry) */
	uint64_t zero_fills;     /* pages zero-filled in its place (policy zero) */
	uint64_t fallbacks;      /* times it was given up (policy fallback) */
	uint64_t returned;       /* pages sent back with data_return */
	uint64_t refused;        /* of those, pages it said it could not store */
	uint64_t laundry;        /* pages it holds unacknowledged now */
	uint64_t policy;         /* its VM_PAGER_POLICY_* */
	uint64_t deadline_ms;    /* and deadline */
	uint64_t spilled;        /* pages given the default pager in its place */
	uint64_t unspilled;      /* of those, pages taken back */
	uint64_t spill_held;     /* pages the default pager (or the kernel) holds so now */
	uint64_t spill_lost;     /* spilled pages that did not come back */
	uint64_t cycles;         /* waits on it ended at once by its policy, each
				    the edge that broke a waits-for cycle */
	uint64_t replaced;       /* times its pager was replaced (vm_pager_replace) */
	uint64_t migrated;       /* pages given a new pager (mode migrate) */
	uint64_t migrate_lost;   /* pages an old pager did not give when migrated */
	/* How long the faults that waited on it waited for its answer (a
	 * page, an error, ready, an unlock): latency[b] counts the waits of
	 * [2^b, 2^(b+1)) microseconds, latency[0] those under 2, the last
	 * bucket every wait from 2^23 us (8.4 s) on.  Waits that passed the
	 * deadline, or ended by its death, are not in it (timeouts). */
	uint32_t latency[VM_PAGER_LATENCY_BUCKETS];
};
typedef struct vm_pager_stats vm_pager_stats_data_t;
_Static_assert(sizeof(struct vm_pager_stats) == 20 * 8 + VM_PAGER_LATENCY_BUCKETS * 4,
	       "vm_pager_stats layout");

/*
 * One object with a pager, as vm_pager_objects lists them: an external
 * object (its pager's, or the default pager's once its own pager died),
 * or anonymous memory the default pager holds pages of.
 */
struct vm_pager_object {
	uint64_t object;         /* the object's id (vm_region_info.object_id) */
	uint64_t size;           /* bytes */
	uint64_t resident;       /* of its pages, those the kernel holds */
	uint32_t pager_task;     /* the task holding its pager port's receive right
				    (task_basic_info.id); 0: none (dead, in transit) */
	uint32_t flags;          /* VM_PAGER_OBJECT_* */
	uint32_t pending;        /* data_requests not answered yet */
	uint32_t refs;           /* references: mappings, copies, objects it backs */
	struct vm_pager_stats stats;
};
#define VM_PAGER_OBJECT_INTERNAL  0x01 /* anonymous memory, paged by the default pager */
#define VM_PAGER_OBJECT_ORPHANED  0x02 /* its pager died: the default pager took it */
#define VM_PAGER_OBJECT_READY     0x04 /* its pager said ready */
#define VM_PAGER_OBJECT_FAILED    0x08 /* its pager died or was given up */
#define VM_PAGER_OBJECT_REPLACING 0x10 /* its pager is being replaced */
/* The objects vm_pager_objects reports at most in one call. */
#define VM_PAGER_OBJECTS_MAX     16
#define VM_PAGER_OBJECT_COUNT ((natural_t)(sizeof(struct vm_pager_object) / sizeof(integer_t)))
typedef integer_t *vm_pager_objects_t;
_Static_assert(sizeof(struct vm_pager_object) == 5 * 8 + sizeof(struct vm_pager_stats),
	       "vm_pager_object layout");

/* How vm_pager_replace hands an object to its new pager. */
#define VM_PAGER_REPLACE_SAME_STORE 0 /* the new pager serves the old one's store */
#define VM_PAGER_REPLACE_MIGRATE    1 /* the new pager starts empty: the data moves */

/*
 * One thread's wait on a pager (host.defs vm_pager_waits), an edge of
 * the waits-for graph: thread -> object -> pager task.  docs/vm.md,
 * "Waits-for".
 */
struct vm_pager_wait {
	uint32_t thread;         /* the waiting thread (thread_basic_info.id) */
	uint32_t task;           /* its task (task_basic_info.id) */
	uint32_t pager_task;     /* the task holding the receive right of the
				    object's pager port; 0: none (dead, in transit) */
	uint32_t kind;           /* VM_PAGER_WAIT_*: what it waits for */
	uint64_t object;         /* the object's id (vm_region_info.object_id) */
	uint64_t offset;         /* the page it waits on */
	uint64_t waited_ms;      /* how long it has waited */
	uint64_t deadline_ms;    /* left until its deadline; VM_PAGER_NO_DEADLINE */
	uint32_t state;          /* VM_PAGER_WAIT_LIVE, _CYCLE or _BEHIND */
	uint32_t policy;         /* the object's VM_PAGER_POLICY_* */
};
#define VM_PAGER_WAIT_DATA       1 /* a page asked for (data_request) */
#define VM_PAGER_WAIT_READY      2 /* the pager to say ready (init) */
#define VM_PAGER_WAIT_UNLOCK     3 /* access to a locked page (data_unlock) */
#define VM_PAGER_WAIT_HELD       4 /* a fault held while the pager is replaced */
#define VM_PAGER_WAIT_REPLACE    5 /* a replacement settling with the old pager */
#define VM_PAGER_WAIT_LIVE       0 /* some thread down its edges can answer */
#define VM_PAGER_WAIT_CYCLE      1 /* none can, and it is on the cycle */
#define VM_PAGER_WAIT_BEHIND     2 /* none can: it waits on a cycle it is not on */
#define VM_PAGER_NO_DEADLINE     (~(uint64_t)0)
/* The waits vm_pager_waits reports at most (it counts them all). */
#define VM_PAGER_WAITS_MAX       32
#define VM_PAGER_WAIT_COUNT ((natural_t)(sizeof(struct vm_pager_wait) / sizeof(integer_t)))
typedef integer_t *vm_pager_waits_t;
_Static_assert(sizeof(struct vm_pager_wait) == 7 * 8, "vm_pager_wait layout");
