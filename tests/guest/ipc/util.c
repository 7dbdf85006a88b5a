/* Helpers of the ipctest groups. */
#include "ipctest.h"

mach_port_t port_receive(void)
{
	mach_port_t name = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name);
	return name;
}

mach_port_t port_receive_send(void)
{
	mach_port_t name = port_receive();

	mach_port_insert_right(mach_task_self(), name, name, MACH_MSG_TYPE_MAKE_SEND);
	return name;
}

mach_port_type_t port_type(mach_port_t name)
{
	mach_port_type_t type;

	return mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS ? type : 0;
}

mach_port_urefs_t port_refs(mach_port_t name, mach_port_right_t right)
{
	mach_port_urefs_t refs;

	return mach_port_get_refs(mach_task_self(), name, right, &refs) == KERN_SUCCESS ? refs
										    : 0;
}

mach_msg_return_t send_simple(mach_port_t dest, mach_msg_type_name_t disposition,
			      mach_port_t reply, mach_msg_type_name_t reply_disposition,
			      mach_msg_id_t id, mach_msg_size_t size, mach_msg_option_t option,
			      mach_msg_timeout_t timeout)
{
	msg_buf_t m;

	memset(&m, 0, size);
	m.h.msgh_bits = MACH_MSGH_BITS(disposition, reply_disposition);
	m.h.msgh_size = size;
	m.h.msgh_remote_port = dest;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = id;
	return mach_msg(&m.h, MACH_SEND_MSG | option, size, 0, MACH_PORT_NULL, timeout,
			MACH_PORT_NULL);
}

mach_msg_return_t receive(mach_port_t name, msg_buf_t *buf, mach_msg_size_t size,
			  mach_msg_option_t option, mach_msg_timeout_t timeout)
{
	return mach_msg(&buf->h, MACH_RCV_MSG | option, 0, size, name, timeout, MACH_PORT_NULL);
}

mach_msg_return_t send_port(mach_port_t dest, mach_port_t right,
			    mach_msg_type_name_t disposition, mach_msg_id_t id)
{
	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
	} m = { 0 };

	m.h.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = dest;
	m.h.msgh_id = id;
	m.body.msgh_descriptor_count = 1;
	m.port.name = right;
	m.port.disposition = (uint8_t)disposition;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

struct host_ipc_info ipc_counts(void)
{
	struct host_ipc_info info = { 0 };
	mach_msg_type_number_t count = HOST_IPC_INFO_COUNT;

	host_info(mach_host_self_, HOST_IPC_INFO, (host_info_t)&info, &count);
	return info;
}

bool ipc_counts_equal(const struct host_ipc_info *a, const struct host_ipc_info *b)
{
	bool same = a->ports == b->ports && a->port_sets == b->port_sets &&
		    a->messages == b->messages;
	if (!same)
		diag("ports %lu -> %lu, sets %lu -> %lu, messages %lu -> %lu\n", a->ports,
		     b->ports, a->port_sets, b->port_sets, a->messages, b->messages);
	return same;
}

kern_return_t spawn_role(const char *role, const char *extra, mach_port_t *task)
{
	char args[256];
	size_t n = mach_snprintf(args, sizeof(args), "role=%s", role) + 1;
	thread_t thread;

	if (extra != NULL) {
		size_t m = strlen(extra) + 1;
		memcpy(args + n, extra, m);
		n += m;
	}
	kern_return_t kr = host_boot_module_load(host_priv, "ipctest", args,
						 (mach_msg_type_number_t)n, task, &thread);
	if (kr != KERN_SUCCESS)
		return kr;
	mach_port_t names = MACH_PORT_NULL;
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	task_set_special_port(*task, TASK_BOOTSTRAP_PORT, names);
	task_set_special_port(*task, TASK_HOST_PRIV_PORT, host_priv);
	mach_port_deallocate(mach_task_self(), names);
	kr = thread_resume(thread);
	mach_port_deallocate(mach_task_self(), thread);
	return kr;
}

mach_port_t look_up_service(char *name)
{
	mach_port_t names = MACH_PORT_NULL, port = MACH_PORT_NULL;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	for (int i = 0; i < 200; i++) {
		if (bootstrap_look_up(names, name, &port) == KERN_SUCCESS)
			break;
		mach_sleep_ns(5 * MACH_NS_PER_MS);
	}
	mach_port_deallocate(mach_task_self(), names);
	return port;
}

mach_msg_return_t ping_rpc(mach_port_t server, mach_msg_id_t id, msg_buf_t *m,
			   mach_msg_option_t option)
{
	mach_port_t reply = mig_get_reply_port();

	memset(m, 0, 64);
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->h.msgh_size = 64;
	m->h.msgh_remote_port = server;
	m->h.msgh_local_port = reply;
	m->h.msgh_id = id;
	memcpy(m->bytes + 32, "ping", 5);
	return mach_msg(&m->h, MACH_SEND_MSG | MACH_RCV_MSG | option, 64, sizeof(*m), reply,
			option ? 2000 : 0, 0);
}
