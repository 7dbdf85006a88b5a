/*
 * Sockets (docs/network.md): each call one request to the UNIX server,
 * which keeps the descriptor and asks the network server.  Addresses
 * travel as the bytes of struct sockaddr_in; an address given back is
 * cut to the caller's buffer and *size says how long it was, as POSIX
 * has it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_priv.h"

int socket(int domain, int type, int protocol)
{
	int64_t result = 0;
	kern_return_t kr = unix_socket(unix_port, domain, type, protocol, &result);

	return (int)unix_return(kr, result);
}

/* An address the caller gives: readable, and no longer than a message
 * takes (a longer one is cut: the server looks at sockaddr_in's bytes). */
static bool address_given(const struct sockaddr *address, socklen_t size)
{
	return size == 0 || unix_readable(address, size);
}

static socklen_t given_size(socklen_t size)
{
	return size < UNIX_SOCKADDR_MAX ? size : UNIX_SOCKADDR_MAX;
}

/* The address the server answered with, into the caller's buffer. */
static void address_back(const char *got, mach_msg_type_number_t got_size,
			 struct sockaddr *address, socklen_t *size)
{
	if (address == NULL || size == NULL)
		return;
	memcpy(address, got, got_size < *size ? got_size : *size);
	*size = got_size;
}

/* Whether an address buffer the caller gives for an answer is usable. */
static bool address_buffer_ok(struct sockaddr *address, socklen_t *size)
{
	if (address == NULL)
		return true;
	return unix_writable(size, sizeof(*size)) && unix_writable(address, *size);
}

int bind(int fd, const struct sockaddr *address, socklen_t size)
{
	int64_t result = 0;

	if (!address_given(address, size))
		return -1;
	kern_return_t kr = unix_bind(unix_port, fd, (char *)address, given_size(size), &result);
	return (int)unix_return(kr, result);
}

int listen(int fd, int backlog)
{
	int64_t result = 0;
	kern_return_t kr = unix_listen(unix_port, fd, backlog, &result);

	return (int)unix_return(kr, result);
}

int accept4(int fd, struct sockaddr *address, socklen_t *size, int flags)
{
	char got[UNIX_SOCKADDR_MAX];
	mach_msg_type_number_t got_size = sizeof(got);
	int64_t result = 0;

	if (!address_buffer_ok(address, size))
		return -1;
	kern_return_t kr = unix_accept4(unix_port, fd, flags, &result, got, &got_size);
	int r = (int)unix_return(kr, result);
	if (r >= 0)
		address_back(got, got_size, address, size);
	return r;
}

int accept(int fd, struct sockaddr *address, socklen_t *size)
{
	return accept4(fd, address, size, 0);
}

int connect(int fd, const struct sockaddr *address, socklen_t size)
{
	int64_t result = 0;

	if (!address_given(address, size))
		return -1;
	kern_return_t kr = unix_connect(unix_port, fd, (char *)address, given_size(size), &result);
	return (int)unix_return(kr, result);
}

/* One sendto of at most UNIX_IO_MAX bytes. */
static ssize_t send_once(int fd, const char *data, size_t size, int flags,
			 const struct sockaddr *to, socklen_t to_size)
{
	int64_t result = 0;
	kern_return_t kr = unix_sendto(unix_port, fd, (char *)data, (mach_msg_type_number_t)size,
				       flags, (char *)to, given_size(to_size), &result);

	return (ssize_t)unix_return(kr, result);
}

/* A datagram goes in one message or not at all; a stream's bytes go in
 * pieces, until one is short (a non-blocking socket is full). */
ssize_t sendto(int fd, const void *data, size_t size, int flags, const struct sockaddr *to,
	       socklen_t to_size)
{
	size_t done = 0;
	int type = 0;
	socklen_t type_size = sizeof(type);

	if (!unix_readable(data, size) || !address_given(to, to_size))
		return -1;
	if (size <= UNIX_IO_MAX)
		return send_once(fd, data, size, flags, to, to_size);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_size) < 0)
		return -1;
	if (type != SOCK_STREAM) {
		errno = EMSGSIZE;
		return -1;
	}
	while (done < size) {
		size_t n = size - done < UNIX_IO_MAX ? size - done : UNIX_IO_MAX;
		ssize_t r = send_once(fd, (const char *)data + done, n, flags, to, to_size);
		if (r < 0)
			return done > 0 ? (ssize_t)done : -1;
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	}
	return (ssize_t)done;
}

ssize_t send(int fd, const void *data, size_t size, int flags)
{
	return sendto(fd, data, size, flags, NULL, 0);
}

ssize_t recvfrom(int fd, void *data, size_t size, int flags, struct sockaddr *from,
		 socklen_t *from_size)
{
	char buf[UNIX_IO_MAX], got[UNIX_SOCKADDR_MAX];
	mach_msg_type_number_t n = sizeof(buf), got_size = sizeof(got);
	int64_t result = 0;

	if (!unix_writable(data, size) || !address_buffer_ok(from, from_size))
		return -1;
	uint32_t count = size < UNIX_IO_MAX ? (uint32_t)size : UNIX_IO_MAX;
	kern_return_t kr = unix_recvfrom(unix_port, fd, count, flags, &result, buf, &n, got,
					 &got_size);
	ssize_t r = (ssize_t)unix_return(kr, result);
	if (r >= 0) {
		memcpy(data, buf, n < count ? n : count);
		address_back(got, got_size, from, from_size);
	}
	return r;
}

ssize_t recv(int fd, void *data, size_t size, int flags)
{
	return recvfrom(fd, data, size, flags, NULL, NULL);
}

int shutdown(int fd, int how)
{
	int64_t result = 0;
	kern_return_t kr = unix_shutdown(unix_port, fd, how, &result);

	return (int)unix_return(kr, result);
}

static int name_of(int fd, struct sockaddr *address, socklen_t *size, bool peer)
{
	char got[UNIX_SOCKADDR_MAX];
	mach_msg_type_number_t got_size = sizeof(got);
	int64_t result = 0;

	if (address == NULL || size == NULL) {
		errno = EFAULT;
		return -1;
	}
	if (!address_buffer_ok(address, size))
		return -1;
	kern_return_t kr = peer ? unix_getpeername(unix_port, fd, &result, got, &got_size)
				: unix_getsockname(unix_port, fd, &result, got, &got_size);
	int r = (int)unix_return(kr, result);
	if (r >= 0)
		address_back(got, got_size, address, size);
	return r;
}

int getsockname(int fd, struct sockaddr *address, socklen_t *size)
{
	return name_of(fd, address, size, false);
}

int getpeername(int fd, struct sockaddr *address, socklen_t *size)
{
	return name_of(fd, address, size, true);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t size)
{
	int64_t result = 0;

	if (!unix_readable(value, size))
		return -1;
	kern_return_t kr = unix_setsockopt(unix_port, fd, level, name, (char *)value,
					   size < UNIX_SOCKOPT_MAX ? size : UNIX_SOCKOPT_MAX, &result);
	return (int)unix_return(kr, result);
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *size)
{
	char got[UNIX_SOCKOPT_MAX];
	mach_msg_type_number_t got_size = sizeof(got);
	int64_t result = 0;

	if (!unix_writable(size, sizeof(*size)) || !unix_writable(value, *size))
		return -1;
	kern_return_t kr = unix_getsockopt(unix_port, fd, level, name, &result, got, &got_size);
	int r = (int)unix_return(kr, result);
	if (r >= 0) {
		memcpy(value, got, got_size < *size ? got_size : *size);
		*size = got_size;
	}
	return r;
}
