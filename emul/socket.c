/*
 * Sockets: descriptors the network server serves (servers/inet,
 * socket.defs).  Every call on one is a request to the server, which
 * never waits: one that cannot go on yet (NET_WOULD_BLOCK, a connect
 * under way) waits here instead, as a struct sock_wait with its answer
 * kept, unless the socket (O_NONBLOCK) or the call (MSG_DONTWAIT) is
 * non-blocking.  Each of the server's answers says what the socket is
 * ready for (kept in events); when a wait or a poll needs more, select
 * asks the server to tell, once, on events_port (socket_event_ready),
 * and that answer tries the socket's waits again in the order they
 * came.  A wait under SO_RCVTIMEO or SO_SNDTIMEO ends at its deadline
 * (socket_tick) with -EAGAIN, or what it did so far; a signal ends it as
 * it ends a pipe's (socket_cancel).
 *
 * The waits' answers are unix_reply.defs's: every call here answers
 * that way, at once or later, as pipe.c's do.
 */
#include "emul.h"

#include <bootstrap.h>
#include <errno.h>
#include <fcntl.h>
#include <mach/socket_types.h>
#include <netinet/in.h>
#include <signal.h>
#include <socket.h>
#include <socket_eventServer.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unixServer.h>
#include <unix_reply.h>

_Static_assert(SOCKET_IN == UNIX_POLLIN && SOCKET_OUT == UNIX_POLLOUT &&
	       SOCKET_ERR == UNIX_POLLERR && SOCKET_HUP == UNIX_POLLHUP, "poll's events");

enum sock_op { OP_READ, OP_RECVFROM, OP_WRITE, OP_SENDTO, OP_ACCEPT, OP_CONNECT };

struct sock_wait {
	struct sock_wait *next;
	struct proc *proc;
	mach_port_t reply;
	enum sock_op op;
	int flags;                  /* MSG_*; OP_ACCEPT: SOCK_NONBLOCK, SOCK_CLOEXEC */
	uint32_t count;             /* OP_READ, OP_RECVFROM: bytes at most */
	uint32_t to_address, to_port;   /* OP_SENDTO: 0: the peer */
	uint64_t deadline;          /* mach_clock_ns; UINT64_MAX: none */
	uint32_t size, done;        /* OP_WRITE, OP_SENDTO: data's bytes, and those sent */
	char data[];
};

struct socket_file {
	struct socket_file *next;   /* every socket, for select's cookie */
	struct file *file;
	uint64_t id;                /* select's cookie */
	int32_t events;             /* as the server last said */
	int32_t armed;              /* asked of select, not answered yet */
	uint64_t recv_timeout, send_timeout;   /* ns; 0: none */
	struct sock_wait *waits;    /* first come first */
};

static struct socket_file *sockets;
static uint64_t next_id = 1;
static mach_port_t sockets_server;   /* "inet-sockets", found on first use */
static mach_port_t events_port;      /* select's answers come here */
uint64_t socket_next = UINT64_MAX;   /* no wait's deadline comes before this */

static int sock_errno(kern_return_t kr)
{
	return kr == KERN_SUCCESS ? 0 : kr == MACH_SEND_INVALID_DEST ? EPIPE : emul_errno(kr);
}

/* The network server's socket port, looked up once it is running. */
static bool server_ready(void)
{
	if (sockets_server == MACH_PORT_NULL &&
	    bootstrap_look_up(names_port, "inet-sockets", &sockets_server) != KERN_SUCCESS)
		sockets_server = MACH_PORT_NULL;
	if (sockets_server != MACH_PORT_NULL && events_port == MACH_PORT_NULL &&
	    emul_reply_port(&events_port) != KERN_SUCCESS)
		events_port = MACH_PORT_NULL;
	return sockets_server != MACH_PORT_NULL && events_port != MACH_PORT_NULL;
}

/* ---- addresses: struct sockaddr_in as bytes ---- */

