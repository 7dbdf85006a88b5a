/*
 * net: the virtio-net driver's task (nic.h).  It takes the PCI
 * configuration ports, opens every virtio-net function, gives each card
 * a port registered as "netN", attaches one port to the interrupt lines
 * the cards use, and serves both on one port set.  Its module argument
 * "devices" makes bootstrap give it the device master port.
 */
#include <bootstrap.h>
#include <device_irqServer.h>
#include <netServer.h>

#include "nic.h"

static mach_port_t master, irq_port;

static const uint16_t virtio_net_ids[] = { 0x1000, 0x1041 };

static uint64_t now_ns(void)
{
	uint64_t ns = 0;

	clock_get_time(&ns);
	return ns;
}

static kern_return_t new_port(mach_port_t set, mach_port_t *port)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);

	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), *port, *port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), *port, set);
	return kr;
}

static bool line_taken(const struct card *c)
{
	for (const struct card *e = cards; e < c; e++)
		if (e->device.pci.irq_line == c->device.pci.irq_line)
			return true;
	return false;
}

static void open_cards(mach_port_t names, mach_port_t set)
{
	struct pci_device pci;

	for (unsigned i = 0; card_count < CARDS_MAX &&
			     pci_find(VIRTIO_VENDOR, virtio_net_ids, 2, i, &pci); i++) {
		struct card *c = &cards[card_count];
		char name[16];
		c->number = card_count;
		kern_return_t kr = card_open(master, &pci, c);
		if (kr == KERN_SUCCESS)
			kr = new_port(set, &c->port);
		if (kr == KERN_SUCCESS && !line_taken(c))
			kr = device_irq_attach(master, pci.irq_line, irq_port);
		mach_snprintf(name, sizeof(name), "net%u", c->number);
		if (kr == KERN_SUCCESS)
			kr = bootstrap_register(names, name, c->port);
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

static void serve(mach_msg_header_t *in)
{
	union {
		mig_reply_error_t e;
		uint8_t b[net_MAX_REPLY_SIZE > device_irq_MAX_REPLY_SIZE ? net_MAX_REPLY_SIZE
									 : device_irq_MAX_REPLY_SIZE];
	} out;

	if (!device_irq_server(in, &out.e.Head))
		net_server(in, &out.e.Head);
	if (!(out.e.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (out.e.RetCode == MIG_NO_REPLY)
			return;
		if (out.e.RetCode != KERN_SUCCESS) {
			in->msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(in);
		}
	}
	if (out.e.Head.msgh_remote_port != MACH_PORT_NULL)
		mach_msg(&out.e.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.e.Head.msgh_size, 0,
			 MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

int main(int argc, char **argv, char **envp)
{
	union {
		mach_msg_header_t h;
		uint8_t b[net_MAX_REQUEST_SIZE > device_irq_MAX_REQUEST_SIZE
				  ? net_MAX_REQUEST_SIZE : device_irq_MAX_REQUEST_SIZE];
	} in;
	mach_port_t names = MACH_PORT_NULL, set = MACH_PORT_NULL;

	(void)argc;
	(void)argv;
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	task_get_special_port(mach_task_self(), TASK_DEVICE_PORT, &master);
	if (master == MACH_PORT_NULL) {
		mach_printf("net: cannot start: no device master port (no \"devices\" argument)\n");
		return 1;
	}
	kern_return_t kr = pci_open(master);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set);
	if (kr == KERN_SUCCESS)
		kr = new_port(set, &irq_port);
	if (kr != KERN_SUCCESS) {
		mach_printf("net: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	open_cards(names, set);
	mach_printf("net: %u card%s\n", card_count, card_count == 1 ? "" : "s");
	for (;;) {
		uint64_t now = now_ns(), next = cards_expire(now);
		mach_msg_option_t option = MACH_RCV_MSG;
		mach_msg_timeout_t ms = 0;
		if (next != UINT64_MAX) {
			option |= MACH_RCV_TIMEOUT;
			ms = (mach_msg_timeout_t)((next - now) / MACH_NS_PER_MS + 1);
		}
		if (mach_msg(&in.h, option, 0, sizeof(in), set, ms, MACH_PORT_NULL) ==
		    MACH_MSG_SUCCESS)
			serve(&in.h);
	}
}
