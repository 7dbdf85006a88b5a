/*
 * The host interface's values (idl/defs/host.defs): what host_info
 * reports, by flavor, the statuses of host_halt, and the C types of
 * host_log's and host_boot_module_load's arguments.
 *
 * host_info returns a flavor as an array of integer_t: the caller gives
 * room for HOST_INFO_MAX (or at least the flavor's *_COUNT) and casts the
 * array to the flavor's struct.
 */
#pragma once

#include <mach/machine/vm_types.h>

typedef int host_flavor_t;
typedef integer_t *host_info_t;

/* The largest flavor, in integer_t: host_info_t's bound in mach_types.defs. */
#define HOST_INFO_MAX 32

#define HOST_MEMORY_INFO 1   /* struct host_memory_info */

struct host_memory_info {
	uint64_t page_size;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t kalloc_bytes;       /* kernel heap in use, by size class */
	uint64_t kalloc_allocations; /* live kernel heap allocations */
	uint64_t tasks;              /* live tasks */
	uint64_t threads;            /* live threads of user tasks */
};
#define HOST_MEMORY_INFO_COUNT \
	((natural_t)(sizeof(struct host_memory_info) / sizeof(integer_t)))
_Static_assert(sizeof(struct host_memory_info) == 7 * 8, "host_memory_info layout");
_Static_assert(HOST_MEMORY_INFO_COUNT <= HOST_INFO_MAX, "host_memory_info fits host_info_t");

#define HOST_IPC_INFO 2      /* struct host_ipc_info */

/* The kernel's IPC objects, for leak checks and tools. */
struct host_ipc_info {
	uint64_t ports;               /* live ports, the kernel's own included */
	uint64_t port_sets;           /* live port sets */
	uint64_t messages;            /* messages in the kernel (queued or in transit) */
	uint64_t messages_cached;     /* freed message buffers kept for reuse */
	uint64_t notifications_lost;  /* notifications dropped for want of memory */
	uint64_t fast_rpcs;           /* mach_msg calls the RPC fast path took */
	uint64_t copies_cached;       /* freed out-of-line copy headers kept for reuse */
	uint64_t fast_sends;          /* sends the one-way fast path took */
	uint64_t fast_waits;          /* receives that waited in the fast path's continuation */
};
#define HOST_IPC_INFO_COUNT \
	((natural_t)(sizeof(struct host_ipc_info) / sizeof(integer_t)))
_Static_assert(HOST_IPC_INFO_COUNT <= HOST_INFO_MAX, "host_ipc_info fits host_info_t");

#define HOST_CPU_INFO 3      /* struct host_cpu_info */

/*
 * The processor's halted time, in time-stamp-counter units: under QEMU's
 * -icount, where rdtsc counts guest instructions, the clock runs on
 * while the processor halts, and a measurement across code that waits
 * for a device takes this off to count only instructions.  It includes
 * the interrupt that ends each halt.
 */
struct host_cpu_info {
	uint64_t halted_tsc;
};
#define HOST_CPU_INFO_COUNT \
	((natural_t)(sizeof(struct host_cpu_info) / sizeof(integer_t)))
_Static_assert(HOST_CPU_INFO_COUNT <= HOST_INFO_MAX, "host_cpu_info fits host_info_t");

/* host_halt statuses. */
#define HOST_HALT_SUCCESS 0   /* tests passed / orderly power-off */
#define HOST_HALT_FAILURE 1   /* tests failed */

/* host_log: bytes for the console, at most HOST_LOG_MAX of them (the
 * bound of host_log_text_t in host.defs). */
#define HOST_LOG_MAX 4096
typedef char *host_log_text_t;

/*
 * host_boot_module_load: the module's name, NUL-terminated, at most
 * BOOT_MODULE_NAME_MAX bytes before the NUL; its extra arguments,
 * NUL-terminated strings back to back, at most BOOT_MODULE_ARGS_MAX bytes
 * in all.  (The bounds of boot_module_name_t and boot_module_args_t in
 * host.defs: c_string[*:64] and array[*:4096] of char.)
 */
#define BOOT_MODULE_NAME_MAX 63
#define BOOT_MODULE_ARGS_MAX 4096
typedef char *boot_module_name_t;
typedef char *boot_module_args_t;
