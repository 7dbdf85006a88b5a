/*
 * httpd's connections (httpd.c: the table and the poll loop;
 * http_reply.c: a request's answer).  Each connection passes through
 *
 *   READING --head complete, or refused--> SENDING --all sent-->
 *   LINGERING --the client's end, or LINGER_MS--> FREE
 *
 * and is closed early on an error, a reset, or a deadline: IDLE_MS
 * without progress, or REQUEST_MS to send a whole request head.  While
 * LINGERING the socket is shut for writing and what the client still
 * sends is read and dropped: closing a socket with unread data resets
 * the connection, which may throw away the end of the answer.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "net.h"

/* Connections at once.  A process has 64 descriptors: each connection
 * may hold its socket and a file, besides stdio, the listener and a
 * directory being listed. */
#define HTTPD_CONNECTIONS 28
#define REQUEST_MAX 4096            /* request line and headers: 431 beyond */
#define REQUEST_LINE_MAX 2048       /* the request line: 414 beyond */
#define IDLE_MS 10000
#define REQUEST_MS 30000
#define LINGER_MS 2000

enum conn_state { CONN_FREE, CONN_READING, CONN_SENDING, CONN_LINGERING };

struct conn {
	enum conn_state state;
	int fd;
	struct in_addr peer;
	uint64_t accepted_ms, active_ms;   /* net_now_ms: accept, last progress */
	char in[REQUEST_MAX + 1];          /* the request, NUL after in_length */
	size_t in_length;
	char *out;                         /* the head, and a generated body */
	size_t out_length, out_sent;
	int file;                          /* the body's file, or -1 */
	uint64_t file_left;                /* its bytes not read yet */
	char chunk[NET_CHUNK];             /* read from file, not all sent */
	size_t chunk_length, chunk_sent;
	/* The log's line: */
	char method[8], path[128];
	int status;
	uint64_t head_length, sent;        /* sent: head and body bytes */
	bool logged;
};

/*
 * The answer to c's request head (c->in), into c->out (and c->file):
 * files under root, GET and HEAD.  Sets c->method, c->path and
 * c->status for the log.
 */
void http_answer(struct conn *c, const char *root);

/* An error answer with status (400, 408, 414, 431, 503, ...) and a small
 * HTML body, into c->out; c->method and c->path are left as they are. */
void http_error(struct conn *c, int status);
