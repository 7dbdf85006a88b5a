/*
 * vmbench: guest-instruction costs of the VM's paths (make bench; the
 * method is docs/performance.md's).  Each figure is the median over
 * BATCHES batches; the loop around the measured operation is measured
 * empty and subtracted.
 *
 *   zero_fill_fault      the first write to a page of vm_allocate'd memory:
 *                        the trap, vm_fault, a zero-filled page, the
 *                        mapping, the return.
 *   cow_fault            the first write to a page of a vm_copy of resident
 *                        memory: as above with the page copied from the
 *                        object behind (a 512-iteration rep movsq).
 *   pager_fault          the first read of a page of an object that a pager
 *                        task serves (libpager, its data in its own memory):
 *                        the fault, data_request to the pager, the pager's
 *                        receive, its read_page (which points at the page in
 *                        its store), data_supply (the kernel copies the page
 *                        from the store into the object's page), the page
 *                        entered and the faulting thread resumed.
 *   pager_fault_copy     the same from a pager whose read_page copies the
 *                        page into libpager's buffer (a 4 KiB memcpy more).
 *   ool_1mib, ool_16mib  sending 1 MiB (16 MiB) of resident memory out of
 *                        line to a port of its own and receiving it, then
 *                        vm_deallocate of what arrived: a virtual copy, so
 *                        the two should be close.
 *
 * Role "pager" (a second copy, loaded with host_boot_module_load) serves
 * two objects over one store and registers their send rights in the name
 * service as "vmbench.object" (read_page points) and "vmbench.copying"
 * (read_page copies).
 */
#include <bootstrap.h>
#include <mach/mach.h>
#include <stddef.h>

#include "kern/string.h"

#include "../measure.h"
#include "pager.h"

#define BATCHES 9
#define BATCH_PAGES 64
#define PRIORITY 20
#define PAGE 4096u
#define PAGER_PAGES ((BATCHES + 1) * BATCH_PAGES)

static uint8_t store[PAGER_PAGES * PAGE] __attribute__((aligned(4096)));

static kern_return_t read_page(void *cookie, vm_offset_t offset, void *page, const void **data)
{
	(void)cookie;
	(void)page;
	*data = store + offset;
	return KERN_SUCCESS;
}

static kern_return_t read_page_copying(void *cookie, vm_offset_t offset, void *page,
				       const void **data)
{
	(void)cookie;
	(void)data;
	memcpy(page, store + offset, PAGE);
	return KERN_SUCCESS;
}

static kern_return_t write_page(void *cookie, vm_offset_t offset, const void *page)
{
	(void)cookie;
	memcpy(store + offset, page, PAGE);
	return KERN_SUCCESS;
}

static void pager(void)
{
	static struct pager_server server;
	static const struct pager_ops ops = { .read_page = read_page, .write_page = write_page };
	static const struct pager_ops copying_ops = { .read_page = read_page_copying,
						      .write_page = write_page };
	mach_port_t names = MACH_PORT_NULL, object, copying;

	for (unsigned i = 0; i < sizeof(store); i += PAGE)
		store[i] = (uint8_t)(i / PAGE);
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	thread_priority(mach_thread_self(), PRIORITY, FALSE);
	pager_server_init(&server, NULL);
	pager_create(&server, &ops, NULL, sizeof(store), false, NULL, &object);
	pager_create(&server, &copying_ops, NULL, sizeof(store), false, NULL, &copying);
	bootstrap_register(names, "vmbench.copying", copying);
	bootstrap_register(names, "vmbench.object", object);
	pager_serve(&server);
}

/* Touches n pages from base, one access each (write or read). */
static uint64_t touch(volatile uint8_t *base, unsigned n, bool write)
{
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < n; i++) {
		if (write)
			base[i * PAGE] = 1;
		else
			(void)base[i * PAGE];
	}
	return rdtsc() - start;
}

/* The loop of touch on pages already resident and writable. */
static uint64_t loop_cost(void)
{
	vm_address_t a = 0;
	uint64_t v[BATCHES];

	vm_allocate(mach_task_self(), &a, BATCH_PAGES * PAGE, TRUE);
	touch((uint8_t *)a, BATCH_PAGES, true);
	for (unsigned b = 0; b < BATCHES; b++)
		v[b] = touch((uint8_t *)a, BATCH_PAGES, true);
	vm_deallocate(mach_task_self(), a, BATCH_PAGES * PAGE);
	return median(v, BATCHES);
}

static uint64_t zero_fill(void)
{
	uint64_t v[BATCHES];

	for (unsigned b = 0; b < BATCHES; b++) {
		vm_address_t a = 0;
		vm_allocate(mach_task_self(), &a, BATCH_PAGES * PAGE, TRUE);
		v[b] = touch((uint8_t *)a, BATCH_PAGES, true);
		vm_deallocate(mach_task_self(), a, BATCH_PAGES * PAGE);
	}
	return median(v, BATCHES);
}

