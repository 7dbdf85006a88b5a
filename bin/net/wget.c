/*
 * wget [-q] [-O FILE] [-T SECONDS] URL: fetches http://HOST[:PORT]/PATH
 * with one HTTP/1.0 GET (so no chunked answer) and writes the body to
 * FILE: by default the URL's last path component, or index.html when it
 * ends in '/'; "-O -" is stdout.  With a Content-Length the body must
 * be that long (a shorter one is an error); without one it runs to the
 * end of the connection.  A status other than 2xx is an error: its
 * status line goes to stderr and no file is written.  Unless -q, a
 * summary (bytes, time, rate) goes to stderr at the end.  -T: the
 * connect and each wait for data, at most (default 30 seconds).
 *
 * Exit status: 0 on success, 1 on any failure (2: usage).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

#define HOST_MAX 256
#define PATH_MAX_URL 2048
#define HEAD_MAX 16384              /* the status line and headers, at most */
#define SECONDS_MAX 86400           /* -T's, at most: a day */

struct url {
	char host[HOST_MAX];
	uint16_t port;
	char path[PATH_MAX_URL];    /* from its '/', query included */
};

struct response {
	char head[HEAD_MAX + 1];
	size_t head_length;         /* through the blank line */
	size_t have;                /* bytes in head, body bytes after head_length */
	char body[HEAD_MAX];        /* the body's bytes that came with the head */
	size_t body_have;
	int status;
	long long content_length;   /* -1: none */
};

static void parse_url(const char *text, struct url *u)
{
	const char *p = text;

	if (strncasecmp(p, "http://", 7) != 0)
		util_fail(1, "%s: only http:// URLs", text);
	p += 7;
	size_t n = strcspn(p, ":/?#");
	if (n == 0 || n >= sizeof(u->host))
		util_fail(1, "%s: no host, or too long a one", text);
	memcpy(u->host, p, n);
	u->host[n] = '\0';
	p += n;
	u->port = 80;
	if (*p == ':') {
		char port[8] = "";
		size_t digits = strcspn(++p, "/?#");
		if (digits == 0 || digits >= sizeof(port))
			util_fail(1, "%s: bad port", text);
		memcpy(port, p, digits);
		u->port = net_port(port, "port", 1);
		p += digits;
	}
	size_t rest = strcspn(p, "#");
	if (rest + 2 > sizeof(u->path))
		util_fail(1, "%s: path too long", text);
	snprintf(u->path, sizeof(u->path), "%s%.*s", *p == '/' ? "" : "/", (int)rest, p);
}

/* The default file name: the last path component, or index.html. */
static void default_name(const struct url *u, char *name, size_t size)
{
	size_t end = strcspn(u->path, "?");
	size_t start = end;

	while (start > 0 && u->path[start - 1] != '/')
		start--;
	if (start == end)
		snprintf(name, size, "index.html");
	else
		snprintf(name, size, "%.*s", (int)(end - start), u->path + start);
}

static void send_request(int fd, const struct url *u)
{
	char request[PATH_MAX_URL + HOST_MAX + 128], host[HOST_MAX + 8];

	if (u->port != 80)
		snprintf(host, sizeof(host), "%s:%u", u->host, u->port);
	else
		snprintf(host, sizeof(host), "%s", u->host);
	int n = snprintf(request, sizeof(request),
			 "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: pagoda-wget/1\r\n"
			 "Accept: */*\r\nConnection: close\r\n\r\n", u->path, host);
	if (net_write_all(fd, request, (size_t)n, -1) < 0)
		util_fail(1, "sending the request: %s", strerror(errno));
}

/* The end of the head (after "\r\n\r\n" or "\n\n"), or 0. */
static size_t head_end(const char *head, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (head[i] == '\n' && head[i + 1] == '\n')
			return i + 2;
		if (i + 3 < n && memcmp(head + i, "\r\n\r\n", 4) == 0)
			return i + 4;
	}
	return 0;
}

/* Header name's value in the head (case aside), or NULL. */
static const char *header(const struct response *r, const char *name)
{
	size_t length = strlen(name);

	for (const char *line = strchr(r->head, '\n'); line != NULL; line = strchr(line, '\n')) {
		line++;
		if (strncasecmp(line, name, length) == 0 && line[length] == ':')
			return line + length + 1 + strspn(line + length + 1, " \t");
	}
	return NULL;
}

