/*
 * httpd [-p PORT] [-r ROOT]: a small HTTP/1.0 and 1.1 server of the
 * files under ROOT (default /var/www if it is a directory, else the
 * directory httpd starts in) on PORT (default 80): GET and HEAD, one
 * request per connection (Connection: close).  Each request is a line
 * on stdout: the client's address, the method, the path, the status
 * and the bytes of body sent.  What it answers: http_reply.c.
 *
 * One process serves every connection: the sockets are non-blocking
 * and one poll waits for all of them, each connection a slot of a table
 * with a state (httpd.h), so no client can hold up another.  A slow or
 * silent client is closed after IDLE_MS without progress (or REQUEST_MS
 * to send its request); when the table is full, the connection that has
 * been quiet longest and is still reading its request (or lingering) is
 * closed for the new one, and if every slot is busy sending, the new
 * connection is answered 503 and closed.  Files are read NET_CHUNK
 * bytes at a time, as the socket takes them.
 */
#include "httpd.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define ACCEPT_PAUSE_MS 200          /* after accept failed for want of descriptors */
#define SENDS_PER_ROUND 8            /* chunks one connection sends before the others' turn */

static struct conn conns[HTTPD_CONNECTIONS];
static const char *root;
static uint64_t accept_paused_until;

/* ---- the log ---- */

static void log_request(struct conn *c)
{
	char text[INET_ADDRSTRLEN], path[sizeof(c->path)];
	uint64_t body = c->sent > c->head_length ? c->sent - c->head_length : 0;

	if (c->logged || c->status == 0)
		return;
	c->logged = true;
	for (size_t i = 0; i < sizeof(path); i++) {   /* no control bytes in the log */
		unsigned char b = (unsigned char)c->path[i];
		path[i] = b == '\0' ? '\0' : b <= ' ' || b == 0x7f ? '?' : (char)b;
		if (b == '\0')
			break;
	}
	printf("%s %s %s %d %llu\n", net_ntoa(c->peer, text), c->method[0] ? c->method : "-",
	       path[0] ? path : "-", c->status, (unsigned long long)body);
	fflush(stdout);
}

/* ---- a connection's life ---- */

static void conn_close(struct conn *c)
{
	log_request(c);
	close(c->fd);
	if (c->file >= 0)
		close(c->file);
	free(c->out);
	c->out = NULL;
	c->state = CONN_FREE;
}

static void conn_open(struct conn *c, int fd, const struct sockaddr_in *peer)
{
	uint64_t now = net_now_ms();

	free(c->out);
	*c = (struct conn){ .state = CONN_READING, .fd = fd, .peer = peer->sin_addr,
			    .accepted_ms = now, .active_ms = now, .file = -1 };
}

/* The answer is ready in c->out: it is sent from now on. */
static void start_sending(struct conn *c)
{
	c->state = CONN_SENDING;
	c->active_ms = net_now_ms();
}

static void refuse(struct conn *c, int status)
{
	http_error(c, status);
	start_sending(c);
}

/* All sent: the socket is shut for writing and what comes is dropped. */
static void start_lingering(struct conn *c)
{
	log_request(c);
	shutdown(c->fd, SHUT_WR);
	c->state = CONN_LINGERING;
	c->active_ms = net_now_ms();
}

/* The end of the request head in c->in, or 0. */
static size_t head_end(const struct conn *c)
{
	const char *crlf = strstr(c->in, "\r\n\r\n"), *lf = strstr(c->in, "\n\n");

	if (crlf != NULL && (lf == NULL || crlf < lf))
		return (size_t)(crlf - c->in) + 4;
	return lf != NULL ? (size_t)(lf - c->in) + 2 : 0;
}

/* What c->in holds now: a whole head (answered), a refusal, or more
 * to wait for. */
static void look_at_request(struct conn *c)
{
	size_t line = strcspn(c->in, "\n");

	if (line >= REQUEST_LINE_MAX)   /* also while the line has not ended */
		refuse(c, 414);
	else if (memchr(c->in, '\0', c->in_length) != NULL)
		refuse(c, 400);   /* no text has a NUL: garbage */
	else if (head_end(c) != 0) {
		http_answer(c, root);
		start_sending(c);
	} else if (c->in_length == REQUEST_MAX)
		refuse(c, 431);
}