static int address_in(const char *bytes, size_t size, uint32_t *address, uint32_t *port)
{
	struct sockaddr_in in;

	if (size < sizeof(in))
		return size >= sizeof(sa_family_t) && ((const struct sockaddr *)bytes)->sa_family !=
							      AF_INET ? -EAFNOSUPPORT : -EINVAL;
	memcpy(&in, bytes, sizeof(in));
	if (in.sin_family != AF_INET)
		return -EAFNOSUPPORT;
	*address = ntohl(in.sin_addr.s_addr);
	*port = ntohs(in.sin_port);
	return 0;
}

static mach_msg_type_number_t address_out(char *bytes, uint32_t address, uint32_t port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(address) };

	memcpy(bytes, &in, sizeof(in));
	return sizeof(in);
}

/* ---- the socket files ---- */

static struct file *socket_file_new(mach_port_t port, int flags, int32_t events)
{
	struct file *f = file_new(FILE_SOCKET, O_RDWR | (flags & O_NONBLOCK));
	struct socket_file *s = calloc(1, sizeof(*s));

	if (f == NULL || s == NULL) {
		free(f);
		free(s);
		mach_port_deallocate(mach_task_self(), port);
		return NULL;
	}
	*s = (struct socket_file){ .next = sockets, .file = f, .id = next_id++,
				   .events = events };
	sockets = s;
	f->port = port;
	f->socket = s;
	return f;
}

/* The last descriptor is gone (no wait is left: its process held one):
 * the server closes the socket when its send right goes. */
void socket_close(struct file *f)
{
	struct socket_file **link = &sockets;

	while (*link != f->socket)
		link = &(*link)->next;
	*link = f->socket->next;
	free(f->socket);
	mach_port_deallocate(mach_task_self(), f->port);
}

/* What the waits and polls on s need that select has not been asked. */
static void arm(struct socket_file *s, int32_t wanted)
{
	for (struct sock_wait *w = s->waits; w != NULL; w = w->next)
		wanted |= w->op == OP_WRITE || w->op == OP_SENDTO || w->op == OP_CONNECT
				  ? SOCKET_OUT : SOCKET_IN;
	if (wanted == 0 || (s->armed & wanted) == wanted)
		return;
	s->armed |= wanted;
	if (socket_select(s->file->port, events_port, s->id, s->armed) != KERN_SUCCESS)
		s->armed = 0;
}

/* ---- a call, tried now and again on each of select's answers ---- */

static bool nonblocking(const struct file *f, const struct sock_wait *w)
{
	return (f->flags & O_NONBLOCK) || (w->flags & MSG_DONTWAIT);
}

/* Answers w with result (and, for receives, data and the address). */
static void answer(struct sock_wait *w, int64_t result, const char *data, uint32_t size,
		   const char *address, uint32_t address_size)
{
	switch (w->op) {
	case OP_READ:
		unix_read_reply(w->reply, KERN_SUCCESS, result, (char *)data, size);
		break;
	case OP_RECVFROM:
		unix_recvfrom_reply(w->reply, KERN_SUCCESS, result, (char *)data, size,
				    (char *)address, address_size);
		break;
	case OP_WRITE:
		unix_write_reply(w->reply, KERN_SUCCESS, result);
		break;
	case OP_SENDTO:
		unix_sendto_reply(w->reply, KERN_SUCCESS, result);
		break;
	case OP_ACCEPT:
		unix_accept4_reply(w->reply, KERN_SUCCESS, result, (char *)address, address_size);
		break;
	case OP_CONNECT:
		unix_connect_reply(w->reply, KERN_SUCCESS, result);
		break;
	}
}

/* What a wait that ends early answers: what it sent, or error. */
static void answer_early(struct sock_wait *w, int error)
{
	bool sent = (w->op == OP_WRITE || w->op == OP_SENDTO) && w->done > 0;

	answer(w, sent ? (int64_t)w->done : -error, NULL, 0, NULL, 0);
}

