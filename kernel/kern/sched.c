/*
 * The scheduler; see sched.h for the states and docs/scheduler.md for the
 * policy.  Run queues: one FIFO per priority and a bitmap of the
 * non-empty ones, so picking the next thread is a bit scan.  Timed waits:
 * one list sorted by deadline, checked at each clock tick.
 */
#include "kern/sched.h"
#include "kern/sched_priv.h"

#include "kern/clock.h"
#include "kern/panic.h"
#include "kern/task.h"
#include "kern/thread.h"

simple_lock_t sched_lock = SIMPLE_LOCK_INIT("sched");

struct sched_runq sched_runq;
struct thread *sched_timers;
static struct thread *idle_thread;
uint64_t sched_halted_tsc;
static struct thread *dead_thread;

static void runq_link(struct thread *t, bool at_head)
{
	unsigned p = t->priority;

	t->state = TH_READY;
	if (sched_runq.head[p] == NULL) {
		t->q_next = t->q_prev = NULL;
		sched_runq.head[p] = sched_runq.tail[p] = t;
		sched_runq.bitmap |= 1u << p;
	} else if (at_head) {
		t->q_prev = NULL;
		t->q_next = sched_runq.head[p];
		sched_runq.head[p]->q_prev = t;
		sched_runq.head[p] = t;
	} else {
		t->q_next = NULL;
		t->q_prev = sched_runq.tail[p];
		sched_runq.tail[p]->q_next = t;
		sched_runq.tail[p] = t;
	}
}

/*
 * The thread the last sched_wakeup_one_locked made ready is held back
 * from the run queue (cpu->woken): if a thread waits next, it runs that
 * one at once (run_after_wait_locked), and the queue's insert and remove
 * are saved.  Anything that takes from the queue or adds to it queues
 * the held thread first, at the tail, where the wakeup would have put it
 * (runq_settle).  Meanwhile its priority's bit is set in the bitmap, so
 * the bitmap still tells how urgent the most urgent ready thread is; a
 * switch leaves it held.
 */

/* Takes back the held-back thread t, which is not queued. */
static void unhold_locked(struct thread *t)
{
	cpu_self()->woken = NULL;
	if (sched_runq.head[t->priority] == NULL)
		sched_runq.bitmap &= ~(1u << t->priority);
}

/* Queues the held-back thread, if any. */
static void runq_settle(void)
{
	struct cpu *c = cpu_self();
	struct thread *t = c->woken;

	if (t != NULL) {
		c->woken = NULL;
		runq_link(t, false);
	}
}

/* Queues t, after the held-back thread, which was woken before it. */
static void runq_insert(struct thread *t, bool at_head)
{
	runq_settle();
	runq_link(t, at_head);
}

static void runq_remove(struct thread *t)
{
	unsigned p = t->priority;

	if (t == cpu_self()->woken) {
		unhold_locked(t);   /* never queued */
		return;
	}
	if (t->q_prev != NULL)
		t->q_prev->q_next = t->q_next;
	else
		sched_runq.head[p] = t->q_next;
	if (t->q_next != NULL)
		t->q_next->q_prev = t->q_prev;
	else
		sched_runq.tail[p] = t->q_prev;
	if (sched_runq.head[p] == NULL)
		sched_runq.bitmap &= ~(1u << p);
	t->q_next = t->q_prev = NULL;
}

/* The highest-priority ready thread, taken off its queue, or NULL. */
static struct thread *runq_take(void)
{
	runq_settle();
	if (sched_runq.bitmap == 0)
		return NULL;
	struct thread *t = sched_runq.head[31 - __builtin_clz(sched_runq.bitmap)];
	runq_remove(t);
	return t;
}

static void timer_insert(struct thread *t)
{
	struct thread **pp = &sched_timers, *prev = NULL;

	while (*pp != NULL && (*pp)->deadline <= t->deadline) {
		prev = *pp;
		pp = &(*pp)->timer_next;
	}
	t->timer_prev = prev;
	t->timer_next = *pp;
	if (*pp != NULL)
		(*pp)->timer_prev = t;
	*pp = t;
}

/* A wakeup of a thread more urgent than the current one preempts it. */
static void note_ready(struct thread *t)
{
	struct cpu *c = cpu_self();

	if (c->current == idle_thread || t->priority > c->current->priority)
		c->need_resched = 1;
}

void sched_ready_locked(struct thread *t)
{
	runq_insert(t, false);
	note_ready(t);
}

