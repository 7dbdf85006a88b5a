/*
 * TCP sockets on lwIP's raw API.  A socket holds its pcb until lwIP
 * frees it (the error callback: a reset, an abort, a failed connect) or
 * until both directions are finished (the peer's FIN has come and the
 * socket was shut for writing), when it lets go and lwIP ends the
 * connection alone: lwIP frees a pcb in TIME_WAIT without telling
 * anyone, so no socket may hold one there.  The addresses are kept in
 * the socket once connected, for name after the pcb is gone.
 *
 * Received data waits in a pbuf chain until recv takes it, and only then
 * is it acknowledged to lwIP (tcp_recved): the window is the socket's
 * receive buffer.  A listening socket keeps the connections lwIP has
 * accepted on its queue, each in a slot without a port, until accept
 * gives it one; lwIP itself holds at most backlog half-open ones.
 */
#include "sock.h"

#include <string.h>

static void tcp_attach(struct sock *s, struct tcp_pcb *pcb);

/* The connection's addresses, kept for name once the pcb is gone. */
static void keep_addresses(struct sock *s, struct tcp_pcb *pcb)
{
	s->tcp.local = pcb->local_ip;
	s->tcp.local_port = pcb->local_port;
	s->tcp.peer = pcb->remote_ip;
	s->tcp.peer_port = pcb->remote_port;
}

/* s stops holding its pcb: lwIP goes on with it alone (or has freed it). */
static void tcp_detach(struct sock *s)
{
	struct tcp_pcb *pcb = s->tcp.pcb;

	if (pcb == NULL)
		return;
	tcp_arg(pcb, NULL);
	if (pcb->state != LISTEN) {   /* lwIP asserts a listener has none of these */
		tcp_sent(pcb, NULL);
		tcp_err(pcb, NULL);
		tcp_recv(pcb, NULL);
	}
	s->tcp.pcb = NULL;
}

static void release_if_done(struct sock *s)
{
	if (s->tcp.rx_end && s->shut_wr)
		tcp_detach(s);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct sock *s = arg;

	(void)err;
	if (p == NULL) {
		s->tcp.rx_end = true;
		release_if_done(s);
	} else if (s->shut_rd) {
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
	} else if (s->tcp.rx == NULL) {
		s->tcp.rx = p;
	} else {
		pbuf_cat(s->tcp.rx, p);
	}
	sock_changed(s);
	return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t size)
{
	(void)pcb, (void)size;
	sock_changed(arg);
	return ERR_OK;
}

/* lwIP has freed the pcb: a reset, an abort, a timeout, a refusal. */
static void on_error(void *arg, err_t err)
{
	struct sock *s = arg;

	s->tcp.pcb = NULL;
	if (s->tcp.connecting)
		s->error = err == ERR_RST ? NET_CONNECTION_REFUSED
			 : err == ERR_ABRT ? NET_TIMED_OUT : sock_error(err);
	else if (err != ERR_CLSD)
		s->error = sock_error(err);
	s->tcp.connecting = false;
	s->tcp.rx_end = s->tcp.connected;   /* a connect that failed never had a stream */
	sock_changed(s);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *s = arg;

	(void)err;
	s->tcp.connecting = false;
	s->tcp.connected = true;
	keep_addresses(s, pcb);
	sock_changed(s);
	return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *listener = arg, *s;

	if (err != ERR_OK || pcb == NULL)
		return ERR_VAL;
	if (listener->tcp.queued == listener->tcp.backlog ||
	    (s = sock_alloc(SOCKET_STREAM, &tcp_ops)) == NULL) {
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	tcp_attach(s, pcb);
	s->tcp.connected = true;
	s->tcp.listener = listener;
	keep_addresses(s, pcb);
	listener->tcp.queue[listener->tcp.queued++] = s;
	sock_changed(listener);
	return ERR_OK;
}

static void tcp_attach(struct sock *s, struct tcp_pcb *pcb)
{
	s->tcp.pcb = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_error);
}

