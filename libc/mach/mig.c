/*
 * The run-time of generated stubs and servers (mach/mig_support.h): the
 * per-thread reply port, destroying a received message, and the server
 * receive loop.
 */
#include <mach/mach.h>

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

mach_msg_return_t mach_msg_server(mig_demux_t demux, mach_msg_size_t max_size,
				  mach_port_t port)
{
	union {
		mach_msg_header_t h;
		uint8_t b[MACH_MSG_SIZE_MAX];
	} in;
	union {
		mig_reply_error_t e;
		uint8_t b[MACH_MSG_SIZE_MAX];
	} out;

	if (max_size > sizeof(in))
		max_size = sizeof(in);
	for (;;) {
		mach_msg_return_t mr = mach_msg(&in.h, MACH_RCV_MSG, 0, max_size, port,
						MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE) {
			/* Not one of ours: take it with a full buffer and drop it. */
			mr = mach_msg(&in.h, MACH_RCV_MSG, 0, sizeof(in), port,
				      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
			if (mr == MACH_MSG_SUCCESS)
				mach_msg_destroy(&in.h);
			continue;
		}
		if (mr != MACH_MSG_SUCCESS)
			return mr;
		demux(&in.h, &out.e.Head);
		if (!(out.e.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
			if (out.e.RetCode == MIG_NO_REPLY)
				continue;
			if (out.e.RetCode != KERN_SUCCESS) {
				in.h.msgh_remote_port = MACH_PORT_NULL;
				mach_msg_destroy(&in.h);
			}
		}
		if (out.e.Head.msgh_remote_port == MACH_PORT_NULL) {
			mach_msg_destroy(&out.e.Head);
			continue;
		}
		mr = mach_msg(&out.e.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
			      out.e.Head.msgh_size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			mach_msg_destroy(&out.e.Head);
	}
}