/* Ends t's wait with result; the caller makes it ready. */
static void end_wait_locked(struct thread *t, int result)
{
	if (t->waitq != NULL)
		sched_waitq_remove(t);
	sched_timer_remove(t);
	t->wait_result = result;
}

static void wake_locked(struct thread *t, int result)
{
	end_wait_locked(t, result);
	sched_ready_locked(t);
}

/* Frees what the previous thread left if it died. */
static void reap_locked(void)
{
	struct thread *dead = dead_thread;

	if (dead != NULL) {
		dead_thread = NULL;
		thread_reap(dead);
	}
}

/* Switches to next; the caller has put the current thread where it goes. */
static inline __attribute__((always_inline)) void switch_to_locked(struct thread *next)
{
	struct thread *prev = sched_run_locked(next);

	if (prev == NULL)
		return;
	if (next->continuation != NULL)
		pcb_prepare_continuation(&next->pcb);
	pcb_switch(&prev->pcb, &next->pcb, next->task->pmap->pml4_phys);
	reap_locked();
}

static void run_next_locked(void)
{
	struct thread *next = runq_take();

	switch_to_locked(next != NULL ? next : idle_thread);
}

void sched_init(void)
{
	static struct thread idle;

	idle.task = &kernel_task;
	idle.name = task_new_name();
	idle.refs = 1;
	idle.deadline = SCHED_NO_DEADLINE;
	idle.state = TH_RUNNING;
	idle_thread = &idle;
	cpu0.current = &idle;
}

void sched_thread_start(void)
{
	reap_locked();
	sched_lock.held = 0;    /* taken by the thread that switched here */
}

/*
 * Runs the thread that follows a wait: the one the last wakeup readied,
 * held back from the run queue (cpu->woken; nearly always the waiting
 * thread woke it: the message's receiver, the faulting thread a pager's
 * page woke -- a handoff, as Mach's RPC and Linux's synchronous wakeup),
 * if it is as urgent as any; else the head of the run queue.
 */
static void run_after_wait_locked(void)
{
	struct cpu *c = cpu_self();
	struct thread *next = c->woken;

	/* The bitmap has next's bit: no higher one is set. */
	if (next != NULL && sched_runq.bitmap >> next->priority <= 1) {
		unhold_locked(next);
		switch_to_locked(next);
	} else {
		run_next_locked();
	}
}

int sched_wait_locked(struct wait_queue *wq, uint64_t deadline_ns)
{
	struct thread *t = current_thread();

	if (t->terminating)
		return WAIT_INTERRUPTED;
	if (deadline_ns != SCHED_NO_DEADLINE && clock_passed(deadline_ns))
		return WAIT_TIMED_OUT;
	t->state = TH_WAITING;
	if (wq != NULL)
		sched_waitq_append(wq, t);
	t->deadline = deadline_ns;
	if (deadline_ns != SCHED_NO_DEADLINE)
		timer_insert(t);
	run_after_wait_locked();
	return t->wait_result;
}

void sched_wait_continue_locked(struct wait_queue *wq, void (*continuation)(void))
{
	struct thread *t = current_thread();

	if (t->terminating)
		return;
	t->state = TH_WAITING;
	sched_waitq_append(wq, t);
	t->deadline = SCHED_NO_DEADLINE;
	t->continuation = continuation;
	run_after_wait_locked();
	panic("sched: a thread waiting in a continuation ran on its old stack");
}

void sched_wakeup_all_locked(struct wait_queue *wq)
{
	while (sched_wakeup_one_locked(wq))
		;
}

int sched_handoff_locked(struct wait_queue *wq, struct thread *next)
{
	struct thread *t = current_thread();

	if (t->terminating || next->state != TH_WAITING ||
	    next->priority < sched_runq_top_priority()) {
		wake_locked(next, WAIT_AWAKENED);
		return sched_wait_locked(wq, SCHED_NO_DEADLINE);
	}
	/* next goes straight from its wait to the processor. */
	sched_handoff_waits_locked(t, wq, next, NULL);
	switch_to_locked(next);
	return t->wait_result;
}

enum sched_handoff sched_handoff_continue_locked(struct wait_queue *wq, struct thread *next,
						 void (*continuation)(void))
{
	struct thread *t = current_thread();

	if (!sched_handoff_allowed_locked(next))
		return SCHED_HANDOFF_REFUSED;
	if (next->continuation == continuation) {
		sched_handoff_direct_locked(wq, next, continuation);
		return SCHED_HANDOFF_DIRECT;
	}
	sched_handoff_waits_locked(t, wq, next, continuation);
	switch_to_locked(next);
	panic("sched: a thread waiting in a continuation ran on its old stack");
}

