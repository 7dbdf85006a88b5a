/*
 * Device memory: a device's physical memory (VGA text memory at 0xb8000)
 * mapped as it is, shared with children and never copied; DMA buffers
 * of contiguous, zeroed, aligned physical memory, freed with their last
 * mapping; and the refusals of both routines.
 */
#include "devicetest.h"

#define VGA_TEXT 0xb8000ull
#define VGA_TEXT_SIZE (8 * PAGE)

static uint8_t child_stack[8192] __attribute__((aligned(16)));
static vm_address_t child_vga;

/* Runs in a child task: reads the shared VGA word, writes its own. */
__attribute__((noreturn, noinline, used)) static void child_main(void)
{
	volatile uint64_t *w = word(child_vga);
	uint64_t seen = w[0];

	w[1] = 0x0f43;   /* 'C' */
	child_report(seen, 1, 0, 0);
	for (;;)
		__asm__ volatile("pause");
}

static void shared_with_child(vm_address_t vga)
{
	task_t child = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	struct child_event e;

	child_vga = vga;
	word(vga)[0] = 0x0f50;   /* 'P' */
	bool ok = child_create(true, &child) &&
		  CHECK_KR(vm_inherit(mach_task_self(), vga, VGA_TEXT_SIZE, VM_INHERIT_COPY),
			   KERN_SUCCESS) &&
		  child_thread_start(child, child_main, child_stack, sizeof(child_stack),
				     &thread) && child_wait(&e, 2000);
	tap_ok(ok && e.report && e.state.r12 == 0x0f50 && word(vga)[1] == 0x0f43,
	       "device_memory_is_shared_with_a_child_even_when_inherited_as_a_copy");
	child_end(child);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
}

/* The copies that device memory refuses. */
static void not_copied(vm_address_t vga)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	vm_address_t plain = arena_allocate(PAGE);

	tap_kr(vm_read(mach_task_self(), vga, PAGE, &data, &count), KERN_PROTECTION_FAILURE,
	       "vm_read_of_device_memory_is_refused");
	tap_kr(vm_copy(mach_task_self(), vga, PAGE, plain), KERN_PROTECTION_FAILURE,
	       "vm_copy_from_device_memory_is_refused");
	tap_kr(vm_copy(mach_task_self(), plain, PAGE, vga), KERN_PROTECTION_FAILURE,
	       "vm_copy_onto_device_memory_is_refused");
	tap_kr(vm_write(mach_task_self(), vga, plain, PAGE), KERN_PROTECTION_FAILURE,
	       "vm_write_onto_device_memory_is_refused");
	vm_deallocate(mach_task_self(), plain, PAGE);
}

static void vga_text(void)
{
	vm_address_t vga = 0;
	struct region r;

	tap_kr(device_memory_map(device_master, mach_task_self(), &vga, VGA_TEXT_SIZE, VGA_TEXT,
				 TRUE, DEVICE_MEMORY_UNCACHED), KERN_SUCCESS,
	       "memory_map_maps_vga_text_memory");
	if (vga == 0)
		return;
	uint64_t old = word(vga)[0];
	bool ok = writes(vga, 0x0741074707410750ull) && reads(vga, 0x0741074707410750ull);
	tap_ok(ok, "mapped_device_memory_reads_back_what_was_written");
	word(vga)[0] = old;
	tap_ok(region_at(mach_task_self(), vga, &r) == KERN_SUCCESS && r.start == vga &&
		       r.size == VGA_TEXT_SIZE && r.info.inheritance == VM_INHERIT_SHARE,
	       "mapped_device_memory_is_one_shared_region");
	not_copied(vga);
	shared_with_child(vga);
	tap_kr(vm_deallocate(mach_task_self(), vga, VGA_TEXT_SIZE), KERN_SUCCESS,
	       "vm_deallocate_unmaps_device_memory");
	tap_ok(unmapped(mach_task_self(), vga, VGA_TEXT_SIZE),
	       "unmapped_device_memory_is_gone");

	vm_address_t slot = arena_next(), fixed = slot;
	tap_ok(device_memory_map(device_master, mach_task_self(), &fixed, PAGE, VGA_TEXT, FALSE,
				 DEVICE_MEMORY_CACHED) == KERN_SUCCESS &&
		       fixed == slot && readable(fixed, PAGE),
	       "memory_map_maps_at_a_fixed_address");
	vm_deallocate(mach_task_self(), fixed, PAGE);
}

