/*
 * What task_info, thread_info and host_memory_info report.
 *
 * Priorities are 0 (lowest) to 31 (highest); a new thread gets
 * THREAD_PRIORITY_DEFAULT.  User threads may take 1..THREAD_PRIORITY_USER_MAX;
 * the values above are kept for the system (see docs/scheduler.md).
 */
#pragma once

#include <mach/machine/vm_types.h>

#define THREAD_PRIORITY_MIN      1
#define THREAD_PRIORITY_DEFAULT  16
#define THREAD_PRIORITY_USER_MAX 24
#define THREAD_PRIORITY_MAX      31

/* task_basic_info.state */
#define TASK_STATE_RUNNING 1   /* live; its threads may run */
#define TASK_STATE_HALTED  2   /* stopped by an exception; see the fields below */

struct task_basic_info {
	uint32_t state;          /* TASK_STATE_* */
	uint32_t suspend_count;
	uint32_t thread_count;
	uint32_t exception;      /* HALTED: the x86 vector (0 DE, 6 UD, 13 GP, 14 PF) */
	uint64_t code;           /* HALTED: the CPU's error code */
	uint64_t address;        /* HALTED: the faulting address (PF), else 0 */
	uint64_t rip;            /* HALTED: the faulting instruction */
	uint64_t run_ticks;      /* clock ticks its threads have run, the dead included */
	char name[32];           /* the module it was loaded from (a task made by
				    task_create inherits its parent's), NUL-terminated */
};

/* thread_basic_info.state */
#define THREAD_STATE_RUNNING   1   /* on the CPU (only ever the caller) */
#define THREAD_STATE_READY     2   /* waiting for the CPU */
#define THREAD_STATE_WAITING   3   /* blocked in the kernel (sleep, wait) */
#define THREAD_STATE_STOPPED   4   /* suspended, or halted with its task (a
					      suspended thread blocked in the kernel
					      reports WAITING until its wait ends) */

struct thread_basic_info {
	uint32_t state;          /* THREAD_STATE_* */
	uint32_t priority;
	uint32_t suspend_count;
	uint32_t reserved;
	uint64_t run_ticks;      /* clock ticks it has been running when they fell */
	uint64_t switches;       /* times it was switched to */
};

struct host_memory_info {
	uint64_t page_size;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t kalloc_bytes;       /* kernel heap in use, by size class */
	uint64_t kalloc_allocations; /* live kernel heap allocations */
	uint64_t tasks;              /* live tasks */
	uint64_t threads;            /* live threads of user tasks */
};
