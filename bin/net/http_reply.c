/*
 * httpd's answers (httpd.h): a request head parsed and checked, then a
 * file, a directory's index.html or listing, a redirect, or an error,
 * each with a Content-Length and Connection: close.
 *
 * The path is taken from the request target: from its '/' to a '?' or
 * '#', percent-decoded.  Decoded, it may hold no NUL and no ".."
 * component (403), so it cannot leave root.  A directory without a
 * final '/' is redirected (301) to the same path with one, so relative
 * links inside it work; with one, it is its index.html if there is one,
 * else a listing of its entries.
 */
#include "httpd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FULL_PATH_MAX 1024
#define LISTING_MAX (64 * 1024)

struct request {
	char method[8];
	char target[REQUEST_LINE_MAX];   /* as sent */
	char path[REQUEST_LINE_MAX];     /* decoded */
	size_t target_path_length;       /* the target's path, before '?' or '#' */
	bool head_only;                  /* HEAD */
};

/* A growing text: the head, then a generated body. */
struct text {
	char *data;
	size_t length, room;
	bool failed;                     /* out of memory */
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	for (int tries = 0; tries < 2 && !t->failed; tries++) {
		va_start(ap, fmt);
		int n = vsnprintf(t->data + t->length, t->room - t->length, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
		} else if ((size_t)n < t->room - t->length) {
			t->length += (size_t)n;
			return;
		} else {
			size_t need = t->length + (size_t)n + 1;
			size_t room = t->room * 2 > need ? t->room * 2 : need;
			char *grown = realloc(t->data, room);
			t->failed = grown == NULL;
			t->data = grown != NULL ? grown : t->data;
			t->room = grown != NULL ? room : t->room;
		}
	}
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

/* The head's first lines, up to the headers a caller adds. */
static void start_head(struct text *t, int status, const char *type, uint64_t length)
{
	add(t, "HTTP/1.1 %d %s\r\nServer: pagoda-httpd\r\nConnection: close\r\n", status,
	    reason(status));
	add(t, "Content-Type: %s\r\nContent-Length: %llu\r\n", type, (unsigned long long)length);
}

/* t (head and body) as c's answer, the head head_length bytes long. */
static void answer_with(struct conn *c, struct text *t, int status, size_t head_length,
			bool head_only)
{
	if (t->failed) {
		free(t->data);
		*t = (struct text){ 0 };
		status = 500;
		add(t, "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n"
		       "Content-Length: 0\r\n\r\n");
		head_length = t->length;
	}
	free(c->out);
	c->out = t->data;
	c->out_length = head_only ? head_length : t->length;
	c->out_sent = 0;
	c->head_length = head_length;
	c->status = status;
}

void http_error(struct conn *c, int status)
{
	struct text body = { 0 }, t = { 0 };

	add(&body, "<html><head><title>%d %s</title></head>\n<body><h1>%d %s</h1></body></html>\n",
	    status, reason(status), status, reason(status));
	start_head(&t, status, "text/html", body.length);
	if (status == 405)
		add(&t, "Allow: GET, HEAD\r\n");
	add(&t, "\r\n");
	size_t head_length = t.length;
	add(&t, "%s", body.data != NULL ? body.data : "");
	t.failed |= body.failed;
	free(body.data);
	answer_with(c, &t, status, head_length, strcmp(c->method, "HEAD") == 0);
}

/* ---- the request ---- */

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The target's path, percent-decoded into r->path: 0, or an error
 * status (400: a bad escape or a NUL; 403: a ".." component). */
static int decode_path(struct request *r)
{
	const char *s = r->target;
	size_t n = 0;

	r->target_path_length = strcspn(s, "?#");
	for (size_t i = 0; i < r->target_path_length; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int high = hex(s[i + 1]), low = high < 0 ? -1 : hex(s[i + 2]);
			if (low < 0)
				return 400;
			c = high * 16 + low;
			i += 2;
		}
		if (c == '\0')
			return 400;
		r->path[n++] = (char)c;
	}
	r->path[n] = '\0';
	for (const char *p = r->path; p != NULL; p = strchr(p, '/')) {
		p += *p == '/';
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			return 403;
	}
	return 0;
}

static bool is_method(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	return n > 0 && s[n] == '\0';
}

/* Each line after the request line: empty, or "Name: value". */
static bool headers_ok(const char *head)
{
	for (const char *line = strchr(head, '\n'); line != NULL; line = strchr(line, '\n')) {
		line++;
		size_t length = strcspn(line, "\r\n");
		const char *colon = memchr(line, ':', length);
		if (length > 0 && (colon == NULL || colon == line))
			return false;
	}
	return true;
}

/* The request line into r: 0, or the error status. */
static int parse_request(struct conn *c, struct request *r)
{
	char line[REQUEST_LINE_MAX], version[16];
	size_t length = strcspn(c->in, "\r\n");
	int n = 0;

	if (length >= sizeof(line))
		return 414;
	memcpy(line, c->in, length);
	line[length] = '\0';
	if (sscanf(line, "%7[^ ] %2047[^ ] %15[^ ]%n", r->method, r->target, version, &n) != 3 ||
	    (size_t)n != length || !is_method(r->method))
		return 400;
	snprintf(c->method, sizeof(c->method), "%s", r->method);
	snprintf(c->path, sizeof(c->path), "%.*s", (int)sizeof(c->path) - 1, r->target);
	if (strncmp(version, "HTTP/", 5) != 0 || !headers_ok(c->in))
		return 400;
	if (strcmp(version, "HTTP/1.0") != 0 && strcmp(version, "HTTP/1.1") != 0)
		return 505;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return 405;
	r->head_only = strcmp(r->method, "HEAD") == 0;
	if (r->target[0] != '/')
		return 400;
	return decode_path(r);
}