static void dma(void)
{
	vm_address_t a = 0, b = 0;
	uint64_t pa = 0, pb = 0;
	uint64_t free_before = memory_info().free_pages;

	tap_kr(device_dma_allocate(device_master, mach_task_self(), &a, 3 * PAGE, TRUE, &pa),
	       KERN_SUCCESS, "dma_allocate_gives_a_buffer");
	tap_ok(a != 0 && pa != 0 && pa % (4 * PAGE) == 0,
	       "a_dma_buffer_is_rounded_to_a_power_of_two_and_aligned_to_its_size");
	tap_ok(a != 0 && zeroed(a, 4 * PAGE) && writable(a, 4 * PAGE),
	       "a_dma_buffer_is_zeroed_and_writable");
	tap_ok(device_dma_allocate(device_master, mach_task_self(), &b, PAGE, TRUE, &pb) ==
			       KERN_SUCCESS &&
		       (pb + PAGE <= pa || pb >= pa + 4 * PAGE),
	       "two_dma_buffers_do_not_overlap");
	vm_address_t m = 0;
	tap_kr(device_memory_map(device_master, mach_task_self(), &m, PAGE, pa, TRUE,
				 DEVICE_MEMORY_CACHED), KERN_PROTECTION_FAILURE,
	       "memory_map_refuses_a_dma_buffer_which_is_ram");
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	tap_kr(vm_read(mach_task_self(), a, PAGE, &data, &count), KERN_PROTECTION_FAILURE,
	       "vm_read_of_a_dma_buffer_is_refused");
	vm_deallocate(mach_task_self(), a, 4 * PAGE);
	vm_deallocate(mach_task_self(), b, PAGE);
	tap_ok(memory_info().free_pages >= free_before,
	       "dma_buffers_are_freed_with_their_last_mapping");
}

static void refusals(void)
{
	task_t self = mach_task_self();
	vm_address_t at = 0;
	uint64_t pa = 0;

	tap_kr(device_memory_map(device_master, self, &at, PAGE, 0x100000, TRUE,
				 DEVICE_MEMORY_CACHED), KERN_PROTECTION_FAILURE,
	       "memory_map_refuses_ram");
	tap_kr(device_memory_map(device_master, self, &at, PAGE, 0, TRUE, DEVICE_MEMORY_CACHED),
	       KERN_PROTECTION_FAILURE, "memory_map_refuses_the_first_page_of_ram");
	tap_kr(device_memory_map(device_master, self, &at, PAGE, VGA_TEXT + 1, TRUE,
				 DEVICE_MEMORY_CACHED), KERN_INVALID_ARGUMENT,
	       "memory_map_refuses_an_unaligned_address");
	tap_kr(device_memory_map(device_master, self, &at, 100, VGA_TEXT, TRUE,
				 DEVICE_MEMORY_CACHED), KERN_INVALID_ARGUMENT,
	       "memory_map_refuses_an_unaligned_size");
	tap_kr(device_memory_map(device_master, self, &at, 0, VGA_TEXT, TRUE,
				 DEVICE_MEMORY_CACHED), KERN_INVALID_ARGUMENT,
	       "memory_map_refuses_an_empty_range");
	tap_kr(device_memory_map(device_master, self, &at, 2 * PAGE, 0xffffffffffffe000ull, TRUE,
				 DEVICE_MEMORY_CACHED), KERN_INVALID_ARGUMENT,
	       "memory_map_refuses_a_range_past_the_physical_address_width");
	tap_kr(device_memory_map(device_master, self, &at, PAGE, VGA_TEXT, TRUE, 7),
	       KERN_INVALID_ARGUMENT, "memory_map_refuses_an_unknown_cache_mode");
	at = KERNEL_ADDRESS;
	tap_kr(device_memory_map(device_master, self, &at, PAGE, VGA_TEXT, FALSE,
				 DEVICE_MEMORY_CACHED), KERN_INVALID_ADDRESS,
	       "memory_map_refuses_a_kernel_address");
	tap_kr(device_memory_map(device_master, host_priv, &at, PAGE, VGA_TEXT, TRUE,
				 DEVICE_MEMORY_CACHED), KERN_INVALID_TASK,
	       "memory_map_refuses_a_port_that_is_not_a_task");
	tap_kr(device_dma_allocate(device_master, self, &at, 0, TRUE, &pa), KERN_INVALID_ARGUMENT,
	       "dma_allocate_refuses_size_zero");
	tap_kr(device_dma_allocate(device_master, self, &at, DEVICE_DMA_MAX + 1, TRUE, &pa),
	       KERN_INVALID_ARGUMENT, "dma_allocate_refuses_more_than_the_largest_block");
}

void test_memory(void)
{
	vga_text();
	dma();
	refusals();
}
