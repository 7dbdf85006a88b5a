/*
 * nc: a TCP or UDP connection between stdin/stdout and the network.
 *
 *   nc [-u] [-v] [-w SECONDS] [-p SOURCE_PORT] HOST PORT   client
 *   nc -l [-u] [-v] [-w SECONDS] [-p] PORT                 listener
 *   nc -z [-v] [-w SECONDS] HOST PORT                      is PORT open?
 *
 * TCP: the client connects, the listener accepts one connection; then
 * stdin goes to the socket and the socket to stdout, both at once (one
 * poll).  At the end of stdin the socket is shut for writing (the peer
 * sees the end of the stream); nc ends when the peer closes.
 *
 * UDP (-u): the client sends each line of stdin as a datagram and
 * prints the datagrams that come back; at the end of stdin it ends, or,
 * with -w, waits for answers until it has been idle that long.  The
 * listener prints every datagram that comes, and sends the lines of
 * stdin to whoever sent the last one.
 *
 * -w SECONDS: the time a connect may take, and how long nc stays when
 * nothing moves either way (then it ends, status 0).  -z: connects and
 * closes at once: status 0 if the port took the connection.  -v says
 * what is connected on stderr.  Errors: stderr, status 1 (2: usage).
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

#define SECONDS_MAX 86400           /* -w's, at most: a day */

struct relay {
	int sock;
	bool udp, listener, verbose;
	int idle_ms;                 /* -w; -1: none */
	bool stdin_open;             /* stdin has not ended */
	bool shut;                   /* TCP: shut for writing */
	char out[NET_CHUNK];         /* from stdin, not sent yet: out[sent..length) */
	size_t length, sent;
	bool have_peer;              /* UDP listener: where stdin's lines go */
	struct sockaddr_in peer;
};

static _Noreturn void fail_errno(const char *what)
{
	util_fail(1, "%s: %s", what, strerror(errno));
}

/* UDP: the next datagram out[sent..) holds: a whole line, or all of it
 * at the end of stdin or once the buffer is full; 0 if none is ready. */
static size_t datagram_size(const struct relay *r)
{
	const char *start = r->out + r->sent;
	const char *newline = memchr(start, '\n', r->length - r->sent);

	if (newline != NULL)
		return (size_t)(newline - start) + 1;
	if (!r->stdin_open || r->length == sizeof(r->out))
		return r->length - r->sent;
	return 0;
}

/* Keeps a partial line at the front of out, for more of it to follow. */
static void compact(struct relay *r)
{
	memmove(r->out, r->out + r->sent, r->length - r->sent);
	r->length -= r->sent;
	r->sent = 0;
}

static void send_datagrams(struct relay *r)
{
	size_t n;

	while ((n = datagram_size(r)) > 0) {
		ssize_t w = r->have_peer ? sendto(r->sock, r->out + r->sent, n, MSG_NOSIGNAL,
						  (struct sockaddr *)&r->peer, sizeof(r->peer))
			  : r->listener ? (ssize_t)n   /* nobody to send to yet: dropped */
					: send(r->sock, r->out + r->sent, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EAGAIN)
			return;
		if (w < 0 && errno != EINTR)
			fail_errno("send");
		if (w >= 0)
			r->sent += n;
	}
	compact(r);
}

/* TCP: what stdin gave, as much as the socket takes without waiting. */
static void send_stream(struct relay *r)
{
	while (r->sent < r->length) {
		ssize_t w = send(r->sock, r->out + r->sent, r->length - r->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EAGAIN)
			return;
		if (w < 0 && errno != EINTR)
			fail_errno("send");
		if (w > 0)
			r->sent += (size_t)w;
	}
	r->length = r->sent = 0;
	if (!r->stdin_open && !r->shut) {
		shutdown(r->sock, SHUT_WR);
		r->shut = true;
	}
}

static void from_stdin(struct relay *r)
{
	ssize_t n = read(0, r->out + r->length, sizeof(r->out) - r->length);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0)
		fail_errno("stdin");
	r->length += (size_t)n;
	r->stdin_open = n > 0;
	if (r->udp)
		send_datagrams(r);
	else
		send_stream(r);
}

/* The socket's data to stdout: false at the end of the peer's stream. */
static bool from_socket(struct relay *r)
{
	char data[NET_CHUNK];
	struct sockaddr_in from;
	socklen_t size = sizeof(from);
	ssize_t n = recvfrom(r->sock, data, sizeof(data), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &size);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n < 0)
		fail_errno("recv");
	if (n == 0 && !r->udp)
		return false;
	if (r->udp && r->listener) {
		r->peer = from;
		r->have_peer = true;
	}
	if (net_write_all(1, data, (size_t)n, -1) < 0)
		fail_errno("stdout");
	return true;
}

/* Whether stdin is worth polling: open, and with room to read into (a
 * TCP socket's earlier data sent first; a UDP partial line kept). */
static bool wants_stdin(const struct relay *r)
{
	return r->stdin_open && (r->udp ? r->length < sizeof(r->out) : r->length == 0);
}

