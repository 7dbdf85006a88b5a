/*
 * lwIP's configuration for the network server (docs/network.md): lwIP
 * runs with NO_SYS, driven by the server's one thread from its receive
 * loop (main.c), over its raw API; the server's own socket layer stands
 * where lwIP's sockets and netconns would (sock.c).  IPv4 only.
 */
#pragma once

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0

#define LWIP_ARP 1
#define ARP_QUEUEING 1      /* every packet waits for its neighbour's ARP answer, not the last */
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
#define DNS_TABLE_SIZE 8
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_HAVE_LOOPIF 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define SO_REUSE 1
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_CHECKSUM_ON_COPY 0

/* Memory: lwIP's own heap and pools, in the server's data. */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 8
#define MEM_SIZE (1024 * 1024)
#define MEMP_NUM_PBUF 128
#define MEMP_NUM_RAW_PCB 8
#define MEMP_NUM_UDP_PCB 32
#define MEMP_NUM_TCP_PCB 96
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_TCP_SEG 1024
#define MEMP_NUM_REASSDATA 8
#define MEMP_NUM_ARP_QUEUE 32
#define PBUF_POOL_SIZE 512

/* TCP.  The receive window is what the path from the card holds
 * without dropping a frame: the driver sends each frame as a message to
 * a port whose queue takes MACH_PORT_QLIMIT_MAX (16), and a burst of a
 * whole window must fit with room for other traffic; with 32 segments
 * the receive rate fell eightfold to retransmissions (docs/network.md). */
#define TCP_MSS 1460
#define TCP_WND (12 * TCP_MSS)
#define TCP_SND_BUF (32 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define TCP_SNDLOWAT (TCP_SND_BUF / 4)
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 16
#define TCP_QUEUE_OOSEQ 1
#define TCP_OVERSIZE TCP_MSS

/* Random numbers: DHCP's transaction ids, DNS's ids and ports, TCP's
 * initial sequence numbers (port.c). */
#define LWIP_RAND() inet_random()

/* Counters: lwIP's per-interface MIB-II ones give lo's (iface.c). */
#define LWIP_STATS 1
#define MIB2_STATS 1
#define LWIP_NOASSERT_ON_ERROR 1
