/* Queues: timeouts, limits, blocked senders, port sets, sizes, and
 * out-of-line data (ipctest.h). */
#include "ipctest.h"

static void timeouts(void)
{
	mach_port_t p = port_receive();
	msg_buf_t m;

	tap_kr(receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT,
	       "receive_with_zero_timeout_polls");
	uint64_t t0 = mach_clock_ns();
	mach_msg_return_t mr = receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 30);
	uint64_t waited = mach_clock_ns() - t0;
	tap_kr(mr, MACH_RCV_TIMED_OUT, "receive_with_a_timeout_times_out");
	tap_ok(waited >= 30 * MACH_NS_PER_MS && waited < 60 * MACH_NS_PER_MS,
	       "receive_timeout_lasts_its_milliseconds");
	if (!(waited >= 30 * MACH_NS_PER_MS && waited < 60 * MACH_NS_PER_MS))
		diag("waited %lu ns\n", waited);
	tap_kr(receive(0x7f7f01, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_NAME,
	       "receive_on_a_name_that_denotes_nothing");
	mach_port_t s = port_receive_send();
	mach_port_t so;
	mach_port_extract_right(mach_task_self(), s, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
				&(mach_msg_type_name_t){ 0 });
	tap_kr(receive(so, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_NAME,
	       "receive_needs_a_receive_right");
	mach_port_deallocate(mach_task_self(), so);
	receive(s, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);   /* the send-once notification */
	mach_port_destroy(mach_task_self(), s);
	mach_port_destroy(mach_task_self(), p);
}

static volatile int sender_done;
static mach_port_t blocked_port;

static void blocked_sender(void *arg)
{
	(void)arg;
	sender_done = send_simple(blocked_port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 52, 32, 0, 0) ==
			      MACH_MSG_SUCCESS
		      ? 1
		      : -1;
}

static void queue_limits(void)
{
	mach_port_t p = port_receive_send();
	msg_buf_t m;
	static uint8_t stack[16384] __attribute__((aligned(16)));

	tap_kr(mach_port_set_qlimit(mach_task_self(), p, 2), KERN_SUCCESS,
	       "set_qlimit_changes_the_queue_limit");
	tap_kr(mach_port_set_qlimit(mach_task_self(), p, MACH_PORT_QLIMIT_MAX + 1),
	       KERN_INVALID_VALUE, "set_qlimit_refuses_more_than_the_maximum");
	uint64_t fast = ipc_counts().fast_sends;
	send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 50, 32, 0, 0);
	send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 50, 32, 0, 0);
	tap_eq(ipc_counts().fast_sends, fast + 2, "one_way_sends_with_room_take_the_fast_path");
	tap_kr(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 51, 32, MACH_SEND_TIMEOUT, 0),
	       MACH_SEND_TIMED_OUT, "a_full_queue_refuses_a_polling_sender");
	tap_eq(ipc_counts().fast_sends, fast + 2, "a_send_to_a_full_queue_takes_the_general_path");
	uint64_t t0 = mach_clock_ns();
	tap_kr(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 51, 32, MACH_SEND_TIMEOUT, 20),
	       MACH_SEND_TIMED_OUT, "a_full_queue_times_out_a_waiting_sender");
	tap_ok(mach_clock_ns() - t0 >= 20 * MACH_NS_PER_MS, "the_sender_waited_its_timeout");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 1, "a_timed_out_send_consumes_nothing");
	mach_port_t so;
	mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
				&(mach_msg_type_name_t){ 0 });
	tap_kr(send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 53, 32, MACH_SEND_TIMEOUT, 0),
	       MACH_MSG_SUCCESS, "a_send_once_message_passes_a_full_queue");
	tap_eq(ipc_counts().fast_sends, fast + 3, "a_send_once_message_takes_the_fast_path");
	tap_eq(port_type(so), 0, "the_send_once_right_went_with_its_message");

	blocked_port = p;
	sender_done = 0;
	thread_t t;
	mach_thread_spawn(blocked_sender, NULL, stack, sizeof(stack), 16, &t);
	mach_sleep_ns(20 * MACH_NS_PER_MS);
	tap_ok(sender_done == 0, "a_sender_without_timeout_waits_for_room");
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);   /* 3 queued: still full */
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	mach_sleep_ns(20 * MACH_NS_PER_MS);
	tap_ok(sender_done == 1, "a_receive_makes_room_and_wakes_the_sender");
	mach_port_stats_t stats;
	mach_port_get_stats(mach_task_self(), p, &stats);
	tap_ok(stats.senders_blocked >= 2 && stats.msgcount == 2 && stats.qlimit == 2,
	       "port_stats_count_blocked_senders_and_queue_depth");
	while (receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0) == MACH_MSG_SUCCESS)
		;
	mach_port_get_stats(mach_task_self(), p, &stats);
	tap_ok(stats.msgs_sent == stats.msgs_received && stats.msgs_sent == 4,
	       "port_stats_count_messages_sent_and_received");
	/* The thread has ended: its name is a dead name now. */
	mach_port_destroy(mach_task_self(), t);
	mach_port_destroy(mach_task_self(), p);
}

