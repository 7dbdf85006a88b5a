/*
 * net: the virtio-net driver (docs/drivers.md).  One task drives every
 * virtio-net PCI function it finds, each as a card with its own port,
 * registered in the name service as "net0", "net1", ...
 *
 * Receive buffers (RX_BUFFERS of them, in DMA memory) stay on the
 * device's receive queue; each frame the device fills is sent to the
 * card's receiver (net_input_frame) and its buffer goes back on the
 * queue.  A frame to send is copied into a transmit slot's DMA buffer,
 * and its sender is answered when the device gives the slot back, or
 * with KERN_OPERATION_TIMED_OUT past the deadline (the slot stays the
 * device's until then).  Completion is by interrupt, never by polling.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>
#include <stdint.h>

#include "virtio.h"

#define CARDS_MAX 2
#define RX_BUFFERS 32
#define TX_SLOTS 16
#define BUFFER_SIZE 2048u
#define FRAME_MAX 1514u
#define ETHER_HEADER 14u
#define NET_HEADER 12u        /* struct virtio_net_hdr with VERSION_1 */
#define TX_TIMEOUT_NS (2000ull * MACH_NS_PER_MS)

struct tx_slot {
	uint8_t *buffer;
	uint64_t physical;
	mach_port_t reply;         /* the sender's send-once right, or NULL */
	uint64_t deadline_ns;
	bool device_owns;
};

struct rx_buffer {
	uint8_t *buffer;
	uint64_t physical;
};

struct card {
	unsigned number;
	mach_port_t port;          /* receive right: its clients' requests */
	mach_port_t receiver;      /* where received frames go (send right), or NULL */
	struct virtio_device device;
	struct virtq queues[2];    /* receive, transmit */
	uint8_t address[6];
	bool has_status;
	vm_address_t dma;
	vm_size_t dma_size;
	struct rx_buffer rx[RX_BUFFERS];
	struct tx_slot tx[TX_SLOTS];
	uint64_t frames_received, frames_dropped, frames_sent;
};

extern struct card cards[CARDS_MAX];
extern unsigned card_count;

kern_return_t card_open(mach_port_t master, const struct pci_device *pci, struct card *c);
struct card *card_of(mach_port_t name);
bool card_link_up(struct card *c);
/* Queues frame for sending; the reply goes to reply when it is sent. */
kern_return_t card_send(struct card *c, mach_port_t reply, const uint8_t *frame, uint32_t size);
/* An interrupt on the card's line: received frames, finished sends. */
void card_interrupt(struct card *c);
/* Answers sends past their deadline; the earliest deadline left. */
uint64_t cards_expire(uint64_t now_ns);
