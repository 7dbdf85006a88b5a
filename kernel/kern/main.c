/*
 * The kernel's initialisation, in order:
 *
 *   1. serial log, GDT/TSS and IDT (so that any fault from here on is
 *      reported with a register dump, not a triple fault);
 *   2. the boot information (multiboot1 or 2), read through the boot page
 *      tables' direct map of the first 4 GiB, and the command line;
 *   3. checks of the boot input: enough memory, every module inside RAM
 *      and a valid executable, a bootstrap module present;
 *   4. physical memory: the page descriptor array and the buddy allocator,
 *      then the kernel's own page tables;
 *   5. FPU/SSE, interrupt controller, timer; the kernel task, and the
 *      boot context becomes the idle thread.
 *
 * Bad boot input ends in one "boot:" line saying what is wrong and a clean
 * stop (MACHINE_BOOT_ERROR).  Then the kernel runs its self-tests if asked
 * to, and otherwise starts bootstrap from the first module and becomes
 * the idle loop.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/machine.h"
#include "arch/x86_64/pcb.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/pmap.h"
#include "vm/memory_object.h"
#include "vm/vm_resident.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"
#include "kern/boot_module.h"
#include "kern/bootinfo.h"
#include "kern/clock.h"
#include "kern/device.h"
#include "kern/host.h"
#include "kern/crash.h"
#include "kern/elf.h"
#include "kern/ktest.h"
#include "kern/options.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "kern/string.h"
#include "kern/task.h"
#include "vm/vm_page.h"
#include "vm/vm_page_boot.h"
#include "vm/vm_pageout.h"

#define PAGODA_VERSION "0.1"
#define MIN_MEMORY_MIB 24
#define BOOT_MAPPED_LIMIT (4ull << 30)   /* boot.S maps the first 4 GiB */

extern char kernel_phys_start[], kernel_phys_end[];
uint64_t boot_tsc;   /* written by boot.S at the first instruction */

static struct boot_info boot_info;
const struct boot_info *kernel_boot_info = &boot_info;

