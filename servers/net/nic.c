/* The device side of the network driver: virtio-net; see nic.h. */
#include "nic.h"

#include <device.h>
#include <net_input.h>
#include <net_reply.h>

#define VIRTIO_NET_F_MAC    (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)
#define VIRTIO_NET_S_LINK_UP 1

#define CONFIG_MAC    0
#define CONFIG_STATUS 6

#define RX 0
#define TX 1

struct card cards[CARDS_MAX];
unsigned card_count;

/* Offers receive buffer i to the device. */
static void rx_offer(struct card *c, unsigned i)
{
	struct virtq_buffer b = { c->rx[i].physical, BUFFER_SIZE, true };

	virtq_add(&c->queues[RX], &b, 1, &c->rx[i]);
}

static kern_return_t buffers_setup(struct card *c)
{
	uint64_t physical;

	c->dma_size = (vm_size_t)(RX_BUFFERS + TX_SLOTS) * BUFFER_SIZE;
	kern_return_t kr = device_dma_allocate(c->device.master, mach_task_self(), &c->dma,
					       c->dma_size, TRUE, &physical);
	if (kr != KERN_SUCCESS)
		return kr;
	for (unsigned i = 0; i < RX_BUFFERS; i++) {
		c->rx[i].buffer = (uint8_t *)(c->dma + (vm_size_t)i * BUFFER_SIZE);
		c->rx[i].physical = physical + (uint64_t)i * BUFFER_SIZE;
		rx_offer(c, i);
	}
	for (unsigned i = 0; i < TX_SLOTS; i++) {
		uint64_t at = (uint64_t)(RX_BUFFERS + i) * BUFFER_SIZE;
		c->tx[i].buffer = (uint8_t *)(c->dma + at);
		c->tx[i].physical = physical + at;
	}
	return KERN_SUCCESS;
}

kern_return_t card_open(mach_port_t master, const struct pci_device *pci, struct card *c)
{
	kern_return_t kr = virtio_open(master, pci, &c->device);

	if (kr != KERN_SUCCESS)
		return kr;
	if ((kr = virtio_negotiate(&c->device, VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS, 0)) !=
		    KERN_SUCCESS ||
	    (kr = virtq_setup(&c->device, &c->queues[RX], RX, RX_BUFFERS)) != KERN_SUCCESS ||
	    (kr = virtq_setup(&c->device, &c->queues[TX], TX, TX_SLOTS)) != KERN_SUCCESS ||
	    (kr = buffers_setup(c)) != KERN_SUCCESS) {
		virtio_close(&c->device, c->queues, 2);
		return kr;
	}
	for (unsigned i = 0; i < 6; i++)
		c->address[i] = (c->device.features & VIRTIO_NET_F_MAC)
					? virtio_config8(&c->device, CONFIG_MAC + i) : 0;
	c->has_status = (c->device.features & VIRTIO_NET_F_STATUS) != 0;
	virtio_ready(&c->device);
	virtq_kick(&c->queues[RX]);
	return KERN_SUCCESS;
}

struct card *card_of(mach_port_t name)
{
	for (unsigned i = 0; i < card_count; i++)
		if (cards[i].port == name)
			return &cards[i];
	return NULL;
}

bool card_link_up(struct card *c)
{
	if (!c->has_status)
		return true;   /* a card that cannot tell is taken as up */
	return (virtio_config8(&c->device, CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP) != 0;
}

kern_return_t card_send(struct card *c, mach_port_t reply, const uint8_t *frame, uint32_t size)
{
	struct tx_slot *s = NULL;

	for (unsigned i = 0; i < TX_SLOTS && s == NULL; i++)
		if (!c->tx[i].device_owns)
			s = &c->tx[i];
	if (s == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(s->buffer, 0, NET_HEADER);   /* no offloads */
	memcpy(s->buffer + NET_HEADER, frame, size);
	struct virtq_buffer b = { s->physical, NET_HEADER + size, false };
	if (!virtq_add(&c->queues[TX], &b, 1, s))
		return KERN_RESOURCE_SHORTAGE;
	s->device_owns = true;
	s->reply = reply;
	s->deadline_ns = mach_clock_ns() + TX_TIMEOUT_NS;
	virtq_kick(&c->queues[TX]);
	return KERN_SUCCESS;
}

/* Sends a frame to the receiver without waiting: a receiver whose queue
 * is full loses the frame, the driver does not stop for it. */
static bool deliver(struct card *c, uint8_t *frame, uint32_t size)
{
	union {
		mach_msg_header_t h;
		uint8_t b[MSGSIZE_net_input_frame];
	} m;

	if (net_input_frame_prepare(&m.h, c->receiver, frame, size) != MACH_MSG_SUCCESS)
		return false;
	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.h.msgh_size, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS;
}

/* Hands each filled receive buffer's frame to the receiver. */
static void received(struct card *c)
{
	void *token;
	uint32_t written;
	bool offered = false;

	while (virtq_next_used(&c->queues[RX], &token, &written)) {
		struct rx_buffer *b = token;
		if (b == NULL || b < c->rx || b >= c->rx + RX_BUFFERS)
			continue;
		uint32_t size = written > NET_HEADER ? written - NET_HEADER : 0;
		if (size >= ETHER_HEADER && size <= FRAME_MAX && c->receiver != MACH_PORT_NULL &&
		    deliver(c, b->buffer + NET_HEADER, size))
			c->frames_received++;
		else
			c->frames_dropped++;
		rx_offer(c, (unsigned)(b - c->rx));
		offered = true;
	}
	if (offered)
		virtq_kick(&c->queues[RX]);
}

/* Answers the senders of the frames the device has taken. */
static void sent(struct card *c)
{
	void *token;
	uint32_t written;

	while (virtq_next_used(&c->queues[TX], &token, &written)) {
		struct tx_slot *s = token;
		if (s == NULL || s < c->tx || s >= c->tx + TX_SLOTS)
			continue;
		s->device_owns = false;
		if (s->reply != MACH_PORT_NULL)
			net_send_reply(s->reply, KERN_SUCCESS);
		s->reply = MACH_PORT_NULL;
		c->frames_sent++;
	}
}

void card_interrupt(struct card *c)
{
	virtio_isr(&c->device);   /* lowers the line */
	received(c);
	sent(c);
}

uint64_t cards_expire(uint64_t now)
{
	uint64_t earliest = UINT64_MAX;

	for (unsigned i = 0; i < card_count; i++) {
		for (unsigned j = 0; j < TX_SLOTS; j++) {
			struct tx_slot *s = &cards[i].tx[j];
			if (s->reply == MACH_PORT_NULL)
				continue;
			if (s->deadline_ns <= now) {
				net_send_reply(s->reply, KERN_OPERATION_TIMED_OUT);
				s->reply = MACH_PORT_NULL;   /* the slot stays the device's */
			} else if (s->deadline_ns < earliest) {
				earliest = s->deadline_ns;
			}
		}
	}
	return earliest;
}
