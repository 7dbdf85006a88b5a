/* Notifications (ipctest.h). */
#include "ipctest.h"

/* The 32-bit value after the header of a notification (name or mscount). */
static uint32_t notify_value(const msg_buf_t *m)
{
	uint32_t v;

	memcpy(&v, m->bytes + sizeof(mach_msg_header_t), sizeof(v));
	return v;
}

static mach_msg_return_t request(mach_port_t name, mach_msg_id_t id, uint32_t sync,
				 mach_port_t notify, mach_port_t *previous)
{
	return mach_port_request_notification(mach_task_self(), name, id, sync, notify,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE, previous);
}

/* A send-once right to p under its own name. */
static mach_port_t send_once_to(mach_port_t p)
{
	msg_buf_t m;

	send_simple(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 99, 32, 0,
		    0);
	receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	return m.h.msgh_remote_port;
}

static void no_senders(void)
{
	mach_port_t p = port_receive_send(), n = port_receive(), prev;
	msg_buf_t m;

	tap_kr(request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), KERN_SUCCESS,
	       "no_senders_request_is_accepted");
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT,
	       "no_senders_waits_while_a_send_right_exists");
	mach_port_deallocate(mach_task_self(), p);
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "no_senders_arrives_when_the_last_send_right_goes");
	tap_ok(m.h.msgh_id == MACH_NOTIFY_NO_SENDERS && notify_value(&m) == 1,
	       "no_senders_carries_the_make_send_count");
	tap_kr(request(p, MACH_NOTIFY_NO_SENDERS, 1, n, &prev), KERN_SUCCESS,
	       "no_senders_request_with_no_senders_now");
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "no_senders_is_immediate_when_there_are_none");
	tap_kr(request(p, 1234, 0, n, &prev), KERN_INVALID_VALUE,
	       "request_notification_refuses_an_unknown_kind");
	mach_port_destroy(mach_task_self(), p);
	mach_port_destroy(mach_task_self(), n);
}

static void port_destroyed(void)
{
	mach_port_t p = port_receive_send(), n = port_receive(), prev;
	msg_buf_t m;

	send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 40, 32, 0, 0);
	tap_kr(request(p, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), KERN_SUCCESS,
	       "port_destroyed_request_is_accepted");
	mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_eq(port_type(p), MACH_PORT_TYPE_SEND, "the_send_right_stays_after_its_receive_right_goes");
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "port_destroyed_arrives_when_the_receive_right_is_destroyed");
	mach_msg_port_descriptor_t *d =
		(mach_msg_port_descriptor_t *)(m.bytes + sizeof(mach_msg_header_t) +
					       sizeof(mach_msg_body_t));
	tap_ok(m.h.msgh_id == MACH_NOTIFY_PORT_DESTROYED &&
		       d->disposition == MACH_MSG_TYPE_PORT_RECEIVE && d->name == p,
	       "port_destroyed_hands_back_the_receive_right");
	tap_kr(receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "the_rescued_port_keeps_its_queue");
	mach_port_destroy(mach_task_self(), p);
	mach_port_destroy(mach_task_self(), n);
}

static void dead_name_and_deleted(void)
{
	mach_port_t p = port_receive(), n = port_receive(), prev;
	mach_port_t so = send_once_to(p);
	msg_buf_t m;

	tap_kr(request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_SUCCESS,
	       "dead_name_request_is_accepted");
	tap_ok(port_type(so) & MACH_PORT_TYPE_DNREQUEST, "the_name_shows_its_dead_name_request");
	mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "dead_name_arrives_when_the_port_dies");
	tap_ok(m.h.msgh_id == MACH_NOTIFY_DEAD_NAME && notify_value(&m) == so,
	       "dead_name_names_the_dead_right");
	tap_eq(port_refs(so, MACH_PORT_RIGHT_DEAD_NAME), 2,
	       "dead_name_notification_carries_a_reference");
	mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_DEAD_NAME, -2);
	tap_eq(port_type(so), 0, "the_dead_name_goes_with_its_references");

	/* Already dead: sync asks for the notification at once. */
	p = port_receive();
	so = send_once_to(p);
	mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_kr(request(so, MACH_NOTIFY_DEAD_NAME, 1, n, &prev), KERN_SUCCESS,
	       "dead_name_request_on_a_dead_name_with_sync");
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "dead_name_is_immediate_for_a_dead_name");
	tap_kr(request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_INVALID_ARGUMENT,
	       "dead_name_request_on_a_dead_name_without_sync_is_refused");
	mach_port_destroy(mach_task_self(), so);

	/* The refused request's notify right was destroyed unused. */
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "a_refused_requests_notify_right_sends_its_send_once_notification");

	/* The right goes first: port-deleted returns the request. */
	p = port_receive();
	so = send_once_to(p);
	request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev);
	send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 41, 32, 0, 0);
	tap_kr(receive(n, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "port_deleted_arrives_when_the_watched_right_is_used");
	tap_ok(m.h.msgh_id == MACH_NOTIFY_PORT_DELETED && notify_value(&m) == so,
	       "port_deleted_names_the_right");
	mach_port_destroy(mach_task_self(), p);
	mach_port_destroy(mach_task_self(), n);
}

static void send_once(void)
{
	mach_port_t p = port_receive();
	mach_port_t so = send_once_to(p);
	msg_buf_t m;

	mach_port_deallocate(mach_task_self(), so);
	tap_kr(receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "send_once_notification_when_the_right_is_dropped_unused");
	tap_ok(m.h.msgh_id == MACH_NOTIFY_SEND_ONCE &&
		       MACH_MSGH_BITS_LOCAL(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE,
	       "send_once_notification_comes_through_the_right_itself");
	mach_port_destroy(mach_task_self(), p);
}

void test_notify(void)
{
	struct host_ipc_info before = ipc_counts();

	no_senders();
	port_destroyed();
	dead_name_and_deleted();
	send_once();
	struct host_ipc_info after = ipc_counts();
	tap_ok(ipc_counts_equal(&before, &after), "notification_tests_leave_no_port_or_message");
}
