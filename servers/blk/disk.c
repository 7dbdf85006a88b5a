/* The device side of the block driver: virtio-blk requests; see disk.h. */
#include "disk.h"

#include <blk_reply.h>
#include <device.h>

#define VIRTIO_BLK_F_RO    (1ull << 5)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)

#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4

#define VIRTIO_BLK_S_OK    0

#define CONFIG_CAPACITY 0   /* le64, in 512-byte sectors */

/* Per slot: a header and a status byte in the first page, data after. */
#define SLOT_META 32u

struct disk disks[DISKS_MAX];
unsigned disk_count;
uint64_t request_timeout_ns;

/* Carves the slots out of one DMA buffer: their headers and status
 * bytes, then their data. */
static kern_return_t slots_setup(struct disk *d)
{
	uint64_t physical;
	vm_size_t meta = 4096;
	d->dma_size = meta + (vm_size_t)SLOTS * BLK_TRANSFER_MAX;
	kern_return_t kr = device_dma_allocate(d->device.master, mach_task_self(), &d->dma,
					       d->dma_size, TRUE, &physical);
	if (kr != KERN_SUCCESS)
		return kr;
	for (unsigned i = 0; i < SLOTS; i++) {
		struct slot *s = &d->slots[i];
		uint64_t at = (uint64_t)i * SLOT_META;
		s->header = (struct virtio_blk_header *)(d->dma + at);
		s->header_physical = physical + at;
		s->status = (volatile uint8_t *)(d->dma + at + sizeof(struct virtio_blk_header));
		s->status_physical = s->header_physical + sizeof(struct virtio_blk_header);
		at = meta + (uint64_t)i * BLK_TRANSFER_MAX;
		s->data = (uint8_t *)(d->dma + at);
		s->data_physical = physical + at;
	}
	return KERN_SUCCESS;
}

kern_return_t disk_open(mach_port_t master, const struct pci_device *pci, struct disk *d)
{
	kern_return_t kr = virtio_open(master, pci, &d->device);

	if (kr != KERN_SUCCESS)
		return kr;
	if ((kr = virtio_negotiate(&d->device, VIRTIO_BLK_F_RO | VIRTIO_BLK_F_FLUSH, 0)) !=
		    KERN_SUCCESS ||
	    (kr = virtq_setup(&d->device, &d->queue, 0, SLOTS * 3)) != KERN_SUCCESS ||
	    (kr = slots_setup(d)) != KERN_SUCCESS) {
		virtio_close(&d->device, &d->queue, 1);
		return kr;
	}
	d->sectors = virtio_config64(&d->device, CONFIG_CAPACITY);
	d->read_only = (d->device.features & VIRTIO_BLK_F_RO) != 0;
	d->can_flush = (d->device.features & VIRTIO_BLK_F_FLUSH) != 0;
	for (unsigned i = 0; i < REQUESTS; i++) {
		d->pool[i].next = d->free;
		d->free = &d->pool[i];
	}
	virtio_ready(&d->device);
	return KERN_SUCCESS;
}

struct disk *disk_of(mach_port_t name)
{
	for (unsigned i = 0; i < disk_count; i++)
		if (disks[i].port == name)
			return &disks[i];
	return NULL;
}

struct request *request_alloc(struct disk *d)
{
	struct request *r = d->free;

	if (r != NULL) {
		d->free = r->next;
		*r = (struct request){ .disk = d };
	}
	return r;
}

static void request_free(struct request *r)
{
	struct disk *d = r->disk;

	r->next = d->free;
	d->free = r;
}

/* Sends r's reply with result kr (a read's data from its slot) and frees r. */
static void answer(struct request *r, kern_return_t kr)
{
	vm_address_t data = 0;

	switch (r->kind) {
	case REQ_READ:
		if (kr == KERN_SUCCESS) {
			kr = vm_allocate(mach_task_self(), &data, r->length, TRUE);
			if (kr == KERN_SUCCESS)
				memcpy((void *)data, r->slot->data, r->length);
		}
		/* data (if any) is given away with the reply (dealloc). */
		blk_read_reply(r->reply, kr, data, kr == KERN_SUCCESS ? r->length : 0);
		break;
	case REQ_WRITE:
		blk_write_reply(r->reply, kr);
		break;
	case REQ_FLUSH:
		blk_flush_reply(r->reply, kr);
		break;
	}
	if (r->data != 0)
		vm_deallocate(mach_task_self(), r->data, r->length);
	request_free(r);
}

