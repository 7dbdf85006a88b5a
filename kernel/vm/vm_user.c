/* User memory before the VM layer; see vm_user.h for the model. */
#include "vm/vm_user.h"

#include "arch/x86_64/pmap.h"
#include "kern/boot_module.h"
#include "kern/panic.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/usercopy.h"
#include "vm/vm_page.h"

_Static_assert(VM_USER_ALLOC_LIMIT == USER_STACK_TOP - USER_STACK_SIZE,
	       "anywhere allocations end where the initial stack begins");
_Static_assert(VM_USER_ALLOC_LIMIT <= USER_ADDRESS_LIMIT, "inside the user half");

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

static uint64_t trunc_page(uint64_t a)
{
	return a & ~PAGE_MASK;
}

static uint64_t round_page(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

/* The task still has the user half its pmap describes. */
static bool task_has_user_memory(const struct task *task)
{
	return task != &kernel_task && !task->destroyed;
}

/*
 * The pages [*start, *end) that cover [address, address + size); false
 * if that range leaves the user half or wraps.  user_range_ok bounds
 * address + size by USER_ADDRESS_LIMIT, so rounding cannot wrap.
 */
static bool user_pages(uint64_t address, uint64_t size, uint64_t *start, uint64_t *end)
{
	if (!user_range_ok(address, size))
		return false;
	*start = trunc_page(address);
	*end = round_page(address + size);
	return true;
}

/* pmap_remove_each's callback: the frame at pa leaves the task. */
static void free_task_page(uint64_t pa, void *arg)
{
	struct task *task = arg;
	struct vm_page *pg = vm_page_from_phys(pa);

	/* A page first on no list would corrupt task->pages on removal. */
	if (pg == NULL || pg->state != VM_PAGE_ALLOCATED || (pg->prev == NULL && task->pages != pg))
		panic("vm_user: frame %lx mapped in task %u is not one of its pages", pa,
		      task->name);
	vm_page_list_remove(&task->pages, pg);
	vm_page_free(pg, 0);
}

/* Unmaps and frees the task's pages in [start, end), and emptied tables. */
static void free_range(struct task *task, uint64_t start, uint64_t end)
{
	pmap_remove_each(&task->pmap, start, end, free_task_page, task);
}

/*
 * The first range of size bytes with no page mapped at or above
 * VM_USER_ALLOC_BASE, in *start.  Each try jumps over a whole run of
 * mapped pages, so the cost follows the runs in the way.
 */
static kern_return_t find_space(struct pmap *pmap, uint64_t size, uint64_t *start)
{
	uint64_t at = VM_USER_ALLOC_BASE;

	if (size > VM_USER_ALLOC_LIMIT - VM_USER_ALLOC_BASE)
		return KERN_NO_SPACE;
	while (at <= VM_USER_ALLOC_LIMIT - size) {
		uint64_t mapped = pmap_next_mapped(pmap, at, at + size);
		if (mapped == at + size) {
			*start = at;
			return KERN_SUCCESS;
		}
		at = pmap_next_unmapped(pmap, mapped, VM_USER_ALLOC_LIMIT);
	}
	return KERN_NO_SPACE;
}

/* Maps fresh zeroed read/write pages over [start, end), all unmapped; on
 * failure frees what it mapped (and the tables it made). */
static kern_return_t fill_range(struct task *task, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		struct vm_page *pg = vm_page_alloc(0);
		kern_return_t kr = KERN_RESOURCE_SHORTAGE;
		if (pg != NULL) {
			uint64_t pa = vm_page_to_phys(pg);
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
			kr = pmap_enter(&task->pmap, va, pa, VM_PROT_READ | VM_PROT_WRITE);
			if (kr == KERN_SUCCESS)
				vm_page_list_push(&task->pages, pg);
			else
				vm_page_free(pg, 0);
		}
		if (kr != KERN_SUCCESS) {
			/* Up to end, not va: a failed pmap_enter may have left tables. */
			free_range(task, start, end);
			return kr;
		}
	}
	return KERN_SUCCESS;
}

