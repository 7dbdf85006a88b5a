/* The loopback transport: see loopback.h. */
#include "loopback.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SERVERS 64

struct loopback_stats loopback_stats;
void (*loopback_capture)(const mach_msg_header_t *request);
void (*loopback_reply_hook)(mach_msg_header_t *reply);

static mach_port_seqno_t seqno;

static struct server {
	mach_port_name_t port;
	mig_demux_t demux;
	mach_msg_size_t max_reply;
} servers[MAX_SERVERS];
static unsigned nservers;

void loopback_serve(mach_port_name_t port, mig_demux_t demux,
		    mach_msg_size_t max_reply)
{
	if (nservers == MAX_SERVERS)
		abort();
	servers[nservers++] = (struct server){ port, demux, max_reply };
}

static struct server *server_of(mach_port_name_t port)
{
	for (unsigned i = 0; i < nservers; i++)
		if (servers[i].port == port)
			return &servers[i];
	return NULL;
}

static int received_right(unsigned disposition)
{
	switch (disposition) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	default:
		return -1;
	}
}

static void *copy_region(const void *from, size_t size)
{
	void *to = malloc(size ? size : 1);

	if (to == NULL)
		abort();
	if (size != 0)
		memcpy(to, from, size);
	return to;
}

/* Copies one descriptor to the receiver; false if the kernel refuses. */
static int transfer_descriptor(mach_msg_descriptor_t *d)
{
	int right;

	switch (d->type.type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		right = received_right(d->port.disposition);
		if (right < 0)
			return 0;
		d->port.disposition = (uint8_t)right;
		d->port.name_slot = (uint32_t)d->port.name;
		return 1;
	case MACH_MSG_OOL_DESCRIPTOR: {
		void *from = d->out_of_line.address;

		d->out_of_line.address = copy_region(from, d->out_of_line.size);
		if (d->out_of_line.deallocate)
			free(from);
		return 1;
	}
	case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
		void *from = d->ool_ports.address;

		right = received_right(d->ool_ports.disposition);
		if (right < 0)
			return 0;
		d->ool_ports.disposition = (uint8_t)right;
		d->ool_ports.address = copy_region(
			from, (size_t)d->ool_ports.count * sizeof(mach_port_name_t));
		if (d->ool_ports.deallocate)
			free(from);
		return 1;
	}
	default:
		return 0;
	}
}

static mach_msg_return_t transfer_body(mach_msg_header_t *msg)
{
	mach_msg_body_t *body = (mach_msg_body_t *)(msg + 1);
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);

	if (msg->msgh_size < sizeof *msg + sizeof *body ||
	    body->msgh_descriptor_count >
		    (msg->msgh_size - sizeof *msg - sizeof *body) / sizeof *d)
		return MACH_SEND_MSG_TOO_SMALL;
	for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++)
		if (!transfer_descriptor(&d[i]))
			return MACH_SEND_INVALID_TYPE;
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t check_header(const mach_msg_header_t *msg,
				      mach_msg_size_t size)
{
	unsigned remote = MACH_MSGH_BITS_REMOTE(msg->msgh_bits);
	unsigned local = MACH_MSGH_BITS_LOCAL(msg->msgh_bits);

	if (size < sizeof *msg || size != msg->msgh_size || size % 8 != 0)
		return MACH_SEND_MSG_TOO_SMALL;
	if (size > MACH_MSG_SIZE_MAX)
		return MACH_SEND_TOO_LARGE;
	if ((msg->msgh_bits & ~MACH_MSGH_BITS_USED) != 0 ||
	    received_right(remote) < 0 ||
	    (local != 0 && received_right(local) < 0))
		return MACH_SEND_INVALID_HEADER;
	return MACH_MSG_SUCCESS;
}

