/* poll (libc/unix/poll.c): newlib has no <poll.h>.  The layout and
 * values are Linux's (mach/unix_types.h, UNIX_POLL*). */
#pragma once

struct pollfd {
	int fd;
	short events;
	short revents;
};

typedef unsigned int nfds_t;

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM POLLIN
#define POLLWRNORM POLLOUT

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);
