/* poll, and select on top of it: the UNIX server waits (emul/poll.c). */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_priv.h"

_Static_assert(sizeof(struct pollfd) == sizeof(uint64_t) && POLLIN == UNIX_POLLIN &&
		       POLLOUT == UNIX_POLLOUT && POLLNVAL == UNIX_POLLNVAL,
	       "struct pollfd is the server's");

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	uint64_t revents[UNIX_POLL_MAX];
	mach_msg_type_number_t n = UNIX_POLL_MAX;
	int64_t result = 0;

	if (nfds > UNIX_POLL_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (!unix_writable(fds, nfds * sizeof(*fds)))
		return -1;
	kern_return_t kr = unix_poll(unix_port, (unix_pollfds_t)fds, nfds, timeout_ms, &result,
				     revents, &n);
	int r = (int)unix_return(kr, result);
	for (unsigned i = 0; r >= 0 && i < nfds && i < n; i++)
		memcpy(&fds[i].revents, (char *)&revents[i] + 6, sizeof(fds[i].revents));
	return r;
}

/* timeout as poll's milliseconds (rounded up; -1: none). */
static int timeout_ms(const struct timeval *timeout)
{
	if (timeout == NULL)
		return -1;
	long long ms = (long long)timeout->tv_sec * 1000 + (timeout->tv_usec + 999) / 1000;
	return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	   struct timeval *timeout)
{
	struct pollfd fds[UNIX_POLL_MAX];
	fd_set *sets[3] = { readfds, writefds, exceptfds };
	nfds_t n = 0;

	if (nfds < 0 || nfds > FD_SETSIZE || (timeout != NULL && (timeout->tv_sec < 0 ||
				timeout->tv_usec < 0 || timeout->tv_usec >= 1000000))) {
		errno = EINVAL;
		return -1;
	}
	for (int s = 0; s < 3; s++)
		if (sets[s] != NULL && !unix_writable(sets[s], sizeof(fd_set)))
			return -1;
	if (timeout != NULL && !unix_writable(timeout, sizeof(*timeout)))
		return -1;
	for (int fd = 0; fd < nfds && n < UNIX_POLL_MAX; fd++) {
		short events = (readfds != NULL && FD_ISSET(fd, readfds) ? POLLIN : 0) |
			       (writefds != NULL && FD_ISSET(fd, writefds) ? POLLOUT : 0) |
			       (exceptfds != NULL && FD_ISSET(fd, exceptfds) ? POLLPRI : 0);
		if (events != 0)
			fds[n++] = (struct pollfd){ .fd = fd, .events = events };
	}
	int r = poll(fds, n, timeout_ms(timeout));
	if (r < 0)
		return r;
	for (int s = 0; s < 3; s++)
		if (sets[s] != NULL)
			FD_ZERO(sets[s]);
	int count = 0;
	for (nfds_t i = 0; i < n; i++) {
		if (fds[i].revents & POLLNVAL) {
			errno = EBADF;
			return -1;
		}
		short in = POLLIN | POLLHUP | POLLERR, out = POLLOUT | POLLERR;
		bool rd = readfds != NULL && (fds[i].events & POLLIN) && (fds[i].revents & in);
		bool wr = writefds != NULL && (fds[i].events & POLLOUT) && (fds[i].revents & out);
		if (rd)
			FD_SET(fds[i].fd, readfds);
		if (wr)
			FD_SET(fds[i].fd, writefds);
		count += rd + wr;
	}
	if (timeout != NULL && r == 0)
		timeout->tv_sec = timeout->tv_usec = 0;
	return count;
}
