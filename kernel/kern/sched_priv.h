/*
 * The scheduler's queues and the steps of a switch, for sched.c and for
 * the one caller that takes them in line: the RPC fast path's direct
 * handoff (ipc/ipc_fast.c), where a call to the scheduler would be a
 * tenth of the round trip.  Everything here needs sched_lock.
 */
#pragma once

#include "kern/sched.h"
#include "kern/task.h"
#include "kern/thread.h"

#define SCHED_NPRIORITIES 32

/* Ready threads: one FIFO per priority, and a bitmap of the non-empty. */
struct sched_runq {
	uint32_t bitmap;                         /* [S] bit p: head[p] != NULL, or the
						    held-back thread's priority is p */
	struct thread *head[SCHED_NPRIORITIES];  /* [S] */
	struct thread *tail[SCHED_NPRIORITIES];  /* [S] */
};

extern struct sched_runq sched_runq;
extern struct thread *sched_timers;     /* [S] waiting threads with a deadline, sorted */

/* The most urgent ready thread's priority; it counts the thread a
 * wakeup holds back from the queue (cpu->woken, sched.c), whose bit is
 * set in the bitmap. */
static inline unsigned sched_runq_top_priority(void)
{
	return sched_runq.bitmap ? 31 - __builtin_clz(sched_runq.bitmap) : 0;
}

static inline void sched_waitq_append(struct wait_queue *wq, struct thread *t)
{
	t->q_next = NULL;
	t->q_prev = wq->tail;
	if (wq->tail != NULL)
		wq->tail->q_next = t;
	else
		wq->head = t;
	wq->tail = t;
	t->waitq = wq;
}

static inline void sched_waitq_remove(struct thread *t)
{
	struct wait_queue *wq = t->waitq;

	if (t->q_prev != NULL)
		t->q_prev->q_next = t->q_next;
	else
		wq->head = t->q_next;
	if (t->q_next != NULL)
		t->q_next->q_prev = t->q_prev;
	else
		wq->tail = t->q_prev;
	t->q_next = t->q_prev = NULL;
	t->waitq = NULL;
}

static inline void sched_timer_remove(struct thread *t)
{
	if (t->deadline == SCHED_NO_DEADLINE)
		return;
	if (t->timer_prev != NULL)
		t->timer_prev->timer_next = t->timer_next;
	else
		sched_timers = t->timer_next;
	if (t->timer_next != NULL)
		t->timer_next->timer_prev = t->timer_prev;
	t->timer_next = t->timer_prev = NULL;
	t->deadline = SCHED_NO_DEADLINE;
}

/* Makes next the running thread, all but its processor state; the
 * previous one, or NULL if it was next. */
static inline __attribute__((always_inline)) struct thread *sched_run_locked(struct thread *next)
{
	struct cpu *c = cpu_self();
	struct thread *prev = c->current;

	c->need_resched = 0;
	next->state = TH_RUNNING;
	if (next->quantum == 0)
		next->quantum = SCHED_QUANTUM_TICKS;
	if (next == prev)
		return NULL;
	next->switches++;
	c->current = next;
	return prev;
}

/* Every handoff's exchange of waits: next's ends, woken, and the current
 * thread t waits on wq in its place, without a deadline, in continuation
 * (NULL: on its stack). */
static inline __attribute__((always_inline)) void
sched_handoff_waits_locked(struct thread *t, struct wait_queue *wq, struct thread *next,
			   void (*continuation)(void))
{
	if (next->waitq != NULL)
		sched_waitq_remove(next);
	sched_timer_remove(next);
	next->wait_result = WAIT_AWAKENED;
	t->state = TH_WAITING;
	sched_waitq_append(wq, t);
	t->deadline = SCHED_NO_DEADLINE;
	t->continuation = continuation;
}

/* The two halves of sched_handoff_continue_locked (sched.h), for a
 * caller that must know before it commits whether the handoff happens:
 * whether it may (next is WAITING, nothing more urgent is ready, the
 * caller is not being terminated); and the direct handoff itself, to a
 * next that waits in continuation. */
static inline __attribute__((always_inline)) bool
sched_handoff_allowed_locked(const struct thread *next)
{
	return !current_thread()->terminating && next->state == TH_WAITING &&
	       next->priority >= sched_runq_top_priority();
}

static inline __attribute__((always_inline)) void
sched_handoff_direct_locked(struct wait_queue *wq, struct thread *next, void (*continuation)(void))
{
	struct thread *t = current_thread();

	sched_handoff_waits_locked(t, wq, next, continuation);
	next->continuation = NULL;
	sched_run_locked(next);
	pcb_switch_state(&t->pcb, &next->pcb, next->task->pmap->pml4_phys);
}
