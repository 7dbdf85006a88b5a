/*
 * UDP and raw (ICMP) sockets.  Each received datagram waits on its
 * socket's queue, with where it came from, until recv takes it; past
 * DGRAM_QUEUE_MAX the newest are dropped, as a full socket buffer drops
 * them elsewhere.  A raw socket gets a copy of every ICMP packet the
 * stack receives, IP header included, and lwIP still answers echo
 * requests itself; what it sends is the ICMP message, lwIP adding the
 * IP header.
 */
#include "sock.h"

#include <stdlib.h>
#include <string.h>

#include "lwip/ip.h"

static void enqueue(struct sock *s, struct pbuf *p, const ip_addr_t *from, u16_t port)
{
	struct dgram *d = s->dgram.count < DGRAM_QUEUE_MAX ? malloc(sizeof(*d)) : NULL;

	if (d == NULL) {
		pbuf_free(p);
		return;
	}
	*d = (struct dgram){ .p = p, .from = *from, .port = port };
	if (s->dgram.tail != NULL)
		s->dgram.tail->next = d;
	else
		s->dgram.head = d;
	s->dgram.tail = d;
	s->dgram.count++;
	sock_changed(s);
}

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *from,
		   u16_t port)
{
	struct sock *s = arg;

	(void)pcb;
	if (s->shut_rd)
		pbuf_free(p);
	else
		enqueue(s, p, from, port);
}

/* A copy: lwIP's ICMP turns an echo request into its reply in place. */
static u8_t on_raw(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *from)
{
	struct sock *s = arg;
	struct pbuf *copy;

	(void)pcb;
	if (!s->shut_rd && (copy = pbuf_clone(PBUF_RAW, PBUF_RAM, p)) != NULL)
		enqueue(s, copy, from, 0);
	return 0;
}

