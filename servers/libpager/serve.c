/*
 * The receive loop: one port set per server, holding its objects' ports
 * and the ports the pager added for its own clients.  A message on an
 * object's port goes to the pager protocol's demux (memory_object.defs,
 * then notify.defs for the no-senders and send-once notifications); one
 * on another port to the pager's demux.  Replies follow MIG's rules
 * (mach/mig_support.h): the kernel's messages are simpleroutines, so only
 * the pager's clients ever get one.
 */
#include <memory_objectServer.h>
#include <notifyServer.h>

#include "pager_priv.h"

typedef union {
	mach_msg_header_t h;
	mig_reply_error_t e;
	uint8_t b[MACH_MSG_SIZE_MAX];
} pager_buf_t;

unsigned pager_in_callback;

/* The message being served, for the checks that look at its header,
 * and the server it came to. */
static const mach_msg_header_t *current;
static struct pager_server *current_server;

bool pager_via_send_once(void)
{
	return current != NULL &&
	       MACH_MSGH_BITS_LOCAL(current->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE;
}

kern_return_t pager_server_init(struct pager_server *server, mig_demux_t demux)
{
	server->demux = demux;
	server->hooks = NULL;
	server->no_senders = NULL;
	return mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &server->port_set);
}

void pager_server_set_hooks(struct pager_server *server, const struct pager_hooks *hooks)
{
	server->hooks = hooks;
}

void pager_server_set_no_senders(struct pager_server *server, void (*notify)(mach_port_t port))
{
	server->no_senders = notify;
}

kern_return_t pager_added_no_senders(mach_port_t port)
{
	const char *what = "no-senders notification";

	if (current_server == NULL || current_server->no_senders == NULL) {
		pager_refuse(NULL, what, "on a port that is not an object's");
		return KERN_INVALID_ARGUMENT;
	}
	if (!pager_via_send_once()) {
		pager_refuse(NULL, what, "not sent through a send-once right");
		return KERN_INVALID_ARGUMENT;
	}
	if (!pager_senders_again(port))
		current_server->no_senders(port);
	return KERN_SUCCESS;
}

kern_return_t pager_server_add_port(struct pager_server *server, mach_port_t port)
{
	return mach_port_move_member(mach_task_self(), port, server->port_set);
}

/* The reply a demux makes to an id it does not know. */
static void reply_bad_id(const mach_msg_header_t *in, mach_msg_header_t *out)
{
	*out = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0),
		.msgh_remote_port = in->msgh_reply_port,
		.msgh_id = (mach_msg_id_t)((uint32_t)in->msgh_id + 100u),
	};
	mig_reply_error(out, MIG_BAD_ID);
}

static void demux(struct pager_server *server, mach_msg_header_t *in, mach_msg_header_t *out)
{
	current = in;
	current_server = server;
	if (pager_find(in->msgh_local_port) != NULL) {
		if (!memory_object_server(in, out) && !notify_server(in, out))
			pager_refuse(pager_find(in->msgh_local_port), "a message",
				     "not of the pager protocol");
	} else if ((server->demux == NULL || !server->demux(in, out)) &&
		   (server->no_senders == NULL || !notify_server(in, out))) {
		reply_bad_id(in, out);
	}
	current = NULL;
	current_server = NULL;
}

/* Settles who owns what after the demux, and sends the reply if any. */
static void answer(mach_msg_header_t *in, mig_reply_error_t *out)
{
	if (!(out->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (out->RetCode == MIG_NO_REPLY)
			return;   /* the server took the request's rights and memory */
		if (out->RetCode != KERN_SUCCESS) {
			in->msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(in);   /* the server took nothing */
		}
	}
	if (out->Head.msgh_remote_port == MACH_PORT_NULL) {
		mach_msg_destroy(&out->Head);
		return;
	}
	/* A client that does not take its reply at once loses it. */
	if (mach_msg(&out->Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out->Head.msgh_size, 0,
		     MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		mach_msg_destroy(&out->Head);
}

void pager_serve_message(struct pager_server *server, mach_msg_header_t *in,
			 mig_reply_error_t *out)
{
	demux(server, in, &out->Head);
	answer(in, out);
}

/* Errors after which the loop goes on: the message, or what of it the
 * kernel could not give, is gone, but the port still works. */
static bool receive_goes_on(mach_msg_return_t mr)
{
	return mr == MACH_RCV_HEADER_ERROR || mr == MACH_RCV_BODY_ERROR ||
	       mr == MACH_RCV_INTERRUPTED;
}

/*
 * The loop receives into one of two buffers and serves the message; a
 * data_request's last data_supply is prepared in the other
 * (pager_deferred_buffer) and sent by the next mach_msg, which receives
 * into the same buffer: the kernel takes the answer (waking the faulting
 * thread) and gives the next request in one trap.
 */
mach_msg_return_t pager_serve(struct pager_server *server)
{
	/* One loop per program (the library is single-threaded): the
	 * buffers need not be on the 64 KiB stack. */
	static pager_buf_t in[2], out;
	unsigned i = 0;
	mach_msg_size_t send_size = 0;

	for (;;) {
		mach_msg_option_t option = MACH_RCV_MSG | (send_size != 0 ? MACH_SEND_MSG : 0);
		mach_msg_return_t mr = mach_msg(&in[i].h, option, send_size, sizeof(in[i]),
						server->port_set, MACH_MSG_TIMEOUT_NONE,
						MACH_PORT_NULL);
		if (send_size != 0) {
			send_size = 0;
			pager_deferred_sent(MACH_MSG_RCV_ERROR_P(mr) ? MACH_MSG_SUCCESS : mr);
			if (!MACH_MSG_RCV_ERROR_P(mr) && mr != MACH_MSG_SUCCESS)
				continue;   /* not sent, nothing received */
		}
		if (mr != MACH_MSG_SUCCESS) {
			if (!receive_goes_on(mr))
				return mr;
			continue;
		}
		pager_deferred_buffer = &in[i ^ 1].h;
		pager_serve_message(server, &in[i].h, &out.e);
		pager_deferred_buffer = NULL;
		if (pager_deferred_ready()) {
			i ^= 1;
			send_size = in[i].h.msgh_size;
		}
	}
}

mach_msg_return_t pager_serve_one(struct pager_server *server, mach_port_t port,
				  mach_msg_timeout_t timeout_ms)
{
	/* pager_lock's; it never runs inside itself (pager_priv.h). */
	static pager_buf_t in, out;
	mach_msg_header_t *deferred = pager_deferred_buffer;

	mach_msg_return_t mr = mach_msg(&in.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in),
					port, timeout_ms, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS) {
		/* Its answers go at once: the deferred one is the loop's. */
		pager_deferred_buffer = NULL;
		pager_serve_message(server, &in.h, &out.e);
		pager_deferred_buffer = deferred;
	}
	return receive_goes_on(mr) ? MACH_MSG_SUCCESS : mr;
}