static void read_head(int fd, struct response *r, int timeout_ms)
{
	while ((r->head_length = head_end(r->head, r->have)) == 0) {
		if (r->have == HEAD_MAX)
			util_fail(1, "the answer's headers are longer than %d bytes", HEAD_MAX);
		ssize_t n = net_read(fd, r->head + r->have, HEAD_MAX - r->have, timeout_ms);
		if (n < 0)
			util_fail(1, "reading the answer: %s", strerror(errno));
		if (n == 0)
			util_fail(1, "the server closed the connection before its headers ended");
		r->have += (size_t)n;
	}
	memcpy(r->body, r->head + r->head_length, r->have - r->head_length);
	r->body_have = r->have - r->head_length;
	r->head[r->head_length] = '\0';   /* header() reads the head alone */
	int minor;
	if (sscanf(r->head, "HTTP/1.%d %3d", &minor, &r->status) != 2)
		util_fail(1, "not an HTTP answer: %.40s", r->head);
	const char *length = header(r, "Content-Length");
	char *end;
	r->content_length = length != NULL ? strtoll(length, &end, 10) : -1;
	if (length != NULL && (end == length || r->content_length < 0))
		util_fail(1, "bad Content-Length: %.*s", (int)strcspn(length, "\r\n"), length);
	const char *coding = header(r, "Transfer-Encoding");
	if (coding != NULL && strncasecmp(coding, "identity", 8) != 0)
		util_fail(1, "Transfer-Encoding %.*s is not supported",
			  (int)strcspn(coding, "\r\n"), coding);
}

/* The status line, as the server said it. */
static void say_status(const struct response *r)
{
	util_error("%.*s", (int)strcspn(r->head, "\r\n"), r->head);
}

static int open_output(const char *name)
{
	if (strcmp(name, "-") == 0)
		return 1;
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		util_fail(1, "%s: %s", name, strerror(errno));
	return fd;
}

/* Writes n bytes of body (no more than Content-Length wants); the bytes
 * written. */
static size_t keep(int out, const char *name, const struct response *r, const char *data,
		   size_t n, long long total)
{
	if (r->content_length >= 0 && (long long)n > r->content_length - total)
		n = (size_t)(r->content_length - total);
	if (n > 0 && net_write_all(out, data, n, -1) < 0)
		util_fail(1, "%s: %s", name, strerror(errno));
	return n;
}

/* The body to out: its length. */
static long long read_body(int fd, int out, const char *name, const struct response *r,
			   int timeout_ms)
{
	char data[NET_CHUNK];
	long long total = (long long)keep(out, name, r, r->body, r->body_have, 0);

	while (r->content_length < 0 || total < r->content_length) {
		ssize_t n = net_read(fd, data, sizeof(data), timeout_ms);
		if (n < 0 && errno != ECONNRESET)
			util_fail(1, "reading the body: %s", strerror(errno));
		if (n <= 0 && r->content_length >= 0)
			util_fail(1, "short body: %lld of %lld bytes (the connection %s)", total,
				  r->content_length, n == 0 ? "ended" : "was reset");
		if (n <= 0)
			break;
		total += (long long)keep(out, name, r, data, (size_t)n, total);
	}
	return total;
}

static void summary(const char *name, long long bytes, uint64_t ms)
{
	double seconds = ms == 0 ? 0.001 : (double)ms / 1000;

	util_error("'%s' saved: %lld bytes in %.2f s (%.1f KB/s)",
		   strcmp(name, "-") == 0 ? "stdout" : name, bytes, seconds,
		   (double)bytes / 1024 / seconds);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "qO:T:",
			   "[-q] [-O FILE] [-T SECONDS] http://HOST[:PORT]/PATH",
			   "fetches a URL over HTTP into FILE (default: its last path component)",
			   seen, arg);
	static struct url u;
	static struct response r;
	struct sockaddr_in to;
	char name[256];

	if (i + 1 != argc)
		util_fail(2, "one URL (usage: %s -h)", util_name);
	long seconds = seen['T'] ? util_number(arg['T'], "-T") : 30;
	if (seconds < 1 || seconds > SECONDS_MAX)
		util_fail(2, "-T: 1 to %d seconds", SECONDS_MAX);
	int timeout_ms = (int)seconds * 1000;
	parse_url(argv[i], &u);
	default_name(&u, name, sizeof(name));
	const char *output = seen['O'] ? arg['O'] : name;
	signal(SIGPIPE, SIG_IGN);
	uint64_t start = net_now_ms();
	if (!net_address(u.host, u.port, &to))
		return 1;
	int fd = net_connect(&to, timeout_ms);
	if (fd < 0)
		util_fail(1, "connect to %s port %u: %s", u.host, u.port, strerror(errno));
	send_request(fd, &u);
	read_head(fd, &r, timeout_ms);
	if (r.status < 200 || r.status > 299) {
		say_status(&r);
		return 1;
	}
	int out = open_output(output);
	long long bytes = read_body(fd, out, output, &r, timeout_ms);
	close(fd);
	if (out != 1 && close(out) < 0)
		util_fail(1, "%s: %s", output, strerror(errno));
	if (!seen['q'])
		summary(output, bytes, net_now_ms() - start);
	return 0;
}
