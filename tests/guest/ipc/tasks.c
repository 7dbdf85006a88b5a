/* Messages between tasks: RPC to a server task, rights that cross, and
 * what a client sees when its server dies (ipctest.h). */
#include "ipctest.h"

#define ECHO_ID 7000   /* reply with the same body */
#define DIE_ID  7001   /* end the task without replying */
#define ECHO_NAME "ipctest.echo"

/* The server role: registers a port and answers until told to die. */
void role_server(void)
{
	mach_port_t names = MACH_PORT_NULL, port = port_receive_send();
	msg_buf_t m;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	if (bootstrap_register(names, ECHO_NAME, port) != KERN_SUCCESS)
		return;
	for (;;) {
		if (receive(port, &m, sizeof(m), 0, 0) != MACH_MSG_SUCCESS)
			continue;
		if (m.h.msgh_id == DIE_ID)
			task_terminate(mach_task_self());   /* holding the reply right */
		mach_port_t reply = m.h.msgh_remote_port;
		m.h.msgh_bits = (m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
				MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(m.h.msgh_bits), 0);
		m.h.msgh_remote_port = reply;
		m.h.msgh_local_port = MACH_PORT_NULL;
		m.h.msgh_id += 100;
		if (mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.h.msgh_size, 0, 0, 0, 0) !=
		    MACH_MSG_SUCCESS)
			mach_msg_destroy(&m.h);
	}
}

static kern_return_t look_up_once(void)
{
	mach_port_t names = MACH_PORT_NULL, echo = MACH_PORT_NULL;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	kern_return_t kr = bootstrap_look_up(names, ECHO_NAME, &echo);
	mach_port_deallocate(mach_task_self(), names);
	return kr;
}

/* The same RPC through the fast path and the general one. */
static void fast_and_general_agree(mach_port_t echo)
{
	msg_buf_t a, b;

	mach_sleep_ns(5 * MACH_NS_PER_MS);   /* the server is waiting again */
	uint64_t before = ipc_counts().fast_rpcs;
	mach_msg_return_t fa = ping_rpc(echo, ECHO_ID, &a, 0);
	uint64_t fast = ipc_counts().fast_rpcs - before;
	mach_sleep_ns(5 * MACH_NS_PER_MS);
	before = ipc_counts().fast_rpcs;
	mach_msg_return_t fb = ping_rpc(echo, ECHO_ID, &b, MACH_RCV_TIMEOUT);
	uint64_t general = ipc_counts().fast_rpcs - before;
	tap_ok(fa == MACH_MSG_SUCCESS && fast == 1, "an_rpc_to_a_waiting_server_takes_the_fast_path");
	if (fa != MACH_MSG_SUCCESS || fast != 1)
		diag("fast path: %x, %lu taken\n", fa, fast);
	tap_ok(fb == MACH_MSG_SUCCESS && general == 0, "an_rpc_with_a_timeout_takes_the_general_path");
	tap_ok(a.h.msgh_bits == b.h.msgh_bits && a.h.msgh_size == b.h.msgh_size &&
		       a.h.msgh_id == b.h.msgh_id && a.h.msgh_local_port == b.h.msgh_local_port &&
		       a.h.msgh_remote_port == b.h.msgh_remote_port &&
		       memcmp(a.bytes + 32, b.bytes + 32, 32) == 0,
	       "the_fast_and_general_paths_deliver_the_same_reply");
}

static mach_msg_return_t rpc(mach_port_t server, mach_msg_id_t id, msg_buf_t *m)
{
	return ping_rpc(server, id, m, MACH_RCV_TIMEOUT);
}

static mach_port_t watch(mach_port_t name, mach_port_t notify)
{
	mach_port_t prev;

	mach_port_request_notification(mach_task_self(), name, MACH_NOTIFY_DEAD_NAME, 0, notify,
				       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	return prev;
}

void test_tasks(void)
{
	struct host_ipc_info before = ipc_counts();
	mach_port_t task, notify = port_receive();
	msg_buf_t m;

	tap_kr(spawn_role("server", NULL, &task), KERN_SUCCESS, "a_server_task_starts");
	mach_port_t echo = look_up_service(ECHO_NAME);
	tap_ok(echo != MACH_PORT_NULL, "the_server_registers_and_is_looked_up");
	tap_kr(rpc(echo, ECHO_ID, &m), MACH_MSG_SUCCESS, "an_rpc_to_another_task_is_answered");
	tap_ok(m.h.msgh_id == ECHO_ID + 100 && memcmp(m.bytes + 32, "ping", 5) == 0 &&
		       MACH_MSGH_BITS_LOCAL(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE,
	       "the_reply_comes_through_the_send_once_right");
	fast_and_general_agree(echo);

	/* A port right to the server and back again. */
	mach_port_t mine = port_receive_send();
	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
	} *r = (void *)&m, s = { 0 };
	s.h.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	s.h.msgh_size = sizeof(s);
	s.h.msgh_remote_port = echo;
	s.h.msgh_local_port = mig_get_reply_port();
	s.h.msgh_id = ECHO_ID;
	s.body.msgh_descriptor_count = 1;
	s.port = (mach_msg_port_descriptor_t){ .name = mine, .disposition = MACH_MSG_TYPE_MAKE_SEND,
					       .type = MACH_MSG_PORT_DESCRIPTOR };
	memcpy(&m, &s, sizeof(s));
	tap_kr(mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(s),
			sizeof(m), s.h.msgh_local_port, 2000, 0),
	       MACH_MSG_SUCCESS, "a_send_right_goes_to_another_task_and_back");
	tap_ok(r->port.name == mine && port_refs(mine, MACH_PORT_RIGHT_SEND) == 2,
	       "the_returned_right_is_the_same_port_under_the_same_name");
	mach_port_destroy(mach_task_self(), mine);

	/* The server dies holding the reply right: the client hears it. */
	watch(task, notify);
	tap_kr(rpc(echo, DIE_ID, &m), MACH_MSG_SUCCESS,
	       "a_client_whose_server_dies_gets_a_message");
	tap_ok(m.h.msgh_id == MACH_NOTIFY_SEND_ONCE,
	       "the_message_is_the_send_once_notification");
	tap_kr(receive(notify, &m, sizeof(m), MACH_RCV_TIMEOUT, 1000), MACH_MSG_SUCCESS,
	       "the_dead_tasks_port_sends_a_dead_name_notification");
	tap_eq(port_type(task), MACH_PORT_TYPE_DEAD_NAME, "the_dead_tasks_port_is_a_dead_name");
	tap_eq(port_type(echo), MACH_PORT_TYPE_DEAD_NAME, "the_dead_servers_port_is_a_dead_name");
	tap_kr(send_simple(echo, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 32, 0, 0),
	       MACH_SEND_INVALID_DEST, "sending_to_a_dead_server_fails");
	mach_port_destroy(mach_task_self(), task);
	mach_port_destroy(mach_task_self(), echo);
	mach_port_destroy(mach_task_self(), notify);
	/* bootstrap holds the dead port until it sees it is dead. */
	tap_kr(look_up_once(), KERN_INVALID_NAME, "the_dead_servers_name_is_dropped");
	struct host_ipc_info after = ipc_counts();
	tap_ok(ipc_counts_equal(&before, &after), "a_task_that_ends_leaves_no_port_or_message");
}
