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
#include <device_irqServer.h>

#include "disk.h"
#include "driver.h"

#define DEFAULT_TIMEOUT_MS 5000

static mach_port_t master, irq_port;

static const uint16_t virtio_blk_ids[] = { 0x1001, 0x1042 };

static uint64_t timeout_argument(int argc, char **argv)
{
	const char *text = mach_arg(argc, argv, "timeout_ms");
	uint64_t ms = DEFAULT_TIMEOUT_MS;

	if (text != NULL && !mach_parse_number(text, 3600000, &ms))
		mach_printf("blk: timeout_ms=%s is not a number of ms up to an hour; %u it is\n",
			    text, DEFAULT_TIMEOUT_MS);
	return ms * MACH_NS_PER_MS;
}

/* Opens every disk, gives it its port and its name, and attaches its line. */
static void open_disks(const struct driver_ports *ports)
{
	struct pci_device pci;

	for (unsigned i = 0; disk_count < DISKS_MAX &&
			     pci_find(VIRTIO_VENDOR, virtio_blk_ids, 2, i, &pci); i++) {
		struct disk *d = &disks[disk_count];
		char name[16];
		d->number = disk_count;
		mach_snprintf(name, sizeof(name), "disk%u", d->number);
		kern_return_t kr = disk_open(master, &pci, d);
		if (kr == KERN_SUCCESS)
			kr = driver_device_publish(ports, pci.irq_line, name, &d->port);
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

/* Interrupts first: blk's demux answers an id it does not know. */
static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return device_irq_server(in, out) || blk_server(in, out);
}

/* Answers the requests past their deadline; the next deadline. */
static uint64_t tick(void *arg, struct mach_tick_clock *clock)
{
	(void)arg;
	return disks_expire(mach_tick_now(clock));
}

int main(int argc, char **argv, char **envp)
{
	struct driver_ports ports;

	(void)envp;
	request_timeout_ns = timeout_argument(argc, argv);
	if (!driver_start("blk", &ports))
		return 1;
	master = ports.master;
	irq_port = ports.irq;
	open_disks(&ports);
	mach_printf("blk: %u disk%s\n", disk_count, disk_count == 1 ? "" : "s");
	mach_msg_return_t mr = mach_msg_server_timed(
		demux, blk_MAX_REQUEST_SIZE > device_irq_MAX_REQUEST_SIZE
			       ? blk_MAX_REQUEST_SIZE : device_irq_MAX_REQUEST_SIZE,
		ports.set, tick, NULL);
	mach_printf("blk: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