static struct slot *free_slot(struct disk *d)
{
	for (unsigned i = 0; i < SLOTS; i++)
		if (!d->slots[i].device_owns)
			return &d->slots[i];
	return NULL;
}

/* Puts r on the device in slot s. */
static void start(struct request *r, struct slot *s)
{
	struct disk *d = r->disk;
	struct virtq_buffer chain[3];
	unsigned n = 0;

	s->header->type = r->kind == REQ_READ ? VIRTIO_BLK_T_IN
			  : r->kind == REQ_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
	s->header->reserved = 0;
	s->header->sector = r->kind == REQ_FLUSH ? 0 : r->offset / SECTOR;
	*s->status = 0xff;
	chain[n++] = (struct virtq_buffer){ s->header_physical, sizeof(*s->header), false };
	if (r->kind == REQ_WRITE) {
		memcpy(s->data, (void *)r->data, r->length);
		vm_deallocate(mach_task_self(), r->data, r->length);
		r->data = 0;
	}
	if (r->kind != REQ_FLUSH)
		chain[n++] = (struct virtq_buffer){ s->data_physical, r->length,
						    r->kind == REQ_READ };
	chain[n++] = (struct virtq_buffer){ s->status_physical, 1, true };
	s->request = r;
	s->device_owns = true;
	r->slot = s;
	virtq_add(&d->queue, chain, n, s);   /* SLOTS * 3 descriptors: room */
	virtq_kick(&d->queue);
}

/* Starts waiting requests while slots are free. */
static void start_waiting(struct disk *d)
{
	struct slot *s;

	while (d->head != NULL && (s = free_slot(d)) != NULL) {
		struct request *r = d->head;
		d->head = r->next;
		if (d->head == NULL)
			d->tail = NULL;
		start(r, s);
	}
}

void disk_submit(struct request *r)
{
	struct disk *d = r->disk;

	r->deadline_ns = mach_clock_ns() + request_timeout_ns;
	r->next = NULL;
	if (d->tail != NULL)
		d->tail->next = r;
	else
		d->head = r;
	d->tail = r;
	start_waiting(d);
}

void disk_interrupt(struct disk *d)
{
	void *token;
	uint32_t written;

	virtio_isr(&d->device);   /* lowers the line */
	while (virtq_next_used(&d->queue, &token, &written)) {
		struct slot *s = token;
		if (s == NULL || s < d->slots || s >= d->slots + SLOTS)
			continue;   /* not a chain we made */
		s->device_owns = false;
		struct request *r = s->request;
		s->request = NULL;
		if (r != NULL)   /* not abandoned */
			answer(r, *s->status == VIRTIO_BLK_S_OK ? KERN_SUCCESS : KERN_MEMORY_ERROR);
	}
	start_waiting(d);
}

/* Answers d's waiting requests past their deadline; the earliest left. */
static uint64_t expire_waiting(struct disk *d, uint64_t now)
{
	uint64_t earliest = UINT64_MAX;
	struct request **link = &d->head, *last = NULL;

	while (*link != NULL) {
		struct request *r = *link;
		if (r->deadline_ns <= now) {
			*link = r->next;
			answer(r, KERN_OPERATION_TIMED_OUT);
			continue;
		}
		if (r->deadline_ns < earliest)
			earliest = r->deadline_ns;
		last = r;
		link = &r->next;
	}
	d->tail = last;
	return earliest;
}

uint64_t disks_expire(uint64_t now)
{
	uint64_t earliest = UINT64_MAX;

	for (unsigned i = 0; i < disk_count; i++) {
		for (unsigned j = 0; j < SLOTS; j++) {
			struct slot *s = &disks[i].slots[j];
			struct request *r = s->request;
			if (r == NULL)
				continue;
			if (r->deadline_ns <= now) {
				mach_printf("blk: disk%u: the request at byte %lu timed out\n", i,
					    r->offset);
				s->request = NULL;   /* abandoned: the device keeps the slot */
				answer(r, KERN_OPERATION_TIMED_OUT);
			} else if (r->deadline_ns < earliest) {
				earliest = r->deadline_ns;
			}
		}
		uint64_t waiting = expire_waiting(&disks[i], now);
		if (waiting < earliest)
			earliest = waiting;
	}
	return earliest;
}