static bool try_receive(struct file *f, struct sock_wait *w)
{
	char data[UNIX_IO_MAX], address[UNIX_SOCKADDR_IN_SIZE];
	mach_msg_type_number_t got = sizeof(data);
	uint32_t from, from_port, truncated;
	kern_return_t kr = socket_recv(f->port, w->count, w->flags & MSG_PEEK ? SOCKET_MSG_PEEK : 0,
				       data, &got, &from, &from_port, &truncated,
				       &f->socket->events);

	if (kr == NET_WOULD_BLOCK)
		f->socket->events &= ~SOCKET_IN;   /* a failed answer carries no events */
	if (kr == NET_WOULD_BLOCK && !nonblocking(f, w))
		return false;
	if (kr != KERN_SUCCESS) {
		answer(w, -sock_errno(kr), NULL, 0, NULL, 0);
		return true;
	}
	int64_t result = (w->flags & MSG_TRUNC) ? got + truncated : got;
	answer(w, result, data, got, address, address_out(address, from, from_port));
	return true;
}

static bool try_send(struct file *f, struct sock_wait *w)
{
	kern_return_t kr = KERN_SUCCESS;
	int32_t events;

	while (kr == KERN_SUCCESS && w->done < w->size) {
		uint32_t sent = 0;
		kr = socket_send(f->port, w->data + w->done, w->size - w->done, 0, w->to_address,
				 w->to_port, &sent, &events);
		if (kr == KERN_SUCCESS)
			f->socket->events = events;
		w->done += sent;
		if (kr == KERN_SUCCESS && sent == 0)
			kr = NET_WOULD_BLOCK;
	}
	if (kr == NET_WOULD_BLOCK)
		f->socket->events &= ~SOCKET_OUT;   /* a failed answer carries no events */
	if (kr == NET_WOULD_BLOCK && !nonblocking(f, w))
		return false;
	if (kr == NET_SHUT_DOWN && w->done == 0 && !(w->flags & MSG_NOSIGNAL))
		signal_post(w->proc, SIGPIPE);
	if (kr == KERN_SUCCESS || w->done > 0)
		answer(w, w->done, NULL, 0, NULL, 0);
	else
		answer(w, -sock_errno(kr), NULL, 0, NULL, 0);
	return true;
}

static bool try_accept(struct file *f, struct sock_wait *w)
{
	char address[UNIX_SOCKADDR_IN_SIZE];
	mach_port_t port;
	uint32_t from, from_port;
	kern_return_t kr = socket_accept(f->port, &port, &from, &from_port, &f->socket->events);

	if (kr == NET_WOULD_BLOCK)
		f->socket->events &= ~SOCKET_IN;   /* a failed answer carries no events */
	if (kr == NET_WOULD_BLOCK && !nonblocking(f, w))
		return false;
	if (kr != KERN_SUCCESS) {
		answer(w, -sock_errno(kr), NULL, 0, NULL, 0);
		return true;
	}
	struct file *taken = socket_file_new(port, w->flags, SOCKET_OUT);
	int fd = taken == NULL ? -ENOBUFS
			       : fd_install(w->proc, taken, 0, (w->flags & O_CLOEXEC) != 0);
	answer(w, fd, NULL, 0, address, fd < 0 ? 0 : address_out(address, from, from_port));
	return true;
}

/* A connect under way ends when the socket is ready to send, or fails. */
static bool try_connect(struct file *f, struct sock_wait *w)
{
	int32_t error;

	if ((f->socket->events & (SOCKET_OUT | SOCKET_ERR | SOCKET_HUP)) == 0)
		return false;
	kern_return_t kr = socket_get_option(f->port, SOCKET_LEVEL_SOCKET, SOCKET_SO_ERROR,
					     &error);
	answer(w, kr != KERN_SUCCESS ? -sock_errno(kr) : -sock_errno(error), NULL, 0, NULL, 0);
	return true;
}

