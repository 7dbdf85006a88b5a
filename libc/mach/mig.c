/*
 * The run-time of generated stubs and servers (mach/mig_support.h): the
 * per-thread reply port, destroying a received message, and the server
 * receive loop.
 */
#include <mach/mach.h>
#include <stdbool.h>

struct mach_thread_data *mach_thread_data(void)
{
	struct mach_thread_data *d;

	__asm__("mov %%fs:0, %0" : "=r"(d));
	return d;
}

mach_port_t mig_get_reply_port(void)
{
	struct mach_thread_data *d = mach_thread_data();

	if (d->reply_port == MACH_PORT_NULL)
		d->reply_port = mach_reply_port();
	return d->reply_port;
}

void mig_dealloc_reply_port(mach_port_t reply_port)
{
	struct mach_thread_data *d = mach_thread_data();

	if (reply_port == d->reply_port)
		d->reply_port = MACH_PORT_NULL;
	mach_port_mod_refs(mach_task_self(), reply_port, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* Releases one right the receiver holds under name, of type. */
static void destroy_right(mach_port_name_t name, mach_msg_type_name_t type)
{
	if (name == MACH_PORT_NULL || name == MACH_PORT_DEAD)
		return;
	if (type == MACH_MSG_TYPE_PORT_RECEIVE)
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
	else
		mach_port_deallocate(mach_task_self(), name);
}

void mach_msg_destroy(mach_msg_header_t *msg)
{
	destroy_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
	if (!(msg->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	mach_msg_body_t *body = (mach_msg_body_t *)(msg + 1);
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
	mach_msg_size_t room = (msg->msgh_size - sizeof(*msg) - sizeof(*body)) / sizeof(*d);
	mach_msg_size_t n = body->msgh_descriptor_count;

	for (mach_msg_size_t i = 0; i < n && i < room; i++) {
		switch (d[i].type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			destroy_right(d[i].port.name, d[i].port.disposition);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
			vm_deallocate(mach_task_self(), (vm_address_t)d[i].out_of_line.address,
				      d[i].out_of_line.size);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_name_t *names = d[i].ool_ports.address;
			for (mach_msg_size_t j = 0; j < d[i].ool_ports.count; j++)
				destroy_right(names[j], d[i].ool_ports.disposition);
			vm_deallocate(mach_task_self(), (vm_address_t)names,
				      d[i].ool_ports.count * sizeof(*names));
			break;
		}
		}
	}
}

/* A failure of the send half of mach_msg (then nothing was received). */
static bool send_failed(mach_msg_return_t mr)
{
	return mr >= MACH_SEND_IN_PROGRESS && mr < MACH_RCV_IN_PROGRESS;
}

typedef union {
	mach_msg_header_t h;
	mig_reply_error_t e;
	uint8_t b[MACH_MSG_SIZE_MAX];
} server_buf_t;

static mach_msg_return_t receive(server_buf_t *buf, mach_msg_size_t size, mach_port_t port)
{
	return mach_msg(&buf->h, MACH_RCV_MSG, 0, size, port, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

/*
 * After demux has run on request: settles who owns what by MIG's rules
 * (mach/mig_support.h) and says whether reply is to be sent.
 */
static bool settle(server_buf_t *request, server_buf_t *reply)
{
	if (!(reply->h.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (reply->e.RetCode == MIG_NO_REPLY)
			return false;   /* kept, or answered later */
		if (reply->e.RetCode != KERN_SUCCESS) {
			request->h.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&request->h);   /* the server took nothing */
		}
	}
	if (reply->h.msgh_remote_port == MACH_PORT_NULL) {
		mach_msg_destroy(&reply->h);
		return false;
	}
	return true;
}

/* Takes a message too large for max_size with a full buffer, and drops it. */
static void drop_too_large(server_buf_t *buf, mach_port_t port)
{
	if (receive(buf, sizeof(*buf), port) == MACH_MSG_SUCCESS)
		mach_msg_destroy(&buf->h);
}

uint64_t mach_tick_now(struct mach_tick_clock *clock)
{
	if (!clock->read) {
		clock->ns = mach_clock_ns();
		clock->read = true;
	}
	return clock->ns;
}

/* How long the next receive may wait: until tick's deadline, if any. */
static inline mach_msg_timeout_t next_timeout(mach_msg_tick_t tick, void *arg,
				       mach_msg_option_t *option)
{
	struct mach_tick_clock clock = { .read = false };

	if (tick == NULL)
		return MACH_MSG_TIMEOUT_NONE;
	uint64_t next = tick(arg, &clock);
	if (next == UINT64_MAX)
		return MACH_MSG_TIMEOUT_NONE;
	uint64_t now = mach_tick_now(&clock);
	*option |= MACH_RCV_TIMEOUT;
	return next <= now ? 0
			   : (mach_msg_timeout_t)((next - now + MACH_NS_PER_MS - 1) /
						  MACH_NS_PER_MS);
}

/*
 * The receive loop of both: a request is received into one buffer and
 * its reply built in the other, which then sends the reply and receives
 * the next request in one call (the kernel's RPC fast path): the
 * buffers trade places.  A reply goes through a send-once right, which
 * never waits.
 */
static inline __attribute__((always_inline)) mach_msg_return_t
serve(mig_demux_t demux, mach_msg_size_t max_size, mach_port_t port,
      mach_msg_tick_t tick, void *arg, server_buf_t *a, server_buf_t *b)
{
	server_buf_t *request = a, *reply = b;
	mach_msg_option_t option = MACH_RCV_MSG;
	mach_msg_timeout_t ms = next_timeout(tick, arg, &option);

	if (max_size > sizeof(*a))
		max_size = sizeof(*a);
	mach_msg_return_t mr = mach_msg(&request->h, option, 0, max_size, port, ms,
					MACH_PORT_NULL);
	for (;;) {
		if (mr == MACH_RCV_TOO_LARGE) {
			drop_too_large(request, port);
		} else if (mr == MACH_MSG_SUCCESS) {
			demux(&request->h, &reply->h);
			if (settle(request, reply)) {
				option = MACH_RCV_MSG;
				ms = next_timeout(tick, arg, &option);
				mr = mach_msg(&reply->h, option | MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					      reply->h.msgh_size, max_size, port, ms,
					      MACH_PORT_NULL);
				if (!send_failed(mr)) {
					server_buf_t *t = request;
					request = reply;
					reply = t;
					continue;
				}
				mach_msg_destroy(&reply->h);
			}
		} else if (tick == NULL || (mr != MACH_RCV_TIMED_OUT &&
					    mr != MACH_RCV_HEADER_ERROR &&
					    mr != MACH_RCV_BODY_ERROR)) {
			/* Not a timeout, nor a message the kernel could not
			 * give whole (it is gone): the ports are broken. */
			return mr;
		}
		option = MACH_RCV_MSG;
		ms = next_timeout(tick, arg, &option);
		mr = mach_msg(&request->h, option, 0, max_size, port, ms, MACH_PORT_NULL);
	}
}

mach_msg_return_t mach_msg_server(mig_demux_t demux, mach_msg_size_t max_size,
				  mach_port_t port)
{
	server_buf_t a, b;

	return serve(demux, max_size, port, NULL, NULL, &a, &b);
}

mach_msg_return_t mach_msg_server_timed(mig_demux_t demux, mach_msg_size_t max_size,
					mach_port_t port, mach_msg_tick_t tick, void *arg)
{
	static server_buf_t a, b;   /* one loop per task: the drivers' */

	return serve(demux, max_size, port, tick, arg, &a, &b);
}
