/* Virtio over PCI; see virtio.h. */
#include "virtio.h"

#include <device.h>

#define PCI_CAP_VENDOR 0x09

/* Vendor capability types (virtio_pci_cap.cfg_type). */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR    3
#define CAP_DEVICE 4

/* struct virtio_pci_common_cfg */
#define COMMON_DEVICE_FEATURE_SELECT 0
#define COMMON_DEVICE_FEATURE        4
#define COMMON_DRIVER_FEATURE_SELECT 8
#define COMMON_DRIVER_FEATURE        12
#define COMMON_STATUS                20
#define COMMON_CONFIG_GENERATION     21
#define COMMON_QUEUE_SELECT          22
#define COMMON_QUEUE_SIZE            24
#define COMMON_QUEUE_MSIX_VECTOR     26
#define COMMON_QUEUE_ENABLE          28
#define COMMON_QUEUE_NOTIFY_OFF      30
#define COMMON_QUEUE_DESC            32
#define COMMON_QUEUE_DRIVER          40
#define COMMON_QUEUE_DEVICE          48

#define PAGE ((vm_size_t)4096)

static inline void barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static uint8_t rd8(volatile uint8_t *base, unsigned off) { return base[off]; }
static uint16_t rd16(volatile uint8_t *base, unsigned off) { return *(volatile uint16_t *)(base + off); }
static uint32_t rd32(volatile uint8_t *base, unsigned off) { return *(volatile uint32_t *)(base + off); }
static void wr8(volatile uint8_t *base, unsigned off, uint8_t v) { base[off] = v; }
static void wr16(volatile uint8_t *base, unsigned off, uint16_t v) { *(volatile uint16_t *)(base + off) = v; }
static void wr32(volatile uint8_t *base, unsigned off, uint32_t v) { *(volatile uint32_t *)(base + off) = v; }
static void wr64(volatile uint8_t *base, unsigned off, uint64_t v)
{
	wr32(base, off, (uint32_t)v);
	wr32(base, off + 4, (uint32_t)(v >> 32));
}

/* Maps [physical, physical + length) uncached; its address, or NULL. */
static volatile uint8_t *map(struct virtio_device *v, uint64_t physical, uint32_t length)
{
	uint64_t start = physical & ~(uint64_t)(PAGE - 1);
	vm_size_t size = ((physical + length + PAGE - 1) & ~(uint64_t)(PAGE - 1)) - start;
	vm_address_t address = 0;

	if (v->nmaps == VIRTIO_MAPS || length == 0 ||
	    device_memory_map(v->master, mach_task_self(), &address, size, start, TRUE,
			      DEVICE_MEMORY_UNCACHED) != KERN_SUCCESS)
		return NULL;
	v->maps[v->nmaps].address = address;
	v->maps[v->nmaps++].size = size;
	return (volatile uint8_t *)(address + (physical - start));
}

/* Maps the structure of the vendor capability at cap. */
static volatile uint8_t *map_capability(struct virtio_device *v, uint8_t cap)
{
	uint8_t bar = pci_read8(&v->pci, (uint8_t)(cap + 4));
	uint32_t offset = pci_read32(&v->pci, (uint8_t)(cap + 8));
	uint32_t length = pci_read32(&v->pci, (uint8_t)(cap + 12));
	uint64_t base = pci_bar_memory(&v->pci, bar);

	if (base == 0)
		return NULL;
	return map(v, base + offset, length);
}

static void set_status(struct virtio_device *v, uint8_t bits)
{
	wr8(v->common, COMMON_STATUS, (uint8_t)(rd8(v->common, COMMON_STATUS) | bits));
}