/* ---- the answers ---- */

static const char *content_type(const char *path)
{
	static const struct { const char *extension, *type; } types[] = {
		{ ".html", "text/html" }, { ".htm", "text/html" }, { ".txt", "text/plain" },
		{ ".c", "text/plain" }, { ".h", "text/plain" }, { ".md", "text/plain" },
		{ ".sh", "text/plain" }, { ".css", "text/css" },
		{ ".js", "application/javascript" }, { ".json", "application/json" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".gif", "image/gif" },
	};
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return "application/octet-stream";
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].extension) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int errno_status(int error)
{
	return error == ENOENT || error == ENOTDIR || error == ENAMETOOLONG ? 404 : 403;
}

static void answer_file(struct conn *c, const char *full, const struct stat *st, bool head_only)
{
	struct text t = { 0 };
	int fd = open(full, O_RDONLY);

	if (fd < 0) {
		http_error(c, errno == EMFILE || errno == ENFILE ? 503 : errno_status(errno));
		return;
	}
	start_head(&t, 200, content_type(full), (uint64_t)st->st_size);
	add(&t, "\r\n");
	answer_with(c, &t, 200, t.length, head_only);
	if (head_only || t.failed || st->st_size == 0) {
		close(fd);
		return;
	}
	c->file = fd;
	c->file_left = (uint64_t)st->st_size;
}

static void answer_redirect(struct conn *c, const struct request *r)
{
	struct text t = { 0 };

	start_head(&t, 301, "text/html", 0);
	add(&t, "Location: %.*s/%s\r\n\r\n", (int)r->target_path_length, r->target,
	    r->target + r->target_path_length);
	answer_with(c, &t, 301, t.length, r->head_only);
}

/* name as HTML text (escape) or inside a URL's path (percent-encoded). */
static void add_name(struct text *t, const char *name, bool in_url)
{
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
		if (in_url && (strchr("-._~", *p) != NULL || (*p >= '0' && *p <= '9') ||
			       ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
			add(t, "%c", *p);
		else if (in_url)
			add(t, "%%%02X", *p);
		else if (*p == '<' || *p == '>' || *p == '&' || *p == '"')
			add(t, "&#%d;", *p);
		else
			add(t, "%c", *p >= 0x20 && *p != 0x7f ? *p : '?');
	}
}

static bool is_directory(const char *dir, const char *name)
{
	char full[FULL_PATH_MAX];
	struct stat st;

	if (snprintf(full, sizeof(full), "%s/%s", dir, name) >= (int)sizeof(full))
		return false;
	return stat(full, &st) == 0 && S_ISDIR(st.st_mode);
}

static void answer_listing(struct conn *c, const struct request *r, const char *full)
{
	struct text body = { 0 }, t = { 0 };
	DIR *dir = opendir(full);
	struct dirent *e;

	if (dir == NULL) {
		http_error(c, errno_status(errno));
		return;
	}
	add(&body, "<html><head><title>");
	add_name(&body, r->path, false);
	add(&body, "</title></head>\n<body><h1>");
	add_name(&body, r->path, false);
	add(&body, "</h1>\n<ul>\n");
	while ((e = readdir(dir)) != NULL && body.length < LISTING_MAX) {
		if (strcmp(e->d_name, ".") == 0 || (strcmp(e->d_name, "..") == 0 &&
						    strcmp(r->path, "/") == 0))
			continue;
		bool sub = is_directory(full, e->d_name);
		add(&body, "<li><a href=\"");
		add_name(&body, e->d_name, true);
		add(&body, "%s\">", sub ? "/" : "");
		add_name(&body, e->d_name, false);
		add(&body, "%s</a></li>\n", sub ? "/" : "");
	}
	closedir(dir);
	add(&body, "</ul>\n%s</body></html>\n", e != NULL ? "<p>(cut short)</p>\n" : "");
	start_head(&t, 200, "text/html", body.length);
	add(&t, "\r\n");
	size_t head_length = t.length;
	if (body.data != NULL)
		add(&t, "%s", body.data);
	t.failed |= body.failed;
	free(body.data);
	answer_with(c, &t, 200, head_length, r->head_only);
}

static void answer_directory(struct conn *c, const struct request *r, const char *full)
{
	char index[FULL_PATH_MAX];
	struct stat st;

	if (r->path[strlen(r->path) - 1] != '/') {
		answer_redirect(c, r);
		return;
	}
	if (snprintf(index, sizeof(index), "%sindex.html", full) < (int)sizeof(index) &&
	    stat(index, &st) == 0 && S_ISREG(st.st_mode))
		answer_file(c, index, &st, r->head_only);
	else
		answer_listing(c, r, full);
}

void http_answer(struct conn *c, const char *root)
{
	static struct request r;
	char full[FULL_PATH_MAX];
	struct stat st;

	r = (struct request){ 0 };
	int status = parse_request(c, &r);
	if (status == 0 && snprintf(full, sizeof(full), "%s%s", root, r.path) >= (int)sizeof(full))
		status = 414;
	if (status == 0 && stat(full, &st) < 0)
		status = errno_status(errno);
	if (status != 0)
		http_error(c, status);
	else if (S_ISDIR(st.st_mode))
		answer_directory(c, &r, full);
	else if (S_ISREG(st.st_mode))
		answer_file(c, full, &st, r.head_only);
	else
		http_error(c, 403);
}
