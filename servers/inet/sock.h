/*
 * Sockets (sock.c, tcp.c, dgram.c; socket.defs).  A socket is a slot of
 * socks[] with a port of the server's set; its kind's operations
 * (struct sock_ops) do the work.  A TCP connection a listening socket
 * has taken but accept has not is a slot without a port yet, on its
 * listener's queue.
 *
 *   FREE --create, or a connection arriving--> USED --no senders left--> FREE
 *
 * (a TCP socket's connection may outlive its slot: lwIP closes it
 * gracefully after the slot is free).  Every lwIP callback that may
 * change what a socket is ready for calls sock_changed, and after each
 * message the loop answers the selects that now hold (sock_sweep).
 */
#pragma once

#include "inet.h"

#include "lwip/pbuf.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

/* Datagrams a UDP or raw socket keeps unread, at most (others are dropped). */
#define DGRAM_QUEUE_MAX 64

struct sock;

struct sock_ops {
	kern_return_t (*bind)(struct sock *s, const ip_addr_t *address, u16_t port);
	kern_return_t (*listen)(struct sock *s, int backlog);
	kern_return_t (*accept)(struct sock *s, struct sock **taken);
	kern_return_t (*connect)(struct sock *s, const ip_addr_t *address, u16_t port);
	kern_return_t (*send)(struct sock *s, const char *data, uint32_t size,
			      const ip_addr_t *to, u16_t port, uint32_t *sent);
	kern_return_t (*recv)(struct sock *s, char *data, uint32_t count, bool peek,
			      uint32_t *got, ip_addr_t *from, u16_t *port, uint32_t *truncated);
	kern_return_t (*shutdown)(struct sock *s, int how);
	kern_return_t (*name)(struct sock *s, bool peer, ip_addr_t *address, u16_t *port);
	kern_return_t (*set_option)(struct sock *s, int level, int name, int value);
	kern_return_t (*get_option)(struct sock *s, int level, int name, int *value);
	int32_t (*events)(struct sock *s);
	void (*close)(struct sock *s);
};

/* A datagram received and not read yet. */
struct dgram {
	struct dgram *next;
	struct pbuf *p;
	ip_addr_t from;
	u16_t port;
};

struct sock {
	bool used;
	mach_port_t port;           /* receive right; NULL: not accepted yet */
	int kind;                   /* SOCKET_STREAM, _DGRAM, _RAW */
	const struct sock_ops *ops;
	kern_return_t error;        /* pending, for SOCKET_SO_ERROR */
	bool shut_rd, shut_wr;      /* shutdown's */
	mach_port_t notify;         /* select's send-once right, or NULL */
	uint64_t cookie;
	int32_t wanted;
	union {
		struct {
			struct tcp_pcb *pcb;        /* NULL once lwIP has freed it */
			struct pbuf *rx;            /* received, not read */
			u16_t rx_offset;            /* of rx's first byte not read */
			bool rx_end;                /* the peer's FIN came */
			bool connecting, connected, listening;
			struct sock *listener;      /* not accepted yet: on whose queue */
			struct sock *queue[SOCKET_BACKLOG_MAX];
			unsigned queued, backlog;
			ip_addr_t local, peer;      /* kept once connected */
			u16_t local_port, peer_port;
			uint8_t options;            /* SOF_REUSEADDR, SOF_KEEPALIVE */
			bool nodelay;
		} tcp;
		struct {
			struct udp_pcb *udp;
			struct raw_pcb *raw;
			struct dgram *head, *tail;
			unsigned count;
			bool connected;
			ip_addr_t peer;
			u16_t peer_port;
		} dgram;
	};
};

extern const struct sock_ops tcp_ops, dgram_ops;

/* A free slot, set up as kind with ops; NULL if none is left. */
struct sock *sock_alloc(int kind, const struct sock_ops *ops);
/* Frees s's slot (its kind's state already released). */
void sock_free(struct sock *s);
/* s's events may have changed: sock_sweep looks at its select. */
void sock_changed(struct sock *s);
/* lwIP's err_t as the interface's kern_return_t. */
kern_return_t sock_error(err_t err);

/* tcp.c */
kern_return_t tcp_sock_new(struct sock *s);
/* dgram.c */
kern_return_t dgram_sock_new(struct sock *s, int protocol);