kern_return_t virtio_open(mach_port_t master, const struct pci_device *pci,
			  struct virtio_device *v)
{
	*v = (struct virtio_device){ .pci = *pci, .master = master };
	pci_enable(pci);
	for (uint8_t cap = pci_next_capability(pci, PCI_CAP_VENDOR, 0); cap != 0;
	     cap = pci_next_capability(pci, PCI_CAP_VENDOR, cap)) {
		uint8_t type = pci_read8(pci, (uint8_t)(cap + 3));
		volatile uint8_t **slot = type == CAP_COMMON ? &v->common
					  : type == CAP_NOTIFY ? &v->notify
					  : type == CAP_ISR    ? &v->isr
					  : type == CAP_DEVICE ? &v->config : NULL;
		if (slot == NULL || *slot != NULL)
			continue;
		if ((*slot = map_capability(v, cap)) == NULL) {
			virtio_close(v, NULL, 0);
			return KERN_RESOURCE_SHORTAGE;
		}
		if (type == CAP_NOTIFY)
			v->notify_multiplier = pci_read32(pci, (uint8_t)(cap + 16));
	}
	if (v->common == NULL || v->notify == NULL || v->isr == NULL) {
		virtio_close(v, NULL, 0);
		return KERN_NOT_SUPPORTED;
	}
	wr8(v->common, COMMON_STATUS, 0);   /* reset */
	for (int i = 0; i < 1000 && rd8(v->common, COMMON_STATUS) != 0; i++)
		;
	set_status(v, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	return KERN_SUCCESS;
}

kern_return_t virtio_negotiate(struct virtio_device *v, uint64_t wanted, uint64_t required)
{
	uint64_t offered = 0;

	for (uint32_t half = 0; half < 2; half++) {
		wr32(v->common, COMMON_DEVICE_FEATURE_SELECT, half);
		offered |= (uint64_t)rd32(v->common, COMMON_DEVICE_FEATURE) << (32 * half);
	}
	required |= VIRTIO_F_VERSION_1;
	if ((offered & required) != required) {
		set_status(v, VIRTIO_STATUS_FAILED);
		return KERN_NOT_SUPPORTED;
	}
	v->features = offered & (wanted | required);
	for (uint32_t half = 0; half < 2; half++) {
		wr32(v->common, COMMON_DRIVER_FEATURE_SELECT, half);
		wr32(v->common, COMMON_DRIVER_FEATURE, (uint32_t)(v->features >> (32 * half)));
	}
	set_status(v, VIRTIO_STATUS_FEATURES_OK);
	if (!(rd8(v->common, COMMON_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		set_status(v, VIRTIO_STATUS_FAILED);
		return KERN_NOT_SUPPORTED;
	}
	return KERN_SUCCESS;
}

kern_return_t virtq_setup(struct virtio_device *v, struct virtq *q, uint16_t index,
			  uint16_t max_size)
{
	wr16(v->common, COMMON_QUEUE_SELECT, index);
	uint16_t size = rd16(v->common, COMMON_QUEUE_SIZE);
	if (size == 0)
		return KERN_NOT_SUPPORTED;
	if (max_size > VIRTQ_MAX_SIZE)
		max_size = VIRTQ_MAX_SIZE;
	while (size > max_size)
		size /= 2;
	/* The descriptor table, then the driver (avail) ring, then the
	 * device (used) ring on its own page. */
	vm_size_t desc_size = 16u * size, avail_size = 6u + 2u * size;
	vm_size_t used_offset = (desc_size + avail_size + PAGE - 1) & ~(PAGE - 1);
	vm_size_t total = used_offset + 6u + 8u * size;
	uint64_t physical;
	*q = (struct virtq){ .index = index, .size = size };
	kern_return_t kr = device_dma_allocate(v->master, mach_task_self(), &q->memory, total, TRUE,
					       &physical);
	if (kr != KERN_SUCCESS)
		return kr;
	q->memory_size = total;
	q->desc = (volatile struct virtq_desc *)q->memory;
	q->avail = (volatile uint16_t *)(q->memory + desc_size);
	q->used = (volatile uint8_t *)(q->memory + used_offset);
	for (uint16_t i = 0; i < size; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	q->nfree = size;
	wr16(v->common, COMMON_QUEUE_SIZE, size);
	wr16(v->common, COMMON_QUEUE_MSIX_VECTOR, 0xffff);   /* none: INTx */
	wr64(v->common, COMMON_QUEUE_DESC, physical);
	wr64(v->common, COMMON_QUEUE_DRIVER, physical + desc_size);
	wr64(v->common, COMMON_QUEUE_DEVICE, physical + used_offset);
	uint16_t notify_off = rd16(v->common, COMMON_QUEUE_NOTIFY_OFF);
	q->notify = (volatile uint16_t *)(v->notify + (uint32_t)notify_off * v->notify_multiplier);
	wr16(v->common, COMMON_QUEUE_ENABLE, 1);
	return KERN_SUCCESS;
}

void virtio_ready(struct virtio_device *v)
{
	set_status(v, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_close(struct virtio_device *v, struct virtq *queues, unsigned nqueues)
{
	if (v->common != NULL)
		wr8(v->common, COMMON_STATUS, 0);
	for (unsigned i = 0; i < nqueues; i++)
		if (queues[i].memory != 0)
			vm_deallocate(mach_task_self(), queues[i].memory, queues[i].memory_size);
	for (unsigned i = 0; i < v->nmaps; i++)
		vm_deallocate(mach_task_self(), v->maps[i].address, v->maps[i].size);
	v->nmaps = 0;
	v->common = v->isr = v->config = v->notify = NULL;
}

uint8_t virtio_isr(struct virtio_device *v)
{
	return rd8(v->isr, 0);
}

uint8_t virtio_config8(struct virtio_device *v, unsigned offset)
{
	return rd8(v->config, offset);
}

uint32_t virtio_config32(struct virtio_device *v, unsigned offset)
{
	return rd32(v->config, offset);
}

uint64_t virtio_config64(struct virtio_device *v, unsigned offset)
{
	uint8_t generation;
	uint64_t value;

	do {   /* a change between the halves is seen in the generation */
		generation = rd8(v->common, COMMON_CONFIG_GENERATION);
		value = rd32(v->config, offset) | (uint64_t)rd32(v->config, offset + 4) << 32;
	} while (generation != rd8(v->common, COMMON_CONFIG_GENERATION));
	return value;
}

bool virtq_add(struct virtq *q, const struct virtq_buffer *buffers, unsigned n, void *token)
{
	if (n == 0 || n > q->nfree)
		return false;
	uint16_t head = q->free_head, at = head;
	for (unsigned i = 0; i < n; i++) {
		volatile struct virtq_desc *d = &q->desc[at];
		d->address = buffers[i].physical;
		d->length = buffers[i].length;
		d->flags = (uint16_t)((buffers[i].device_writes ? VIRTQ_DESC_WRITE : 0) |
				      (i + 1 < n ? VIRTQ_DESC_NEXT : 0));
		if (i + 1 < n)
			at = d->next;
	}
	q->free_head = q->desc[at].next;
	q->nfree = (uint16_t)(q->nfree - n);
	q->tokens[head] = token;
	q->avail[2 + q->avail_idx % q->size] = head;
	barrier();   /* the entry before the index that publishes it */
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	return true;
}

void virtq_kick(struct virtq *q)
{
	barrier();
	*q->notify = q->index;
}

bool virtq_next_used(struct virtq *q, void **token, uint32_t *written)
{
	uint16_t used_idx = *(volatile uint16_t *)(q->used + 2);

	if (used_idx == q->last_used)
		return false;
	barrier();   /* the entry after the index that published it */
	volatile uint32_t *entry = (volatile uint32_t *)(q->used + 4 + 8u * (q->last_used % q->size));
	uint32_t head = entry[0];
	*written = entry[1];
	q->last_used++;
	*token = head < q->size ? q->tokens[head] : NULL;
	if (*token == NULL)
		return true;   /* a device that lies: no chain of ours starts there */
	q->tokens[head] = NULL;
	/* Its chain goes back on the free list. */
	uint16_t at = (uint16_t)head, n = 1;
	while ((q->desc[at].flags & VIRTQ_DESC_NEXT) && n < q->size) {
		at = q->desc[at].next;
		n++;
	}
	q->desc[at].next = q->free_head;
	q->free_head = (uint16_t)head;
	q->nfree = (uint16_t)(q->nfree + n);
	return true;
}