static bool attempt(struct file *f, struct sock_wait *w)
{
	switch (w->op) {
	case OP_READ:
	case OP_RECVFROM:
		return try_receive(f, w);
	case OP_WRITE:
	case OP_SENDTO:
		return try_send(f, w);
	case OP_ACCEPT:
		return try_accept(f, w);
	case OP_CONNECT:
		return try_connect(f, w);
	}
	return true;
}

/* Tries w now; if it must wait, it joins f's waits (answered later). */
static int start(struct file *f, struct sock_wait *w)
{
	struct socket_file *s = f->socket;

	if (s->waits != NULL && !nonblocking(f, w)) {
		/* Others came first: this one goes after them. */
	} else if (attempt(f, w)) {
		free(w);
		return EMUL_LATER;
	}
	uint64_t timeout = w->op == OP_WRITE || w->op == OP_SENDTO || w->op == OP_CONNECT
				   ? s->send_timeout : s->recv_timeout;
	w->deadline = timeout == 0 ? UINT64_MAX : mach_clock_ns() + timeout;
	if (w->deadline < socket_next)
		socket_next = w->deadline;
	struct sock_wait **link = &s->waits;
	while (*link != NULL)
		link = &(*link)->next;
	w->next = NULL;
	*link = w;
	arm(s, 0);
	return EMUL_LATER;
}

static struct sock_wait *wait_new(struct proc *p, mach_port_t reply, enum sock_op op,
				  int flags, const char *data, uint32_t size)
{
	struct sock_wait *w = malloc(sizeof(*w) + size);

	if (w == NULL)
		return NULL;
	*w = (struct sock_wait){ .proc = p, .reply = reply, .op = op, .flags = flags,
				 .size = size };
	if (data != NULL)
		memcpy(w->data, data, size);
	return w;
}

/* select's answer: the socket's waits are tried again, in order. */
kern_return_t socket_event_S_ready(mach_port_t port, uint64_t cookie, int32_t events)
{
	struct socket_file *s = sockets;

	if (port != events_port)
		return KERN_INVALID_ARGUMENT;
	while (s != NULL && s->id != cookie)
		s = s->next;
	if (s == NULL)
		return KERN_SUCCESS;   /* closed since */
	s->events = events;
	s->armed = 0;
	for (struct sock_wait **link = &s->waits; *link != NULL;) {
		struct sock_wait *w = *link;
		if (attempt(s->file, w)) {
			*link = w->next;
			free(w);
		} else {
			link = &w->next;
		}
	}
	arm(s, 0);
	return KERN_SUCCESS;
}

/* ---- the calls ---- */

/* The socket open on fd of p's, or NULL with *error set. */
static struct file *socket_of(struct proc *p, int fd, int *error)
{
	struct file *f = fd_get(p, fd);

	*error = f == NULL ? -EBADF : f->kind != FILE_SOCKET ? -ENOTSOCK : 0;
	return *error == 0 ? f : NULL;
}

/* A call that answers later (or through the reply builders at once). */
static kern_return_t later(struct proc *p, mach_port_t reply, int fd, enum sock_op op,
			   int flags, uint32_t count, const char *data, uint32_t size,
			   const char *address, uint32_t address_size)
{
	int error;
	struct file *f = socket_of(p, fd, &error);
	struct sock_wait *w = f == NULL ? NULL : wait_new(p, reply, op, flags, data, size);

	if (w != NULL) {
		w->count = count < UNIX_IO_MAX ? count : UNIX_IO_MAX;
		if (address_size > 0)
			error = address_in(address, address_size, &w->to_address, &w->to_port);
		if (error == 0)
			return start(f, w) == EMUL_LATER ? MIG_NO_REPLY : KERN_SUCCESS;
	}
	struct sock_wait bare = { .reply = reply, .op = op };
	answer(&bare, f != NULL && w == NULL ? -ENOMEM : error, NULL, 0, NULL, 0);
	free(w);
	return MIG_NO_REPLY;
}

