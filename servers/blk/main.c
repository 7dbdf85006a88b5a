/*
 * blk: the virtio-blk driver's task (disk.h).  It takes the PCI
 * configuration ports, opens every virtio-blk function, gives each disk a
 * port registered as "diskN", attaches one port to the interrupt lines
 * the disks use, and serves both on one port set.  The module's
 * arguments: "devices" (bootstrap then gives it the device master port)
 * and optionally timeout_ms=N, how long a request may wait for the
 * device (default 5000).
 */
#include <blkServer.h>
#include <bootstrap.h>
#include <device_irqServer.h>

#include "disk.h"

#define DEFAULT_TIMEOUT_MS 5000

static mach_port_t master, irq_port;

static const uint16_t virtio_blk_ids[] = { 0x1001, 0x1042 };

static uint64_t now_ns(void)
{
	uint64_t ns = 0;

	clock_get_time(&ns);
	return ns;
}

static uint64_t timeout_argument(int argc, char **argv)
{
	uint64_t ms = DEFAULT_TIMEOUT_MS;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "timeout_ms=", 11) != 0)
			continue;
		ms = 0;
		for (const char *c = argv[i] + 11; *c >= '0' && *c <= '9'; c++)
			ms = ms * 10 + (uint64_t)(*c - '0');
	}
	return ms * MACH_NS_PER_MS;
}

static kern_return_t new_port(mach_port_t set, mach_port_t *port)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);

	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), *port, *port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), *port, set);
	return kr;
}

/* Whether a disk before d already uses d's line. */
static bool line_taken(const struct disk *d)
{
	for (const struct disk *e = disks; e < d; e++)
		if (e->device.pci.irq_line == d->device.pci.irq_line)
			return true;
	return false;
}

/* Opens every disk, gives it its port and its name, and attaches its line. */
static void open_disks(mach_port_t names, mach_port_t set)
{
	struct pci_device pci;

	for (unsigned i = 0; disk_count < DISKS_MAX &&
			     pci_find(VIRTIO_VENDOR, virtio_blk_ids, 2, i, &pci); i++) {
		struct disk *d = &disks[disk_count];
		char name[16];
		d->number = disk_count;
		kern_return_t kr = disk_open(master, &pci, d);
		if (kr == KERN_SUCCESS)
			kr = new_port(set, &d->port);
		if (kr == KERN_SUCCESS && !line_taken(d))
			kr = device_irq_attach(master, pci.irq_line, irq_port);
		mach_snprintf(name, sizeof(name), "disk%u", d->number);
		if (kr == KERN_SUCCESS)
			kr = bootstrap_register(names, name, d->port);
		if (kr != KERN_SUCCESS) {
			mach_printf("blk: the virtio-blk device at %u:%u.%u: %s\n", pci.bus,
				    pci.slot, pci.function, mach_error_name(kr));
			continue;
		}
		mach_printf("blk: %s: %lu sectors of %u bytes%s, interrupt line %u\n", name,
			    d->sectors, SECTOR, d->read_only ? ", read-only" : "", pci.irq_line);
		disk_count++;
	}
}

kern_return_t device_irq_S_notify(mach_port_t port, uint32_t line, uint32_t count)
{
	(void)port;
	(void)count;
	for (unsigned i = 0; i < disk_count; i++)
		if (disks[i].device.pci.irq_line == line)
			disk_interrupt(&disks[i]);
	return device_irq_ack(master, line, irq_port);
}

/* Serves one request: its reply is sent, deferred, or it was refused. */
static void serve(mach_msg_header_t *in)
{
	union {
		mig_reply_error_t e;
		uint8_t b[blk_MAX_REPLY_SIZE > device_irq_MAX_REPLY_SIZE ? blk_MAX_REPLY_SIZE
									 : device_irq_MAX_REPLY_SIZE];
	} out;

	if (!device_irq_server(in, &out.e.Head))
		blk_server(in, &out.e.Head);
	if (!(out.e.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (out.e.RetCode == MIG_NO_REPLY)
			return;                        /* kept, or answered later */
		if (out.e.RetCode != KERN_SUCCESS) {
			in->msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(in);          /* we took nothing */
		}
	}
	if (out.e.Head.msgh_remote_port != MACH_PORT_NULL)
		mach_msg(&out.e.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.e.Head.msgh_size, 0,
			 MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

int main(int argc, char **argv, char **envp)
{
	union {
		mach_msg_header_t h;
		uint8_t b[blk_MAX_REQUEST_SIZE > device_irq_MAX_REQUEST_SIZE
				  ? blk_MAX_REQUEST_SIZE : device_irq_MAX_REQUEST_SIZE];
	} in;
	mach_port_t names = MACH_PORT_NULL, set = MACH_PORT_NULL;

	(void)envp;
	request_timeout_ns = timeout_argument(argc, argv);
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	task_get_special_port(mach_task_self(), TASK_DEVICE_PORT, &master);
	if (master == MACH_PORT_NULL) {
		mach_printf("blk: cannot start: no device master port (no \"devices\" argument)\n");
		return 1;
	}
	kern_return_t kr = pci_open(master);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set);
	if (kr == KERN_SUCCESS)
		kr = new_port(set, &irq_port);
	if (kr != KERN_SUCCESS) {
		mach_printf("blk: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	open_disks(names, set);
	mach_printf("blk: %u disk%s\n", disk_count, disk_count == 1 ? "" : "s");
	for (;;) {
		uint64_t now = now_ns(), next = disks_expire(now);
		/* Waits no longer than until the earliest request's deadline. */
		mach_msg_option_t option = MACH_RCV_MSG;
		mach_msg_timeout_t ms = 0;
		if (next != UINT64_MAX) {
			option |= MACH_RCV_TIMEOUT;
			ms = (mach_msg_timeout_t)((next - now) / MACH_NS_PER_MS + 1);
		}
		mach_msg_return_t mr = mach_msg(&in.h, option, 0, sizeof(in), set, ms,
						MACH_PORT_NULL);
		if (mr == MACH_MSG_SUCCESS)
			serve(&in.h);
	}
}
