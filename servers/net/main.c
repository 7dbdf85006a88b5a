/*
 * net: the virtio-net driver's task (nic.h).  It takes the PCI
 * configuration ports, opens every virtio-net function, gives each card
 * a port registered as "netN", attaches one port to the interrupt lines
 * the cards use, and serves both on one port set.  Its module argument
 * "devices" makes bootstrap give it the device master port.
 */
#include <device_irqServer.h>
#include <netServer.h>

#include "driver.h"
#include "nic.h"

static mach_port_t master, irq_port;

static const uint16_t virtio_net_ids[] = { 0x1000, 0x1041 };

static void open_cards(const struct driver_ports *ports)
{
	struct pci_device pci;

	for (unsigned i = 0; card_count < CARDS_MAX &&
			     pci_find(VIRTIO_VENDOR, virtio_net_ids, 2, i, &pci); i++) {
		struct card *c = &cards[card_count];
		char name[16];
		c->number = card_count;
		mach_snprintf(name, sizeof(name), "net%u", c->number);
		kern_return_t kr = card_open(master, &pci, c);
		if (kr == KERN_SUCCESS)
			kr = driver_device_publish(ports, pci.irq_line, name, &c->port);
		if (kr != KERN_SUCCESS) {
			mach_printf("net: the virtio-net device at %u:%u.%u: %s\n", pci.bus, pci.slot,
				    pci.function, mach_error_name(kr));
			continue;
		}
		const uint8_t *a = c->address;
		mach_printf("net: %s: address %02x:%02x:%02x:%02x:%02x:%02x, link %s, "
			    "interrupt line %u\n", name, a[0], a[1], a[2], a[3], a[4], a[5],
			    card_link_up(c) ? "up" : "down", pci.irq_line);
		card_count++;
	}
}

kern_return_t device_irq_S_notify(mach_port_t port, uint32_t line, uint32_t count)
{
	(void)port;
	(void)count;
	for (unsigned i = 0; i < card_count; i++)
		if (cards[i].device.pci.irq_line == line)
			card_interrupt(&cards[i]);
	return device_irq_ack(master, line, irq_port);
}

kern_return_t net_S_info(mach_port_t card, net_address_t address, boolean_t *link_up)
{
	struct card *c = card_of(card);

	if (c == NULL)
		return KERN_INVALID_ARGUMENT;
	memcpy(address, c->address, 6);
	*link_up = card_link_up(c);
	return KERN_SUCCESS;
}

kern_return_t net_S_send(mach_port_t card, mach_port_t reply, net_frame_t frame,
			 mach_msg_type_number_t frameCnt)
{
	struct card *c = card_of(card);

	if (c == NULL || frameCnt < ETHER_HEADER)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = card_send(c, reply, frame, frameCnt);
	return kr == KERN_SUCCESS ? MIG_NO_REPLY : kr;
}

kern_return_t net_S_set_receiver(mach_port_t card, mach_port_t receiver)
{
	struct card *c = card_of(card);

	if (c == NULL)
		return KERN_INVALID_ARGUMENT;
	if (c->receiver != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), c->receiver);
	c->receiver = receiver;   /* the request's send right is kept */
	return KERN_SUCCESS;
}

/* Interrupts first: net's demux answers an id it does not know. */
static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return device_irq_server(in, out) || net_server(in, out);
}

/* Answers the sends past their deadline; the next deadline. */
static uint64_t tick(void *arg, struct mach_tick_clock *clock)
{
	(void)arg;
	return cards_expire(mach_tick_now(clock));
}

int main(int argc, char **argv, char **envp)
{
	struct driver_ports ports;

	(void)argc;
	(void)argv;
	(void)envp;
	if (!driver_start("net", &ports))
		return 1;
	master = ports.master;
	irq_port = ports.irq;
	open_cards(&ports);
	mach_printf("net: %u card%s\n", card_count, card_count == 1 ? "" : "s");
	mach_msg_return_t mr = mach_msg_server_timed(
		demux, net_MAX_REQUEST_SIZE > device_irq_MAX_REQUEST_SIZE
			       ? net_MAX_REQUEST_SIZE : device_irq_MAX_REQUEST_SIZE,
		ports.set, tick, NULL);
	mach_printf("net: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