kern_return_t vm_user_allocate(struct task *task, uint64_t *address, uint64_t size,
			       bool anywhere)
{
	uint64_t start, end;

	if (!task_has_user_memory(task))
		return KERN_INVALID_TASK;
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	if (anywhere) {
		if (size > USER_ADDRESS_LIMIT)
			return KERN_NO_SPACE;
		kern_return_t kr = find_space(&task->pmap, round_page(size), &start);
		if (kr != KERN_SUCCESS)
			return kr;
		end = start + round_page(size);
	} else {
		if ((*address & PAGE_MASK) != 0 || !user_pages(*address, size, &start, &end))
			return KERN_INVALID_ADDRESS;
		if (pmap_next_mapped(&task->pmap, start, end) != end)
			return KERN_NO_SPACE;
	}
	kern_return_t kr = fill_range(task, start, end);
	if (kr == KERN_SUCCESS)
		*address = start;
	return kr;
}

kern_return_t vm_user_deallocate(struct task *task, uint64_t address, uint64_t size)
{
	uint64_t start, end;

	if (!task_has_user_memory(task))
		return KERN_INVALID_TASK;
	if (size == 0)
		return KERN_SUCCESS;
	if (!user_pages(address, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	free_range(task, start, end);
	return KERN_SUCCESS;
}

kern_return_t vm_user_protect(struct task *task, uint64_t address, uint64_t size,
			      bool set_maximum, vm_prot_t prot)
{
	uint64_t start, end;

	(void)set_maximum;   /* no maximum protection before vm_map; see vm_user.h */
	if (!task_has_user_memory(task))
		return KERN_INVALID_TASK;
	if ((prot & ~VM_PROT_ALL) != 0)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if (!user_pages(address, size, &start, &end))
		return KERN_INVALID_ADDRESS;
	pmap_protect(&task->pmap, start, end, prot);
	return KERN_SUCCESS;
}

kern_return_t vm_user_copyout(struct task *task, const void *src, uint64_t size,
			      uint64_t *address)
{
	const char *from = src;
	uint64_t start = 0;

	kern_return_t kr = vm_user_allocate(task, &start, size, true);
	if (kr != KERN_SUCCESS)
		return kr;
	for (uint64_t done = 0; done < size; done += PAGE_SIZE) {
		uint64_t pa, chunk = size - done < PAGE_SIZE ? size - done : PAGE_SIZE;
		vm_prot_t prot;
		if (!pmap_lookup(&task->pmap, start + done, &pa, &prot))
			panic("vm_user: page %lx vanished during copyout", start + done);
		memcpy(phys_to_virt(pa), from + done, chunk);
	}
	*address = start;
	return KERN_SUCCESS;
}

/* Whether every page of [start, end) is mapped readable. */
static bool readable(struct pmap *pmap, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t pa;
		vm_prot_t prot;
		if (!pmap_lookup(pmap, va, &pa, &prot) || !(prot & VM_PROT_READ))
			return false;
	}
	return true;
}

kern_return_t vm_user_copyin(struct task *task, uint64_t address, void *dst, uint64_t size)
{
	char *to = dst;
	uint64_t start, end;

	if (!task_has_user_memory(task))
		return KERN_INVALID_TASK;
	if (size == 0)
		return KERN_SUCCESS;
	if (!user_pages(address, size, &start, &end) || !readable(&task->pmap, start, end))
		return KERN_INVALID_ADDRESS;
	while (size > 0) {
		uint64_t pa, chunk = PAGE_SIZE - (address & PAGE_MASK);
		vm_prot_t prot;
		if (chunk > size)
			chunk = size;
		pmap_lookup(&task->pmap, address, &pa, &prot);
		memcpy(to, phys_to_virt(pa), chunk);
		address += chunk;
		to += chunk;
		size -= chunk;
	}
	return KERN_SUCCESS;
}