static uint64_t cow(void)
{
	uint64_t v[BATCHES];

	for (unsigned b = 0; b < BATCHES; b++) {
		vm_address_t src = 0, dst = 0;
		vm_allocate(mach_task_self(), &src, BATCH_PAGES * PAGE, TRUE);
		vm_allocate(mach_task_self(), &dst, BATCH_PAGES * PAGE, TRUE);
		touch((uint8_t *)src, BATCH_PAGES, true);
		vm_copy(mach_task_self(), src, BATCH_PAGES * PAGE, dst);
		v[b] = touch((uint8_t *)dst, BATCH_PAGES, true);
		vm_deallocate(mach_task_self(), src, BATCH_PAGES * PAGE);
		vm_deallocate(mach_task_self(), dst, BATCH_PAGES * PAGE);
	}
	return median(v, BATCHES);
}

static uint64_t pager_fault(mach_port_t object)
{
	uint64_t v[BATCHES];
	vm_address_t a = 0;

	vm_map(mach_task_self(), &a, sizeof(store), 0, TRUE, object, 0, FALSE, VM_PROT_DEFAULT,
	       VM_PROT_ALL, VM_INHERIT_COPY);
	touch((uint8_t *)a, BATCH_PAGES, false);   /* init, ready, warm-up */
	for (unsigned b = 0; b < BATCHES; b++)
		v[b] = touch((uint8_t *)a + (b + 1) * BATCH_PAGES * PAGE, BATCH_PAGES, false);
	vm_deallocate(mach_task_self(), a, sizeof(store));
	return median(v, BATCHES);
}

struct ool_msg {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t data;
	uint8_t trailer_room[64];
};

static uint64_t ool(mach_port_t port, vm_size_t size)
{
	uint64_t v[BATCHES];
	vm_address_t a = 0;
	struct ool_msg m;

	vm_allocate(mach_task_self(), &a, size, TRUE);
	touch((uint8_t *)a, (unsigned)(size / PAGE), true);
	for (unsigned b = 0; b <= BATCHES; b++) {
		uint64_t start = rdtsc();
		m.h = (mach_msg_header_t){
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				     MACH_MSGH_BITS_COMPLEX,
			.msgh_size = offsetof(struct ool_msg, trailer_room),
			.msgh_remote_port = port,
		};
		m.body.msgh_descriptor_count = 1;
		m.data = (mach_msg_ool_descriptor_t){ .address = (void *)a,
						      .size = (mach_msg_size_t)size,
						      .copy = MACH_MSG_VIRTUAL_COPY,
						      .type = MACH_MSG_OOL_DESCRIPTOR };
		mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, m.h.msgh_size, sizeof(m), port, 0, 0);
		vm_deallocate(mach_task_self(), (vm_address_t)m.data.address, size);
		if (b > 0)
			v[b - 1] = rdtsc() - start;
	}
	vm_deallocate(mach_task_self(), a, size);
	return median(v, BATCHES);
}

int main(int argc, char **argv, char **envp)
{
	mach_port_t host_priv = MACH_PORT_NULL, names = MACH_PORT_NULL, object, copying, port;
	task_t task;
	thread_t thread;

	(void)envp;
	if (argc > 1 && strcmp(argv[argc - 1], "role=pager") == 0) {
		pager();
		return 0;
	}
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	thread_priority(mach_thread_self(), PRIORITY, FALSE);
	host_boot_module_load(host_priv, "vmbench", "role=pager", 11, &task, &thread);
	task_set_special_port(task, TASK_BOOTSTRAP_PORT, names);
	thread_resume(thread);
	while (bootstrap_look_up(names, "vmbench.object", &object) != KERN_SUCCESS)
		mach_sleep_ns(MACH_NS_PER_MS);
	bootstrap_look_up(names, "vmbench.copying", &copying);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);

	uint64_t loop = loop_cost();
	mach_printf("BENCH zero_fill_fault_instructions %lu\n",
		    (zero_fill() - loop) / BATCH_PAGES);
	mach_printf("BENCH cow_fault_instructions %lu\n", (cow() - loop) / BATCH_PAGES);
	mach_printf("BENCH pager_fault_instructions %lu\n",
		    (pager_fault(object) - loop) / BATCH_PAGES);
	mach_printf("BENCH pager_fault_copy_instructions %lu\n",
		    (pager_fault(copying) - loop) / BATCH_PAGES);
	mach_printf("BENCH ool_1mib_instructions %lu\n", ool(port, 1u << 20));
	mach_printf("BENCH ool_16mib_instructions %lu\n", ool(port, 16u << 20));
	host_halt(host_priv, HOST_HALT_SUCCESS);
	return 0;
}
