/*
 * The scheduler; see sched.h for the states and docs/scheduler.md for the
 * policy.  Run queues: one FIFO per priority and a bitmap of the
 * non-empty ones, so picking the next thread is a bit scan.  Timed waits:
 * one list sorted by deadline, checked at each clock tick.
 */
#include "kern/sched.h"

#include "kern/clock.h"
#include "kern/panic.h"
#include "kern/task.h"
#include "kern/thread.h"

#define NPRIORITIES 32

simple_lock_t sched_lock = SIMPLE_LOCK_INIT("sched");

static struct {
	uint32_t bitmap;                         /* bit p: head[p] != NULL */
	struct thread *head[NPRIORITIES], *tail[NPRIORITIES];
} runq;

static struct thread *timers;    /* waiting threads with a deadline, sorted */
static struct thread *idle_thread;
uint64_t sched_halted_tsc;
static struct thread *dead_thread;

static void runq_insert(struct thread *t, bool at_head)
{
	unsigned p = t->priority;

	t->state = TH_READY;
	if (runq.head[p] == NULL) {
		t->q_next = t->q_prev = NULL;
		runq.head[p] = runq.tail[p] = t;
		runq.bitmap |= 1u << p;
	} else if (at_head) {
		t->q_prev = NULL;
		t->q_next = runq.head[p];
		runq.head[p]->q_prev = t;
		runq.head[p] = t;
	} else {
		t->q_next = NULL;
		t->q_prev = runq.tail[p];
		runq.tail[p]->q_next = t;
		runq.tail[p] = t;
	}
}

static void runq_remove(struct thread *t)
{
	unsigned p = t->priority;

	if (t->q_prev != NULL)
		t->q_prev->q_next = t->q_next;
	else
		runq.head[p] = t->q_next;
	if (t->q_next != NULL)
		t->q_next->q_prev = t->q_prev;
	else
		runq.tail[p] = t->q_prev;
	if (runq.head[p] == NULL)
		runq.bitmap &= ~(1u << p);
	t->q_next = t->q_prev = NULL;
}

/* The highest-priority ready thread, taken off its queue, or NULL. */
static struct thread *runq_take(void)
{
	if (runq.bitmap == 0)
		return NULL;
	struct thread *t = runq.head[31 - __builtin_clz(runq.bitmap)];
	runq_remove(t);
	return t;
}

static unsigned runq_top_priority(void)
{
	return runq.bitmap ? 31 - __builtin_clz(runq.bitmap) : 0;
}

static void waitq_append(struct wait_queue *wq, struct thread *t)
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

static void waitq_remove(struct thread *t)
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

static void timer_insert(struct thread *t)
{
	struct thread **pp = &timers, *prev = NULL;

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

static void timer_remove(struct thread *t)
{
	if (t->deadline == SCHED_NO_DEADLINE)
		return;
	if (t->timer_prev != NULL)
		t->timer_prev->timer_next = t->timer_next;
	else
		timers = t->timer_next;
	if (t->timer_next != NULL)
		t->timer_next->timer_prev = t->timer_prev;
	t->timer_next = t->timer_prev = NULL;
	t->deadline = SCHED_NO_DEADLINE;
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

static void wake_locked(struct thread *t, int result)
{
	if (t->waitq != NULL)
		waitq_remove(t);
	timer_remove(t);
	t->wait_result = result;
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

/* Makes next the running thread, all but its processor state; the
 * previous one, if it was not next. */
static inline __attribute__((always_inline)) struct thread *run_locked(struct thread *next)
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

/* Switches to next; the caller has put the current thread where it goes. */
static inline __attribute__((always_inline)) void switch_to_locked(struct thread *next)
{
	struct thread *prev = run_locked(next);

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

int sched_wait_locked(struct wait_queue *wq, uint64_t deadline_ns)
{
	return sched_wait_handoff_locked(wq, deadline_ns, NULL);
}

int sched_wait_handoff_locked(struct wait_queue *wq, uint64_t deadline_ns, struct thread *next)
{
	struct thread *t = current_thread();

	if (t->terminating)
		return WAIT_INTERRUPTED;
	if (deadline_ns != SCHED_NO_DEADLINE && clock_passed(deadline_ns))
		return WAIT_TIMED_OUT;
	t->state = TH_WAITING;
	if (wq != NULL)
		waitq_append(wq, t);
	t->deadline = deadline_ns;
	if (deadline_ns != SCHED_NO_DEADLINE)
		timer_insert(t);
	if (next != NULL && next->state == TH_READY && next->priority >= runq_top_priority()) {
		runq_remove(next);
		switch_to_locked(next);
	} else {
		run_next_locked();
	}
	return t->wait_result;
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
	    next->priority < runq_top_priority()) {
		wake_locked(next, WAIT_AWAKENED);
		return sched_wait_locked(wq, SCHED_NO_DEADLINE);
	}
	/* next goes straight from its wait to the processor. */
	if (next->waitq != NULL)
		waitq_remove(next);
	timer_remove(next);
	next->wait_result = WAIT_AWAKENED;
	t->state = TH_WAITING;
	waitq_append(wq, t);
	t->deadline = SCHED_NO_DEADLINE;
	switch_to_locked(next);
	return t->wait_result;
}

enum sched_handoff sched_handoff_continue_locked(struct wait_queue *wq, struct thread *next,
						 void (*continuation)(void))
{
	struct thread *t = current_thread();

	if (t->terminating || next->state != TH_WAITING || next->priority < runq_top_priority())
		return SCHED_HANDOFF_REFUSED;
	if (next->waitq != NULL)
		waitq_remove(next);
	timer_remove(next);
	next->wait_result = WAIT_AWAKENED;
	t->state = TH_WAITING;
	waitq_append(wq, t);
	t->deadline = SCHED_NO_DEADLINE;
	t->continuation = continuation;
	if (next->continuation != continuation) {
		switch_to_locked(next);
		panic("sched: a thread waiting in a continuation ran on its old stack");
	}
	next->continuation = NULL;
	run_locked(next);
	pcb_switch_state(&t->pcb, &next->pcb, next->task->pmap->pml4_phys);
	return SCHED_HANDOFF_DIRECT;
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

	if (t != NULL)
		wake_locked(t, WAIT_AWAKENED);
	return t;
}

void sched_interrupt_locked(struct thread *t)
{
	if (t->state == TH_WAITING)
		wake_locked(t, WAIT_INTERRUPTED);
	else if (t->state == TH_STOPPED)
		sched_ready_locked(t);
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
	if (t == c->current && runq_top_priority() > priority)
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

	if (runq_top_priority() < t->priority || runq.bitmap == 0)
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
	while (timers != NULL && timers->deadline <= now_ns)
		wake_locked(timers, WAIT_TIMED_OUT);
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