static void read_request(struct conn *c)
{
	ssize_t n = recv(c->fd, c->in + c->in_length, REQUEST_MAX - c->in_length, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0 || (n == 0 && c->in_length == 0)) {
		conn_close(c);   /* reset, or closed without a word */
		return;
	}
	if (n == 0) {
		refuse(c, 400);   /* the head cut short */
		return;
	}
	c->in_length += (size_t)n;
	c->in[c->in_length] = '\0';
	c->active_ms = net_now_ms();
	look_at_request(c);
}

/* Bytes of data sent now: how many, 0 if the socket is full, -1 if the
 * connection is gone. */
static ssize_t send_now(struct conn *c, const char *data, size_t size)
{
	ssize_t n = send(c->fd, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	c->sent += (uint64_t)n;
	c->active_ms = net_now_ms();
	return n;
}

/* The next chunk of the file, into c->chunk: false if it cannot be read
 * (it shrank since stat: the client gets a short body). */
static bool next_chunk(struct conn *c)
{
	size_t want = c->file_left < NET_CHUNK ? (size_t)c->file_left : NET_CHUNK;
	ssize_t n = read(c->file, c->chunk, want);

	if (n <= 0)
		return false;
	c->chunk_length = (size_t)n;
	c->chunk_sent = 0;
	c->file_left -= (uint64_t)n;
	return true;
}

/* As much of the answer as the socket takes now (a few chunks at most). */
static void send_answer(struct conn *c)
{
	for (int round = 0; round < SENDS_PER_ROUND; round++) {
		bool from_out = c->out_sent < c->out_length;
		if (!from_out && c->chunk_sent == c->chunk_length) {
			if (c->file < 0 || c->file_left == 0) {
				start_lingering(c);
				return;
			}
			if (!next_chunk(c)) {
				conn_close(c);
				return;
			}
		}
		const char *data = from_out ? c->out : c->chunk;
		size_t *done = from_out ? &c->out_sent : &c->chunk_sent;
		size_t length = from_out ? c->out_length : c->chunk_length;
		ssize_t n = send_now(c, data + *done, length - *done);
		if (n < 0)
			conn_close(c);
		if (n <= 0)
			return;
		*done += (size_t)n;
	}
}

static void drain(struct conn *c)
{
	char dropped[NET_CHUNK];
	ssize_t n = recv(c->fd, dropped, sizeof(dropped), MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		conn_close(c);
}

/* When c's time is up (net_now_ms). */
static uint64_t deadline(const struct conn *c)
{
	if (c->state == CONN_LINGERING)
		return c->active_ms + LINGER_MS;
	uint64_t idle = c->active_ms + IDLE_MS;
	if (c->state == CONN_READING && c->accepted_ms + REQUEST_MS < idle)
		return c->accepted_ms + REQUEST_MS;
	return idle;
}

/* Connections past their deadline: a request not finished gets a 408
 * (if the socket takes it at once), the others are closed. */
static void expire(uint64_t now)
{
	for (struct conn *c = conns; c < conns + HTTPD_CONNECTIONS; c++) {
		if (c->state == CONN_FREE || deadline(c) > now)
			continue;
		if (c->state == CONN_READING && c->in_length > 0) {
			http_error(c, 408);
			send_now(c, c->out, c->out_length);
		}
		conn_close(c);
	}
}

/* ---- new connections ---- */

/* Whether a is a better slot to take for a newcomer than b (NULL): a
 * lingering connection has had its answer; then the one quiet longest. */
static bool better_victim(const struct conn *a, const struct conn *b)
{
	if (a->state == CONN_SENDING)
		return false;
	if (b == NULL)
		return true;
	if (a->state != b->state)
		return a->state == CONN_LINGERING;
	return a->active_ms < b->active_ms;
}

/* A free slot, or the best one to close for the newcomer; NULL if every
 * slot is sending. */
static struct conn *slot_for_new(void)
{
	struct conn *victim = NULL;

	for (struct conn *c = conns; c < conns + HTTPD_CONNECTIONS; c++) {
		if (c->state == CONN_FREE)
			return c;
		if (better_victim(c, victim))
			victim = c;
	}
	if (victim != NULL) {
		if (victim->state == CONN_READING && victim->in_length > 0)
			victim->status = 503;   /* logged so: it never got its answer */
		conn_close(victim);
	}
	return victim;
}

/* Every slot is sending: the newcomer gets a 503 if its socket takes it
 * at once, and is closed. */
static void turn_away(int fd, const struct sockaddr_in *peer)
{
	static struct conn spare;

	conn_open(&spare, fd, peer);
	refuse(&spare, 503);
	send_now(&spare, spare.out, spare.out_length);
	conn_close(&spare);
}

/* The connections the listener holds, taken. */
static void accept_all(int listener)
{
	for (;;) {
		struct sockaddr_in peer = { 0 };
		socklen_t size = sizeof(peer);
		int fd = accept4(listener, (struct sockaddr *)&peer, &size, SOCK_NONBLOCK);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0 && errno != EAGAIN) {
			util_error("accept: %s", strerror(errno));
			accept_paused_until = net_now_ms() + ACCEPT_PAUSE_MS;
		}
		if (fd < 0)
			return;
		struct conn *c = slot_for_new();
		if (c == NULL)
			turn_away(fd, &peer);
		else
			conn_open(c, fd, &peer);
	}
}

/* ---- the loop ---- */

static short events_of(const struct conn *c)
{
	return c->state == CONN_SENDING ? POLLOUT : POLLIN;
}

static void serve(struct conn *c, short revents)
{
	if (revents == 0)
		return;
	if (c->state == CONN_READING)
		read_request(c);
	else if (c->state == CONN_SENDING)
		send_answer(c);
	else if (c->state == CONN_LINGERING)
		drain(c);
}

/* poll's timeout: until the nearest deadline. */
static int poll_timeout(uint64_t now)
{
	uint64_t next = now + IDLE_MS;

	for (struct conn *c = conns; c < conns + HTTPD_CONNECTIONS; c++)
		if (c->state != CONN_FREE && deadline(c) < next)
			next = deadline(c);
	if (accept_paused_until > now && accept_paused_until < next)
		next = accept_paused_until;
	return next > now ? (int)(next - now) : 0;
}

static _Noreturn void run(int listener)
{
	struct pollfd fds[HTTPD_CONNECTIONS + 1];

	for (;;) {
		uint64_t now = net_now_ms();
		fds[0] = (struct pollfd){ .fd = now >= accept_paused_until ? listener : -1,
					  .events = POLLIN };
		for (int i = 0; i < HTTPD_CONNECTIONS; i++)
			fds[i + 1] = (struct pollfd){
				.fd = conns[i].state == CONN_FREE ? -1 : conns[i].fd,
				.events = events_of(&conns[i]) };
		int n = poll(fds, HTTPD_CONNECTIONS + 1, poll_timeout(now));
		if (n < 0 && errno != EINTR)
			util_fail(1, "poll: %s", strerror(errno));
		for (int i = 0; n > 0 && i < HTTPD_CONNECTIONS; i++)
			if (fds[i + 1].fd >= 0 && conns[i].state != CONN_FREE)
				serve(&conns[i], fds[i + 1].revents);
		if (n > 0 && fds[0].revents != 0)
			accept_all(listener);
		expire(net_now_ms());
	}
}

static int listen_on(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int on = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		util_fail(1, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		util_fail(1, "port %u: %s", port, strerror(errno));
	if (listen(fd, SOMAXCONN) < 0)
		util_fail(1, "listen: %s", strerror(errno));
	return fd;
}

/* -r's directory, else /var/www, else the current one; without its
 * final '/'s, so that root and a path beginning with '/' join. */
static const char *choose_root(const char *given)
{
	static char path[1024];
	struct stat st;

	if (given == NULL)
		given = stat("/var/www", &st) == 0 && S_ISDIR(st.st_mode) ? "/var/www" : ".";
	if (strcmp(given, ".") == 0 && getcwd(path, sizeof(path)) != NULL)
		given = path;
	if (stat(given, &st) < 0 || !S_ISDIR(st.st_mode))
		util_fail(1, "%s: not a directory", given);
	if (given != path)
		snprintf(path, sizeof(path), "%s", given);
	for (size_t n = strlen(path); n > 0 && path[n - 1] == '/'; n--)
		path[n - 1] = '\0';
	return path;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "p:r:", "[-p PORT] [-r ROOT]",
			   "serves the files under ROOT (default /var/www, else the current "
			   "directory) over HTTP on PORT (default 80)", seen, arg);

	if (i != argc)
		util_fail(2, "no operands (usage: %s -h)", util_name);
	uint16_t port = seen['p'] ? net_port(arg['p'], "-p", 2) : 80;
	root = choose_root(arg['r']);
	signal(SIGPIPE, SIG_IGN);
	int listener = listen_on(port);
	printf("httpd: serving %s on port %u\n", root[0] ? root : "/", port);
	fflush(stdout);
	run(listener);
}
