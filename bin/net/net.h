/*
 * What the network tools share (bin/net/, README): names to addresses,
 * ports, a monotonic clock in milliseconds, and reads and writes that
 * survive EINTR, EAGAIN and partial transfers.  Every tool reads at
 * most NET_CHUNK bytes at a time: libc splits a larger read of a socket
 * or a pipe into 4096-byte requests and waits while each comes back
 * full, so a bigger one could wait for data that is not coming.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NET_CHUNK 4096

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t net_now_ms(void);

/* A port number 1..65535, or util_fail(status) naming what it is for. */
uint16_t net_port(const char *s, const char *what, int status);

/* host (a dotted quad or a name for getaddrinfo) and port as *out;
 * false after saying why on stderr. */
bool net_address(const char *host, uint16_t port, struct sockaddr_in *out);

/* a's dotted quad (network byte order), in text of INET_ADDRSTRLEN bytes. */
const char *net_ntoa(struct in_addr a, char *text);

/* Sets or clears fd's O_NONBLOCK; false (errno) if fcntl failed. */
bool net_nonblocking(int fd, bool on);

/*
 * Waits until fd is ready for events (POLLIN, POLLOUT) or an error or
 * hang-up is, for at most timeout_ms (-1: no limit), EINTR included:
 * 1 if ready, 0 at the timeout, -1 on poll's error (errno).
 */
int net_wait(int fd, short events, int timeout_ms);

/*
 * Socket fd (TCP or UDP, bound or not) connected to address, made
 * non-blocking and waited for at most timeout_ms (-1: no limit): 0, or
 * -1 with errno (ETIMEDOUT at the timeout).
 */
int net_connect_socket(int fd, const struct sockaddr_in *address, int timeout_ms);

/*
 * A new TCP connection to address, made without blocking longer than
 * timeout_ms (-1: no limit): its descriptor, non-blocking, or -1 with
 * errno (ETIMEDOUT at the timeout).
 */
int net_connect(const struct sockaddr_in *address, int timeout_ms);

/*
 * All of data written to fd, waiting with poll while it takes nothing
 * (EAGAIN) and for at most timeout_ms each time (-1: no limit): 0, or
 * -1 with errno.  On a socket the peer has closed, that is EPIPE if
 * SIGPIPE is ignored, as every tool that writes to one does.
 */
int net_write_all(int fd, const void *data, size_t size, int timeout_ms);

/*
 * At most NET_CHUNK bytes of fd, waiting with poll for at most
 * timeout_ms (-1: no limit): the bytes read (0: the end), or -1 with
 * errno (ETIMEDOUT at the timeout).
 */
ssize_t net_read(int fd, void *data, size_t size, int timeout_ms);
