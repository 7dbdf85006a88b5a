#include "kern/boot_module.h"

#include "arch/x86_64/machine.h"
#include "kern/bootinfo.h"
#include "kern/elf.h"
#include "kern/host.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "vm/vm_page.h"

#define AT_NULL 0

struct arg_list {
	const char *s[BOOT_ARGV_MAX];
	size_t len[BOOT_ARGV_MAX];
	unsigned count;
	size_t bytes;      /* with the NULs */
};

static kern_return_t add_arg(struct arg_list *a, const char *s, size_t len)
{
	if (a->count == BOOT_ARGV_MAX || a->bytes + len + 1 > BOOT_ARGS_MAX)
		return KERN_INVALID_ARGUMENT;
	a->s[a->count] = s;
	a->len[a->count++] = len;
	a->bytes += len + 1;
	return KERN_SUCCESS;
}

/* Adds the space-separated words of s[0, len). */
static kern_return_t add_words(struct arg_list *a, const char *s, size_t len)
{
	size_t i = 0;

	/* Words are separated by spaces or NULs (host_boot_module_load's
	 * arguments are NUL-separated strings). */
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\0'))
			i++;
		size_t start = i;
		while (i < len && s[i] != ' ' && s[i] != '\0')
			i++;
		if (i > start && add_arg(a, s + start, i - start) != KERN_SUCCESS)
			return KERN_INVALID_ARGUMENT;
	}
	return KERN_SUCCESS;
}

static kern_return_t load_segments(struct task *task, const void *image, uint64_t *entry)
{
	const struct elf64_ehdr *eh = image;
	const struct elf64_phdr *ph = (const void *)((const char *)image + eh->phoff);

	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != ELF_PT_LOAD || ph[i].memsz == 0)
			continue;
		vm_prot_t prot = VM_PROT_READ | (ph[i].flags & ELF_PF_W ? VM_PROT_WRITE : 0) |
				 (ph[i].flags & ELF_PF_X ? VM_PROT_EXECUTE : 0);
		uint64_t start = ph[i].vaddr & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t end = (ph[i].vaddr + ph[i].memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		for (uint64_t va = start; va < end; va += PAGE_SIZE) {
			uint64_t pa;
			kern_return_t kr = task_map_page(task, va, prot, &pa);
			if (kr != KERN_SUCCESS)
				return kr;
		}
		kern_return_t kr = task_write(task, ph[i].vaddr,
					      (const char *)image + ph[i].offset, ph[i].filesz);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	*entry = eh->entry;
	return KERN_SUCCESS;
}

/* Maps the stack and writes the arguments; returns the initial rsp. */
static kern_return_t build_stack(struct task *task, const struct arg_list *a, uint64_t *rsp)
{
	for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP; va += PAGE_SIZE) {
		uint64_t pa;
		kern_return_t kr = task_map_page(task, va, VM_PROT_READ | VM_PROT_WRITE, &pa);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	uint64_t strings = USER_STACK_TOP - ((a->bytes + 15) & ~15ull);
	uint64_t words = a->count + 5;     /* argc, argv, NULL, envp NULL, AT_NULL pair */
	uint64_t sp = (strings - words * 8) & ~15ull;
	uint64_t vector[BOOT_ARGV_MAX + 5];
	uint64_t at = strings;

	vector[0] = a->count;
	for (unsigned i = 0; i < a->count; i++) {
		vector[1 + i] = at;
		task_write(task, at, a->s[i], a->len[i]);
		at += a->len[i] + 1;     /* the page was zero: the NUL is there */
	}
	vector[a->count + 1] = 0;
	vector[a->count + 2] = 0;
	vector[a->count + 3] = AT_NULL;
	vector[a->count + 4] = 0;
	task_write(task, sp, vector, words * 8);
	*rsp = sp;
	return KERN_SUCCESS;
}

static kern_return_t start_task(struct task *parent, unsigned index, const struct arg_list *a,
				struct task **task_out, struct thread **thread_out)
{
	const struct boot_module *m = &kernel_boot_info->modules[index];
	struct task *task;
	struct thread *thread;
	uint64_t entry, rsp;

	kern_return_t kr = task_create(parent, &task);
	if (kr != KERN_SUCCESS)
		return kr;
	boot_module_name(m, task->label, sizeof(task->label));
	kr = load_segments(task, phys_to_virt(m->start), &entry);
	if (kr == KERN_SUCCESS)
		kr = build_stack(task, a, &rsp);
	if (kr == KERN_SUCCESS)
		kr = thread_create(task, &thread);
	if (kr != KERN_SUCCESS) {
		task_terminate(task);
		return kr;
	}
	pcb_set_entry(&thread->pcb, entry, rsp);
	*task_out = task;
	*thread_out = thread;
	return KERN_SUCCESS;
}

int boot_module_find(const char *name)
{
	for (unsigned i = 0; i < kernel_boot_info->module_count; i++) {
		char module[64];
		boot_module_name(&kernel_boot_info->modules[i], module, sizeof(module));
		if (strcmp(module, name) == 0)
			return (int)i;
	}
	return -1;
}

kern_return_t boot_module_spawn(struct task *parent, unsigned index, const char *args,
				size_t args_len, struct task **task_out,
				struct thread **thread_out)
{
	const char *cmdline = kernel_boot_info->modules[index].cmdline;
	struct arg_list a = { .count = 0 };

	if (add_words(&a, cmdline, strlen(cmdline)) != KERN_SUCCESS ||
	    add_words(&a, args, args_len) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	return start_task(parent, index, &a, task_out, thread_out);
}

void boot_module_start_bootstrap(void)
{
	struct arg_list a = { .count = 0 };
	struct task *task;
	struct thread *thread;

	for (unsigned i = 0; i < kernel_boot_info->module_count; i++) {
		const char *cmdline = kernel_boot_info->modules[i].cmdline;
		if (add_arg(&a, cmdline, strlen(cmdline)) != KERN_SUCCESS) {
			kprintf("boot: cannot continue: the module list is too long for "
				"bootstrap's arguments\n");
			machine_stop(MACHINE_BOOT_ERROR);
		}
	}
	kern_return_t kr = start_task(&kernel_task, 0, &a, &task, &thread);
	if (kr == KERN_SUCCESS)
		kr = host_give_priv(task);
	if (kr != KERN_SUCCESS) {
		kprintf("boot: cannot continue: cannot start bootstrap (error %d)\n", kr);
		machine_stop(MACHINE_BOOT_ERROR);
	}
	thread_resume(thread);
	kprintf("kernel: started bootstrap as task %u, thread %u\n", task->name, thread->name);
}
