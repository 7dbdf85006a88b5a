/* Rights, dispositions and names (ipctest.h). */
#include "ipctest.h"

static void allocate_and_types(void)
{
	mach_port_t p = port_receive();

	tap_eq(port_type(p), MACH_PORT_TYPE_RECEIVE, "port_allocate_gives_a_receive_right");
	tap_kr(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND),
	       KERN_SUCCESS, "insert_right_make_send_under_the_receive_name");
	tap_eq(port_type(p), MACH_PORT_TYPE_SEND_RECEIVE,
	       "a_name_holds_receive_and_send_rights_of_one_port");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 1, "make_send_gives_one_user_reference");
	tap_kr(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS,
	       "mod_refs_adds_send_references");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 3, "get_refs_counts_send_references");
	tap_kr(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS,
	       "destroy_releases_every_right_of_a_name");
	tap_eq(port_type(p), 0, "a_destroyed_name_denotes_nothing");

	mach_port_t s;
	tap_kr(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &s), KERN_SUCCESS,
	       "port_allocate_makes_a_port_set");
	tap_eq(port_type(s), MACH_PORT_TYPE_PORT_SET, "a_port_set_name_has_the_set_type");
	mach_port_destroy(mach_task_self(), s);
	tap_kr(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_SEND, &s), KERN_INVALID_VALUE,
	       "port_allocate_refuses_a_send_right");

	mach_port_t r = mach_reply_port();
	tap_eq(port_type(r), MACH_PORT_TYPE_RECEIVE, "reply_port_trap_gives_a_receive_right");
	mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1);
}

static void allocate_name(void)
{
	mach_port_t p = port_receive();
	mach_port_t chosen = (p & ~0xffu) + 0x1000 * 0x100;   /* another index */

	tap_kr(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, chosen),
	       KERN_SUCCESS, "allocate_name_uses_the_chosen_name");
	tap_eq(port_type(chosen), MACH_PORT_TYPE_RECEIVE, "the_chosen_name_holds_the_right");
	tap_kr(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, chosen),
	       KERN_NAME_EXISTS, "allocate_name_refuses_a_name_in_use");
	tap_kr(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL),
	       KERN_INVALID_VALUE, "allocate_name_refuses_the_null_name");
	tap_kr(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, MACH_PORT_DEAD),
	       KERN_INVALID_VALUE, "allocate_name_refuses_the_dead_name");
	mach_port_destroy(mach_task_self(), chosen);
	mach_port_destroy(mach_task_self(), p);
}

static void stale_names(void)
{
	mach_port_t old = port_receive_send();

	mach_port_destroy(mach_task_self(), old);
	/* Take names until the old index comes round again (freed indexes are
	 * reused first in, first out), under a new generation. */
	static mach_port_t fresh[1000];
	bool reused = false;
	int n = 0;
	while (n < 1000 && !reused) {
		fresh[n] = port_receive_send();
		reused = (fresh[n++] >> 8) == (old >> 8);
	}
	tap_ok(reused, "a_freed_index_is_reused_under_a_new_generation");
	if (!reused)
		diag("old %x, first %x, last %x after %d\n", old, fresh[0], fresh[n - 1], n);
	tap_eq(port_type(old), 0, "a_stale_name_denotes_nothing");
	tap_kr(send_simple(old, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 32, MACH_SEND_TIMEOUT, 0),
	       MACH_SEND_INVALID_DEST, "a_send_to_a_stale_name_never_reaches_the_new_port");
	for (int i = 0; i < n; i++)
		mach_port_destroy(mach_task_self(), fresh[i]);
}