__attribute__((noreturn, format(printf, 1, 2)))
static void boot_fail(const char *fmt, ...)
{
	va_list ap;

	kprintf("boot: cannot continue: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	machine_stop(MACHINE_BOOT_ERROR);
}

/* Boot-time access to physical memory through boot.S's direct map. */
static const void *early_map(uint64_t phys, uint64_t len)
{
	if (phys > BOOT_MAPPED_LIMIT || len > BOOT_MAPPED_LIMIT - phys)
		return NULL;
	return phys_to_virt(phys);
}

static void option_warning(void *ctx, const char *message)
{
	(void)ctx;
	kprintf("cmdline: warning: %s\n", message);
}

/* QEMU's multiboot loader puts the kernel's file name first; GRUB does not. */
static const char *kernel_arguments(const struct boot_info *bi)
{
	const char *s = bi->cmdline;

	if (strcmp(bi->loader, "qemu") == 0) {
		while (*s != '\0' && *s != ' ')
			s++;
	}
	while (*s == ' ')
		s++;
	return s;
}

static void read_boot_info(uint32_t magic, uint32_t info_phys)
{
	const char *why;

	if (boot_info_parse(magic, info_phys, early_map, &boot_info, &why) != KERN_SUCCESS)
		boot_fail("%s", why);
	kprintf("boot: loaded by %s (multiboot%d), %u memory ranges, %u modules\n",
		boot_info.loader[0] ? boot_info.loader : "an unnamed loader",
		boot_info.protocol, boot_info.mem_count, boot_info.module_count);
	if (boot_info.mem_dropped || boot_info.modules_dropped || boot_info.truncated)
		kprintf("boot: warning: %u memory ranges and %u modules past the limits "
			"ignored%s\n", boot_info.mem_dropped, boot_info.modules_dropped,
			boot_info.truncated ? "; a command line was cut short" : "");
	const char *args = kernel_arguments(&boot_info);
	kprintf("boot: command line '%s'\n", args);
	options_parse(&kernel_options, args, option_warning, NULL);
}

static void check_boot_input(void)
{
	uint64_t mib = boot_info_available_bytes(&boot_info) >> 20;

	if (mib < MIN_MEMORY_MIB)
		boot_fail("only %lu MiB of RAM; Pagoda needs at least %u MiB", mib,
			  MIN_MEMORY_MIB);
	if (boot_info.module_count == 0)
		boot_fail("no boot modules; the first module must be the bootstrap server");
	for (unsigned i = 0; i < boot_info.module_count; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		char name[64];
		const char *why;
		boot_module_name(m, name, sizeof(name));
		if (m->end <= m->start)
			boot_fail("module '%s' is empty", name);
		if (!boot_info_range_is_ram(&boot_info, m->start, m->end) ||
		    m->end > BOOT_MAPPED_LIMIT)
			boot_fail("module '%s' at %lx..%lx is not in RAM", name, m->start, m->end);
		if (elf_check_executable(phys_to_virt(m->start), m->end - m->start, &why))
			boot_fail("module '%s' is not a valid executable: %s", name, why);
		kprintf("boot: module %u '%s', %lu KiB, valid ELF64 executable\n", i, name,
			(m->end - m->start) >> 10);
	}
}

/* Physical memory: descriptor array, free ranges, then the kernel's tables. */
static void memory_init(void)
{
	struct phys_range reserved[BOOT_MODULES_MAX + 1];
	unsigned n = 0;
	static struct vm_boot_plan plan;
	const char *why;

	reserved[n++] = (struct phys_range){ (uint64_t)kernel_phys_start,
					     (uint64_t)kernel_phys_end };
	for (unsigned i = 0; i < boot_info.module_count; i++)
		reserved[n++] = (struct phys_range){ boot_info.modules[i].start,
						     boot_info.modules[i].end };
	if (vm_page_boot_plan(&boot_info, reserved, n, sizeof(struct vm_page), &plan, &why))
		boot_fail("%s", why);
	if (plan.array_phys + plan.array_bytes > BOOT_MAPPED_LIMIT)
		boot_fail("no room below 4 GiB for the page descriptors");

	vm_page_init(phys_to_virt(plan.array_phys), plan.page_count);
	/* Until the kernel's tables are up only the first 4 GiB are mapped. */
	for (unsigned i = 0; i < plan.free_count; i++)
		if (plan.free[i].start < BOOT_MAPPED_LIMIT)
			vm_page_release_range(plan.free[i].start,
					      plan.free[i].end < BOOT_MAPPED_LIMIT
						      ? plan.free[i].end : BOOT_MAPPED_LIMIT);
	pmap_bootstrap(&boot_info);
	for (unsigned i = 0; i < plan.free_count; i++)
		if (plan.free[i].end > BOOT_MAPPED_LIMIT)
			vm_page_release_range(plan.free[i].start > BOOT_MAPPED_LIMIT
						      ? plan.free[i].start : BOOT_MAPPED_LIMIT,
					      plan.free[i].end);
	kprintf("vm: %lu MiB free in %u ranges; %lu page descriptors at %lx\n",
		(vm_page_stats.free * PAGE_SIZE) >> 20, plan.free_count, plan.page_count,
		plan.array_phys);
	vm_resident_init(vm_page_stats.total);
	vm_pager_deadline_ns = (uint64_t)kernel_options.pager_deadline * 1000000ull;
	vm_memory_wait_ns = (uint64_t)kernel_options.memory_wait * 1000000ull;
}

static void report_init_cost(void)
{
	uint64_t cycles = rdtsc() - boot_tsc;

	kprintf("kernel: entered at TSC %lu, initialised %lu TSC cycles later "
		"(guest instructions under -icount shift=0)\n", boot_tsc, cycles);
	if (kernel_options.bench) {
		kprintf("BENCH instructions_before_kernel_entry %lu\n", boot_tsc);
		kprintf("BENCH kernel_init_instructions %lu\n", cycles);
	}
}

void kmain(uint32_t magic, uint32_t info_phys);

void kmain(uint32_t magic, uint32_t info_phys)
{
	serial_init();
	kprintf("\nPagoda %s (x86_64), a Mach-style multiserver kernel\n", PAGODA_VERSION);
	gdt_init();
	trap_init();
	percpu_init();
	read_boot_info(magic, info_phys);
	check_boot_input();
	memory_init();
	fpu_init();
	pcb_init();
	task_init();
	host_init();
	device_init();
	sched_init();
	vm_pageout_init();
	pic_init();
	clock_init(kernel_options.hz);
	report_init_cost();

	cpu_enable_interrupts();
	if (kernel_options.test[0] != '\0') {
		int failed = ktest_run(kernel_options.test);
		machine_stop(failed ? MACHINE_TEST_FAILED : MACHINE_SUCCESS);
	}
	if (kernel_options.crash[0] != '\0')
		crash_now(kernel_options.crash);

	boot_module_start_bootstrap();
	sched_idle_loop();
}
