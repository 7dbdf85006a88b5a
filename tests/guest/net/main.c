/*
 * nettest: the virtio-net driver (servers/net) tested from a client,
 * against QEMU's user-mode network (the host's side of the link, with
 * its gateway at 10.0.2.2).  It looks up "net0", reads the card's
 * address and link, sends an ARP request for the gateway from the
 * guest's usual address (10.0.2.15), and waits for the gateway's reply,
 * a frame from the host; tests/boot/net.sh also finds the request in a
 * dump QEMU made of the link.  Then the refusals.  TAP, then it halts
 * the machine.
 */
#include "../vm/vmtest.h"

#include <net.h>
#include <net_inputServer.h>

#define ETHERTYPE_ARP 0x0806
#define WAIT_MS 2000

static const uint8_t guest_ip[4] = { 10, 0, 2, 15 }, gateway_ip[4] = { 10, 0, 2, 2 };

static struct {
	bool seen;
	uint8_t frame[NET_FRAME_MAX];
	uint32_t size;
} last;

kern_return_t net_input_S_frame(mach_port_t receiver, net_frame_t frame,
				mach_msg_type_number_t frameCnt)
{
	(void)receiver;
	last.seen = true;
	last.size = frameCnt;
	memcpy(last.frame, frame, frameCnt);
	return KERN_SUCCESS;
}

/* The next frame on port within timeout_ms, into last; false if none. */
static bool next_frame(mach_port_t port, uint32_t timeout_ms)
{
	union {
		mach_msg_header_t h;
		uint8_t b[net_input_MAX_REQUEST_SIZE];
	} in;
	union {
		mig_reply_error_t e;
		uint8_t b[net_input_MAX_REPLY_SIZE];
	} out;

	if (mach_msg(&in.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in), port, timeout_ms,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return false;
	last.seen = false;
	return net_input_server(&in.h, &out.e.Head) && last.seen;
}

/* An ARP request: who has the gateway? tell the guest. */
static uint32_t arp_request(const uint8_t mac[6], uint8_t *f)
{
	static const uint8_t arp_head[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };   /* Ethernet, IPv4, request */

	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	f[12] = ETHERTYPE_ARP >> 8;
	f[13] = ETHERTYPE_ARP & 0xff;
	memcpy(f + 14, arp_head, 8);
	memcpy(f + 22, mac, 6);
	memcpy(f + 28, guest_ip, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, gateway_ip, 4);
	memset(f + 42, 0, 18);   /* padding to the 60-byte minimum */
	return 60;
}

static bool is_arp_reply_from_gateway(const uint8_t mac[6])
{
	const uint8_t *f = last.frame;

	return last.size >= 42 && memcmp(f, mac, 6) == 0 && f[12] == 0x08 && f[13] == 0x06 &&
	       f[20] == 0 && f[21] == 2 && memcmp(f + 28, gateway_ip, 4) == 0 &&
	       memcmp(f + 38, guest_ip, 4) == 0;
}

static void exchange(mach_port_t card)
{
	uint8_t mac[6] = { 0 }, frame[NET_FRAME_MAX];
	boolean_t link_up = FALSE;
	mach_port_t receiver = MACH_PORT_NULL;

	tap_ok(net_info(card, mac, &link_up) == KERN_SUCCESS && mac[0] == 0x52 &&
		       mac[1] == 0x54 && mac[2] == 0x00 && link_up,
	       "net_info_gives_the_cards_address_and_link");
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &receiver);
	mach_port_insert_right(mach_task_self(), receiver, receiver, MACH_MSG_TYPE_MAKE_SEND);
	tap_kr(net_set_receiver(card, receiver), KERN_SUCCESS, "net_set_receiver_takes_a_port");
	uint32_t size = arp_request(mac, frame);
	tap_kr(net_send(card, frame, size), KERN_SUCCESS, "net_send_sends_a_frame");
	bool replied = false;
	for (int i = 0; i < 8 && !replied; i++)
		replied = next_frame(receiver, WAIT_MS) && is_arp_reply_from_gateway(mac);
	tap_ok(replied, "the_hosts_answer_arrives_as_a_frame");
	tap_kr(net_set_receiver(card, MACH_PORT_NULL), KERN_SUCCESS,
	       "net_set_receiver_null_stops_the_frames");
	tap_ok(net_send(card, frame, size) == KERN_SUCCESS && !next_frame(receiver, 500),
	       "no_frame_arrives_without_a_receiver");
	mach_port_mod_refs(mach_task_self(), receiver, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(mach_task_self(), receiver);
}

static void refusals(mach_port_t card)
{
	uint8_t frame[NET_FRAME_MAX + 1] = { 0 };
	uint8_t mac[6];
	boolean_t link_up;
	mach_port_t names = MACH_PORT_NULL;

	tap_kr(net_send(card, frame, 10), KERN_INVALID_ARGUMENT,
	       "a_frame_shorter_than_a_header_is_refused");
	tap_kr(net_send(card, frame, NET_FRAME_MAX + 1), MIG_ARRAY_TOO_LARGE,
	       "a_frame_longer_than_the_largest_is_refused");
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	tap_kr(net_info(names, mac, &link_up), MIG_BAD_ID,
	       "a_card_call_on_another_servers_port_is_refused");
	tap_kr(net_info(card, mac, &link_up), KERN_SUCCESS, "the_driver_serves_after_the_refusals");
}

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	mach_port_t card = service_look_up("net0", 5000);
	tap_ok(card != MACH_PORT_NULL, "the_driver_registers_its_card");
	if (card != MACH_PORT_NULL) {
		exchange(card);
		refusals(card);
	}
	tap_finish("nettest");
	return 0;
}
