/*
 * Pipes: a ring of UNIX_PIPE_SIZE bytes with a count of read ends and
 * write ends open.  A read of an empty pipe with writers waits (its
 * answer kept), a write to a full one too; each arrival of bytes or
 * room answers who waits, in the order they came.  A read or write that
 * nobody waits ahead of and that can go at once is answered in its own
 * reply, which the server sends with its next receive (the RPC fast
 * path); only a wait costs a kept answer, sent later on its own.  A
 * write of at most PIPE_BUF bytes goes in whole or waits; a larger one
 * may go in pieces.  With no reader left a write gets -EPIPE; with no
 * writer left a read of an empty pipe gets 0, the end of the file.
 */
#include "emul.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unix_reply.h>

/* A read or write that waits. */
struct pipe_wait {
	struct pipe_wait *next;
	struct proc *proc;
	mach_port_t reply;
	uint32_t size, done;        /* write: its bytes, and how many went in */
	char data[];                /* write: the bytes */
};

struct pipe {
	unsigned readers, writers;  /* open ends */
	uint32_t head, count;       /* the ring: where the bytes begin, how many */
	char ring[UNIX_PIPE_SIZE];
	struct pipe_wait *reads, *writes;   /* first come first */
};

int pipe_create(struct file **read_end, struct file **write_end)
{
	struct pipe *pipe = calloc(1, sizeof(*pipe));
	*read_end = file_new(FILE_PIPE_READ, O_RDONLY);
	*write_end = file_new(FILE_PIPE_WRITE, O_WRONLY);

	if (pipe == NULL || *read_end == NULL || *write_end == NULL) {
		free(pipe);
		free(*read_end);
		free(*write_end);
		return -ENOMEM;
	}
	pipe->readers = pipe->writers = 1;
	(*read_end)->pipe = (*write_end)->pipe = pipe;
	return 0;
}

int16_t pipe_poll(const struct file *f)
{
	const struct pipe *pipe = f->pipe;

	if (f->kind == FILE_PIPE_READ)
		return (pipe->count > 0 ? UNIX_POLLIN : 0) | (pipe->writers == 0 ? UNIX_POLLHUP : 0);
	if (pipe->readers == 0)
		return UNIX_POLLERR;
	return pipe->count < UNIX_PIPE_SIZE && pipe->writes == NULL ? UNIX_POLLOUT : 0;
}

static uint32_t ring_take(struct pipe *pipe, char *out, uint32_t n)
{
	n = n < pipe->count ? n : pipe->count;
	for (uint32_t i = 0; i < n; i++)
		out[i] = pipe->ring[(pipe->head + i) % UNIX_PIPE_SIZE];
	pipe->head = (pipe->head + n) % UNIX_PIPE_SIZE;
	pipe->count -= n;
	return n;
}

static uint32_t ring_put(struct pipe *pipe, const char *in, uint32_t n)
{
	uint32_t room = UNIX_PIPE_SIZE - pipe->count;

	n = n < room ? n : room;
	for (uint32_t i = 0; i < n; i++)
		pipe->ring[(pipe->head + pipe->count + i) % UNIX_PIPE_SIZE] = in[i];
	pipe->count += n;
	return n;
}

static void wait_append(struct pipe_wait **list, struct pipe_wait *w)
{
	while (*list != NULL)
		list = &(*list)->next;
	w->next = NULL;
	*list = w;
}

/* Takes what the waiting writers can put in; answers those done. */
static void pipe_fill(struct pipe *pipe)
{
	while (pipe->writes != NULL) {
		struct pipe_wait *w = pipe->writes;
		uint32_t left = w->size - w->done;
		if (pipe->readers == 0) {
			unix_write_reply(w->reply, KERN_SUCCESS, w->done > 0 ? (int64_t)w->done : -EPIPE);
			if (w->done == 0)
				signal_post(w->proc, SIGPIPE);
		} else {
			if (left <= PIPE_BUF && UNIX_PIPE_SIZE - pipe->count < left)
				return;
			w->done += ring_put(pipe, w->data + w->done, left);
			if (w->done < w->size)
				return;
			unix_write_reply(w->reply, KERN_SUCCESS, w->done);
		}
		pipe->writes = w->next;
		free(w);
	}
}

