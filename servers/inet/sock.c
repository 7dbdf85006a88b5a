/*
 * The socket table and socket.defs's routines: each finds its socket by
 * the port the request came on, checks what the interface promises, and
 * passes the work to the socket's kind (tcp.c, dgram.c).  select's
 * answers go out from sock_sweep, which the receive loop calls after
 * every message and timer.
 */
#include "sock.h"

#include <notifyServer.h>
#include <socketServer.h>
#include <socket_event.h>
#include <string.h>

static struct sock socks[SOCKET_MAX];
static bool changed_any;      /* some socket's events may have changed */

struct sock *sock_alloc(int kind, const struct sock_ops *ops)
{
	for (unsigned i = 0; i < SOCKET_MAX; i++) {
		if (!socks[i].used) {
			memset(&socks[i], 0, sizeof(socks[i]));
			socks[i].used = true;
			socks[i].kind = kind;
			socks[i].ops = ops;
			return &socks[i];
		}
	}
	return NULL;
}

/* A port for s in the set, asking for no-senders once its first send
 * right is gone. */
static kern_return_t sock_port(struct sock *s)
{
	mach_port_t previous;
	kern_return_t kr = inet_port_new(false, &s->port);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_request_notification(mach_task_self(), s->port, MACH_NOTIFY_NO_SENDERS, 1,
					    s->port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	if (kr != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), s->port);
		s->port = MACH_PORT_NULL;
	}
	return kr;
}

void sock_free(struct sock *s)
{
	if (s->port != MACH_PORT_NULL)
		mach_port_destroy(mach_task_self(), s->port);
	if (s->notify != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), s->notify);
	memset(s, 0, sizeof(*s));
}

void sock_changed(struct sock *s)
{
	(void)s;
	changed_any = true;
}

kern_return_t sock_error(err_t err)
{
	switch (err) {
	case ERR_OK: return KERN_SUCCESS;
	case ERR_MEM: case ERR_BUF: return KERN_RESOURCE_SHORTAGE;
	case ERR_RTE: return NET_HOST_UNREACHABLE;
	case ERR_INPROGRESS: return NET_IN_PROGRESS;
	case ERR_VAL: case ERR_ARG: return KERN_INVALID_ARGUMENT;
	case ERR_WOULDBLOCK: return NET_WOULD_BLOCK;
	case ERR_USE: return NET_ADDRESS_IN_USE;
	case ERR_ALREADY: return NET_ALREADY;
	case ERR_ISCONN: return NET_ALREADY_CONNECTED;
	case ERR_CONN: return NET_NOT_CONNECTED;
	case ERR_IF: return NET_ADDRESS_NOT_AVAILABLE;
	case ERR_ABRT: return NET_CONNECTION_ABORTED;
	case ERR_RST: return NET_CONNECTION_RESET;
	case ERR_CLSD: return NET_SHUT_DOWN;
	case ERR_TIMEOUT: return NET_TIMED_OUT;
	default: return KERN_FAILURE;
	}
}

/* The used socket whose port is name (requests come on it). */
static struct sock *sock_of(mach_port_t name)
{
	for (unsigned i = 0; name != MACH_PORT_NULL && i < SOCKET_MAX; i++)
		if (socks[i].used && socks[i].port == name)
			return &socks[i];
	return NULL;
}

/* Answers s's select if what it waits for holds; true if answered. */
static bool answer_select(struct sock *s)
{
	int32_t events = s->ops->events(s);

	if ((events & (s->wanted | SOCKET_ERR | SOCKET_HUP)) == 0)
		return false;
	socket_event_ready(s->notify, s->cookie, events);
	s->notify = MACH_PORT_NULL;
	return true;
}

void sock_sweep(void)
{
	if (!changed_any)
		return;
	changed_any = false;
	for (unsigned i = 0; i < SOCKET_MAX; i++)
		if (socks[i].used && socks[i].notify != MACH_PORT_NULL)
			answer_select(&socks[i]);
}