static void dispositions(void)
{
	mach_port_t p = port_receive_send();
	msg_buf_t m;

	mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 1);   /* 2 */
	tap_kr(send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 10, 32, 0, 0), MACH_MSG_SUCCESS,
	       "copy_send_to_own_port_is_queued");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 2, "copy_send_keeps_the_senders_references");
	tap_kr(receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "the_queued_message_is_received");
	tap_ok(m.h.msgh_id == 10 && m.h.msgh_local_port == p && m.h.msgh_remote_port == 0 &&
		       MACH_MSGH_BITS_LOCAL(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND,
	       "received_header_names_the_port_and_the_right_used");
	tap_kr(send_simple(p, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 11, 32, 0, 0), MACH_MSG_SUCCESS,
	       "move_send_is_queued");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 1, "move_send_takes_one_user_reference");
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	tap_ok(m.h.msgh_seqno == 1, "sequence_numbers_count_received_messages");
	tap_kr(send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 12, 32, 0, 0), MACH_MSG_SUCCESS,
	       "make_send_from_the_receive_right_sends");
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);

	/* A reply right made from the receive right arrives as a new name. */
	tap_kr(send_simple(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 13,
			   32, 0, 0),
	       MACH_MSG_SUCCESS, "make_send_once_for_destination_and_reply");
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	mach_port_t so = m.h.msgh_remote_port;
	tap_ok(MACH_MSGH_BITS_LOCAL(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
		       MACH_MSGH_BITS_REMOTE(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
		       so != p && port_type(so) == MACH_PORT_TYPE_SEND_ONCE,
	       "a_send_once_reply_right_arrives_under_its_own_name");
	tap_kr(send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 14, 32, 0, 0),
	       MACH_MSG_SUCCESS, "move_send_once_sends_through_the_right");
	tap_eq(port_type(so), 0, "a_used_send_once_right_is_gone");
	tap_kr(send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 15, 32, 0, 0),
	       MACH_SEND_INVALID_DEST, "a_send_once_right_sends_only_once");
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	tap_ok(m.h.msgh_id == 14, "the_send_once_message_arrived");
	tap_kr(send_simple(p, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 16, 32, 0, 0),
	       MACH_SEND_INVALID_DEST, "move_send_once_needs_a_send_once_right");
	tap_kr(send_simple(p, MACH_MSG_TYPE_MOVE_SEND, p, MACH_MSG_TYPE_COPY_SEND, 17, 32, 0, 0),
	       MACH_SEND_INVALID_REPLY, "one_reference_cannot_be_moved_and_copied");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 1, "a_refused_send_consumes_nothing");
	mach_port_destroy(mach_task_self(), p);
}

static void move_receive(void)
{
	mach_port_t a = port_receive_send(), b;
	msg_buf_t m;

	send_simple(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 20, 32, 0, 0);   /* queued on a */
	mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_SEND, -1);
	b = port_receive_send();
	tap_kr(send_port(b, a, MACH_MSG_TYPE_MOVE_RECEIVE, 21), MACH_MSG_SUCCESS,
	       "a_receive_right_moves_in_a_message");
	tap_eq(port_type(a), 0, "the_sender_no_longer_holds_the_moved_receive_right");
	receive(b, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	mach_msg_port_descriptor_t *d =
		(mach_msg_port_descriptor_t *)((uint8_t *)&m + sizeof(mach_msg_header_t) +
					       sizeof(mach_msg_body_t));
	mach_port_t moved = d->name;
	tap_ok(d->disposition == MACH_MSG_TYPE_PORT_RECEIVE &&
		       port_type(moved) == MACH_PORT_TYPE_RECEIVE,
	       "the_receiver_gets_the_receive_right_under_a_name");
	tap_kr(receive(moved, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "messages_queued_before_the_move_stay_queued");
	tap_kr(send_port(b, b, MACH_MSG_TYPE_MOVE_RECEIVE, 22), MACH_SEND_INVALID_RIGHT,
	       "a_receive_right_cannot_be_sent_to_its_own_port");
	tap_eq(port_type(b), MACH_PORT_TYPE_SEND_RECEIVE, "the_refused_receive_right_stays");

	/* A send right sent to oneself joins the name already held. */
	tap_kr(send_port(b, b, MACH_MSG_TYPE_COPY_SEND, 23), MACH_MSG_SUCCESS,
	       "a_send_right_travels_to_its_own_receiver");
	receive(b, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	tap_ok(d->name == b && port_refs(b, MACH_PORT_RIGHT_SEND) == 2,
	       "a_received_send_right_joins_the_existing_name");
	mach_port_destroy(mach_task_self(), moved);
	mach_port_destroy(mach_task_self(), b);
}

static void dead_names(void)
{
	mach_port_t p = port_receive();
	msg_buf_t m;

	send_simple(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 30, 32, 0,
		    0);
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	mach_port_t so = m.h.msgh_remote_port;
	mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_eq(port_type(so), MACH_PORT_TYPE_DEAD_NAME,
	       "a_right_to_a_destroyed_port_becomes_a_dead_name");
	tap_eq(port_refs(so, MACH_PORT_RIGHT_DEAD_NAME), 1, "a_dead_name_keeps_its_reference");
	tap_kr(send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 31, 32, 0, 0),
	       MACH_SEND_INVALID_DEST, "a_dead_name_is_no_destination");
	tap_kr(mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_DEAD_NAME, 1),
	       KERN_SUCCESS, "dead_name_references_can_be_added");
	mach_port_deallocate(mach_task_self(), so);
	tap_kr(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS,
	       "deallocate_releases_dead_name_references");
	tap_eq(port_type(so), 0, "a_dead_name_goes_with_its_last_reference");

	mach_port_t d;
	tap_kr(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &d), KERN_SUCCESS,
	       "port_allocate_makes_a_dead_name");
	tap_eq(port_type(d), MACH_PORT_TYPE_DEAD_NAME, "an_allocated_dead_name_is_dead");
	mach_port_deallocate(mach_task_self(), d);
}