/* Whether there is something to send: a UDP partial line waits for the
 * rest of its line, so it is not (the socket is always writable). */
static bool wants_socket_out(const struct relay *r)
{
	return r->udp ? datagram_size(r) > 0 : r->sent < r->length;
}

/* Both ways at once, until the peer's stream ends, -w's idle time
 * passes, or (a UDP client without -w) stdin ends. */
static void relay(struct relay *r)
{
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = wants_stdin(r) ? 0 : -1, .events = POLLIN },
			{ .fd = r->sock, .events = POLLIN | (wants_socket_out(r) ? POLLOUT : 0) },
		};
		if (r->udp && !r->listener && !r->stdin_open && r->idle_ms < 0)
			return;
		int n = poll(fds, 2, r->idle_ms);
		if (n < 0 && errno != EINTR)
			fail_errno("poll");
		if (n == 0)
			return;   /* idle for -w's time */
		if (n < 0)
			continue;
		if (fds[1].revents & (POLLIN | POLLERR | POLLHUP) && !from_socket(r))
			return;
		if (fds[1].revents & POLLOUT)
			r->udp ? send_datagrams(r) : send_stream(r);
		if (fds[0].revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL))
			from_stdin(r);
	}
}

static void say_connected(const char *how, const struct sockaddr_in *a)
{
	char text[INET_ADDRSTRLEN];

	util_error("%s %s port %u", how, net_ntoa(a->sin_addr, text), ntohs(a->sin_port));
}

static int bound_socket(int type, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int on = 1;
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		fail_errno("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		util_fail(1, "bind to port %u: %s", port, strerror(errno));
	return fd;
}

/* The listener's socket: a UDP one bound to port, or the one TCP
 * connection accepted there. */
static int listen_on(uint16_t port, bool udp, bool verbose)
{
	struct sockaddr_in from;
	socklen_t size = sizeof(from);
	int fd = bound_socket(udp ? SOCK_DGRAM : SOCK_STREAM, port);

	if (udp)
		return fd;
	if (listen(fd, 1) < 0)
		fail_errno("listen");
	if (verbose)
		util_error("listening on port %u", port);
	int conn;
	while ((conn = accept4(fd, (struct sockaddr *)&from, &size, SOCK_NONBLOCK)) < 0)
		if (errno != EINTR)
			fail_errno("accept");
	close(fd);
	if (verbose)
		say_connected("connection from", &from);
	return conn;
}

/* The client's socket (non-blocking), connected to to, from
 * source_port if it is not 0: or -1 with errno. */
static int connect_to(const struct sockaddr_in *to, uint16_t source_port, bool udp,
		      int timeout_ms)
{
	int type = udp ? SOCK_DGRAM : SOCK_STREAM;
	int fd = source_port != 0 ? bound_socket(type, source_port) : socket(AF_INET, type, 0);

	if (fd < 0)
		fail_errno("socket");
	if (net_connect_socket(fd, to, timeout_ms) == 0)
		return fd;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "lp:uw:zv",
			   "[-u] [-v] [-w SECONDS] [-p PORT] HOST PORT | -l [-u] [-p] PORT | "
			   "-z HOST PORT",
			   "TCP or UDP between stdin/stdout and HOST's PORT, or a listener",
			   seen, arg);
	struct relay r = { .udp = seen['u'], .listener = seen['l'], .verbose = seen['v'],
			   .idle_ms = -1, .stdin_open = true };
	uint16_t source_port = seen['p'] ? net_port(arg['p'], "-p", 2) : 0;

	long seconds = seen['w'] ? util_number(arg['w'], "-w") : 0;
	if (seen['w'] && (seconds < 1 || seconds > SECONDS_MAX))
		util_fail(2, "-w: 1 to %d seconds", SECONDS_MAX);
	if (seen['w'])
		r.idle_ms = (int)seconds * 1000;
	if (seen['z'] && (r.listener || r.udp))
		util_fail(2, "-z scans TCP ports as a client: not with -l or -u");
	signal(SIGPIPE, SIG_IGN);
	if (r.listener) {
		if (i + (seen['p'] ? 0 : 1) != argc)
			util_fail(2, "usage: %s -l [-u] [-p] PORT", util_name);
		r.sock = listen_on(seen['p'] ? source_port : net_port(argv[i], "port", 2), r.udp,
				   r.verbose);
		relay(&r);
		return 0;
	}
	if (i + 2 != argc)
		util_fail(2, "usage: %s [-u] [-z] [-w SECONDS] HOST PORT", util_name);
	struct sockaddr_in to;
	if (!net_address(argv[i], net_port(argv[i + 1], "port", 2), &to))
		return 1;
	r.sock = connect_to(&to, source_port, r.udp, r.idle_ms);
	if (r.sock < 0)
		util_fail(1, "connect to %s port %s: %s", argv[i], argv[i + 1], strerror(errno));
	if (r.verbose)
		say_connected(seen['z'] ? "open:" : "connected to", &to);
	if (!seen['z'])
		relay(&r);
	return 0;
}