kern_return_t tcp_sock_new(struct sock *s)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);

	if (pcb == NULL)
		return KERN_RESOURCE_SHORTAGE;
	tcp_attach(s, pcb);
	return KERN_SUCCESS;
}

static bool fresh(struct sock *s)
{
	return s->tcp.pcb != NULL && !s->tcp.connecting && !s->tcp.connected &&
	       !s->tcp.listening;
}

static kern_return_t tcp_sock_bind(struct sock *s, const ip_addr_t *address, u16_t port)
{
	if (!fresh(s) || s->tcp.pcb->local_port != 0)
		return KERN_INVALID_ARGUMENT;
	return sock_error(tcp_bind(s->tcp.pcb, address, port));
}

static kern_return_t tcp_sock_listen(struct sock *s, int backlog)
{
	err_t err;

	if (s->tcp.listening) {
		s->tcp.backlog = (unsigned)backlog;
		tcp_backlog_set(s->tcp.pcb, (u8_t)backlog);
		return KERN_SUCCESS;
	}
	if (!fresh(s))
		return KERN_INVALID_ARGUMENT;
	struct tcp_pcb *pcb = tcp_listen_with_backlog_and_err(s->tcp.pcb, (u8_t)backlog, &err);
	if (pcb == NULL)
		return sock_error(err);
	s->tcp.pcb = pcb;   /* the old pcb was freed */
	s->tcp.listening = true;
	s->tcp.backlog = (unsigned)backlog;
	tcp_arg(pcb, s);
	tcp_accept(pcb, on_accept);
	return KERN_SUCCESS;
}

static kern_return_t tcp_sock_accept(struct sock *s, struct sock **taken)
{
	if (!s->tcp.listening)
		return KERN_INVALID_ARGUMENT;
	if (s->tcp.queued == 0)
		return NET_WOULD_BLOCK;
	*taken = s->tcp.queue[0];
	memmove(&s->tcp.queue[0], &s->tcp.queue[1], --s->tcp.queued * sizeof(s->tcp.queue[0]));
	(*taken)->tcp.listener = NULL;
	return KERN_SUCCESS;
}

static kern_return_t tcp_sock_connect(struct sock *s, const ip_addr_t *address, u16_t port)
{
	if (s->tcp.connecting)
		return NET_ALREADY;
	if (s->tcp.connected)
		return NET_ALREADY_CONNECTED;
	if (s->tcp.listening || s->tcp.pcb == NULL)
		return KERN_INVALID_ARGUMENT;
	err_t err = tcp_connect(s->tcp.pcb, address, port, on_connected);
	if (err != ERR_OK)
		return sock_error(err);
	s->tcp.connecting = true;
	return NET_IN_PROGRESS;
}

static uint32_t room(struct tcp_pcb *pcb)
{
	if (tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN - 1)
		return 0;
	return tcp_sndbuf(pcb);
}

/* Why nothing can be sent on s's connection, or KERN_SUCCESS. */
static kern_return_t send_refusal(struct sock *s)
{
	if (s->shut_wr)
		return NET_SHUT_DOWN;
	if (s->tcp.connecting)
		return NET_WOULD_BLOCK;
	if (!s->tcp.connected)
		return NET_NOT_CONNECTED;
	if (s->tcp.pcb == NULL) {
		kern_return_t kr = s->error != KERN_SUCCESS ? s->error : NET_SHUT_DOWN;
		s->error = KERN_SUCCESS;
		return kr;
	}
	return KERN_SUCCESS;
}

static kern_return_t tcp_sock_send(struct sock *s, const char *data, uint32_t size,
				   const ip_addr_t *to, u16_t port, uint32_t *sent)
{
	(void)to, (void)port;
	kern_return_t kr = send_refusal(s);
	if (kr != KERN_SUCCESS)
		return kr;
	uint32_t n = room(s->tcp.pcb);
	n = n < size ? n : size;
	if (n == 0)
		return size == 0 ? KERN_SUCCESS : NET_WOULD_BLOCK;
	err_t err = tcp_write(s->tcp.pcb, data, (u16_t)n, TCP_WRITE_FLAG_COPY);
	if (err == ERR_MEM)
		return NET_WOULD_BLOCK;
	if (err != ERR_OK)
		return sock_error(err);
	tcp_output(s->tcp.pcb);
	*sent = n;
	return KERN_SUCCESS;
}

