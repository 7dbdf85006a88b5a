/* Self-tests of task memory and user copies (the guest tests, tests/guest,
 * cover tasks and threads running). */
#include "arch/x86_64/cpu.h"
#include "kern/kalloc.h"
#include "kern/ktest.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/usercopy.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"
#include "vm/vm_resident.h"

/* Maps one page of zero memory at va in task's map. */
static kern_return_t map_one(struct task *task, uint64_t va, vm_prot_t prot)
{
	return vm_map_enter(task->map, &va, PAGE_SIZE, 0, false, NULL, 0, false, prot,
			    VM_PROT_ALL, VM_INHERIT_DEFAULT);
}

KTEST(task, task_create_and_terminate_return_every_page)
{
	uint64_t free_before = vm_page_stats.free;
	uint64_t heap_before = kalloc_stats.bytes_in_use;
	struct task *task;

	if (!KEXPECT_EQ(task_create(&kernel_task, false, &task), KERN_SUCCESS))
		return;
	/* Pages far apart need tables at every level. */
	KEXPECT_EQ(map_one(task, 0x400000, VM_PROT_READ), KERN_SUCCESS);
	KEXPECT_EQ(map_one(task, 0x7ffffffff000, VM_PROT_DEFAULT), KERN_SUCCESS);
	KEXPECT_EQ(map_one(task, 0x40000000, VM_PROT_DEFAULT), KERN_SUCCESS);
	KEXPECT_EQ(vm_map_write_kernel(task->map, 0x7ffffffff000 - 2, "ab", 2),
		   KERN_INVALID_ADDRESS);
	KEXPECT_EQ(vm_map_write_kernel(task->map, 0x7ffffffffffe, "ab", 2), KERN_SUCCESS);
	KEXPECT_EQ(vm_map_write_kernel(task->map, 0x40000ffe, "ab", 2), KERN_SUCCESS);
	KEXPECT_EQ(vm_map_write_kernel(task->map, 0x400000, "ab", 2), KERN_PROTECTION_FAILURE);
	KEXPECT(vm_page_stats.free < free_before);
	KEXPECT_EQ(task_terminate(task), KERN_SUCCESS);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT_EQ(kalloc_stats.bytes_in_use, heap_before);
}

KTEST(task, usercopy_refuses_ranges_outside_the_user_half)
{
	char buf[16];

	KEXPECT_EQ(copyin(0xffff800000000000ull, buf, 8), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(copyin(0x00007ffffffffff8ull, buf, 16), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(copyout(buf, 0x0000800000000000ull, 1), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(copyout(buf, 0xfffffffffffffff0ull, 16), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(copyin(0x1000, buf, 0x7fffffffffffffffull), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(copyin(0x1000, buf, 0), KERN_SUCCESS);
}

KTEST(task, usercopy_recovers_from_a_fault_on_a_user_address)
{
	struct task *task;
	uint64_t old_cr3 = read_cr3();
	char buf[8] = "pagoda!";

	if (!KEXPECT_EQ(task_create(&kernel_task, false, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(map_one(task, 0x400000, VM_PROT_READ), KERN_SUCCESS);
	/* Made resident from here: the kernel task has no map to fault in. */
	KEXPECT_EQ(vm_map_read_kernel(task->map, 0x400000, buf, 1), KERN_SUCCESS);
	write_cr3(task->pmap->pml4_phys);
	KEXPECT_EQ(copyout(buf, 0x400ffc, 8), KERN_INVALID_ADDRESS); /* read-only */
	KEXPECT_EQ(copyin(0x400ffc, buf, 8), KERN_INVALID_ADDRESS);  /* runs off */
	KEXPECT_EQ(copyin(0x400ff8, buf, 8), KERN_SUCCESS);
	KEXPECT_EQ(copyin(0x10, buf, 8), KERN_INVALID_ADDRESS);
	write_cr3(old_cr3);
	task_terminate(task);
}
