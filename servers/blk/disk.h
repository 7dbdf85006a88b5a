/*
 * blk: the virtio-blk driver (docs/drivers.md).  One task drives every
 * virtio-blk PCI function it finds, in PCI order, each as a disk with its
 * own port, registered in the name service as "disk0", "disk1", ...
 *
 * A request is in one state:
 *
 *   free       in the pool
 *   waiting    accepted, in its disk's FIFO until a slot is free
 *   in flight  on the device's queue in a slot (a bounce buffer of DMA
 *              memory, with the request header and status byte)
 *   abandoned  answered KERN_OPERATION_TIMED_OUT past its deadline; its
 *              slot stays the device's until the device gives it back
 *
 * Requests complete by interrupt (device_irq_notify on the function's
 * line), never by polling; the receive loop's timeout is the earliest
 * deadline of the requests in flight.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>
#include <stdint.h>

#include "blk_types.h"
#include "virtio.h"

#define DISKS_MAX 4
#define SLOTS 8             /* requests on one device at once */
#define REQUESTS 32         /* requests accepted and not answered, per disk */
#define SECTOR 512u

enum request_kind { REQ_READ, REQ_WRITE, REQ_FLUSH };

struct virtio_blk_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* The DMA memory of one slot: header, status, data. */
struct slot {
	struct virtio_blk_header *header;
	volatile uint8_t *status;
	uint8_t *data;              /* BLK_TRANSFER_MAX bytes */
	uint64_t header_physical, status_physical, data_physical;
	struct request *request;    /* in flight, or NULL */
	bool device_owns;           /* on the queue (maybe abandoned) */
};

struct request {
	struct request *next;       /* the disk's FIFO, or the free list */
	struct disk *disk;
	enum request_kind kind;
	mach_port_t reply;          /* send-once */
	uint64_t offset;
	uint32_t length;
	vm_address_t data;          /* a write's data (ours), until copied */
	uint64_t deadline_ns;
	struct slot *slot;
};

struct disk {
	unsigned number;
	mach_port_t port;           /* receive right: its clients' requests */
	struct virtio_device device;
	struct virtq queue;
	uint64_t sectors;
	bool read_only, can_flush;
	struct slot slots[SLOTS];
	vm_address_t dma;           /* the slots' memory */
	vm_size_t dma_size;
	struct request pool[REQUESTS];
	struct request *free, *head, *tail;   /* free list; waiting FIFO */
};

extern struct disk disks[DISKS_MAX];
extern unsigned disk_count;
extern uint64_t request_timeout_ns;

/* disk.c: the device side. */
kern_return_t disk_open(mach_port_t master, const struct pci_device *pci, struct disk *d);
/* The disk whose port is name, or NULL. */
struct disk *disk_of(mach_port_t name);
/* Takes a request from the pool (NULL if all are busy). */
struct request *request_alloc(struct disk *d);
/* Queues r; it goes to the device when a slot is free. */
void disk_submit(struct request *r);
/* An interrupt on one of d's lines: completes what the device finished. */
void disk_interrupt(struct disk *d);
/* Answers the requests past their deadline; the earliest deadline left
 * among all disks (UINT64_MAX if none). */
uint64_t disks_expire(uint64_t now_ns);
