#include "kern/boot_module.h"

#include "arch/x86_64/machine.h"
#include "kern/bootinfo.h"
#include "kern/elf.h"
#include "kern/device.h"
#include "kern/host.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "vm/vm_map.h"
#include "vm/vm_resident.h"

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

/*
 * Maps [start, end) of zero memory for a segment (the part no earlier
 * segment mapped: two segments may share a page), writable while the
 * loader fills it.
 */
static kern_return_t map_segment(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e;

	if (vm_map_lookup_entry(map, start, &e))
		start = e->end;
	if (start >= end)
		return KERN_SUCCESS;
	return vm_map_enter(map, &start, end - start, 0, false, NULL, 0, false, VM_PROT_ALL,
			    VM_PROT_ALL, VM_INHERIT_DEFAULT);
}

static vm_prot_t segment_prot(const struct elf64_phdr *ph)
{
	return VM_PROT_READ | (ph->flags & ELF_PF_W ? VM_PROT_WRITE : 0) |
	       (ph->flags & ELF_PF_X ? VM_PROT_EXECUTE : 0);
}

static kern_return_t load_segments(struct task *task, const void *image, uint64_t *entry)
{
	const struct elf64_ehdr *eh = image;
	const struct elf64_phdr *ph = (const void *)((const char *)image + eh->phoff);
	struct vm_map *map = task->map;

	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != ELF_PT_LOAD || ph[i].memsz == 0)
			continue;
		kern_return_t kr = map_segment(map, trunc_page(ph[i].vaddr),
					       round_page(ph[i].vaddr + ph[i].memsz));
		if (kr == KERN_SUCCESS)
			kr = vm_map_write_kernel(map, ph[i].vaddr,
						 (const char *)image + ph[i].offset, ph[i].filesz);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	/* Then each page gets what the segments on it allow (a page two
	 * segments share gets both). */
	uint64_t shared_page = UINT64_MAX;
	vm_prot_t shared_prot = VM_PROT_NONE;
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != ELF_PT_LOAD || ph[i].memsz == 0)
			continue;
		uint64_t start = trunc_page(ph[i].vaddr);
		uint64_t end = round_page(ph[i].vaddr + ph[i].memsz);
		vm_prot_t prot = segment_prot(&ph[i]);
		vm_map_protect(map, start, end, prot, false);
		if (start == shared_page)
			vm_map_protect(map, start, start + PAGE_SIZE, prot | shared_prot, false);
		shared_page = end - PAGE_SIZE;
		shared_prot = prot;
	}
	*entry = eh->entry;
	return KERN_SUCCESS;
}

/* Maps the stack and writes the arguments; returns the initial rsp. */
static kern_return_t build_stack(struct task *task, const struct arg_list *a, uint64_t *rsp)
{
	uint64_t base = USER_STACK_TOP - USER_STACK_SIZE;
	kern_return_t kr = vm_map_enter(task->map, &base, USER_STACK_SIZE, 0, false, NULL, 0,
					false, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT);

	if (kr != KERN_SUCCESS)
		return kr;
	uint64_t strings = USER_STACK_TOP - ((a->bytes + 15) & ~15ull);
	uint64_t words = a->count + 5;     /* argc, argv, NULL, envp NULL, AT_NULL pair */
	uint64_t sp = (strings - words * 8) & ~15ull;
	uint64_t vector[BOOT_ARGV_MAX + 5];
	uint64_t at = strings;

	vector[0] = a->count;
	for (unsigned i = 0; i < a->count && kr == KERN_SUCCESS; i++) {
		vector[1 + i] = at;
		kr = vm_map_write_kernel(task->map, at, a->s[i], a->len[i]);
		at += a->len[i] + 1;     /* the page was zero: the NUL is there */
	}
	vector[a->count + 1] = 0;
	vector[a->count + 2] = 0;
	vector[a->count + 3] = AT_NULL;
	vector[a->count + 4] = 0;
	if (kr == KERN_SUCCESS)
		kr = vm_map_write_kernel(task->map, sp, vector, words * 8);
	*rsp = sp;
	return kr;
}

static kern_return_t start_task(struct task *parent, unsigned index, const struct arg_list *a,
				struct task **task_out, struct thread **thread_out)
{
	const struct boot_module *m = &kernel_boot_info->modules[index];
	struct task *task;
	struct thread *thread;
	uint64_t entry, rsp;

	kern_return_t kr = task_create(parent, false, &task);
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
	if (kr == KERN_SUCCESS)
		kr = device_give_master(task);
	if (kr != KERN_SUCCESS) {
		kprintf("boot: cannot continue: cannot start bootstrap (error %d)\n", kr);
		machine_stop(MACHINE_BOOT_ERROR);
	}
	thread_resume(thread);
	kprintf("kernel: started bootstrap as task %u, thread %u\n", task->name, thread->name);
}
