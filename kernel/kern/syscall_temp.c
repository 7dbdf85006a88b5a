/*
 * TEMPORARY traps (mach/syscall_sw.h): task, thread and host operations
 * reached without ports, and bootstrap's tools.  Each decodes its
 * arguments and calls the same kernel function that the generated task,
 * thread and host servers will call once IPC exists; then this file goes.
 *
 * Tasks and threads are named by their never-reused identifiers.  A
 * caller may operate on its own task and the tasks descended from it, and
 * on their threads (KERN_NO_ACCESS otherwise); a name that denotes
 * nothing live is KERN_INVALID_NAME.
 */
#include <mach/kern_return.h>
#include <mach/syscall_sw.h>

#include "arch/x86_64/machine.h"
#include "kern/boot_module.h"
#include "kern/kalloc.h"
#include "kern/printf.h"
#include "kern/syscall.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"
#include "vm/vm_page.h"

#define UNUSED4(a, b, c, d) ((void)(a), (void)(b), (void)(c), (void)(d))
#define KERNEL_LOG_MAX 4096

static kern_return_t lookup_task(uint64_t name, struct task **out)
{
	struct task *t = name <= UINT32_MAX ? task_lookup((uint32_t)name) : NULL;

	if (t == NULL)
		return KERN_INVALID_NAME;
	if (!task_controls(current_thread()->task, t)) {
		task_deallocate(t);
		return KERN_NO_ACCESS;
	}
	*out = t;
	return KERN_SUCCESS;
}

static kern_return_t lookup_thread(uint64_t name, struct thread **out)
{
	struct thread *t = name <= UINT32_MAX ? thread_lookup((uint32_t)name) : NULL;

	if (t == NULL)
		return KERN_INVALID_NAME;
	if (!task_controls(current_thread()->task, t->task)) {
		thread_deallocate(t);
		return KERN_NO_ACCESS;
	}
	*out = t;
	return KERN_SUCCESS;
}

/*
 * One trap on a task or thread named by its first argument: look it up
 * (lookup_task or lookup_thread), run body with kr, a1..a5 and `object`,
 * drop the reference.
 */
#define OBJECT_TRAP(fn, type, object, lookup, release, body)                    \
	uint64_t fn(uint64_t name, uint64_t a1, uint64_t a2, uint64_t a3,        \
		    uint64_t a4, uint64_t a5)                                    \
	{                                                                        \
		type *object;                                                    \
		kern_return_t kr = lookup(name, &object);                        \
		(void)a1; (void)a2; (void)a3; (void)a4; (void)a5;                 \
		if (kr != KERN_SUCCESS)                                          \
			return kr;                                               \
		body;                                                            \
		release(object);                                                 \
		return kr;                                                       \
	}
#define TASK_TRAP(fn, body) \
	OBJECT_TRAP(fn, struct task, task, lookup_task, task_deallocate, body)
#define THREAD_TRAP(fn, body) \
	OBJECT_TRAP(fn, struct thread, thread, lookup_thread, thread_deallocate, body)

/* A state flavor: an int, so a wider value is no flavor at all. */
static int flavor_of(uint64_t value)
{
	return value <= INT32_MAX ? (int)value : -1;
}

TASK_TRAP(trap_task_create, {
	struct task *child;
	kr = task_create(task, &child);
	if (kr == KERN_SUCCESS) {
		uint32_t child_name = child->name;
		kr = copyout(&child_name, a1, sizeof(child_name));
		if (kr != KERN_SUCCESS)
			task_terminate(child);
	}
})
TASK_TRAP(trap_task_terminate, kr = task_terminate(task))
TASK_TRAP(trap_task_suspend, kr = task_suspend(task))
TASK_TRAP(trap_task_resume, kr = task_resume(task))
TASK_TRAP(trap_task_info, {
	struct task_basic_info info;
	task_info(task, &info);
	kr = copyout(&info, a1, sizeof(info));
})