void sched_continue(void)
{
	struct thread *t = current_thread();
	void (*continuation)(void) = t->continuation;

	reap_locked();
	t->continuation = NULL;
	continuation();
	panic("sched: a continuation returned");
}

struct thread *sched_wakeup_one_locked(struct wait_queue *wq)
{
	struct thread *t = wq->head;

	if (t != NULL) {
		runq_settle();   /* the one woken before is queued */
		end_wait_locked(t, WAIT_AWAKENED);
		t->state = TH_READY;
		cpu_self()->woken = t;
		sched_runq.bitmap |= 1u << t->priority;
		note_ready(t);
	}
	return t;
}

void sched_interrupt_locked(struct thread *t)
{
	if (t->state == TH_WAITING)
		wake_locked(t, WAIT_INTERRUPTED);
	else if (t->state == TH_STOPPED)
		sched_ready_locked(t);
}

void sched_wakeup_thread_locked(struct thread *t)
{
	if (t->state == TH_WAITING)
		wake_locked(t, WAIT_AWAKENED);
}

void sched_break_wait_locked(struct thread *t)
{
	if (t->state == TH_WAITING)
		wake_locked(t, WAIT_BROKEN);
}

void sched_set_priority_locked(struct thread *t, unsigned priority)
{
	struct cpu *c = cpu_self();

	if (t->state == TH_READY) {
		runq_remove(t);
		t->priority = priority;
		sched_ready_locked(t);
		return;
	}
	t->priority = priority;
	if (t == c->current && sched_runq_top_priority() > priority)
		c->need_resched = 1;
}

void sched_stop_locked(void)
{
	struct thread *t = current_thread();

	t->state = TH_STOPPED;
	sched_wakeup_all_locked(&t->stopped);   /* thread_abort's callers */
	run_next_locked();
}

void sched_yield_locked(void)
{
	struct thread *t = current_thread();

	runq_settle();
	if (sched_runq_top_priority() < t->priority || sched_runq.bitmap == 0)
		return;
	t->quantum = SCHED_QUANTUM_TICKS;
	runq_insert(t, false);
	run_next_locked();
}

void sched_preempt_locked(void)
{
	struct thread *t = current_thread();

	if (t == idle_thread) {
		run_next_locked();
		return;
	}
	if (t->quantum == 0) {
		t->quantum = SCHED_QUANTUM_TICKS;
		runq_insert(t, false);
	} else {
		runq_insert(t, true);
	}
	run_next_locked();
}

void sched_switch_to_locked(struct thread *next)
{
	struct thread *t = current_thread();

	if (next == t || next->state != TH_READY) {
		sched_yield_locked();
		return;
	}
	runq_remove(next);
	runq_insert(t, false);
	switch_to_locked(next);
}

void sched_exit_locked(void)
{
	struct thread *t = current_thread();

	if (dead_thread != NULL)
		panic("sched: two dead threads at once");
	t->state = TH_DEAD;
	dead_thread = t;
	run_next_locked();
	panic("sched: a dead thread ran again");
}

void sched_tick(uint64_t now_ns)
{
	uint64_t flags = simple_lock(&sched_lock);
	struct cpu *c = cpu_self();
	struct thread *t = c->current;

	if (t != idle_thread) {
		t->run_ticks++;
		if (t->quantum > 0 && --t->quantum == 0)
			c->need_resched = 1;
	}
	while (sched_timers != NULL && sched_timers->deadline <= now_ns)
		wake_locked(sched_timers, WAIT_TIMED_OUT);
	simple_unlock(&sched_lock, flags);
}

void sched_idle_loop(void)
{
	for (;;) {
		cpu_disable_interrupts();
		uint64_t flags = simple_lock(&sched_lock);
		struct thread *next = runq_take();
		if (next != NULL) {
			switch_to_locked(next);
			simple_unlock(&sched_lock, flags);
			continue;
		}
		/* Nothing to run: wait for an interrupt, with no gap between the
		 * check and the halt (sti takes effect after hlt starts). */
		cpu_self()->need_resched = 0;
		sched_lock.held = 0;
		uint64_t halt = rdtsc();
		cpu_enable_and_halt();
		sched_halted_tsc += rdtsc() - halt;
	}
}
