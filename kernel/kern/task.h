/*
 * Tasks: an address space (a vm_map, vm/vm_map.h), a port name space and
 * its kernel port (kern/ipc_tt.h), and the threads that run in it.
 *
 * Life: task_create makes an empty task, child of another.  A task ends
 * when task_terminate is called on it or its last thread ends; then its
 * threads are terminated, its port dies (holders see a dead name), its
 * rights and memory are freed, its children are handed to its parent, and
 * its name (the number the log shows) is never reused.
 *
 * Locking: task_lock guards the task list, each task's thread list and
 * the reference counts ([T]); sched_lock the suspension state ([S]).
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/task_info.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/pmap.h"
#include "kern/lock.h"
#include "kern/sched.h"

struct vm_map;
struct ipc_space;
struct ipc_port;
struct thread;

struct task {
	struct task *next, *prev;          /* [T] all tasks */
	struct task *parent;               /* [T] reparented when it ends */
	uint32_t name;                     /* never reused */
	uint32_t refs;                     /* [T] */
	struct thread *threads;            /* [T] */
	uint32_t thread_count;             /* [T] */
	bool terminating;                  /* [S] */
	bool destroyed;                    /* [S] memory freed, off the list */
	uint32_t suspend_count;            /* [S] */
	uint64_t dead_run_ticks;           /* [T] of its ended threads */
	struct wait_queue death;           /* [S] waiting for its end */

	struct ipc_space *itk_space;       /* its port name space */
	struct ipc_port *itk_self;         /* its kernel port (ipc_tt.h) */
	struct ipc_port *itk_exception;    /* [I] special ports: naked send rights */
	struct ipc_port *itk_bootstrap;    /* [I] */
	struct ipc_port *itk_host_priv;    /* [I] */
	struct ipc_port *itk_device;       /* [I] */
	uint64_t msgs_sent;                /* [I] messages its threads sent */
	uint64_t msgs_received;            /* [I] and received */

	bool vm_privileged;                /* [S] page-out depends on it (vm_privilege) */
	struct vm_map *map;                /* [S] its memory; NULL once destroyed */
	struct pmap *pmap;                 /* [c] map's, or the kernel's: what runs on it */
	char label[TASK_NAME_MAX + 1];     /* [S] its program: its boot module's,
					    * its parent's, or task_set_label's */
};

extern simple_lock_t task_lock;
extern struct task kernel_task;

/* The kernel task (the idle thread's) with the kernel's page tables. */
void task_init(void);

/* A task, child of parent, with no threads: with inherit_memory, its
 * memory is parent's as each range's inheritance says (vm_map_fork), else
 * empty.  KERN_RESOURCE_SHORTAGE. */
kern_return_t task_create(struct task *parent, bool inherit_memory, struct task **out);

/* Makes task VM-privileged (host.defs vm_privilege): its threads, now
 * and later, may take the reserved pages.  Its map is wired apart. */
void task_set_vm_privileged(struct task *task);

/* Ends task and waits for its threads (unless the caller is one of them).
 * KERN_OPERATION_TIMED_OUT if they have not ended within a few seconds. */
kern_return_t task_terminate(struct task *task);

kern_return_t task_suspend(struct task *task);
kern_return_t task_resume(struct task *task);   /* KERN_FAILURE at count 0 */
void task_info(struct task *task, struct task_basic_info *info);

/* A thread left the task (thread.c); destroys the task if it was the last. */
void task_thread_exited(struct task *task, struct thread *t);


/* References: task_reference takes one, task_deallocate drops it. */
void task_reference(struct task *task);
void task_deallocate(struct task *task);

/* Names task after its program (task.defs task_set_name): name, cut to
 * TASK_NAME_MAX bytes. */
void task_set_label(struct task *task, const char *name);

/* Counts for host_memory_info. */
void task_counts(uint64_t *tasks, uint64_t *threads);

/* A name for a new task or thread: 1, 2, ... never reused. */
uint32_t task_new_name(void);