kern_return_t dgram_sock_new(struct sock *s, int protocol)
{
	if (s->kind == SOCKET_DGRAM) {
		if (protocol != 0 && protocol != IP_PROTO_UDP)
			return NET_NOT_SUPPORTED;
		s->dgram.udp = udp_new_ip_type(IPADDR_TYPE_V4);
		if (s->dgram.udp != NULL)
			udp_recv(s->dgram.udp, on_udp, s);
		return s->dgram.udp != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
	}
	if (protocol != SOCKET_PROTO_ICMP)
		return NET_NOT_SUPPORTED;
	s->dgram.raw = raw_new_ip_type(IPADDR_TYPE_V4, (u8_t)protocol);
	if (s->dgram.raw != NULL)
		raw_recv(s->dgram.raw, on_raw, s);
	return s->dgram.raw != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

static kern_return_t dgram_bind(struct sock *s, const ip_addr_t *address, u16_t port)
{
	if (s->dgram.raw != NULL)
		return sock_error(raw_bind(s->dgram.raw, address));
	if (s->dgram.udp->local_port != 0)
		return KERN_INVALID_ARGUMENT;
	return sock_error(udp_bind(s->dgram.udp, address, port));
}

static kern_return_t dgram_connect(struct sock *s, const ip_addr_t *address, u16_t port)
{
	err_t err = s->dgram.raw != NULL ? raw_connect(s->dgram.raw, address)
					 : udp_connect(s->dgram.udp, address, port);
	if (err != ERR_OK)
		return sock_error(err);
	s->dgram.connected = true;
	s->dgram.peer = *address;
	s->dgram.peer_port = port;
	return KERN_SUCCESS;
}

static kern_return_t dgram_send(struct sock *s, const char *data, uint32_t size,
				const ip_addr_t *to, u16_t port, uint32_t *sent)
{
	if (s->shut_wr)
		return NET_SHUT_DOWN;
	if (to == NULL && !s->dgram.connected)
		return NET_NOT_CONNECTED;
	if (to == NULL) {
		to = &s->dgram.peer;
		port = s->dgram.peer_port;
	}
	struct pbuf *p = pbuf_alloc(s->dgram.raw != NULL ? PBUF_IP : PBUF_TRANSPORT, (u16_t)size,
				    PBUF_RAM);
	if (p == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(p->payload, data, size);
	err_t err = s->dgram.raw != NULL ? raw_sendto(s->dgram.raw, p, to)
					 : udp_sendto(s->dgram.udp, p, to, port);
	pbuf_free(p);
	if (err != ERR_OK)
		return sock_error(err);
	*sent = size;
	return KERN_SUCCESS;
}

static kern_return_t dgram_recv(struct sock *s, char *data, uint32_t count, bool peek,
				uint32_t *got, ip_addr_t *from, u16_t *port, uint32_t *truncated)
{
	struct dgram *d = s->dgram.head;

	if (d == NULL) {
		if (s->error != KERN_SUCCESS && !peek) {
			kern_return_t kr = s->error;
			s->error = KERN_SUCCESS;
			return kr;
		}
		return s->shut_rd ? KERN_SUCCESS : NET_WOULD_BLOCK;
	}
	uint32_t n = d->p->tot_len < count ? d->p->tot_len : count;
	*got = pbuf_copy_partial(d->p, data, (u16_t)n, 0);
	*truncated = d->p->tot_len - *got;
	*from = d->from;
	*port = d->port;
	if (peek)
		return KERN_SUCCESS;
	s->dgram.head = d->next;
	if (s->dgram.head == NULL)
		s->dgram.tail = NULL;
	s->dgram.count--;
	pbuf_free(d->p);
	free(d);
	return KERN_SUCCESS;
}

static kern_return_t dgram_shutdown(struct sock *s, int how)
{
	if (!s->dgram.connected)
		return NET_NOT_CONNECTED;
	s->shut_rd |= how != SOCKET_SHUT_WR;
	s->shut_wr |= how != SOCKET_SHUT_RD;
	return KERN_SUCCESS;
}

static kern_return_t dgram_name(struct sock *s, bool peer, ip_addr_t *address, u16_t *port)
{
	if (peer) {
		if (!s->dgram.connected)
			return NET_NOT_CONNECTED;
		*address = s->dgram.peer;
		*port = s->dgram.peer_port;
	} else if (s->dgram.raw != NULL) {
		*address = s->dgram.raw->local_ip;
	} else {
		*address = s->dgram.udp->local_ip;
		*port = s->dgram.udp->local_port;
	}
	return KERN_SUCCESS;
}

static uint8_t *dgram_so_options(struct sock *s)
{
	return s->dgram.raw != NULL ? &s->dgram.raw->so_options : &s->dgram.udp->so_options;
}

static kern_return_t dgram_set_option(struct sock *s, int level, int name, int value)
{
	uint8_t *options = dgram_so_options(s);
	uint8_t flag = name == SOCKET_SO_REUSEADDR ? SOF_REUSEADDR
		     : name == SOCKET_SO_BROADCAST ? SOF_BROADCAST : 0;

	if (level == SOCKET_LEVEL_IP && name == SOCKET_IP_TTL) {
		if (value < 1 || value > 255)
			return KERN_INVALID_VALUE;
		if (s->dgram.raw != NULL)
			s->dgram.raw->ttl = (u8_t)value;
		else
			s->dgram.udp->ttl = (u8_t)value;
		return KERN_SUCCESS;
	}
	if (level != SOCKET_LEVEL_SOCKET)
		return NET_NO_SUCH_OPTION;
	if (name == SOCKET_SO_SNDBUF || name == SOCKET_SO_RCVBUF)
		return value > 0 ? KERN_SUCCESS : KERN_INVALID_VALUE;
	if (flag == 0)
		return NET_NO_SUCH_OPTION;
	*options = value ? *options | flag : *options & ~flag;
	return KERN_SUCCESS;
}

static kern_return_t dgram_get_option(struct sock *s, int level, int name, int *value)
{
	uint8_t options = *dgram_so_options(s);

	if (level == SOCKET_LEVEL_IP && name == SOCKET_IP_TTL)
		*value = s->dgram.raw != NULL ? s->dgram.raw->ttl : s->dgram.udp->ttl;
	else if (level != SOCKET_LEVEL_SOCKET)
		return NET_NO_SUCH_OPTION;
	else if (name == SOCKET_SO_REUSEADDR)
		*value = (options & SOF_REUSEADDR) != 0;
	else if (name == SOCKET_SO_BROADCAST)
		*value = (options & SOF_BROADCAST) != 0;
	else if (name == SOCKET_SO_SNDBUF || name == SOCKET_SO_RCVBUF)
		*value = DGRAM_QUEUE_MAX * 1500;
	else
		return NET_NO_SUCH_OPTION;
	return KERN_SUCCESS;
}

static int32_t dgram_events(struct sock *s)
{
	int32_t events = s->shut_wr ? 0 : SOCKET_OUT;

	if (s->dgram.head != NULL || s->shut_rd)
		events |= SOCKET_IN;
	if (s->error != KERN_SUCCESS)
		events |= SOCKET_ERR;
	return events;
}

static void dgram_close(struct sock *s)
{
	if (s->dgram.raw != NULL)
		raw_remove(s->dgram.raw);
	if (s->dgram.udp != NULL)
		udp_remove(s->dgram.udp);
	while (s->dgram.head != NULL) {
		struct dgram *d = s->dgram.head;
		s->dgram.head = d->next;
		pbuf_free(d->p);
		free(d);
	}
	sock_free(s);
}

const struct sock_ops dgram_ops = {
	.bind = dgram_bind,
	.connect = dgram_connect,
	.send = dgram_send,
	.recv = dgram_recv,
	.shutdown = dgram_shutdown,
	.name = dgram_name,
	.set_option = dgram_set_option,
	.get_option = dgram_get_option,
	.events = dgram_events,
	.close = dgram_close,
};
