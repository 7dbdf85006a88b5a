/*
 * What task_info and thread_info report (idl/defs/task.defs, thread.defs),
 * by flavor.  Each call returns a flavor as an array of integer_t: the
 * caller gives room for TASK_INFO_MAX / THREAD_INFO_MAX (or at least the
 * flavor's *_COUNT) and casts the array to the flavor's struct.  What
 * host_info reports is in mach/host_info.h.
 *
 * Priorities are 0 (lowest) to 31 (highest); a new thread gets
 * THREAD_PRIORITY_DEFAULT.  User threads may take 1..THREAD_PRIORITY_USER_MAX;
 * the values above are kept for the system (see docs/scheduler.md).
 */
#pragma once

#include <mach/host_info.h>
#include <mach/machine/vm_types.h>

typedef int task_flavor_t;
typedef integer_t *task_info_t;
typedef int thread_flavor_t;
typedef integer_t *thread_info_t;
/* task_set_name's name: at most TASK_NAME_MAX bytes before its NUL (the
 * bound of task_name_t in task.defs is TASK_NAME_MAX + 1). */
typedef char *task_name_t;
#define TASK_NAME_MAX 31

/* The largest flavors, in integer_t: the bounds of task_info_t and
 * thread_info_t in mach_types.defs. */
#define TASK_INFO_MAX   64
#define THREAD_INFO_MAX 32

#define TASK_BASIC_INFO 1     /* struct task_basic_info */
#define TASK_IPC_INFO   2     /* struct task_ipc_info */
#define THREAD_BASIC_INFO 1   /* struct thread_basic_info */

#define THREAD_PRIORITY_MIN      1
#define THREAD_PRIORITY_DEFAULT  16
#define THREAD_PRIORITY_USER_MAX 24
#define THREAD_PRIORITY_MAX      31

/* task_basic_info.state */
#define TASK_STATE_RUNNING 1   /* live; its threads may run */

struct task_basic_info {
	uint32_t state;          /* TASK_STATE_* */
	uint32_t suspend_count;
	uint32_t thread_count;
	uint32_t id;             /* the kernel's number for it, never reused (the log's) */
	uint64_t virtual_size;   /* bytes its map's entries cover */
	uint64_t resident_size;  /* of those, bytes resident in the entries' own objects */
	uint64_t reserved;       /* 0 */
	uint64_t run_ticks;      /* clock ticks its threads have run, the dead included */
	char name[32];           /* the module it was loaded from (a task made by
				    task_create inherits its parent's), NUL-terminated */
};
#define TASK_BASIC_INFO_COUNT \
	((natural_t)(sizeof(struct task_basic_info) / sizeof(integer_t)))
_Static_assert(sizeof(struct task_basic_info) == 80, "task_basic_info layout");
_Static_assert(TASK_BASIC_INFO_COUNT <= TASK_INFO_MAX, "task_basic_info fits task_info_t");

/* The task's messages and its port name space. */
struct task_ipc_info {
	uint64_t msgs_sent;        /* messages its threads have sent */
	uint64_t msgs_received;    /* messages its threads have received */
	uint32_t send_rights;      /* names denoting send rights */
	uint32_t receive_rights;   /* names denoting receive rights */
	uint32_t send_once_rights; /* names denoting send-once rights */
	uint32_t port_sets;        /* names denoting port sets */
	uint32_t dead_names;       /* dead names */
	uint32_t names;            /* entries in use in its name space */
};
#define TASK_IPC_INFO_COUNT \
	((natural_t)(sizeof(struct task_ipc_info) / sizeof(integer_t)))
_Static_assert(sizeof(struct task_ipc_info) == 40, "task_ipc_info layout: no padding");
_Static_assert(TASK_IPC_INFO_COUNT <= TASK_INFO_MAX, "task_ipc_info fits task_info_t");

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
	uint32_t id;             /* the kernel's number for it, never reused (the log's) */
	uint64_t run_ticks;      /* clock ticks it has been running when they fell */
	uint64_t switches;       /* times it was switched to */
};
#define THREAD_BASIC_INFO_COUNT \
	((natural_t)(sizeof(struct thread_basic_info) / sizeof(integer_t)))
_Static_assert(sizeof(struct thread_basic_info) == 32, "thread_basic_info layout");
_Static_assert(THREAD_BASIC_INFO_COUNT <= THREAD_INFO_MAX,
	       "thread_basic_info fits thread_info_t");
