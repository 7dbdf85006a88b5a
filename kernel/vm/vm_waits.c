/* The waits-for graph of pager waits; see vm_waits.h. */
#include "vm/vm_waits.h"

#include "arch/x86_64/cpu.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_space.h"
#include "kern/clock.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "vm/vm_object.h"
#include "vm/vm_resident.h"

#define VM_WAITS_SEARCH_MAX 32

/*
 * The tasks a search reached, breadth first: task[0] is the pager of the
 * wait it began from; task[i] (i > 0) was reached through via[i], a
 * thread of task[from[i]] that waits on an object task[i] serves.
 */
struct search {
	unsigned count;
	struct task *task[VM_WAITS_SEARCH_MAX];
	struct thread *via[VM_WAITS_SEARCH_MAX];
	uint8_t from[VM_WAITS_SEARCH_MAX];
};

struct task *vm_waits_pager_task_locked(const struct vm_object *object)
{
	const struct ipc_port *port = object->pager;

	if (port == NULL || object->pager_failed || !port->active || port->receiver == NULL)
		return NULL;
	return port->receiver->task;
}

/* Whether t is in a pager wait: it has a record and has not been woken
 * from it (the current thread, about to sleep, counts). */
static bool waits_locked(const struct thread *t)
{
	return t->vm_wait != NULL && (t->state == TH_WAITING || t == current_thread());
}

static int reached(const struct search *s, const struct task *task)
{
	for (unsigned i = 0; i < s->count; i++)
		if (s->task[i] == task)
			return (int)i;
	return -1;
}

/*
 * Whether no thread down the edges from t's wait can answer it; the
 * tasks the search reached are in s.  Every thread of every task reached
 * waits on a pager whose task was reached too.  In line: every pager
 * wait checks, and nearly always stops at the pager's first thread.
 */
static inline __attribute__((always_inline)) bool deadlocked_locked(struct thread *t,
								    struct search *s)
{
	s->count = 0;
	s->task[s->count] = vm_waits_pager_task_locked(t->vm_wait->object);
	if (s->task[0] == NULL)
		return false;
	s->via[s->count++] = t;
	for (unsigned i = 0; i < s->count; i++) {
		for (struct thread *u = s->task[i]->threads; u != NULL; u = u->task_next) {
			if (!waits_locked(u))
				return false;
			struct task *next = vm_waits_pager_task_locked(u->vm_wait->object);
			if (next == NULL)
				return false;
			if (reached(s, next) >= 0)
				continue;
			if (s->count == VM_WAITS_SEARCH_MAX)
				return false;
			s->task[s->count] = next;
			s->via[s->count] = u;
			s->from[s->count++] = (uint8_t)i;
		}
	}
	return true;
}

/*
 * The cycle through t found by a search that reached t's own task: its
 * waits in order, t first, each waiting on the next one's task.  Returns
 * how many.
 */
static unsigned cycle_of(struct thread *t, const struct search *s,
			 struct thread *cycle[VM_WAITS_SEARCH_MAX])
{
	unsigned n = 0;

	for (int i = reached(s, t->task); i > 0; i = s->from[i])
		cycle[n++] = s->via[i];
	cycle[n++] = t;
	for (unsigned i = 0; i < n / 2; i++) {
		struct thread *u = cycle[i];
		cycle[i] = cycle[n - 1 - i];
		cycle[n - 1 - i] = u;
	}
	return n;
}

static void log_cycle(struct thread *const *cycle, unsigned n, const struct thread *broken)
{
	kprintf("vm: a waits-for cycle of pagers:");
	for (unsigned i = 0; i < n; i++) {
		const struct vm_wait *w = cycle[i]->vm_wait;
		const struct task *pager = cycle[(i + 1) % n]->task;
		kprintf(" thread %u of '%s' (%u) waits on object %lu of '%s' (%u);", cycle[i]->name,
			cycle[i]->task->label, cycle[i]->task->name, w->object->id, pager->label,
			pager->name);
	}
	if (broken != NULL)
		kprintf(" broken at thread %u by the policy of object %lu\n", broken->name,
			broken->vm_wait->object->id);
	else
		kprintf(" kept: every wait on it is under policy wait\n");
}

/*
 * The current thread's new wait t->vm_wait closes a cycle (s: the search
 * that found it): logs and counts it, and breaks it at the first wait on
 * it whose object's policy is not wait.  Whether that is t's own.
 */
static __attribute__((noinline, cold)) bool break_cycle_locked(struct thread *t,
							      const struct search *s)
{
	struct thread *cycle[VM_WAITS_SEARCH_MAX], *broken = NULL;
	unsigned n = cycle_of(t, s, cycle);

	for (unsigned i = 0; i < n && broken == NULL; i++)
		if (cycle[i]->vm_wait->object->policy != VM_PAGER_POLICY_WAIT)
			broken = cycle[i];
	vm_counters.pager_cycles++;
	log_cycle(cycle, n, broken);   /* kprintf takes no lock */
	if (broken != NULL && broken != t)
		sched_break_wait_locked(broken);
	return broken == t;
}

int vm_wait_sleep(struct vm_wait *w, struct wait_queue *wq)
{
	struct thread *t = current_thread();
	struct search s;
	int r = WAIT_BROKEN;

	w->since_ns = clock_coarse_ns();
	w->since_tsc = rdtsc();
	uint64_t flags = simple_lock(&sched_lock);
	t->vm_wait = w;
	if (!deadlocked_locked(t, &s) || reached(&s, t->task) < 0 || !break_cycle_locked(t, &s))
		r = sched_wait_locked(wq, w->deadline_ns);
	t->vm_wait = NULL;
	simple_unlock(&sched_lock, flags);
	return r;
}

static void describe_locked(struct thread *t, uint64_t now, struct vm_pager_wait *out)
{
	const struct vm_wait *w = t->vm_wait;
	const struct task *pager = vm_waits_pager_task_locked(w->object);
	struct search s;

	*out = (struct vm_pager_wait){
		.thread = t->name,
		.task = t->task->name,
		.pager_task = pager != NULL ? pager->name : 0,
		.kind = w->kind,
		.object = w->object->id,
		.offset = w->offset,
		.waited_ms = (now - w->since_ns) / 1000000,
		.deadline_ms = w->deadline_ns == SCHED_NO_DEADLINE ? VM_PAGER_NO_DEADLINE
				: w->deadline_ns > now ? (w->deadline_ns - now) / 1000000 : 0,
		.policy = (uint32_t)w->object->policy,
	};
	if (deadlocked_locked(t, &s))
		out->state = reached(&s, t->task) >= 0 ? VM_PAGER_WAIT_CYCLE : VM_PAGER_WAIT_BEHIND;
}

unsigned vm_waits_list(struct vm_pager_wait *waits, unsigned max, unsigned *total)
{
	uint64_t now = clock_coarse_ns();
	unsigned n = 0;

	*total = 0;
	uint64_t flags = simple_lock(&sched_lock);
	struct task *task = &kernel_task;
	do {
		for (struct thread *t = task->threads; t != NULL; t = t->task_next) {
			if (t->vm_wait == NULL || t->state != TH_WAITING)
				continue;
			if (n < max)
				describe_locked(t, now, &waits[n++]);
			(*total)++;
		}
		task = task->next;
	} while (task != &kernel_task);
	simple_unlock(&sched_lock, flags);
	return n;
}
