/*
 * The interfaces: lo (127.0.0.1, lwIP's own loopback) and eth0, on the
 * first card of the virtio-net driver ("net0" in the name service;
 * without one the server runs with lo only).
 *
 * Frames the card receives come as net_input_frame messages to a port
 * of the server's set and go into lwIP as pool pbufs.  Frames lwIP sends
 * go to the card as net_request_send requests, at most TX_INFLIGHT of
 * them unanswered at once (the card's transmit queue has TX_SLOTS); the
 * others wait in a ring of TX_QUEUE frames, and past that are dropped
 * and counted, for TCP to send again.
 *
 * eth0's address comes from DHCP (the module argument ip=dhcp, the
 * default) or is static: ip=ADDRESS/BITS[,GATEWAY[,DNS]].
 */
#include "inet.h"

#include <bootstrap.h>
#include <net.h>
#include <net_inputServer.h>
#include <net_replyServer.h>
#include <net_request.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define TX_INFLIGHT 12
#define TX_QUEUE 64
#define LOOK_UP_MS 2000

struct frame {
	uint32_t size;
	uint8_t bytes[NET_FRAME_MAX];
};

static struct netif eth;
static bool eth_present, eth_dhcp;
static mach_port_t card, frames_port, sent_port;
static unsigned tx_inflight, tx_head, tx_count;
static struct frame tx_ring[TX_QUEUE];
static struct inet_interface eth_counts;   /* only the counters are used */

/* Hands the card what it has room for, oldest first. */
static void tx_push(void)
{
	while (tx_count > 0 && tx_inflight < TX_INFLIGHT) {
		struct frame *f = &tx_ring[tx_head];
		kern_return_t kr = net_request_send(card, sent_port, f->bytes, f->size);
		if (kr == MACH_SEND_TIMED_OUT)
			return;   /* the driver's queue is full: again at the next answer */
		if (kr != KERN_SUCCESS) {
			eth_counts.tx_errors++;
		} else {
			tx_inflight++;
			eth_counts.tx_packets++;
			eth_counts.tx_bytes += f->size;
		}
		tx_head = (tx_head + 1) % TX_QUEUE;
		tx_count--;
	}
}

static err_t eth_linkoutput(struct netif *netif, struct pbuf *p)
{
	(void)netif;
	if (p->tot_len > NET_FRAME_MAX || tx_count == TX_QUEUE) {
		eth_counts.tx_dropped++;
		return ERR_MEM;
	}
	struct frame *f = &tx_ring[(tx_head + tx_count) % TX_QUEUE];
	f->size = pbuf_copy_partial(p, f->bytes, p->tot_len, 0);
	tx_count++;
	tx_push();
	return ERR_OK;
}

kern_return_t net_reply_S_send_reply(mach_port_t reply, kern_return_t code)
{
	if (reply != sent_port)
		return KERN_INVALID_ARGUMENT;
	if (tx_inflight > 0)
		tx_inflight--;
	if (code != KERN_SUCCESS)
		eth_counts.tx_errors++;
	tx_push();
	return KERN_SUCCESS;
}

kern_return_t net_input_S_frame(mach_port_t receiver, net_frame_t frame,
				mach_msg_type_number_t size)
{
	if (receiver != frames_port)
		return KERN_INVALID_ARGUMENT;
	if (size < SIZEOF_ETH_HDR) {
		eth_counts.rx_errors++;
		return KERN_SUCCESS;
	}
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)size, PBUF_POOL);
	if (p == NULL) {
		eth_counts.rx_dropped++;
		return KERN_SUCCESS;
	}
	pbuf_take(p, frame, (u16_t)size);
	eth_counts.rx_packets++;
	eth_counts.rx_bytes += size;
	if (eth.input(p, &eth) != ERR_OK) {
		pbuf_free(p);
		eth_counts.rx_dropped++;
	}
	return KERN_SUCCESS;
}

static err_t eth_init(struct netif *netif)
{
	netif->name[0] = 'e';
	netif->name[1] = 't';
	netif->mtu = 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	netif->output = etharp_output;
	netif->linkoutput = eth_linkoutput;
	return ERR_OK;
}

/* Logs eth0's address each time it is set (DHCP's lease, or the static one). */
static void eth_status(struct netif *netif)
{
	char address[16], gateway[16];

	if (ip4_addr_isany_val(*netif_ip4_addr(netif)))
		return;   /* brought up, DHCP not answered yet */
	ip4addr_ntoa_r(netif_ip4_addr(netif), address, sizeof(address));
	ip4addr_ntoa_r(netif_ip4_gw(netif), gateway, sizeof(gateway));
	mach_printf("inet: eth0: %s/%u, gateway %s%s\n", address,
		    (unsigned)__builtin_popcount(ip4_addr_get_u32(netif_ip4_netmask(netif))),
		    gateway, eth_dhcp ? " (DHCP)" : "");
}

/* lo's counters: lwIP's MIB-II ones (it loops a packet back without
 * passing through anything of the server's). */
static struct inet_interface lo_counters(struct netif *lo)
{
	const struct stats_mib2_netif_ctrs *m = &lo->mib2_counters;

	return (struct inet_interface){
		.rx_packets = m->ifinucastpkts + m->ifinnucastpkts, .rx_bytes = m->ifinoctets,
		.rx_errors = m->ifinerrors, .rx_dropped = m->ifindiscards,
		.tx_packets = m->ifoutucastpkts + m->ifoutnucastpkts, .tx_bytes = m->ifoutoctets,
		.tx_errors = m->ifouterrors, .tx_dropped = m->ifoutdiscards,
	};
}

