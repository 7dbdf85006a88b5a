/* The network tools' shared helpers (net.h). */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

uint64_t net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint16_t net_port(const char *s, const char *what, int status)
{
	char *end;

	errno = 0;
	long n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 1 || n > 65535)
		util_fail(status, "%s: not a port (1..65535): %s", what, s);
	return (uint16_t)n;
}

bool net_address(const char *host, uint16_t port, struct sockaddr_in *out)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *list = NULL;
	int error = getaddrinfo(host, NULL, &hints, &list);

	if (error != 0 || list == NULL) {
		util_error("%s: %s", host, gai_strerror(error));
		return false;
	}
	memcpy(out, list->ai_addr, sizeof(*out));
	out->sin_port = htons(port);
	freeaddrinfo(list);
	return true;
}

const char *net_ntoa(struct in_addr a, char *text)
{
	return inet_ntop(AF_INET, &a, text, INET_ADDRSTRLEN);
}

bool net_nonblocking(int fd, bool on)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return false;
	flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, flags) == 0;
}

/* poll's timeout for what is left until deadline (UINT64_MAX: none). */
static int time_left(uint64_t deadline)
{
	uint64_t now = net_now_ms();

	if (deadline == UINT64_MAX)
		return -1;
	return deadline > now ? (int)(deadline - now) : 0;
}

int net_wait(int fd, short events, int timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : net_now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, time_left(deadline));
		if (r >= 0)
			return r > 0 ? 1 : 0;
		if (errno != EINTR)
			return -1;
	}
}

/* The connect under way on fd has ended: 0 (connected), or -1 with
 * errno; 1 while it goes on. */
static int connect_ended(int fd)
{
	struct sockaddr_in peer;
	socklen_t size = sizeof(peer);
	int error = 0;
	socklen_t error_size = sizeof(error);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_size) < 0)
		return -1;
	if (error != 0) {
		errno = error;
		return -1;
	}
	if (getpeername(fd, (struct sockaddr *)&peer, &size) == 0)
		return 0;
	return errno == ENOTCONN ? 1 : -1;
}

/*
 * How a non-blocking connect ended: 0, or -1 with errno.  POLLOUT
 * without a pending error is checked with getpeername before the
 * connection is believed made: the readiness the UNIX server caches has
 * lagged behind the socket before (a new socket's POLLOUT kept through
 * the connect), and a check costs one call.
 */
static int connect_result(int fd, int timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : net_now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		int ready = net_wait(fd, POLLOUT, time_left(deadline));
		if (ready <= 0) {
			errno = ready == 0 ? ETIMEDOUT : errno;
			return -1;
		}
		int r = connect_ended(fd);
		if (r <= 0)
			return r;
		if (time_left(deadline) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		poll(NULL, 0, 10);
	}
}

int net_connect_socket(int fd, const struct sockaddr_in *address, int timeout_ms)
{
	if (!net_nonblocking(fd, true))
		return -1;
	if (connect(fd, (const struct sockaddr *)address, sizeof(*address)) == 0)
		return 0;
	return errno == EINPROGRESS ? connect_result(fd, timeout_ms) : -1;
}

int net_connect(const struct sockaddr_in *address, int timeout_ms)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || net_connect_socket(fd, address, timeout_ms) == 0)
		return fd;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int net_write_all(int fd, const void *data, size_t size, int timeout_ms)
{
	const char *p = data;

	while (size > 0) {
		ssize_t r = write(fd, p, size < NET_CHUNK ? size : NET_CHUNK);
		if (r > 0) {
			p += r;
			size -= (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 || errno == EAGAIN) {
			int ready = net_wait(fd, POLLOUT, timeout_ms);
			if (ready > 0)
				continue;
			errno = ready == 0 ? ETIMEDOUT : errno;
		}
		return -1;
	}
	return 0;
}

ssize_t net_read(int fd, void *data, size_t size, int timeout_ms)
{
	bool wait_first = timeout_ms >= 0;   /* a blocking read would not time out */

	size = size < NET_CHUNK ? size : NET_CHUNK;
	for (;;) {
		if (wait_first) {
			int ready = net_wait(fd, POLLIN, timeout_ms);
			if (ready <= 0) {
				errno = ready == 0 ? ETIMEDOUT : errno;
				return -1;
			}
		}
		ssize_t r = read(fd, data, size);
		if (r >= 0 || (errno != EINTR && errno != EAGAIN))
			return r;
		wait_first = errno == EAGAIN;
	}
}
