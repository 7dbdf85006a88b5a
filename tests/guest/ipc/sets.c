/*
 * The RPC fast path with a server that receives on a port set, as
 * mach_msg_server does (emul, the file server): both halves of a round
 * trip take it, the reply is the general path's, a message queued on a
 * member ends the server's wait at once, and a set destroyed under a
 * server waiting there ends its receive as the general path does
 * (ipctest.h).  The same for a server that sends its replies on their
 * own and receives alone, as a pager does after a one-way data_supply:
 * its receive waits in the fast path's continuation.
 */
#include "ipctest.h"

#define ECHO_ID   7100   /* reply with the body, the notes seen and the set's name */
#define NOTE_ID   7101   /* one-way: counted */
#define QUEUE_ID  7102   /* queue a note on the second port, then reply */
#define WATCH_ID  7103   /* keep the reply right; answer it with the receive's error */

/* The services of the two servers: the RPC one's and the one that
 * receives alone. */
static const char *const service[2][2] = {
	{ "ipctest.set.a", "ipctest.set.b" },
	{ "ipctest.alone.a", "ipctest.alone.b" },
};

struct answer {
	uint32_t notes;
	mach_port_t set;
};

static void make_reply(msg_buf_t *m, uint32_t notes, mach_port_t set)
{
	struct answer a = { notes, set };

	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	m->h.msgh_local_port = MACH_PORT_NULL;
	m->h.msgh_size = 64;
	m->h.msgh_id += 100;
	memcpy(m->bytes + 40, &a, sizeof(a));
}

/* The server role: ports A and B in one set, each answer sent with the
 * next receive in one call (alone: sent on its own, then the receive);
 * after a receive fails, the kept WATCH right hears why, and the role
 * ends. */
void role_set_server(bool alone)
{
	mach_port_t names = MACH_PORT_NULL, set = MACH_PORT_NULL, watch = MACH_PORT_NULL;
	mach_port_t a = port_receive_send(), b = port_receive_send();
	mach_msg_size_t send = 0;
	uint32_t notes = 0;
	msg_buf_t m;

	/* As urgent as the tests (main.c), so that a reply sent alone does
	 * not switch to them before the receive. */
	thread_priority(mach_thread_self(), 20, FALSE);
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set);
	mach_port_move_member(mach_task_self(), a, set);
	mach_port_move_member(mach_task_self(), b, set);
	if (bootstrap_register(names, (char *)service[alone][1], b) != KERN_SUCCESS ||
	    bootstrap_register(names, (char *)service[alone][0], a) != KERN_SUCCESS)
		return;
	for (;;) {
		if (alone && send != 0)
			mach_msg(&m.h, MACH_SEND_MSG, send, 0, 0, 0, 0);
		mach_msg_option_t option = MACH_RCV_MSG | (send && !alone ? MACH_SEND_MSG : 0);
		mach_msg_return_t mr = mach_msg(&m.h, option, send, sizeof(m), set, 0, 0);
		send = 0;
		if (mr != MACH_MSG_SUCCESS) {
			m.h = (mach_msg_header_t){
				.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
				.msgh_size = 64, .msgh_remote_port = watch, .msgh_id = WATCH_ID };
			memcpy(m.bytes + 40, &mr, sizeof(mr));
			mach_msg(&m.h, MACH_SEND_MSG, 64, 0, 0, 0, 0);
			return;
		}
		if (m.h.msgh_id == NOTE_ID) {
			notes++;
			continue;
		}
		if (m.h.msgh_id == WATCH_ID) {
			watch = m.h.msgh_remote_port;
			continue;
		}
		if (m.h.msgh_id == QUEUE_ID)
			send_simple(b, MACH_MSG_TYPE_COPY_SEND, 0, 0, NOTE_ID, 32, 0, 0);
		make_reply(&m, notes, set);
		send = 64;
	}
}

/* An RPC of id to server; option MACH_RCV_TIMEOUT keeps the caller's half
 * off the fast path.  *fast: the fast RPCs it made; *waits (if not NULL):
 * the receives that waited in the fast path's continuation meanwhile. */
static mach_msg_return_t call_waits(mach_port_t server, mach_msg_id_t id, msg_buf_t *m,
				    mach_msg_option_t option, uint64_t *fast, uint64_t *waits)
{
	struct host_ipc_info before = ipc_counts();
	mach_msg_return_t mr = ping_rpc(server, id, m, option);
	struct host_ipc_info after = ipc_counts();

	*fast = after.fast_rpcs - before.fast_rpcs;
	if (waits != NULL)
		*waits = after.fast_waits - before.fast_waits;
	return mr;
}

static mach_msg_return_t call(mach_port_t server, mach_msg_id_t id, msg_buf_t *m,
			      mach_msg_option_t option, uint64_t *fast)
{
	return call_waits(server, id, m, option, fast, NULL);
}

static struct answer answer_of(const msg_buf_t *m)
{
	struct answer a;

	memcpy(&a, m->bytes + 40, sizeof(a));
	return a;
}

static bool same_reply(const msg_buf_t *x, const msg_buf_t *y)
{
	return x->h.msgh_bits == y->h.msgh_bits && x->h.msgh_size == y->h.msgh_size &&
	       x->h.msgh_id == y->h.msgh_id && x->h.msgh_local_port == y->h.msgh_local_port &&
	       x->h.msgh_remote_port == y->h.msgh_remote_port &&
	       memcmp(x->bytes + 32, y->bytes + 32, 32) == 0;
}

/* The set destroyed from outside while the server waits on it in the
 * fast path (alone: its receive alone, in the continuation): its receive
 * fails as the general path's does. */