/* Gives the new socket s a port, or frees it: the port for the reply. */
static kern_return_t sock_publish(struct sock *s, mach_port_t *port)
{
	kern_return_t kr = sock_port(s);

	if (kr != KERN_SUCCESS) {
		s->ops->close(s);
		return kr;
	}
	*port = s->port;
	return KERN_SUCCESS;
}

/* Every routine on a socket begins here. */
#define SOCK_CALLER(s, port)                      \
	struct sock *s = sock_of(port);           \
	if (s == NULL)                            \
		return KERN_INVALID_ARGUMENT

#define ADDRESS(a, address) \
	ip_addr_t a = IPADDR4_INIT(lwip_htonl(address))

kern_return_t socket_S_create(mach_port_t server, int32_t kind, int32_t protocol,
			      mach_port_t *port, int32_t *events)
{
	if (server != inet_sockets)
		return KERN_INVALID_ARGUMENT;
	const struct sock_ops *ops = kind == SOCKET_STREAM ? &tcp_ops : &dgram_ops;
	if (kind != SOCKET_STREAM && kind != SOCKET_DGRAM && kind != SOCKET_RAW)
		return NET_NOT_SUPPORTED;
	struct sock *s = sock_alloc(kind, ops);
	if (s == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kern_return_t kr = kind == SOCKET_STREAM ? tcp_sock_new(s) : dgram_sock_new(s, protocol);
	if (kr != KERN_SUCCESS) {
		sock_free(s);
		return kr;
	}
	kr = sock_publish(s, port);
	if (kr == KERN_SUCCESS)
		*events = s->ops->events(s);
	return kr;
}

kern_return_t socket_S_bind(mach_port_t port, uint32_t address, uint32_t number,
			    int32_t *events)
{
	SOCK_CALLER(s, port);
	ADDRESS(a, address);
	if (number > 0xffff)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = s->ops->bind(s, &a, (u16_t)number);
	*events = s->ops->events(s);
	return kr;
}

kern_return_t socket_S_listen(mach_port_t port, int32_t backlog, int32_t *events)
{
	SOCK_CALLER(s, port);
	if (s->ops->listen == NULL)
		return NET_NOT_SUPPORTED;
	backlog = backlog < 1 ? 1 : backlog > SOCKET_BACKLOG_MAX ? SOCKET_BACKLOG_MAX : backlog;
	kern_return_t kr = s->ops->listen(s, backlog);
	*events = s->ops->events(s);
	return kr;
}

kern_return_t socket_S_accept(mach_port_t port, mach_port_t *new_port, uint32_t *address,
			      uint32_t *number, int32_t *events)
{
	SOCK_CALLER(s, port);
	struct sock *taken;
	ip_addr_t a;
	u16_t n;

	if (s->ops->accept == NULL)
		return NET_NOT_SUPPORTED;
	kern_return_t kr = s->ops->accept(s, &taken);
	*events = s->ops->events(s);
	if (kr != KERN_SUCCESS)
		return kr;
	taken->ops->name(taken, true, &a, &n);
	*address = lwip_ntohl(ip4_addr_get_u32(&a));
	*number = n;
	return sock_publish(taken, new_port);
}

kern_return_t socket_S_connect(mach_port_t port, uint32_t address, uint32_t number,
			       int32_t *events)
{
	SOCK_CALLER(s, port);
	ADDRESS(a, address);
	if (number > 0xffff)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = s->ops->connect(s, &a, (u16_t)number);
	*events = s->ops->events(s);
	return kr;
}

kern_return_t socket_S_send(mach_port_t port, socket_data_t data, mach_msg_type_number_t size,
			    int32_t flags, uint32_t address, uint32_t number, uint32_t *sent,
			    int32_t *events)
{
	SOCK_CALLER(s, port);
	ADDRESS(a, address);
	(void)flags;
	*sent = 0;
	if (number > 0xffff)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = s->ops->send(s, data, size, address != 0 ? &a : NULL, (u16_t)number,
					sent);
	*events = s->ops->events(s);
	return kr;
}

kern_return_t socket_S_recv(mach_port_t port, uint32_t count, int32_t flags,
			    socket_data_t data, mach_msg_type_number_t *size, uint32_t *address,
			    uint32_t *number, uint32_t *truncated, int32_t *events)
{
	SOCK_CALLER(s, port);
	ip_addr_t from = IPADDR4_INIT(0);
	u16_t from_port = 0;

	*size = *truncated = 0;
	if (count > SOCKET_DATA_MAX)
		count = SOCKET_DATA_MAX;
	kern_return_t kr = s->ops->recv(s, data, count, (flags & SOCKET_MSG_PEEK) != 0, size,
					&from, &from_port, truncated);
	*address = lwip_ntohl(ip4_addr_get_u32(&from));
	*number = from_port;
	*events = s->ops->events(s);
	return kr;
}

kern_return_t socket_S_shutdown(mach_port_t port, int32_t how, int32_t *events)
{
	SOCK_CALLER(s, port);
	if (how != SOCKET_SHUT_RD && how != SOCKET_SHUT_WR && how != SOCKET_SHUT_RDWR)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = s->ops->shutdown(s, how);
	*events = s->ops->events(s);
	return kr;
}

kern_return_t socket_S_name(mach_port_t port, boolean_t peer, uint32_t *address,
			    uint32_t *number)
{
	SOCK_CALLER(s, port);
	ip_addr_t a = IPADDR4_INIT(0);
	u16_t n = 0;
	kern_return_t kr = s->ops->name(s, peer, &a, &n);

	*address = lwip_ntohl(ip4_addr_get_u32(&a));
	*number = n;
	return kr;
}

kern_return_t socket_S_set_option(mach_port_t port, int32_t level, int32_t name, int32_t value)
{
	SOCK_CALLER(s, port);
	return s->ops->set_option(s, level, name, value);
}

kern_return_t socket_S_get_option(mach_port_t port, int32_t level, int32_t name,
				  int32_t *value)
{
	SOCK_CALLER(s, port);
	*value = 0;
	if (level == SOCKET_LEVEL_SOCKET && name == SOCKET_SO_ERROR) {
		*value = s->error;
		s->error = KERN_SUCCESS;
		return KERN_SUCCESS;
	}
	if (level == SOCKET_LEVEL_SOCKET && name == SOCKET_SO_TYPE) {
		*value = s->kind;
		return KERN_SUCCESS;
	}
	return s->ops->get_option(s, level, name, value);
}

kern_return_t socket_S_select(mach_port_t port, mach_port_t notify, uint64_t cookie,
			      int32_t events)
{
	SOCK_CALLER(s, port);
	/* Destroyed, not answered: an answer would tell the caller that its
	 * newer select is answered too, and it would ask again at once. */
	if (s->notify != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), s->notify);
	s->notify = notify;
	s->cookie = cookie;
	s->wanted = events;
	answer_select(s);
	return KERN_SUCCESS;
}

/* The last send right to a socket is gone: it closes. */
kern_return_t do_mach_notify_no_senders(mach_port_t port, natural_t mscount)
{
	(void)mscount;
	struct sock *s = sock_of(port);
	if (s == NULL)
		return KERN_INVALID_ARGUMENT;
	s->ops->close(s);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_port_deleted(mach_port_t notify, mach_port_name_t name)
{
	(void)notify, (void)name;
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify, mach_port_t rights)
{
	(void)notify, (void)rights;
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_send_once(mach_port_t notify)
{
	(void)notify;
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_dead_name(mach_port_t notify, mach_port_name_t name)
{
	(void)notify, (void)name;
	return KERN_SUCCESS;
}