/* Answers the waiting readers while there are bytes, or no writers. */
static void pipe_drain(struct pipe *pipe)
{
	char buf[UNIX_IO_MAX];

	while (pipe->reads != NULL && (pipe->count > 0 || pipe->writers == 0)) {
		struct pipe_wait *r = pipe->reads;
		uint32_t n = ring_take(pipe, buf, r->size);
		unix_read_reply(r->reply, KERN_SUCCESS, n, buf, n);
		pipe->reads = r->next;
		free(r);
		pipe_fill(pipe);
	}
}

static void pipe_answer(struct pipe *pipe)
{
	pipe_fill(pipe);
	pipe_drain(pipe);
}

int pipe_read(struct proc *p, struct file *f, mach_port_t reply, uint32_t count, char *data,
	      uint32_t *got)
{
	struct pipe *pipe = f->pipe;

	if (pipe->reads == NULL && (pipe->count > 0 || pipe->writers == 0)) {
		*got = ring_take(pipe, data, count);
		pipe_fill(pipe);   /* the room it made */
		return 0;
	}
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	struct pipe_wait *r = malloc(sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	*r = (struct pipe_wait){ .proc = p, .reply = reply, .size = count };
	wait_append(&pipe->reads, r);
	pipe_answer(pipe);
	return EMUL_LATER;
}

int pipe_write(struct proc *p, struct file *f, mach_port_t reply, const char *data,
	       uint32_t count)
{
	struct pipe *pipe = f->pipe;
	uint32_t room = UNIX_PIPE_SIZE - pipe->count;

	if (pipe->readers == 0) {
		signal_post(p, SIGPIPE);
		return -EPIPE;
	}
	if ((f->flags & O_NONBLOCK) && (room == 0 || (count <= PIPE_BUF && room < count)))
		return -EAGAIN;
	if (pipe->writes == NULL && (room >= count || (f->flags & O_NONBLOCK))) {
		uint32_t n = ring_put(pipe, data, count);
		pipe_drain(pipe);
		return (int)n;
	}
	struct pipe_wait *w = malloc(sizeof(*w) + count);
	if (w == NULL)
		return -ENOMEM;
	*w = (struct pipe_wait){ .proc = p, .reply = reply, .size = count };
	memcpy(w->data, data, count);
	wait_append(&pipe->writes, w);
	pipe_answer(pipe);
	return EMUL_LATER;
}

void pipe_close(struct file *f)
{
	struct pipe *pipe = f->pipe;

	if (f->kind == FILE_PIPE_READ)
		pipe->readers--;
	else
		pipe->writers--;
	pipe_answer(pipe);
	if (pipe->readers == 0 && pipe->writers == 0)
		free(pipe);
}

/* p's waits in list end (signal.c's rule, in emul.h). */
static void cancel_in(struct pipe_wait **list, struct proc *p, bool answer, bool write)
{
	while (*list != NULL) {
		struct pipe_wait *w = *list;
		if (w->proc != p) {
			list = &w->next;
			continue;
		}
		*list = w->next;
		if (!answer)
			mach_port_deallocate(mach_task_self(), w->reply);
		else if (write)
			unix_write_reply(w->reply, KERN_SUCCESS, w->done > 0 ? (int64_t)w->done : -EINTR);
		else
			unix_read_reply(w->reply, KERN_SUCCESS, -EINTR, NULL, 0);
		free(w);
	}
}

/* Every pipe a descriptor of p's reaches. */
void pipe_cancel(struct proc *p, bool answer)
{
	for (int fd = 0; fd < UNIX_OPEN_MAX; fd++) {
		struct file *f = p->fds[fd].file;
		if (f != NULL && (f->kind == FILE_PIPE_READ || f->kind == FILE_PIPE_WRITE)) {
			cancel_in(&f->pipe->reads, p, answer, false);
			cancel_in(&f->pipe->writes, p, answer, true);
			pipe_answer(f->pipe);   /* a write that went makes room */
		}
	}
}
