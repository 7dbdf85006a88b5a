/*
 * The C side of the network server's interfaces (idl/defs/socket.defs,
 * socket_event.defs, inet.defs; servers/inet, docs/network.md).
 *
 * An address is IPv4 only: the address and the port, both in host byte
 * order.  The numbers of socket types, options, shutdown's ways and
 * poll's events are Linux's, as libc's <sys/socket.h>, <netinet/in.h>,
 * <netinet/tcp.h> and <poll.h> have them, so that the UNIX server passes
 * them on unchanged.
 */
#pragma once

#include <mach/std_types.h>

typedef char *socket_data_t;
typedef char *inet_name_t;
typedef uint32_t *inet_addresses_t;
typedef uint64_t *inet_interfaces_t;   /* struct inet_interface's, 13 words each */

/* Bytes one send or receive moves at most (in line). */
#define SOCKET_DATA_MAX 4096u
/* Sockets the server keeps at once, listening and accepted ones included. */
#define SOCKET_MAX 128u
/* Connections a listening socket holds for accept, at most. */
#define SOCKET_BACKLOG_MAX 16

/* Types: SOCK_STREAM (TCP), SOCK_DGRAM (UDP), SOCK_RAW (an IP protocol). */
#define SOCKET_STREAM 1
#define SOCKET_DGRAM 2
#define SOCKET_RAW 3

/* shutdown's ways. */
#define SOCKET_SHUT_RD 0
#define SOCKET_SHUT_WR 1
#define SOCKET_SHUT_RDWR 2

/* send's and recv's flags the server sees (the UNIX server does the
 * others: MSG_DONTWAIT, MSG_NOSIGNAL, MSG_WAITALL). */
#define SOCKET_MSG_PEEK 0x2

/* Events (select, and every routine's answer): poll's. */
#define SOCKET_IN 0x001
#define SOCKET_OUT 0x004
#define SOCKET_ERR 0x008
#define SOCKET_HUP 0x010

/* Option levels and names. */
#define SOCKET_LEVEL_IP 0
#define SOCKET_LEVEL_SOCKET 1
#define SOCKET_LEVEL_TCP 6
#define SOCKET_SO_REUSEADDR 2
#define SOCKET_SO_TYPE 3
#define SOCKET_SO_ERROR 4
#define SOCKET_SO_BROADCAST 6
#define SOCKET_SO_SNDBUF 7
#define SOCKET_SO_RCVBUF 8
#define SOCKET_SO_KEEPALIVE 9
#define SOCKET_SO_ACCEPTCONN 30
#define SOCKET_TCP_NODELAY 1
#define SOCKET_IP_TTL 2

/* Protocols a raw socket may carry (IPPROTO_ICMP; others are refused). */
#define SOCKET_PROTO_ICMP 1

/* Addresses a lookup answers with, at most (inet_resolve). */
#define INET_ADDRESSES_MAX 8
/* Bytes of a host name, its NUL included. */
#define INET_NAME_MAX 256

/* One network interface (inet_interfaces). */
#define INET_INTERFACES_MAX 4
#define INET_IF_UP 0x1          /* administratively up */
#define INET_IF_LINK 0x2        /* the link is up */
#define INET_IF_LOOPBACK 0x4
#define INET_IF_DHCP 0x8        /* its address came from DHCP */
struct inet_interface {
	char name[8];              /* "lo", "eth0" */
	uint32_t flags;            /* INET_IF_* */
	uint32_t mtu;
	uint8_t hardware[8];       /* the MAC address (6 bytes), 0 for loopback */
	uint32_t address, netmask, gateway;
	uint32_t dns;              /* the first name server, or 0 */
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
};
_Static_assert(sizeof(struct inet_interface) == 104, "inet.defs's inet_interfaces_t");
