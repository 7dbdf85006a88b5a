/* PCI configuration space; see pci.h. */
#include "pci.h"

#include <device.h>

#include "io.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA    0xcfc
#define CONFIG_PORTS   8

/* A bound on a capability list's length: a looping list ends here. */
#define MAX_CAPABILITIES 48

kern_return_t pci_open(mach_port_t device_master)
{
	return device_io_access(device_master, mach_task_self(), CONFIG_ADDRESS, CONFIG_PORTS,
				TRUE);
}

static void select_register(uint8_t bus, uint8_t slot, uint8_t function, uint8_t offset)
{
	outl(CONFIG_ADDRESS, 0x80000000u | (uint32_t)bus << 16 | (uint32_t)slot << 11 |
				     (uint32_t)function << 8 | (offset & 0xfc));
}

static uint32_t read_at(uint8_t bus, uint8_t slot, uint8_t function, uint8_t offset)
{
	select_register(bus, slot, function, offset);
	return inl(CONFIG_DATA);
}

uint32_t pci_read32(const struct pci_device *d, uint8_t offset)
{
	return read_at(d->bus, d->slot, d->function, offset);
}

uint16_t pci_read16(const struct pci_device *d, uint8_t offset)
{
	return (uint16_t)(pci_read32(d, offset) >> ((offset & 2) * 8));
}

uint8_t pci_read8(const struct pci_device *d, uint8_t offset)
{
	return (uint8_t)(pci_read32(d, offset) >> ((offset & 3) * 8));
}

void pci_write16(const struct pci_device *d, uint8_t offset, uint16_t value)
{
	select_register(d->bus, d->slot, d->function, offset);
	outw((uint16_t)(CONFIG_DATA + (offset & 2)), value);
}

/* The function at (bus, slot, function), if one answers. */
static bool probe(uint8_t bus, uint8_t slot, uint8_t function, struct pci_device *d)
{
	uint32_t id = read_at(bus, slot, function, PCI_VENDOR_ID);

	if ((id & 0xffff) == PCI_VENDOR_NONE)
		return false;
	*d = (struct pci_device){ .bus = bus, .slot = slot, .function = function,
				  .vendor = (uint16_t)id, .device = (uint16_t)(id >> 16) };
	uint32_t class = pci_read32(d, PCI_CLASS);
	d->class = (uint8_t)(class >> 24);
	d->subclass = (uint8_t)(class >> 16);
	d->irq_line = pci_read8(d, PCI_INTERRUPT_LINE);
	return true;
}

static bool matches(const struct pci_device *d, uint16_t vendor, const uint16_t *ids,
		    unsigned nids)
{
	if (d->vendor != vendor)
		return false;
	for (unsigned i = 0; i < nids; i++)
		if (d->device == ids[i])
			return true;
	return false;
}

bool pci_find(uint16_t vendor, const uint16_t *ids, unsigned nids, unsigned index,
	      struct pci_device *out)
{
	struct pci_device d;

	for (unsigned bus = 0; bus < 256; bus++) {
		for (uint8_t slot = 0; slot < 32; slot++) {
			for (uint8_t function = 0; function < 8; function++) {
				if (!probe((uint8_t)bus, slot, function, &d)) {
					if (function == 0)
						break;
					continue;
				}
				if (matches(&d, vendor, ids, nids) && index-- == 0) {
					*out = d;
					return true;
				}
				if (function == 0 && !(pci_read8(&d, PCI_HEADER_TYPE) & 0x80))
					break;   /* not multi-function */
			}
		}
	}
	return false;
}

uint64_t pci_bar_memory(const struct pci_device *d, unsigned bar)
{
	if (bar > 5)
		return 0;
	uint8_t offset = (uint8_t)(PCI_BAR0 + 4 * bar);
	uint32_t low = pci_read32(d, offset);
	if (low & 1)
		return 0;   /* an I/O BAR */
	uint64_t address = low & ~0xfull;
	if (((low >> 1) & 3) == 2 && bar < 5)
		address |= (uint64_t)pci_read32(d, (uint8_t)(offset + 4)) << 32;
	return address;
}

uint8_t pci_next_capability(const struct pci_device *d, uint8_t id, uint8_t from)
{
	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAPABILITIES))
		return 0;
	uint8_t at = from == 0 ? pci_read8(d, PCI_CAPABILITIES) : pci_read8(d, (uint8_t)(from + 1));
	for (unsigned n = 0; at >= 0x40 && n < MAX_CAPABILITIES; n++) {
		at &= 0xfc;
		if (pci_read8(d, at) == id)
			return at;
		at = pci_read8(d, (uint8_t)(at + 1));
	}
	return 0;
}

void pci_enable(const struct pci_device *d)
{
	uint16_t command = pci_read16(d, PCI_COMMAND);

	command |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	command &= (uint16_t)~PCI_COMMAND_INTX_DISABLE;
	pci_write16(d, PCI_COMMAND, command);
}