static void port_sets(void)
{
	mach_port_t set, a = port_receive_send(), b = port_receive_send();
	msg_buf_t m;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set);
	tap_kr(mach_port_move_member(mach_task_self(), a, set), KERN_SUCCESS,
	       "move_member_puts_a_port_in_a_set");
	mach_port_move_member(mach_task_self(), b, set);
	mach_port_name_array_t members;
	mach_msg_type_number_t n;
	tap_kr(mach_port_get_set_status(mach_task_self(), set, &members, &n), KERN_SUCCESS,
	       "get_set_status_lists_the_members");
	tap_ok(n == 2 && ((members[0] == a && members[1] == b) ||
			  (members[0] == b && members[1] == a)),
	       "the_set_has_both_members");
	vm_deallocate(mach_task_self(), (vm_address_t)members, n * sizeof(*members));
	send_simple(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 60, 32, 0, 0);
	send_simple(b, MACH_MSG_TYPE_COPY_SEND, 0, 0, 61, 32, 0, 0);
	tap_kr(receive(a, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_RCV_IN_SET,
	       "a_member_is_received_from_through_its_set");
	mach_port_t got[2] = { 0, 0 };
	for (int i = 0; i < 2; i++)
		if (receive(set, &m, sizeof(m), MACH_RCV_TIMEOUT, 0) == MACH_MSG_SUCCESS)
			got[i] = m.h.msgh_local_port;
	tap_ok((got[0] == a && got[1] == b) || (got[0] == b && got[1] == a),
	       "a_set_receives_from_each_member_and_names_it");
	tap_kr(receive(set, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT,
	       "an_empty_set_times_out");
	tap_kr(mach_port_move_member(mach_task_self(), a, MACH_PORT_NULL), KERN_SUCCESS,
	       "move_member_to_null_leaves_the_set");
	tap_kr(mach_port_move_member(mach_task_self(), a, MACH_PORT_NULL), KERN_NOT_IN_SET,
	       "leaving_a_set_twice_is_not_in_set");
	tap_kr(mach_port_move_member(mach_task_self(), a, b), KERN_INVALID_RIGHT,
	       "move_member_needs_a_port_set");
	mach_port_destroy(mach_task_self(), set);
	tap_kr(receive(b, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT,
	       "destroying_a_set_frees_its_members");
	mach_port_destroy(mach_task_self(), a);
	mach_port_destroy(mach_task_self(), b);
}

static void sizes(void)
{
	mach_port_t p = port_receive_send();
	msg_buf_t m;

	send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 70, 64, 0, 0);
	tap_kr(receive(p, &m, 48, MACH_RCV_TIMEOUT, 0), MACH_RCV_TOO_LARGE,
	       "a_message_larger_than_the_buffer_is_too_large");
	tap_eq(m.h.msgh_size, 64, "too_large_reports_the_size_needed");
	tap_kr(receive(p, &m, 48, MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0), MACH_RCV_TOO_LARGE,
	       "rcv_large_reports_too_large_the_same_way");
	tap_kr(receive(p, &m, 64, MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "a_too_large_message_is_not_lost");
	tap_ok(m.h.msgh_id == 70 && m.h.msgh_size == 64, "the_kept_message_is_whole");
	tap_kr(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 71, MACH_MSG_SIZE_MAX, 0, 0),
	       MACH_MSG_SUCCESS, "a_message_of_the_largest_size_is_sent");
	tap_kr(receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "a_message_of_the_largest_size_is_received");
	mach_port_destroy(mach_task_self(), p);
}

static void out_of_line(void)
{
	mach_port_t p = port_receive_send();
	static uint8_t data[10000];
	msg_buf_t m;
	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_ool_descriptor_t ool;
		mach_msg_ool_ports_descriptor_t ports;
	} s = { 0 };
	mach_port_t rights[3] = { p, p, MACH_PORT_NULL };

	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	s.h.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	s.h.msgh_size = sizeof(s);
	s.h.msgh_remote_port = p;
	s.h.msgh_id = 80;
	s.body.msgh_descriptor_count = 2;
	s.ool = (mach_msg_ool_descriptor_t){ .address = data, .size = sizeof(data),
					     .type = MACH_MSG_OOL_DESCRIPTOR };
	s.ports = (mach_msg_ool_ports_descriptor_t){ .address = rights, .count = 3,
						     .disposition = MACH_MSG_TYPE_COPY_SEND,
						     .type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
	tap_kr(mach_msg(&s.h, MACH_SEND_MSG, sizeof(s), 0, 0, 0, 0), MACH_MSG_SUCCESS,
	       "out_of_line_data_and_ports_are_sent");
	tap_kr(receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "out_of_line_data_and_ports_are_received");
	typeof(s) *r = (void *)&m;
	tap_ok(r->ool.address != data && r->ool.size == sizeof(data) &&
		       memcmp(r->ool.address, data, sizeof(data)) == 0,
	       "out_of_line_data_arrives_as_a_copy_in_new_memory");
	mach_port_t *names = r->ports.address;
	tap_ok(r->ports.count == 3 && names[0] == p && names[1] == p && names[2] == 0 &&
		       port_refs(p, MACH_PORT_RIGHT_SEND) == 3,
	       "out_of_line_ports_arrive_as_rights_of_the_receiver");
	mach_msg_destroy(&m.h);
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 1, "mach_msg_destroy_releases_received_rights");
	mach_port_destroy(mach_task_self(), p);
}

void test_queue(void)
{
	struct host_ipc_info before = ipc_counts();

	timeouts();
	queue_limits();
	port_sets();
	sizes();
	out_of_line();
	struct host_ipc_info after = ipc_counts();
	tap_ok(ipc_counts_equal(&before, &after), "queue_tests_leave_no_port_or_message");
}
