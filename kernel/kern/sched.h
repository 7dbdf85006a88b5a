/*
 * The scheduler: fixed priorities, round-robin within a priority, a time
 * quantum from the clock, timed waits, an idle thread, and direct switches
 * to a chosen thread.  The policy is described in docs/scheduler.md.
 *
 * A thread is in one scheduling state (thread.h: TH_*):
 *
 *   READY    on the run queue of its priority
 *   RUNNING  the processor's current thread
 *   WAITING  blocked in sched_wait_locked on a wait queue and/or until a
 *            deadline; woken by sched_wakeup_*, the deadline, or an
 *            interruption (the thread is being terminated)
 *   STOPPED  suspended at the boundary to user mode (thread_suspend,
 *            task_suspend, or its task halted by an exception)
 *   DEAD     has run its last instruction; the next thread to run frees
 *            its stack
 *
 * The kernel is not preemptible: a thread gives up the processor only in
 * the calls below.  The clock and wakeups set cpu->need_resched, which is
 * acted on when a thread returns to user mode (or in the idle loop).
 *
 * Locking: sched_lock guards the run queues, the deadline list, wait
 * queues, and every thread's scheduling fields ([S] in thread.h).  It is
 * held across a switch: the thread that resumes releases it.
 */
#pragma once

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

#include "kern/lock.h"

struct thread;

#define SCHED_NO_DEADLINE UINT64_MAX
#define SCHED_QUANTUM_TICKS 5     /* 50 ms at the default 100 Hz */

/* Results of a wait. */
#define WAIT_AWAKENED    0   /* sched_wakeup_* */
#define WAIT_TIMED_OUT   1   /* the deadline passed */
#define WAIT_INTERRUPTED 2   /* the thread is being terminated */
#define WAIT_BROKEN      3   /* ended by another thread: sched_break_wait_locked */

struct wait_queue {
	struct thread *head, *tail;   /* [S] FIFO of waiting threads */
};

extern simple_lock_t sched_lock;

static inline struct thread *current_thread(void);

/* Makes the boot context the idle thread (on the boot stack, in the
 * kernel task) and cpu0's current thread. */
void sched_init(void);

/* Time-stamp-counter units spent halted in the idle loop (host_info
 * HOST_CPU_INFO), with the interrupt that ends each halt. */
extern uint64_t sched_halted_tsc;

/* The boot thread's last call: run ready threads, halt when there are none. */
__attribute__((noreturn)) void sched_idle_loop(void);

/*
 * Blocks the current thread on wq (NULL: only the deadline) until a wakeup,
 * the monotonic time deadline_ns (SCHED_NO_DEADLINE: none; the caller says
 * why in a comment), or an interruption.  Called and returns with
 * sched_lock held; returns WAIT_*.  A thread being terminated does not
 * wait (WAIT_INTERRUPTED at once), nor does one whose deadline has passed.
 * The thread that runs meanwhile is the last one the caller woke (a
 * message's receiver, a page's faulting thread), if it is still ready and
 * nothing more urgent is: the handoff of a request to its server and of
 * the answer back.
 */
int sched_wait_locked(struct wait_queue *wq, uint64_t deadline_ns);

/*
 * The RPC handoff: ends next's wait (it must be WAITING) and runs it at
 * once, while the current thread waits on wq without a deadline (the
 * caller says why).  If a more urgent thread is ready, next is only made
 * ready.  Returns the current thread's WAIT_* when it runs again.
 */
int sched_handoff_locked(struct wait_queue *wq, struct thread *next);

/*
 * Continuations.  A thread may wait without keeping its kernel stack: it
 * names a continuation, a function that finishes its call from the top
 * of a fresh stack (Mach's, GNU Mach's stack handoff).  Switched to in
 * the ordinary way, the thread runs continuation() with sched_lock held
 * and interrupts off; continuation() never returns, and ends the thread's
 * trap with thread_syscall_return or thread_syscall_finish (arch pcb).
 *
 * sched_handoff_continue_locked is sched_handoff_locked for a caller
 * that waits in continuation, which must be a function of the caller's
 * call that ends its trap.  When next waits in the same continuation,
 * nothing switches stacks: it returns SCHED_HANDOFF_DIRECT with next
 * the current thread (its state and address space loaded) running on
 * the caller's stack, and the caller ends next's call for it and ends
 * its trap.  Otherwise next runs where it waits and this does not
 * return.  SCHED_HANDOFF_REFUSED, with nothing changed, where
 * sched_handoff_locked would only make next ready.
 */
enum sched_handoff { SCHED_HANDOFF_REFUSED, SCHED_HANDOFF_DIRECT };
enum sched_handoff sched_handoff_continue_locked(struct wait_queue *wq, struct thread *next,
						 void (*continuation)(void));

/* sched_wait_locked on wq without a deadline (the caller says why), in
 * continuation, which ends the caller's trap; returns only if the thread
 * is being terminated (it does not wait). */
void sched_wait_continue_locked(struct wait_queue *wq, void (*continuation)(void));

/* A thread's start in its continuation (thread_continue). */
__attribute__((noreturn)) void sched_continue(void);

/* Wakes every thread waiting on wq, or the first one (returned; NULL if none). */
void sched_wakeup_all_locked(struct wait_queue *wq);
struct thread *sched_wakeup_one_locked(struct wait_queue *wq);

/* Ends t's wait, wherever it is on its queue, with WAIT_AWAKENED and
 * makes it ready; nothing if t is not waiting. */
void sched_wakeup_thread_locked(struct thread *t);

/* Makes a new or stopped thread ready. */
void sched_ready_locked(struct thread *t);

/* Ends a WAITING thread's wait with WAIT_INTERRUPTED, readies a STOPPED one. */
void sched_interrupt_locked(struct thread *t);

/* Ends a WAITING thread's wait with WAIT_BROKEN (a waits-for cycle it
 * is on: vm/vm_waits.h); nothing if t is not waiting. */
void sched_break_wait_locked(struct thread *t);

/* Changes t's priority, moving it between run queues if it is ready. */
void sched_set_priority_locked(struct thread *t, unsigned priority);

/* The current thread stops (STOPPED) until sched_ready_locked. */
void sched_stop_locked(void);

/* The current thread gives up the processor to another ready thread of its
 * priority or above, if there is one. */
void sched_yield_locked(void);

/* Acts on need_resched: the current thread goes back to its run queue (at
 * the tail if its quantum is used up, else at the head). */
void sched_preempt_locked(void);

/*
 * Runs t at once if it is ready, the current thread going back to its run
 * queue; otherwise yields.  The direct switch the IPC fast path builds on.
 */
void sched_switch_to_locked(struct thread *t);

/* The current thread is dead: switch away for good. */
__attribute__((noreturn)) void sched_exit_locked(void);

/* The clock interrupt: charges the tick, ends quanta, expires deadlines. */
void sched_tick(uint64_t now_ns);

/* Each new thread's first call, with sched_lock held by its creator's switch. */
void sched_thread_start(void);

#include "arch/x86_64/percpu.h"
static inline struct thread *current_thread(void)
{
	return cpu_self()->current;
}
