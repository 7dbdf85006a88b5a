/*
 * PCI configuration space for drivers (docs/drivers.md): a small library
 * rather than a server.  Configuration mechanism #1 (ports 0xcf8-0xcff),
 * which the driver asks the kernel for with pci_open.  The firmware
 * (SeaBIOS under QEMU) has already placed every BAR and routed every
 * interrupt pin to a line of the 8259s, recorded in the interrupt-line
 * register; the library reads what it set.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>
#include <stdint.h>

#define PCI_VENDOR_NONE 0xffff

/* Registers of the configuration header (type 0). */
#define PCI_VENDOR_ID      0x00
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04
#define PCI_STATUS         0x06
#define PCI_CLASS          0x08   /* revision, prog-if, subclass, class */
#define PCI_HEADER_TYPE    0x0e
#define PCI_BAR0           0x10
#define PCI_CAPABILITIES   0x34
#define PCI_INTERRUPT_LINE 0x3c

#define PCI_COMMAND_IO     0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_CAPABILITIES 0x0010

struct pci_device {
	uint8_t bus, slot, function;
	uint16_t vendor, device;
	uint8_t class, subclass;
	uint8_t irq_line;          /* the 8259 line the firmware routed INTx to */
};

/* Asks the kernel for the configuration ports (device_io_access). */
kern_return_t pci_open(mach_port_t device_master);

uint32_t pci_read32(const struct pci_device *d, uint8_t offset);
uint16_t pci_read16(const struct pci_device *d, uint8_t offset);
uint8_t pci_read8(const struct pci_device *d, uint8_t offset);
void pci_write16(const struct pci_device *d, uint8_t offset, uint16_t value);

/*
 * The index-th function (from 0, in bus order) whose vendor is vendor and
 * whose device id is one of ids[0 .. nids - 1]: true and *out if there is
 * one.
 */
bool pci_find(uint16_t vendor, const uint16_t *ids, unsigned nids, unsigned index,
	      struct pci_device *out);

/* The memory address BAR bar decodes (64-bit BARs take two); 0 if it is
 * an I/O BAR or unset. */
uint64_t pci_bar_memory(const struct pci_device *d, unsigned bar);

/* The offset of the next capability with id after offset from (0: the
 * first), or 0 if none. */
uint8_t pci_next_capability(const struct pci_device *d, uint8_t id, uint8_t from);

/* Turns on memory decoding and bus mastering (DMA), and INTx. */
void pci_enable(const struct pci_device *d);