int socket_read(struct proc *p, struct file *f, mach_port_t reply, uint32_t count)
{
	struct sock_wait *w = wait_new(p, reply, OP_READ, 0, NULL, 0);

	if (w == NULL)
		return -ENOMEM;
	w->count = count;
	return start(f, w);
}

int socket_write(struct proc *p, struct file *f, mach_port_t reply, const char *data,
		 uint32_t count)
{
	struct sock_wait *w = wait_new(p, reply, OP_WRITE, 0, data, count);

	return w == NULL ? -ENOMEM : start(f, w);
}

kern_return_t unix_S_socket(mach_port_t port, int32_t domain, int32_t type, int32_t protocol,
			    int64_t *result)
{
	EMUL_CALLER(p, port);
	int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	mach_port_t sock;
	int32_t events;

	if (domain != AF_INET || !server_ready())
		*result = -EAFNOSUPPORT;
	else if (kind != SOCK_STREAM && kind != SOCK_DGRAM && kind != SOCK_RAW)
		*result = -EINVAL;
	else if (kind == SOCK_RAW && p->euid != 0)
		*result = -EPERM;
	else if ((kind == SOCK_STREAM && protocol != 0 && protocol != IPPROTO_TCP) ||
		 (kind == SOCK_DGRAM && protocol != 0 && protocol != IPPROTO_UDP) ||
		 (kind == SOCK_RAW && protocol != IPPROTO_ICMP))
		*result = -EPROTONOSUPPORT;
	else {
		kern_return_t kr = socket_create(sockets_server, kind, protocol, &sock, &events);
		struct file *f = kr == KERN_SUCCESS ? socket_file_new(sock, type, events) : NULL;
		if (kr != KERN_SUCCESS)
			*result = kr == KERN_RESOURCE_SHORTAGE ? -ENOBUFS : -sock_errno(kr);
		else
			*result = f == NULL ? -ENOBUFS : fd_install(p, f, 0, (type & SOCK_CLOEXEC) != 0);
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_bind(mach_port_t port, int32_t fd, unix_sockaddr_t address,
			  mach_msg_type_number_t size, int64_t *result)
{
	EMUL_CALLER(p, port);
	int error;
	uint32_t a, n;
	struct file *f = socket_of(p, fd, &error);

	if (f != NULL && (error = address_in(address, size, &a, &n)) == 0)
		error = -sock_errno(socket_bind(f->port, a, n, &f->socket->events));
	*result = error;
	return KERN_SUCCESS;
}

kern_return_t unix_S_listen(mach_port_t port, int32_t fd, int32_t backlog, int64_t *result)
{
	EMUL_CALLER(p, port);
	int error;
	struct file *f = socket_of(p, fd, &error);

	if (f != NULL)
		error = -sock_errno(socket_listen(f->port, backlog, &f->socket->events));
	*result = error;
	return KERN_SUCCESS;
}

kern_return_t unix_S_accept4(mach_port_t port, mach_port_t reply, int32_t fd, int32_t flags,
			     int64_t *result, unix_sockaddr_t address,
			     mach_msg_type_number_t *size)
{
	EMUL_CALLER(p, port);
	*result = 0;
	*size = 0;
	(void)address;
	if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	return later(p, reply, fd, OP_ACCEPT, flags, 0, NULL, 0, NULL, 0);
}

kern_return_t unix_S_connect(mach_port_t port, mach_port_t reply, int32_t fd,
			     unix_sockaddr_t address, mach_msg_type_number_t size,
			     int64_t *result)
{
	EMUL_CALLER(p, port);
	int error;
	uint32_t a, n;
	struct file *f = socket_of(p, fd, &error);

	if (f != NULL && (error = address_in(address, size, &a, &n)) == 0) {
		kern_return_t kr = socket_connect(f->port, a, n, &f->socket->events);
		if (kr == NET_IN_PROGRESS)
			f->socket->events = 0;   /* connecting: ready for nothing yet */
		if (kr == NET_IN_PROGRESS && !(f->flags & O_NONBLOCK)) {
			struct sock_wait *w = wait_new(p, reply, OP_CONNECT, 0, NULL, 0);
			if (w != NULL)
				return start(f, w) == EMUL_LATER ? MIG_NO_REPLY : KERN_SUCCESS;
			kr = KERN_RESOURCE_SHORTAGE;
		}
		error = -sock_errno(kr);
	}
	*result = error;
	return KERN_SUCCESS;
}

kern_return_t unix_S_sendto(mach_port_t port, mach_port_t reply, int32_t fd, unix_data_t data,
			    mach_msg_type_number_t size, int32_t flags, unix_sockaddr_t address,
			    mach_msg_type_number_t address_size, int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = 0;
	if ((flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL)) != 0) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	return later(p, reply, fd, OP_SENDTO, flags, 0, data, size, address, address_size);
}

kern_return_t unix_S_recvfrom(mach_port_t port, mach_port_t reply, int32_t fd, uint32_t count,
			      int32_t flags, int64_t *result, unix_data_t data,
			      mach_msg_type_number_t *size, unix_sockaddr_t address,
			      mach_msg_type_number_t *address_size)
{
	EMUL_CALLER(p, port);
	*result = 0;
	*size = *address_size = 0;
	(void)data, (void)address;
	if ((flags & ~(MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_WAITALL)) != 0) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	return later(p, reply, fd, OP_RECVFROM, flags, count, NULL, 0, NULL, 0);
}

kern_return_t unix_S_shutdown(mach_port_t port, int32_t fd, int32_t how, int64_t *result)
{
	EMUL_CALLER(p, port);
	int error;
	struct file *f = socket_of(p, fd, &error);

	if (f != NULL)
		error = -sock_errno(socket_shutdown(f->port, how, &f->socket->events));
	*result = error;
	return KERN_SUCCESS;
}

static kern_return_t name_of(mach_port_t port, int32_t fd, bool peer, int64_t *result,
			     unix_sockaddr_t address, mach_msg_type_number_t *size)
{
	EMUL_CALLER(p, port);
	int error;
	uint32_t a, n;
	struct file *f = socket_of(p, fd, &error);

	*size = 0;
	if (f != NULL && (error = -sock_errno(socket_name(f->port, peer, &a, &n))) == 0)
		*size = address_out(address, a, n);
	*result = error;
	return KERN_SUCCESS;
}

kern_return_t unix_S_getsockname(mach_port_t port, int32_t fd, int64_t *result,
				 unix_sockaddr_t address, mach_msg_type_number_t *size)
{
	return name_of(port, fd, false, result, address, size);
}

kern_return_t unix_S_getpeername(mach_port_t port, int32_t fd, int64_t *result,
				 unix_sockaddr_t address, mach_msg_type_number_t *size)
{
	return name_of(port, fd, true, result, address, size);
}

/* SO_RCVTIMEO and SO_SNDTIMEO are the waits' here; the rest the server's. */
static uint64_t *timeout_of(struct file *f, int level, int name)
{
	if (level != SOL_SOCKET || (name != SO_RCVTIMEO && name != SO_SNDTIMEO))
		return NULL;
	return name == SO_RCVTIMEO ? &f->socket->recv_timeout : &f->socket->send_timeout;
}

kern_return_t unix_S_setsockopt(mach_port_t port, int32_t fd, int32_t level, int32_t name,
				unix_sockopt_t value, mach_msg_type_number_t size,
				int64_t *result)
{
	EMUL_CALLER(p, port);
	int error;
	struct file *f = socket_of(p, fd, &error);
	uint64_t *timeout = f != NULL ? timeout_of(f, level, name) : NULL;
	struct timeval tv;
	int32_t number;

	if (f == NULL) {
		*result = error;
	} else if (timeout != NULL) {
		if (size < sizeof(tv)) {
			*result = -EINVAL;
			return KERN_SUCCESS;
		}
		memcpy(&tv, value, sizeof(tv));
		*result = tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000 ? -EINVAL : 0;
		if (*result == 0)
			*timeout = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000ull;
	} else if (size < sizeof(number)) {
		*result = -EINVAL;
	} else {
		memcpy(&number, value, sizeof(number));
		*result = -sock_errno(socket_set_option(f->port, level, name, number));
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_getsockopt(mach_port_t port, int32_t fd, int32_t level, int32_t name,
				int64_t *result, unix_sockopt_t value,
				mach_msg_type_number_t *size)
{
	EMUL_CALLER(p, port);
	int error;
	struct file *f = socket_of(p, fd, &error);
	uint64_t *timeout = f != NULL ? timeout_of(f, level, name) : NULL;
	int32_t number;

	*size = 0;
	*result = error;
	if (f == NULL)
		return KERN_SUCCESS;
	if (timeout != NULL) {
		struct timeval tv = { .tv_sec = (time_t)(*timeout / 1000000000ull),
				      .tv_usec = (suseconds_t)(*timeout % 1000000000ull / 1000) };
		memcpy(value, &tv, sizeof(tv));
		*size = sizeof(tv);
		return KERN_SUCCESS;
	}
	*result = -sock_errno(socket_get_option(f->port, level, name, &number));
	if (*result == 0 && level == SOL_SOCKET && name == SO_ERROR)
		number = sock_errno(number);
	if (*result == 0) {
		memcpy(value, &number, sizeof(number));
		*size = sizeof(number);
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_network(mach_port_t port, int64_t *result, mach_port_t *server)
{
	EMUL_CALLER(p, port);
	(void)p;
	*result = bootstrap_look_up(names_port, "inet", server) == KERN_SUCCESS ? 0 : -EAFNOSUPPORT;
	if (*result != 0)
		*server = MACH_PORT_NULL;
	return KERN_SUCCESS;
}

/* ---- poll, signals, deadlines ---- */

int16_t socket_poll(struct file *f, int16_t events)
{
	struct socket_file *s = f->socket;
	int16_t ready = (int16_t)(s->events & (events | SOCKET_ERR | SOCKET_HUP));

	if (ready == 0)
		arm(s, events & (SOCKET_IN | SOCKET_OUT));
	return ready;
}

/* p's waits end (signal.c's rule, in emul.h).  The sockets' list, not
 * p's descriptors: a process with no socket pays nothing. */
void socket_cancel(struct proc *p, bool answer_them)
{
	for (struct socket_file *s = sockets; s != NULL; s = s->next) {
		for (struct sock_wait **link = &s->waits; *link != NULL;) {
			struct sock_wait *w = *link;
			if (w->proc != p) {
				link = &w->next;
				continue;
			}
			*link = w->next;
			if (answer_them)
				answer_early(w, EINTR);
			else
				mach_port_deallocate(mach_task_self(), w->reply);
			free(w);
		}
	}
}

uint64_t socket_tick(uint64_t now)
{
	uint64_t next = UINT64_MAX;

	if (now < socket_next)
		return socket_next;
	for (struct socket_file *s = sockets; s != NULL; s = s->next) {
		for (struct sock_wait **link = &s->waits; *link != NULL;) {
			struct sock_wait *w = *link;
			if (w->deadline > now) {
				next = w->deadline < next ? w->deadline : next;
				link = &w->next;
				continue;
			}
			*link = w->next;
			answer_early(w, EAGAIN);
			free(w);
		}
	}
	socket_next = next;
	return next;
}