/* Drops count bytes from the front of what was received, and tells lwIP
 * the window may open by as much. */
static void consume(struct sock *s, uint32_t count)
{
	uint32_t skip = s->tcp.rx_offset + count;

	while (s->tcp.rx != NULL && skip >= s->tcp.rx->len) {
		struct pbuf *first = s->tcp.rx;
		skip -= first->len;
		s->tcp.rx = first->next;
		if (s->tcp.rx != NULL)
			pbuf_ref(s->tcp.rx);
		pbuf_free(first);
	}
	s->tcp.rx_offset = (u16_t)skip;
	if (s->tcp.pcb != NULL)
		tcp_recved(s->tcp.pcb, (u16_t)count);
}

static uint32_t unread(struct sock *s)
{
	return s->tcp.rx == NULL ? 0 : s->tcp.rx->tot_len - s->tcp.rx_offset;
}

static kern_return_t tcp_sock_recv(struct sock *s, char *data, uint32_t count, bool peek,
				   uint32_t *got, ip_addr_t *from, u16_t *port,
				   uint32_t *truncated)
{
	uint32_t n = unread(s);

	(void)truncated;
	*from = s->tcp.peer;
	*port = s->tcp.peer_port;
	if (n == 0) {
		if (s->error != KERN_SUCCESS && !peek) {
			kern_return_t kr = s->error;
			s->error = KERN_SUCCESS;
			return kr;
		}
		if (s->tcp.rx_end || s->shut_rd)
			return KERN_SUCCESS;   /* the end of the stream */
		if (!s->tcp.connected && !s->tcp.connecting)
			return NET_NOT_CONNECTED;
		return count == 0 ? KERN_SUCCESS : NET_WOULD_BLOCK;
	}
	n = n < count ? n : count;
	*got = pbuf_copy_partial(s->tcp.rx, data, (u16_t)n, s->tcp.rx_offset);
	if (!peek)
		consume(s, *got);
	return KERN_SUCCESS;
}

static kern_return_t tcp_sock_shutdown(struct sock *s, int how)
{
	if (!s->tcp.connected && !s->tcp.connecting)
		return NET_NOT_CONNECTED;
	if (how != SOCKET_SHUT_WR && !s->shut_rd) {
		s->shut_rd = true;
		consume(s, unread(s));
	}
	if (how != SOCKET_SHUT_RD && !s->shut_wr) {
		s->shut_wr = true;
		if (s->tcp.pcb != NULL)
			tcp_shutdown(s->tcp.pcb, 0, 1);
		release_if_done(s);
	}
	return KERN_SUCCESS;
}

static kern_return_t tcp_sock_name(struct sock *s, bool peer, ip_addr_t *address, u16_t *port)
{
	if (peer && !s->tcp.connected)
		return NET_NOT_CONNECTED;
	if (!s->tcp.connected && s->tcp.pcb != NULL) {
		*address = s->tcp.pcb->local_ip;
		*port = s->tcp.pcb->local_port;
		return KERN_SUCCESS;
	}
	*address = peer ? s->tcp.peer : s->tcp.local;
	*port = peer ? s->tcp.peer_port : s->tcp.local_port;
	return KERN_SUCCESS;
}