mach_msg_header_t *loopback_transfer(const mach_msg_header_t *msg,
				     mach_msg_size_t size,
				     mach_msg_return_t *mr)
{
	mach_msg_header_t *to;
	unsigned remote = MACH_MSGH_BITS_REMOTE(msg->msgh_bits);
	unsigned local = MACH_MSGH_BITS_LOCAL(msg->msgh_bits);

	*mr = check_header(msg, size);
	if (*mr != MACH_MSG_SUCCESS)
		return NULL;
	to = copy_region(msg, size);
	to->msgh_remote_slot = (uint32_t)msg->msgh_local_port;
	to->msgh_local_slot = (uint32_t)msg->msgh_remote_port;
	to->msgh_seqno = seqno++;
	to->msgh_bits = (msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
			MACH_MSGH_BITS(local ? received_right(local) : 0,
				       received_right(remote));
	if (msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		*mr = transfer_body(to);
		if (*mr != MACH_MSG_SUCCESS) {
			free(to); /* the regions copied so far leak: a bug anyway */
			return NULL;
		}
	}
	return to;
}

/* Releases what a received message carries, reading only inside it. */
void mach_msg_destroy(mach_msg_header_t *msg)
{
	mach_msg_body_t *body = (mach_msg_body_t *)(msg + 1);
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
	mach_msg_size_t n;

	loopback_stats.destroyed++;
	if (!(msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    msg->msgh_size < sizeof *msg + sizeof *body)
		return;
	n = body->msgh_descriptor_count;
	if (n > (msg->msgh_size - sizeof *msg - sizeof *body) / sizeof *d)
		n = (msg->msgh_size - sizeof *msg - sizeof *body) / sizeof *d;
	for (mach_msg_size_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_OOL_DESCRIPTOR)
			free(d[i].out_of_line.address);
		else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			free(d[i].ool_ports.address);
	}
}

void loopback_free(mach_msg_header_t *msg)
{
	mach_msg_destroy(msg);
	loopback_stats.destroyed--;
	free(msg);
}

mach_port_t mig_get_reply_port(void)
{
	return LOOPBACK_REPLY_PORT;
}

void mig_dealloc_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
	loopback_stats.reply_port_deallocs++;
}

/* Runs the demux and applies the receive loop's rule (mig_support.h);
 * returns the reply to deliver, or NULL. */
static mach_msg_header_t *serve(struct server *s, mach_msg_header_t *req)
{
	mach_msg_header_t *reply = malloc(s->max_reply);
	mig_reply_error_t *err = (mig_reply_error_t *)reply;

	if (reply == NULL)
		abort();
	if (loopback_capture != NULL)
		loopback_capture(req);
	s->demux(req, reply);
	if (!(reply->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    err->RetCode == MIG_NO_REPLY) {
		free(req); /* the server kept what it carried */
		free(reply);
		return NULL;
	}
	if (!(reply->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    err->RetCode != KERN_SUCCESS)
		mach_msg_destroy(req);
	free(req);
	return reply;
}

/* The reply as the client receives it, in the client's buffer. */
static mach_msg_return_t deliver(mach_msg_header_t *reply,
				 mach_msg_header_t *buffer,
				 mach_msg_size_t rcv_size)
{
	mach_msg_return_t mr;
	mach_msg_header_t *got = loopback_transfer(reply, reply->msgh_size, &mr);

	free(reply);
	if (got == NULL)
		return mr;
	if (loopback_reply_hook != NULL)
		loopback_reply_hook(got);
	if (got->msgh_size > rcv_size) {
		loopback_free(got);
		return MACH_RCV_TOO_LARGE;
	}
	memcpy(buffer, got, got->msgh_size);
	free(got);
	loopback_stats.replies++;
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t send_and_receive(mach_msg_header_t *msg,
					  mach_msg_size_t send_size,
					  mach_msg_size_t rcv_size, int receive)
{
	struct server *s = server_of((mach_port_name_t)msg->msgh_remote_port);
	mach_msg_header_t *req, *reply;
	mach_msg_return_t mr;

	if (s == NULL)
		return MACH_SEND_INVALID_DEST;
	loopback_stats.sends++;
	loopback_stats.last_reply_port = (mach_port_name_t)msg->msgh_local_port;
	req = loopback_transfer(msg, send_size, &mr);
	if (req == NULL)
		return mr;
	reply = serve(s, req);
	if (!receive) {
		if (reply != NULL)
			free(reply); /* error replies of simpleroutines: simple */
		return MACH_MSG_SUCCESS;
	}
	if (reply == NULL)
		return MACH_RCV_TIMED_OUT; /* nobody will ever answer */
	return deliver(reply, msg, rcv_size);
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	(void)notify;
	loopback_stats.last_option = option;
	loopback_stats.last_timeout = timeout;
	loopback_stats.last_rcv_name = rcv_name;
	if (!(option & MACH_SEND_MSG))
		return MACH_RCV_INVALID_NAME; /* nothing to receive from */
	return send_and_receive(msg, send_size, rcv_size,
				(option & MACH_RCV_MSG) != 0);
}

mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg,
					    mach_msg_option_t option,
					    mach_msg_size_t send_size,
					    mach_msg_timeout_t timeout)
{
	return mach_msg(msg, option, send_size, 0, MACH_PORT_NULL, timeout,
			MACH_PORT_NULL);
}

mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg,
					   mach_msg_option_t option,
					   mach_msg_size_t send_size,
					   mach_msg_size_t rcv_size,
					   mach_msg_timeout_t timeout)
{
	msg->msgh_local_port = LOOPBACK_REPLY_PORT;
	return mach_msg(msg, option, send_size, rcv_size, LOOPBACK_REPLY_PORT,
			timeout, MACH_PORT_NULL);
}
