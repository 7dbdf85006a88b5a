/* Tasks; see task.h for their life and locking. */
#include "kern/task.h"

#include <mach/port.h>

#include "arch/x86_64/cpu.h"
#include "kern/clock.h"
#include "kern/device.h"
#include "kern/ipc_tt.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "kern/thread.h"
#include "vm/vm_map.h"

simple_lock_t task_lock = SIMPLE_LOCK_INIT("task");
/* The head of the list of all tasks, and the idle thread's task. */
struct task kernel_task = { .next = &kernel_task, .prev = &kernel_task, .refs = 1,
			    .label = "kernel" };
static uint32_t next_name = 1;

uint32_t task_new_name(void)
{
	uint64_t flags = simple_lock(&task_lock);
	uint32_t name = next_name++;

	if (name == MACH_PORT_NAME_DEAD)
		panic("task: out of names");
	simple_unlock(&task_lock, flags);
	return name;
}

void task_init(void)
{
	kernel_task.pmap = &kernel_pmap;
	kernel_task.name = task_new_name();
}

kern_return_t task_create(struct task *parent, bool inherit_memory, struct task **out)
{
	struct task *task = kalloc(sizeof(*task));

	if (task == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(task, 0, sizeof(*task));
	kern_return_t kr = inherit_memory && parent->map != NULL
				   ? vm_map_fork(parent->map, &task->map)
				   : vm_map_create(&task->map);
	if (kr != KERN_SUCCESS) {
		kfree(task, sizeof(*task));
		return KERN_RESOURCE_SHORTAGE;
	}
	task->pmap = &task->map->pmap;
	task->name = task_new_name();
	task->refs = 1;       /* the task list's: dropped when it is destroyed */
	if (ipc_task_init(task, parent) != KERN_SUCCESS) {
		vm_map_deallocate(task->map);
		kfree(task, sizeof(*task));
		return KERN_RESOURCE_SHORTAGE;
	}
	strlcpy(task->label, parent->label, sizeof(task->label));

	uint64_t flags = simple_lock(&task_lock);
	task->parent = parent;
	task->next = &kernel_task;
	task->prev = kernel_task.prev;
	kernel_task.prev->next = task;
	kernel_task.prev = task;
	simple_unlock(&task_lock, flags);
	*out = task;
	return KERN_SUCCESS;
}

/* Frees the task's memory and takes it off the list; its threads are gone. */
static void task_destroy(struct task *task)
{
	uint64_t flags = simple_lock(&sched_lock);
	if (task->destroyed) {
		simple_unlock(&sched_lock, flags);
		return;
	}
	task->destroyed = true;
	sched_wakeup_all_locked(&task->death);
	simple_unlock(&sched_lock, flags);

	ipc_task_terminate(task);
	device_task_destroyed(task);

	/* The last thread may be running on these tables, which go with the
	 * map's last reference (a kernel call in progress may hold one). */
	if (read_cr3() == task->pmap->pml4_phys)
		write_cr3(kernel_pmap.pml4_phys);
	flags = simple_lock(&sched_lock);
	struct vm_map *map = task->map;
	task->map = NULL;
	task->pmap = &kernel_pmap;
	simple_unlock(&sched_lock, flags);
	vm_map_terminate(map);
	vm_map_deallocate(map);

	flags = simple_lock(&task_lock);
	task->prev->next = task->next;
	task->next->prev = task->prev;
	for (struct task *t = kernel_task.next; t != &kernel_task; t = t->next)
		if (t->parent == task)
			t->parent = task->parent;
	simple_unlock(&task_lock, flags);
	task_deallocate(task);
}

void task_thread_exited(struct task *task, struct thread *t)
{
	uint64_t flags = simple_lock(&task_lock);

	if (t->task_prev != NULL)
		t->task_prev->task_next = t->task_next;
	else
		task->threads = t->task_next;
	if (t->task_next != NULL)
		t->task_next->task_prev = t->task_prev;
	task->dead_run_ticks += t->run_ticks;
	bool last = --task->thread_count == 0;
	simple_unlock(&task_lock, flags);
	if (last)
		task_destroy(task);
}

kern_return_t task_terminate(struct task *task)
{
	struct thread *self = current_thread();
	uint64_t flags = simple_lock(&sched_lock);

	task->terminating = true;
	/* task_lock is not needed for the thread list: threads join only while
	 * the task is not terminating, and leave only in their own context. */
	for (struct thread *t = task->threads; t != NULL; t = t->task_next)
		thread_request_termination_locked(t);
	simple_unlock(&sched_lock, flags);
	if (task->thread_count == 0) {
		task_destroy(task);
		return KERN_SUCCESS;
	}
	if (self->task == task)
		return KERN_SUCCESS;   /* ends at the return to user mode */

	kern_return_t kr = KERN_SUCCESS;
	uint64_t deadline = clock_now_ns() + THREAD_TERMINATE_DEADLINE_NS;
	flags = simple_lock(&sched_lock);
	while (!task->destroyed && kr == KERN_SUCCESS) {
		int r = sched_wait_locked(&task->death, deadline);
		if (r == WAIT_TIMED_OUT && !task->destroyed)
			kr = KERN_OPERATION_TIMED_OUT;
		else if (self->terminating)
			kr = KERN_ABORTED;
	}
	simple_unlock(&sched_lock, flags);
	return kr;
}

/* Applies a change of the task's suspension or halt to its threads. */
static void update_threads_locked(struct task *task)
{
	for (struct thread *t = task->threads; t != NULL; t = t->task_next)
		thread_release_locked(t);
}

kern_return_t task_suspend(struct task *task)
{
	uint64_t flags = simple_lock(&sched_lock);

	task->suspend_count++;
	update_threads_locked(task);
	simple_unlock(&sched_lock, flags);
	return KERN_SUCCESS;
}

kern_return_t task_resume(struct task *task)
{
	uint64_t flags = simple_lock(&sched_lock);

	if (task->suspend_count == 0) {
		simple_unlock(&sched_lock, flags);
		return KERN_FAILURE;
	}
	task->suspend_count--;
	update_threads_locked(task);
	simple_unlock(&sched_lock, flags);
	return KERN_SUCCESS;
}

void task_info(struct task *task, struct task_basic_info *info)
{
	uint64_t flags = simple_lock(&sched_lock);

	*info = (struct task_basic_info){ .state = TASK_STATE_RUNNING };
	info->suspend_count = task->suspend_count;
	info->thread_count = task->thread_count;
	info->id = task->name;
	info->run_ticks = task->dead_run_ticks;
	for (struct thread *t = task->threads; t != NULL; t = t->task_next)
		info->run_ticks += t->run_ticks;
	strlcpy(info->name, task->label, sizeof(info->name));
	simple_unlock(&sched_lock, flags);
	if (task->map != NULL)
		vm_map_sizes(task->map, &info->virtual_size, &info->resident_size);
}

void task_set_label(struct task *task, const char *name)
{
	uint64_t flags = simple_lock(&sched_lock);

	strlcpy(task->label, name, sizeof(task->label));
	simple_unlock(&sched_lock, flags);
}

void task_reference(struct task *task)
{
	uint64_t flags = simple_lock(&task_lock);
	task->refs++;
	simple_unlock(&task_lock, flags);
}

void task_deallocate(struct task *task)
{
	if (task == NULL)
		return;   /* what a failed translation gives a generated server */
	uint64_t flags = simple_lock(&task_lock);
	bool last = --task->refs == 0;
	simple_unlock(&task_lock, flags);
	if (last) {
		if (task == &kernel_task)
			panic("task: the kernel task lost its last reference");
		kfree(task, sizeof(*task));
	}
}

void task_counts(uint64_t *tasks, uint64_t *threads)
{
	uint64_t flags = simple_lock(&task_lock);

	*tasks = 0;
	*threads = 0;
	for (struct task *t = kernel_task.next; t != &kernel_task; t = t->next) {
		(*tasks)++;
		*threads += t->thread_count;
	}
	simple_unlock(&task_lock, flags);
}

void task_set_vm_privileged(struct task *task)
{
	uint64_t flags = simple_lock(&task_lock);

	task->vm_privileged = true;
	for (struct thread *t = task->threads; t != NULL; t = t->task_next)
		t->vm_privileged = true;
	simple_unlock(&task_lock, flags);
}