static kern_return_t tcp_sock_set_option(struct sock *s, int level, int name, int value)
{
	struct tcp_pcb *pcb = s->tcp.pcb;

	if (level == SOCKET_LEVEL_TCP && name == SOCKET_TCP_NODELAY) {
		s->tcp.nodelay = value != 0;
		if (pcb != NULL && !s->tcp.listening) {
			if (value)
				tcp_nagle_disable(pcb);
			else
				tcp_nagle_enable(pcb);
		}
		return KERN_SUCCESS;
	}
	if (level != SOCKET_LEVEL_SOCKET)
		return NET_NO_SUCH_OPTION;
	if (name == SOCKET_SO_REUSEADDR || name == SOCKET_SO_KEEPALIVE) {
		uint8_t flag = name == SOCKET_SO_REUSEADDR ? SOF_REUSEADDR : SOF_KEEPALIVE;
		s->tcp.options = value ? s->tcp.options | flag : s->tcp.options & ~flag;
		if (pcb != NULL) {
			if (value)
				ip_set_option(pcb, flag);
			else
				ip_reset_option(pcb, flag);
		}
		return KERN_SUCCESS;
	}
	if (name == SOCKET_SO_SNDBUF || name == SOCKET_SO_RCVBUF)
		return value > 0 ? KERN_SUCCESS : KERN_INVALID_VALUE;   /* fixed: TCP_WND, TCP_SND_BUF */
	return NET_NO_SUCH_OPTION;
}

static kern_return_t tcp_sock_get_option(struct sock *s, int level, int name, int *value)
{
	if (level == SOCKET_LEVEL_TCP && name == SOCKET_TCP_NODELAY)
		*value = s->tcp.nodelay;
	else if (level != SOCKET_LEVEL_SOCKET)
		return NET_NO_SUCH_OPTION;
	else if (name == SOCKET_SO_REUSEADDR)
		*value = (s->tcp.options & SOF_REUSEADDR) != 0;
	else if (name == SOCKET_SO_KEEPALIVE)
		*value = (s->tcp.options & SOF_KEEPALIVE) != 0;
	else if (name == SOCKET_SO_SNDBUF)
		*value = TCP_SND_BUF;
	else if (name == SOCKET_SO_RCVBUF)
		*value = TCP_WND;
	else if (name == SOCKET_SO_ACCEPTCONN)
		*value = s->tcp.listening;
	else
		return NET_NO_SUCH_OPTION;
	return KERN_SUCCESS;
}

static int32_t tcp_sock_events(struct sock *s)
{
	int32_t events = s->error != KERN_SUCCESS ? SOCKET_ERR : 0;

	if (s->tcp.listening)
		return events | (s->tcp.queued > 0 ? SOCKET_IN : 0);
	if (s->tcp.connecting)
		return events;
	if (unread(s) > 0 || s->tcp.rx_end || s->shut_rd)
		events |= SOCKET_IN;
	if (s->tcp.pcb == NULL || !s->tcp.connected)
		return events | SOCKET_HUP | SOCKET_OUT;
	if (!s->shut_wr && room(s->tcp.pcb) >= TCP_SNDLOWAT &&
	    tcp_sndqueuelen(s->tcp.pcb) < TCP_SNDQUEUELOWAT)
		events |= SOCKET_OUT;
	if ((s->tcp.rx_end || s->shut_rd) && s->shut_wr)
		events |= SOCKET_HUP;
	return events;
}

/* The socket's last send right is gone (or its listener closed before
 * accept took it).  Data received and not read makes it a reset, as
 * other systems do; otherwise lwIP closes gracefully. */
static void tcp_sock_close(struct sock *s)
{
	struct tcp_pcb *pcb = s->tcp.pcb;
	bool unread_data = unread(s) > 0;

	while (s->tcp.listening && s->tcp.queued > 0)
		tcp_sock_close(s->tcp.queue[--s->tcp.queued]);
	tcp_detach(s);
	if (pcb != NULL && (unread_data || tcp_close(pcb) != ERR_OK))
		tcp_abort(pcb);
	if (s->tcp.rx != NULL)
		pbuf_free(s->tcp.rx);
	sock_free(s);
}

const struct sock_ops tcp_ops = {
	.bind = tcp_sock_bind,
	.listen = tcp_sock_listen,
	.accept = tcp_sock_accept,
	.connect = tcp_sock_connect,
	.send = tcp_sock_send,
	.recv = tcp_sock_recv,
	.shutdown = tcp_sock_shutdown,
	.name = tcp_sock_name,
	.set_option = tcp_sock_set_option,
	.get_option = tcp_sock_get_option,
	.events = tcp_sock_events,
	.close = tcp_sock_close,
};