static void set_destroyed(mach_port_t task, mach_port_t server, mach_port_t set, bool alone)
{
	mach_port_t watch = port_receive();
	msg_buf_t m;
	uint64_t fast, waits;

	send_simple(server, MACH_MSG_TYPE_COPY_SEND, watch, MACH_MSG_TYPE_MAKE_SEND_ONCE, WATCH_ID,
		    32, 0, 0);
	mach_sleep_ns(5 * MACH_NS_PER_MS);     /* the server takes it and waits again */
	call_waits(server, ECHO_ID, &m, 0, &fast, &waits);   /* and now in the fast path */
	if (alone)
		tap_eq(waits, 1, "the_server_receiving_alone_waits_in_the_continuation");
	else
		tap_eq(fast, 2, "the_server_waits_on_its_set_in_the_fast_path");
	tap_kr(mach_port_destroy(task, set), KERN_SUCCESS,
	       alone ? "a_set_is_destroyed_under_a_receive_alone" : "a_servers_set_is_destroyed_under_it");
	mach_msg_return_t mr = receive(watch, &m, sizeof(m), MACH_RCV_TIMEOUT, 2000);
	mach_msg_return_t got = 0;
	memcpy(&got, m.bytes + 40, sizeof(got));
	tap_ok(mr == MACH_MSG_SUCCESS && got == MACH_RCV_PORT_DIED,
	       alone ? "the_receive_alone_ends_in_port_died_as_on_the_general_path"
		     : "its_receive_ends_in_port_died_as_on_the_general_path");
	if (mr != MACH_MSG_SUCCESS || got != MACH_RCV_PORT_DIED)
		diag("receive %x, the server's %x\n", mr, got);
	mach_port_destroy(mach_task_self(), watch);
}

void test_sets(void)
{
	mach_port_t task;
	msg_buf_t x, y;
	uint64_t fast, general;

	tap_kr(spawn_role("set_server", NULL, &task), KERN_SUCCESS, "a_port_set_server_starts");
	mach_port_t a = look_up_service((char *)service[0][0]);
	call(a, ECHO_ID, &x, 0, &fast);   /* the server's first receive was the general path's */
	mach_msg_return_t fx = call(a, ECHO_ID, &x, 0, &fast);
	tap_ok(fx == MACH_MSG_SUCCESS && fast == 2,
	       "an_rpc_to_a_server_on_a_port_set_is_fast_both_ways");
	if (fx != MACH_MSG_SUCCESS || fast != 2)
		diag("%x, %lu fast\n", fx, fast);
	mach_msg_return_t fy = call(a, ECHO_ID, &y, MACH_RCV_TIMEOUT, &general);
	tap_ok(fy == MACH_MSG_SUCCESS && general == 1 && same_reply(&x, &y),
	       "a_port_set_server_answers_the_same_with_a_caller_on_the_general_path");

	/* QUEUE's reply is sent with a note queued on B: the receive takes
	 * it at once, and the next reply counts it. */
	call(a, QUEUE_ID, &x, 0, &fast);
	call(a, ECHO_ID, &x, 0, &fast);
	tap_eq(answer_of(&x).notes, 1,
	       "a_reply_and_receive_on_a_set_with_a_message_queued_takes_it");

	set_destroyed(task, a, answer_of(&x).set, false);
	task_terminate(task);
	mach_port_destroy(mach_task_self(), task);
	mach_port_destroy(mach_task_self(), a);
}

/* The server that sends each reply on its own and then receives alone. */
void test_sets_alone(void)
{
	mach_port_t task, empty = port_receive();
	msg_buf_t x, y;
	uint64_t fast, waits;

	tap_kr(spawn_role("set_server_alone", NULL, &task), KERN_SUCCESS,
	       "a_port_set_server_receiving_alone_starts");
	mach_port_t a = look_up_service((char *)service[1][0]);
	call(a, ECHO_ID, &x, 0, &fast);
	mach_msg_return_t fx = call_waits(a, ECHO_ID, &x, 0, &fast, &waits);
	tap_ok(fx == MACH_MSG_SUCCESS && waits == 1 && fast == 1,
	       "a_receive_alone_waits_in_the_continuation_and_the_request_goes_to_it_directly");
	if (fx != MACH_MSG_SUCCESS || waits != 1 || fast != 1)
		diag("%x, %lu waits, %lu fast\n", fx, waits, fast);
	mach_msg_return_t fy = call(a, ECHO_ID, &y, MACH_RCV_TIMEOUT, &fast);
	tap_ok(fy == MACH_MSG_SUCCESS && fast == 0 && same_reply(&x, &y),
	       "a_server_receiving_alone_answers_the_same_with_a_caller_on_the_general_path");

	/* QUEUE's reply goes with a note queued on B: the receive alone
	 * takes it at once instead of waiting. */
	call(a, QUEUE_ID, &x, 0, &fast);
	call(a, ECHO_ID, &x, 0, &fast);
	tap_eq(answer_of(&x).notes, 1, "a_receive_alone_on_a_set_with_a_message_queued_takes_it");

	uint64_t before = ipc_counts().fast_waits;
	mach_msg_return_t mr = receive(empty, &y, sizeof(y), MACH_RCV_TIMEOUT, 10);
	tap_ok(mr == MACH_RCV_TIMED_OUT && ipc_counts().fast_waits == before,
	       "a_receive_with_a_timeout_waits_on_the_general_path");

	set_destroyed(task, a, answer_of(&x).set, true);
	task_terminate(task);
	mach_port_destroy(mach_task_self(), task);
	mach_port_destroy(mach_task_self(), a);
	mach_port_destroy(mach_task_self(), empty);
}