static void mod_refs_errors(void)
{
	mach_port_t p = port_receive_send();

	tap_kr(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, -2),
	       KERN_INVALID_VALUE, "mod_refs_below_zero_is_refused");
	tap_kr(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 0x10000),
	       KERN_UREFS_OVERFLOW, "mod_refs_past_the_limit_overflows");
	tap_kr(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, 1),
	       KERN_INVALID_VALUE, "a_receive_right_has_no_extra_references");
	tap_kr(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND_ONCE, -1),
	       KERN_INVALID_RIGHT, "mod_refs_on_a_right_the_name_lacks");
	tap_kr(mach_port_mod_refs(mach_task_self(), p, 9, -1), KERN_INVALID_VALUE,
	       "mod_refs_on_an_unknown_right_kind");
	tap_kr(mach_port_mod_refs(mach_task_self(), 0x7f7f01, MACH_PORT_RIGHT_SEND, -1),
	       KERN_INVALID_NAME, "mod_refs_on_a_name_that_denotes_nothing");
	tap_kr(mach_port_deallocate(mach_task_self(), 0x7f7f01), KERN_INVALID_NAME,
	       "deallocate_of_a_name_that_denotes_nothing");
	tap_kr(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND_ONCE),
	       KERN_NAME_EXISTS, "insert_right_refuses_a_send_once_right_under_a_used_name");
	mach_port_t q = port_receive();
	tap_kr(mach_port_insert_right(mach_task_self(), q, p, MACH_MSG_TYPE_MAKE_SEND),
	       KERN_NAME_EXISTS, "insert_right_refuses_another_ports_name");
	mach_port_destroy(mach_task_self(), q);
	mach_port_destroy(mach_task_self(), p);
}

static void names_list(void)
{
	mach_port_t p = port_receive_send();
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, nt;
	bool found = false;

	tap_kr(mach_port_names(mach_task_self(), &names, &n, &types, &nt), KERN_SUCCESS,
	       "mach_port_names_lists_the_space");
	for (mach_msg_type_number_t i = 0; i < n; i++)
		if (names[i] == p && types[i] == MACH_PORT_TYPE_SEND_RECEIVE)
			found = true;
	tap_ok(found && n == nt, "mach_port_names_reports_each_name_with_its_type");
	struct task_ipc_info info;
	mach_msg_type_number_t count = TASK_IPC_INFO_COUNT;
	tap_kr(task_info(mach_task_self(), TASK_IPC_INFO, (task_info_t)&info, &count),
	       KERN_SUCCESS, "task_info_reports_ipc_counters");
	tap_ok(info.names == n && info.receive_rights >= 1 && info.msgs_sent >= 1,
	       "task_ipc_counters_agree_with_the_names");
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
	mach_port_destroy(mach_task_self(), p);
}

void test_rights(void)
{
	struct host_ipc_info before = ipc_counts();

	stale_names();   /* first: the free list is short then */
	allocate_and_types();
	allocate_name();
	dispositions();
	move_receive();
	dead_names();
	mod_refs_errors();
	names_list();
	struct host_ipc_info after = ipc_counts();
	tap_ok(ipc_counts_equal(&before, &after), "rights_tests_leave_no_port_or_message");
}
