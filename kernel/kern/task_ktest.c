/* Self-tests of task memory and user copies (the guest tests, tests/guest,
 * cover tasks and threads running). */
#include "arch/x86_64/cpu.h"
#include "kern/kalloc.h"
#include "kern/ktest.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/usercopy.h"
#include "vm/vm_page.h"

KTEST(task, task_create_and_terminate_return_every_page)
{
	uint64_t free_before = vm_page_stats.free;
	uint64_t heap_before = kalloc_stats.bytes_in_use;
	struct task *task;
	uint64_t pa;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	/* Pages far apart need tables at every level. */
	KEXPECT_EQ(task_map_page(task, 0x400000, VM_PROT_READ, &pa), KERN_SUCCESS);
	KEXPECT_EQ(task_map_page(task, 0x7ffffffff000, VM_PROT_READ | VM_PROT_WRITE, &pa),
		   KERN_SUCCESS);
	KEXPECT_EQ(task_map_page(task, 0x40000000, VM_PROT_READ, &pa), KERN_SUCCESS);
	KEXPECT(vm_page_stats.free < free_before);
	KEXPECT_EQ(task_write(task, 0x7ffffffff000 - 2, "ab", 2), KERN_INVALID_ADDRESS);
	KEXPECT_EQ(task_write(task, 0x7ffffffffffe, "ab", 2), KERN_SUCCESS);
	KEXPECT_EQ(task_terminate(task), KERN_SUCCESS);
	KEXPECT_EQ(vm_page_stats.free, free_before);
	KEXPECT_EQ(kalloc_stats.bytes_in_use, heap_before);
}

KTEST(task, task_map_page_twice_reuses_the_page_and_adds_protection)
{
	struct task *task;
	uint64_t pa1, pa2, pa;
	vm_prot_t prot;

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(task_map_page(task, 0x401000, VM_PROT_READ, &pa1), KERN_SUCCESS);
	KEXPECT_EQ(task_map_page(task, 0x401000, VM_PROT_WRITE, &pa2), KERN_SUCCESS);
	KEXPECT_EQ(pa1, pa2);
	KEXPECT(pmap_lookup(&task->pmap, 0x401000, &pa, &prot));
	KEXPECT_EQ(prot, VM_PROT_READ | VM_PROT_WRITE);
	task_terminate(task);
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
	uint64_t pa, old_cr3 = read_cr3();
	char buf[8] = "pagoda!";

	if (!KEXPECT_EQ(task_create(&kernel_task, &task), KERN_SUCCESS))
		return;
	KEXPECT_EQ(task_map_page(task, 0x400000, VM_PROT_READ, &pa), KERN_SUCCESS);
	write_cr3(task->pmap.pml4_phys);
	KEXPECT_EQ(copyout(buf, 0x400ffc, 8), KERN_INVALID_ADDRESS); /* read-only */
	KEXPECT_EQ(copyin(0x400ffc, buf, 8), KERN_INVALID_ADDRESS);  /* runs off */
	KEXPECT_EQ(copyin(0x400ff8, buf, 8), KERN_SUCCESS);
	KEXPECT_EQ(copyin(0x10, buf, 8), KERN_INVALID_ADDRESS);
	write_cr3(old_cr3);
	task_terminate(task);
}
