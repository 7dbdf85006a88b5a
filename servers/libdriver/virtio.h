/*
 * Virtio 1.0 over PCI, the modern interface (the virtio spec, §4.1), for
 * user-level drivers: the device's configuration structures found
 * through its vendor capabilities and mapped with device_memory_map,
 * feature negotiation, and split virtqueues in DMA memory
 * (device_dma_allocate).  Interrupts are INTx (no MSI-X without an
 * APIC): the driver attaches the PCI function's line and reads the ISR
 * status, which lowers it, before its device_irq_ack.
 *
 * A virtqueue's descriptors are handed out as chains; each chain carries
 * a token (the driver's request) that comes back with its completion.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define VIRTIO_VENDOR 0x1af4

#define VIRTIO_F_VERSION_1 (1ull << 32)

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED      128

/* ISR status bits. */
#define VIRTIO_ISR_QUEUE  1
#define VIRTIO_ISR_CONFIG 2

#define VIRTIO_MAPS 4

struct virtio_device {
	struct pci_device pci;
	mach_port_t master;
	volatile uint8_t *common;        /* struct virtio_pci_common_cfg */
	volatile uint8_t *isr;
	volatile uint8_t *config;        /* the device-specific configuration */
	volatile uint8_t *notify;        /* the queues' notify registers */
	uint32_t notify_multiplier;
	uint64_t features;               /* negotiated */
	struct {
		vm_address_t address;
		vm_size_t size;
	} maps[VIRTIO_MAPS];             /* what virtio_close unmaps */
	unsigned nmaps;
};

struct virtq_desc {
	uint64_t address;
	uint32_t length;
	uint16_t flags;
	uint16_t next;
};

#define VIRTQ_DESC_NEXT  1
#define VIRTQ_DESC_WRITE 2   /* the device writes the buffer */

/* A buffer of a chain: physical memory the device reads or writes. */
struct virtq_buffer {
	uint64_t physical;
	uint32_t length;
	bool device_writes;
};

#define VIRTQ_MAX_SIZE 256

struct virtq {
	uint16_t index, size;
	volatile struct virtq_desc *desc;
	volatile uint16_t *avail;        /* flags, idx, ring[size] */
	volatile uint8_t *used;          /* flags, idx, ring[size] of {id, len} */
	volatile uint16_t *notify;
	vm_address_t memory;             /* its DMA buffer */
	vm_size_t memory_size;
	uint16_t free_head, nfree;
	uint16_t avail_idx, last_used;
	void *tokens[VIRTQ_MAX_SIZE];    /* by head descriptor */
};

/*
 * Finds the device's structures, maps them, resets the device and says a
 * driver is here (ACKNOWLEDGE, DRIVER).  Errors: KERN_NOT_SUPPORTED (not a
 * modern virtio device), what device_memory_map returns.
 */
kern_return_t virtio_open(mach_port_t master, const struct pci_device *pci,
			  struct virtio_device *v);

/* Accepts the features of wanted the device offers (VERSION_1 always);
 * KERN_NOT_SUPPORTED if one of required is missing or the device refuses. */
kern_return_t virtio_negotiate(struct virtio_device *v, uint64_t wanted, uint64_t required);

/* Sets up queue index with at most max_size entries. */
kern_return_t virtq_setup(struct virtio_device *v, struct virtq *q, uint16_t index,
			  uint16_t max_size);

/* The driver is ready: the device may use its queues. */
void virtio_ready(struct virtio_device *v);

/* Resets the device (it forgets its queues) and unmaps everything. */
void virtio_close(struct virtio_device *v, struct virtq *queues, unsigned nqueues);

/* Reads (and so clears) the ISR status: VIRTIO_ISR_*. */
uint8_t virtio_isr(struct virtio_device *v);

uint8_t virtio_config8(struct virtio_device *v, unsigned offset);
uint32_t virtio_config32(struct virtio_device *v, unsigned offset);
uint64_t virtio_config64(struct virtio_device *v, unsigned offset);

/* Free descriptors. */
static inline unsigned virtq_room(const struct virtq *q)
{
	return q->nfree;
}

/* Makes buffers[0 .. n - 1] a chain and offers it, with token (not
 * NULL); false if there are not n free descriptors.  virtq_kick tells the
 * device. */
bool virtq_add(struct virtq *q, const struct virtq_buffer *buffers, unsigned n, void *token);
void virtq_kick(struct virtq *q);

/* The next completed chain: its token and the bytes the device wrote;
 * false if none.  Its descriptors are free again.  An entry naming no
 * chain of ours (a device that lies) gives token NULL and frees nothing. */
bool virtq_next_used(struct virtq *q, void **token, uint32_t *written);