TASK_TRAP(trap_thread_create, {
	struct thread *thread;
	kr = thread_create(task, &thread);
	if (kr == KERN_SUCCESS) {
		uint32_t thread_name = thread->name;
		kr = copyout(&thread_name, a1, sizeof(thread_name));
		if (kr != KERN_SUCCESS)
			thread_terminate(thread);
	}
})
THREAD_TRAP(trap_thread_terminate, kr = thread_terminate(thread))
THREAD_TRAP(trap_thread_suspend, kr = thread_suspend(thread))
THREAD_TRAP(trap_thread_resume, kr = thread_resume(thread))
THREAD_TRAP(trap_thread_get_state, {
	struct x86_64_float_state buf;   /* the largest flavor */
	if (a3 > sizeof(buf))
		kr = KERN_INVALID_ARGUMENT;
	else
		kr = thread_get_state(thread, flavor_of(a1), &buf, a3);
	if (kr == KERN_SUCCESS)
		kr = copyout(&buf, a2, a3);
})
THREAD_TRAP(trap_thread_set_state, {
	struct x86_64_float_state buf;
	if (a3 > sizeof(buf))
		kr = KERN_INVALID_ARGUMENT;
	else
		kr = copyin(a2, &buf, a3);
	if (kr == KERN_SUCCESS)
		kr = thread_set_state(thread, flavor_of(a1), &buf, a3);
})
THREAD_TRAP(trap_thread_info, {
	struct thread_basic_info info;
	thread_info(thread, &info);
	kr = copyout(&info, a1, sizeof(info));
})
THREAD_TRAP(trap_thread_priority,
	    kr = thread_priority(thread, a1 > UINT32_MAX ? 0 : (unsigned)a1,
				 THREAD_PRIORITY_USER_MAX))

uint64_t trap_host_memory_info(uint64_t out, uint64_t a1, uint64_t a2, uint64_t a3,
				      uint64_t a4, uint64_t a5)
{
	struct host_memory_info info = {
		.page_size = PAGE_SIZE,
		.total_pages = vm_page_stats.total,
		.free_pages = vm_page_stats.free,
		.kalloc_bytes = kalloc_stats.bytes_in_use,
		.kalloc_allocations = kalloc_stats.allocations,
	};

	UNUSED4(a1, a2, a3, a4);
	(void)a5;
	task_counts(&info.tasks, &info.threads);
	return copyout(&info, out, sizeof(info));
}

uint64_t trap_host_halt(uint64_t status, uint64_t a1, uint64_t a2, uint64_t a3,
			       uint64_t a4, uint64_t a5)
{
	struct task *task = current_thread()->task;

	UNUSED4(a1, a2, a3, a4);
	(void)a5;
	if (status != HOST_HALT_SUCCESS && status != HOST_HALT_FAILURE)
		return KERN_INVALID_ARGUMENT;
	kprintf("kernel: halted by task '%s' (%u), status %s\n", task->label, task->name,
		status == HOST_HALT_SUCCESS ? "success" : "failure");
	machine_stop(status == HOST_HALT_SUCCESS ? MACHINE_SUCCESS : MACHINE_TEST_FAILED);
}

uint64_t trap_boot_module_spawn(uint64_t name, uint64_t name_len, uint64_t args,
				       uint64_t args_len, uint64_t task_out,
				       uint64_t thread_out)
{
	char module[BOOT_MODULE_NAME_MAX + 1];
	struct task *task;
	struct thread *thread;

	if (name_len == 0 || name_len > BOOT_MODULE_NAME_MAX || args_len > BOOT_ARGS_MAX)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = copyin(name, module, name_len);
	if (kr != KERN_SUCCESS)
		return kr;
	module[name_len] = '\0';
	char *arg_buf = kalloc(BOOT_ARGS_MAX);
	if (arg_buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = copyin(args, arg_buf, args_len);
	int index = boot_module_find(module);
	if (kr == KERN_SUCCESS && index < 0)
		kr = KERN_INVALID_NAME;
	if (kr == KERN_SUCCESS)
		kr = boot_module_spawn(current_thread()->task, (unsigned)index, arg_buf, args_len,
				       &task, &thread);
	kfree(arg_buf, BOOT_ARGS_MAX);
	if (kr != KERN_SUCCESS)
		return kr;
	uint32_t names[2] = { task->name, thread->name };
	kr = copyout(&names[0], task_out, sizeof(names[0]));
	if (kr == KERN_SUCCESS)
		kr = copyout(&names[1], thread_out, sizeof(names[1]));
	if (kr != KERN_SUCCESS)
		task_terminate(task);
	return kr;
}

uint64_t trap_kernel_log(uint64_t buf, uint64_t len, uint64_t a2, uint64_t a3,
				uint64_t a4, uint64_t a5)
{
	UNUSED4(a2, a3, a4, a5);
	if (len > KERNEL_LOG_MAX)
		return KERN_INVALID_ARGUMENT;
	if (len == 0)
		return KERN_SUCCESS;
	char *text = kalloc(len);
	if (text == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kern_return_t kr = copyin(buf, text, len);
	if (kr == KERN_SUCCESS)
		kprintf("%.*s", (int)len, text);
	kfree(text, len);
	return kr;
}
