/*
 * The waits-for graph of pager waits (DESIGN.md section 4).
 *
 * A thread that waits on a pager -- for a page it asked for, for the
 * pager to say ready, for access to a locked page -- records the wait
 * (struct vm_wait, on its stack) in thread->vm_wait while it lasts: the
 * edge thread -> object -> pager task, the task that holds the receive
 * right of the object's pager port.
 *
 * A task can answer while one of its threads is not in such a wait (or
 * was woken from one and has not run yet), or waits on a pager that can
 * answer.  A wait from which no thread down the edges can answer is
 * deadlocked: on a cycle if its own task is among the tasks reached (a
 * pager faulting on memory it serves itself; two pagers each waiting on
 * the other), else behind one.  Edges only appear when a wait begins, so
 * checking each new wait finds every cycle as it closes.
 *
 * A cycle is logged and counted (vm_statistics pager_cycles) and broken
 * by policy: the first wait on it, the new one first, whose object's
 * policy is not wait ends at once (WAIT_BROKEN), and its fault goes on as
 * if the deadline had passed, with KERN_DEADLOCK for the error.  A cycle
 * all of whose waits are under policy wait is kept -- the baseline that
 * deadlocks -- and vm_pager_waits shows it.
 *
 * Approximation: a thread counts as able to answer whenever it is not in
 * a pager wait, even one that waits for good on something else (a port
 * nobody sends to, a suspension).  That is a hang, not a waits-for
 * cycle, and the deadline catches it.  A search that reaches more than
 * VM_WAITS_SEARCH_MAX tasks stops and counts the wait as live.
 *
 * Locking: the records are [S]; the search reads the tasks' threads [T]
 * and pager ports [I] under sched_lock alone, which keeps them still on
 * this uniprocessor kernel (interrupts off, no preemption), as task_info
 * does.  SMP needs task_lock and ipc_lock taken around it too.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/memory_object.h>
#include <stdbool.h>
#include <stdint.h>

struct task;
struct vm_object;
struct wait_queue;

struct vm_wait {
	struct vm_object *object;   /* held by the waiter */
	uint64_t offset;
	unsigned kind;              /* VM_PAGER_WAIT_* */
	uint64_t since_ns;
	uint64_t since_tsc;         /* the same, for its latency (clock_tsc_us) */
	uint64_t deadline_ns;       /* SCHED_NO_DEADLINE: none */
};

/*
 * Sleeps on wq until w->deadline_ns (sched_wait_locked) as the wait w
 * (its object, offset, kind and deadline filled in), recorded while it
 * lasts and checked first: a cycle it closes is logged, counted and
 * broken (WAIT_BROKEN at once if at this very wait).  Returns WAIT_*.
 */
int vm_wait_sleep(struct vm_wait *w, struct wait_queue *wq);

/* The task that receives object's pager's messages, sched_lock held;
 * NULL if none can (the pager is dead, given up, or its port is in
 * transit): a wait on it ends by the policy, not by an answer. */
struct task *vm_waits_pager_task_locked(const struct vm_object *object);

/*
 * The pager waits in progress, at most max of them in waits, and how
 * many there are in *total (more than max: those past it are left out).
 * Returns the number written.
 */
unsigned vm_waits_list(struct vm_pager_wait *waits, unsigned max, unsigned *total);