/* "ADDRESS/BITS[,GATEWAY[,DNS]]" into eth0's static configuration. */
static bool parse_static(const char *config, ip4_addr_t *address, ip4_addr_t *mask,
			 ip4_addr_t *gateway, ip4_addr_t *dns)
{
	char text[80], *parts[3] = { NULL, NULL, NULL };

	if (strlen(config) >= sizeof(text))
		return false;
	strcpy(text, config);
	parts[0] = strtok(text, ",");
	parts[1] = strtok(NULL, ",");
	parts[2] = strtok(NULL, ",");
	char *slash = parts[0] != NULL ? strchr(parts[0], '/') : NULL;
	if (slash == NULL)
		return false;
	*slash = '\0';
	char *end;
	unsigned long bits = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || slash[1] == '\0' || bits == 0 || bits > 32 ||
	    !ip4addr_aton(parts[0], address))
		return false;
	ip4_addr_set_u32(mask, lwip_htonl(bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits)));
	ip4_addr_set_zero(gateway);
	ip4_addr_set_zero(dns);
	return (parts[1] == NULL || ip4addr_aton(parts[1], gateway)) &&
	       (parts[2] == NULL || ip4addr_aton(parts[2], dns));
}

static mach_port_t look_up_card(mach_port_t names)
{
	mach_port_t port;

	for (int i = 0; i < LOOK_UP_MS / 10; i++) {
		if (bootstrap_look_up(names, "net0", &port) == KERN_SUCCESS)
			return port;
		mach_sleep_ns(10 * MACH_NS_PER_MS);
	}
	return MACH_PORT_NULL;
}

/* eth0 on card, configured by config; false if it could not be. */
static bool eth_start(const char *config)
{
	ip4_addr_t address, mask, gateway, dns;
	boolean_t link;

	eth_dhcp = config == NULL || strcmp(config, "dhcp") == 0;
	if (!eth_dhcp && !parse_static(config, &address, &mask, &gateway, &dns)) {
		mach_printf("inet: ip=%s: not dhcp or ADDRESS/BITS[,GATEWAY[,DNS]]\n", config);
		return false;
	}
	if (eth_dhcp)
		ip4_addr_set_zero(&address), ip4_addr_set_zero(&mask), ip4_addr_set_zero(&gateway);
	if (net_info(card, eth.hwaddr, &link) != KERN_SUCCESS ||
	    inet_port_new(true, &frames_port) != KERN_SUCCESS ||
	    inet_port_new(false, &sent_port) != KERN_SUCCESS)
		return false;
	mach_port_set_qlimit(mach_task_self(), frames_port, MACH_PORT_QLIMIT_MAX);
	mach_port_set_qlimit(mach_task_self(), sent_port, MACH_PORT_QLIMIT_MAX);
	netif_add(&eth, &address, &mask, &gateway, NULL, eth_init, ethernet_input);
	eth.hwaddr_len = ETH_HWADDR_LEN;
	netif_set_status_callback(&eth, eth_status);
	netif_set_default(&eth);
	if (net_set_receiver(card, frames_port) != KERN_SUCCESS)
		return false;
	if (link)
		netif_set_link_up(&eth);
	netif_set_up(&eth);
	if (eth_dhcp)
		return dhcp_start(&eth) == ERR_OK;
	if (!ip4_addr_isany_val(dns))
		dns_setserver(0, &dns);
	return true;
}

kern_return_t iface_start(mach_port_t names, const char *config)
{
	lwip_init();
	struct netif *lo = netif_find("lo0");
	if (lo != NULL)
		lo->mtu = 65535;   /* lwIP's 0 is no limit; say the largest IPv4 packet */
	card = look_up_card(names);
	if (card == MACH_PORT_NULL) {
		mach_printf("inet: no network card (net0): lo only\n");
		return KERN_SUCCESS;
	}
	eth_present = eth_start(config);
	if (!eth_present)
		mach_printf("inet: eth0 could not be started: lo only\n");
	return KERN_SUCCESS;
}

void iface_poll(void)
{
	netif_poll_all();
}

static void describe(struct inet_interface *out, const char *name, struct netif *n,
		     const struct inet_interface *counts)
{
	*out = *counts;
	strncpy(out->name, name, sizeof(out->name) - 1);
	out->flags = (netif_is_up(n) ? INET_IF_UP : 0) | (netif_is_link_up(n) ? INET_IF_LINK : 0);
	out->mtu = n->mtu;
	memset(out->hardware, 0, sizeof(out->hardware));
	memcpy(out->hardware, n->hwaddr, n->hwaddr_len < 8 ? n->hwaddr_len : 8);
	out->address = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(n)));
	out->netmask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(n)));
	out->gateway = lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(n)));
	out->dns = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(dns_getserver(0))));
}

unsigned iface_list(struct inet_interface *out, unsigned max)
{
	unsigned n = 0;
	struct netif *lo = netif_find("lo0");

	if (lo != NULL && n < max) {
		struct inet_interface counts = lo_counters(lo);
		describe(&out[n], "lo", lo, &counts);
		out[n++].flags |= INET_IF_LOOPBACK;
	}
	if (eth_present && n < max) {
		describe(&out[n], "eth0", &eth, &eth_counts);
		out[n++].flags |= eth_dhcp ? INET_IF_DHCP : 0;
	}
	return n;
}

/* lwIP's timers, due or not: the loop's next deadline comes from here. */
uint64_t iface_timers(uint64_t now_ns)
{
	sys_check_timeouts();
	u32_t sleep = sys_timeouts_sleeptime();
	return sleep == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? UINT64_MAX
							 : now_ns + (uint64_t)sleep * MACH_NS_PER_MS;
}
