/* Threads; see thread.h for their life and locking. */
#include "kern/thread.h"

#include "arch/x86_64/cpu.h"
#include "kern/clock.h"
#include "kern/ipc_tt.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "kern/task.h"

static struct thread *thread_alloc(struct task *task)
{
	struct thread *t = kalloc(sizeof(*t));

	if (t == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->deadline = SCHED_NO_DEADLINE;
	t->priority = THREAD_PRIORITY_DEFAULT;
	t->max_priority = THREAD_PRIORITY_USER_MAX;
	t->refs = 1;          /* alive: dropped by thread_reap */
	t->name = task_new_name();
	t->task = task;
	return t;
}

/* Puts t on its task's list: it counts from now on. */
static kern_return_t attach(struct thread *t)
{
	struct task *task = t->task;
	uint64_t flags = simple_lock(&task_lock);

	if (task->terminating || task->destroyed) {
		simple_unlock(&task_lock, flags);
		return KERN_INVALID_ARGUMENT;
	}
	task->refs++;
	t->task_prev = NULL;
	t->task_next = task->threads;
	if (task->threads != NULL)
		task->threads->task_prev = t;
	task->threads = t;
	task->thread_count++;
	simple_unlock(&task_lock, flags);
	return KERN_SUCCESS;
}

kern_return_t thread_create(struct task *task, struct thread **out)
{
	struct thread *t = thread_alloc(task);

	if (t == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (pcb_init_user(&t->pcb) != KERN_SUCCESS) {
		kfree(t, sizeof(*t));
		return KERN_RESOURCE_SHORTAGE;
	}
	t->suspend_count = 1;
	t->state = TH_STOPPED;
	t->vm_privileged = task->vm_privileged;
	kern_return_t kr = ipc_thread_init(t);
	if (kr == KERN_SUCCESS) {
		kr = attach(t);
		if (kr != KERN_SUCCESS)
			ipc_thread_terminate(t);
	}
	if (kr != KERN_SUCCESS) {
		pcb_free(&t->pcb);
		kfree(t, sizeof(*t));
		return kr;
	}
	uint64_t flags = simple_lock(&sched_lock);
	thread_update_ast_locked(t);
	simple_unlock(&sched_lock, flags);
	*out = t;
	return KERN_SUCCESS;
}

kern_return_t thread_create_kernel(void (*body)(void), unsigned priority, struct thread **out)
{
	struct thread *t = thread_alloc(&kernel_task);

	if (t == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (pcb_init_kernel(&t->pcb, body) != KERN_SUCCESS) {
		kfree(t, sizeof(*t));
		return KERN_RESOURCE_SHORTAGE;
	}
	t->priority = t->max_priority = priority;
	t->vm_privileged = true;
	uint64_t flags = simple_lock(&sched_lock);
	sched_ready_locked(t);
	simple_unlock(&sched_lock, flags);
	*out = t;
	return KERN_SUCCESS;
}

static bool must_stop(const struct thread *t)
{
	return t->suspend_count > 0 || t->task->suspend_count > 0;
}

void thread_update_ast_locked(struct thread *t)
{
	t->ast = (t->ast & AST_IRET) | (t->terminating ? AST_TERMINATE : 0) |
		 (must_stop(t) ? AST_STOP : 0);
}

void thread_request_termination_locked(struct thread *t)
{
	if (t->terminating || t->exited)
		return;
	t->terminating = true;
	thread_update_ast_locked(t);
	sched_set_priority_locked(t, THREAD_PRIORITY_MAX);
	sched_interrupt_locked(t);
}

kern_return_t thread_wait_exit_locked(struct thread *t, uint64_t deadline)
{
	while (!t->exited) {
		if (sched_wait_locked(&t->death, deadline) == WAIT_TIMED_OUT && !t->exited)
			return KERN_OPERATION_TIMED_OUT;
		if (current_thread()->terminating)
			return KERN_ABORTED;
	}
	return KERN_SUCCESS;
}

kern_return_t thread_terminate(struct thread *t)
{
	uint64_t flags = simple_lock(&sched_lock);
	kern_return_t kr = KERN_SUCCESS;

	thread_request_termination_locked(t);
	if (t != current_thread())
		kr = thread_wait_exit_locked(t, clock_now_ns() + THREAD_TERMINATE_DEADLINE_NS);
	simple_unlock(&sched_lock, flags);
	return kr;
}

kern_return_t thread_suspend(struct thread *t)
{
	uint64_t flags = simple_lock(&sched_lock);

	t->suspend_count++;
	thread_update_ast_locked(t);
	simple_unlock(&sched_lock, flags);
	return KERN_SUCCESS;
}

void thread_release_locked(struct thread *t)
{
	thread_update_ast_locked(t);
	if (t->state == TH_STOPPED && !(t->ast & AST_STOP))
		sched_ready_locked(t);
}

kern_return_t thread_resume(struct thread *t)
{
	uint64_t flags = simple_lock(&sched_lock);

	if (t->suspend_count == 0) {
		simple_unlock(&sched_lock, flags);
		return KERN_FAILURE;
	}
	t->suspend_count--;
	thread_release_locked(t);
	simple_unlock(&sched_lock, flags);
	return KERN_SUCCESS;
}

/* Its user state is stable: it is not running and will not run user code. */
static bool is_stopped(struct thread *t)
{
	return t != current_thread() && must_stop(t) && !t->exited;
}

/* How often thread_abort looks again at a thread that has not stopped. */
#define ABORT_LOOK_NS 10000000ull

kern_return_t thread_abort(struct thread *t)
{
	uint64_t deadline = clock_now_ns() + THREAD_TERMINATE_DEADLINE_NS;
	uint64_t flags = simple_lock(&sched_lock);
	kern_return_t kr = KERN_SUCCESS;

	if (!is_stopped(t))
		kr = t->exited ? KERN_SUCCESS : KERN_FAILURE;
	while (kr == KERN_SUCCESS && t->state != TH_STOPPED && !t->exited) {
		/* Each wait it is in ends, and each it begins on its way out of
		 * the kernel (it was ready to go on in a call): that rare case
		 * is found by looking again each tick, so that no wait in the
		 * kernel pays for a check. */
		if (t->state == TH_WAITING)
			sched_interrupt_locked(t);
		uint64_t now = clock_now_ns();
		if (now >= deadline)
			kr = KERN_OPERATION_TIMED_OUT;
		else
			sched_wait_locked(&t->stopped, deadline - now > ABORT_LOOK_NS
								? now + ABORT_LOOK_NS : deadline);
		if (current_thread()->terminating)
			kr = KERN_ABORTED;
	}
	if (kr == KERN_OPERATION_TIMED_OUT && (t->state == TH_STOPPED || t->exited))
		kr = KERN_SUCCESS;
	simple_unlock(&sched_lock, flags);
	return kr;
}

kern_return_t thread_get_state(struct thread *t, int flavor, void *state, uint64_t size)
{
	if (!is_stopped(t))
		return KERN_FAILURE;
	return pcb_get_state(&t->pcb, flavor, state, size);
}

kern_return_t thread_set_state(struct thread *t, int flavor, const void *state, uint64_t size)
{
	if (!is_stopped(t))
		return KERN_FAILURE;
	kern_return_t kr = pcb_set_state(&t->pcb, flavor, state, size);
	if (kr == KERN_SUCCESS) {
		uint64_t flags = simple_lock(&sched_lock);
		t->ast |= AST_IRET;
		simple_unlock(&sched_lock, flags);
	}
	return kr;
}

kern_return_t thread_priority(struct thread *t, unsigned priority, unsigned max)
{
	if (priority < THREAD_PRIORITY_MIN || priority > max)
		return KERN_INVALID_VALUE;
	uint64_t flags = simple_lock(&sched_lock);
	if (!t->terminating)
		sched_set_priority_locked(t, priority);
	simple_unlock(&sched_lock, flags);
	return KERN_SUCCESS;
}

void thread_info(struct thread *t, struct thread_basic_info *info)
{
	static const uint32_t states[] = {
		[TH_READY] = THREAD_STATE_READY, [TH_RUNNING] = THREAD_STATE_RUNNING,
		[TH_WAITING] = THREAD_STATE_WAITING, [TH_STOPPED] = THREAD_STATE_STOPPED,
		[TH_DEAD] = THREAD_STATE_STOPPED,
	};
	uint64_t flags = simple_lock(&sched_lock);

	/* A suspended thread that is ready will stop before it runs user code. */
	uint32_t state = states[t->state];
	if (t->state == TH_READY && must_stop(t))
		state = THREAD_STATE_STOPPED;
	*info = (struct thread_basic_info){
		.state = state,
		.priority = t->priority,
		.suspend_count = t->suspend_count,
		.id = t->name,
		.run_ticks = t->run_ticks,
		.switches = t->switches,
	};
	simple_unlock(&sched_lock, flags);
}

/* The current thread ends: off its task, wake who waits, switch away. */
__attribute__((noreturn)) static void thread_exit_self(void)
{
	struct thread *t = current_thread();

	ipc_thread_terminate(t);
	task_thread_exited(t->task, t);
	simple_lock(&sched_lock);
	t->exited = true;
	sched_wakeup_all_locked(&t->death);
	sched_wakeup_all_locked(&t->stopped);
	sched_exit_locked();
}

bool thread_user_return_work(struct trap_frame *frame)
{
	struct thread *t = current_thread();

	(void)frame;
	for (;;) {
		uint64_t flags = simple_lock(&sched_lock);
		if (t->ast & AST_TERMINATE) {
			simple_unlock(&sched_lock, flags);
			thread_exit_self();
		}
		if (t->ast & AST_STOP)
			sched_stop_locked();
		else if (cpu_self()->need_resched)
			sched_preempt_locked();
		else {
			bool set = t->ast & AST_IRET;
			t->ast &= ~AST_IRET;
			simple_unlock(&sched_lock, flags);
			return set;
		}
		simple_unlock(&sched_lock, flags);
	}
}

void thread_reference(struct thread *t)
{
	uint64_t flags = simple_lock(&task_lock);
	t->refs++;
	simple_unlock(&task_lock, flags);
}

void thread_deallocate(struct thread *t)
{
	if (t == NULL)
		return;   /* what a failed translation gives a generated server */
	uint64_t flags = simple_lock(&task_lock);
	bool last = --t->refs == 0;
	simple_unlock(&task_lock, flags);
	if (last) {
		task_deallocate(t->task);
		kfree(t, sizeof(*t));
	}
}

void thread_reap(struct thread *dead)
{
	pcb_free(&dead->pcb);
	thread_deallocate(dead);
}
