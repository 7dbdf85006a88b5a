/* Hostile mach_msg arguments: each gets its own error code, documented in
 * docs/ipc.md, and consumes nothing (ipctest.h). */
#include "ipctest.h"

typedef struct {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_descriptor_t d[2];
	uint64_t pad[4];
} complex_t;

static mach_msg_return_t send_raw(void *msg, mach_msg_size_t size)
{
	return mach_msg(msg, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, 0, 0, 0);
}

static void header_errors(mach_port_t p)
{
	union {
		mach_msg_header_t h;
		uint64_t words[16];
	} m;
	const mach_msg_header_t good = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = 32, .msgh_remote_port = p, .msgh_id = 1,
	};

	m.h = good;
	tap_kr(mach_msg(&m.h, MACH_SEND_MSG, 24, 0, 0, 0, 0), MACH_SEND_MSG_TOO_SMALL,
	       "send_size_below_a_header_is_too_small");
	tap_kr(mach_msg(&m.h, MACH_SEND_MSG, MACH_MSG_SIZE_MAX + 8, 0, 0, 0, 0),
	       MACH_SEND_TOO_LARGE, "send_size_above_the_maximum_is_too_large");
	tap_kr(mach_msg(&m.h, MACH_SEND_MSG, 36, 0, 0, 0, 0), MACH_SEND_INVALID_DATA,
	       "send_size_not_a_multiple_of_8_is_invalid_data");
	tap_kr(mach_msg((mach_msg_header_t *)((uint8_t *)&m + 4), MACH_SEND_MSG, 32, 0, 0, 0, 0),
	       MACH_SEND_INVALID_DATA, "a_misaligned_message_is_invalid_data");
	tap_kr(mach_msg((mach_msg_header_t *)0xffff800000001000ull, MACH_SEND_MSG, 32, 0, 0, 0,
			0),
	       MACH_SEND_INVALID_DATA, "a_kernel_address_message_is_invalid_data");
	tap_kr(mach_msg((mach_msg_header_t *)0x10000, MACH_SEND_MSG, 32, 0, 0, 0, 0),
	       MACH_SEND_INVALID_DATA, "an_unmapped_message_is_invalid_data");
	m.h.msgh_size = 40;
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_HEADER,
	       "a_size_field_unlike_send_size_is_an_invalid_header");
	m.h = good;
	m.h.msgh_bits |= 0x00ff0000;
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_HEADER, "unknown_header_bits_are_refused");
	m.h = good;
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_RECEIVE, 0);
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_HEADER,
	       "move_receive_is_no_destination_disposition");
	m.h.msgh_bits = MACH_MSGH_BITS(99, 0);
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_HEADER, "an_unknown_disposition_is_refused");
	m.h = good;
	m.h.msgh_local_port = p;
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 7);
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_HEADER, "a_bad_reply_disposition_is_refused");
	m.h = good;
	m.h.msgh_remote_port = MACH_PORT_NULL;
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_DEST, "a_null_destination_is_invalid");
	m.h.msgh_remote_port = 0x7f7f01;
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_DEST, "an_unknown_destination_is_invalid");
	m.h = good;
	m.h.msgh_local_port = 0x7f7f01;
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_COPY_SEND);
	tap_kr(send_raw(&m, 32), MACH_SEND_INVALID_REPLY, "an_unknown_reply_port_is_invalid");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 1,
	       "an_invalid_reply_leaves_the_moved_destination_right");
	m.h = good;
	tap_kr(mach_msg(&m.h, MACH_SEND_MSG | 0x01000000, 32, 0, 0, 0, 0),
	       MACH_SEND_INVALID_HEADER, "unknown_options_are_refused");
}

static void body_errors(mach_port_t p)
{
	complex_t m;
	static uint8_t data[64];

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_remote_port = p;
	m.h.msgh_size = 72;
	m.body.msgh_descriptor_count = 3;
	tap_kr(send_raw(&m, 72), MACH_SEND_MSG_TOO_SMALL,
	       "more_descriptors_than_the_message_holds_is_too_small");
	m.h.msgh_size = 32;
	tap_kr(send_raw(&m, 32), MACH_SEND_MSG_TOO_SMALL, "a_complex_message_needs_its_body");
	m.h.msgh_size = 56;
	m.body.msgh_descriptor_count = 1;
	m.d[0].type.type = 7;
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_TYPE, "an_unknown_descriptor_kind_is_refused");
	m.d[0].port = (mach_msg_port_descriptor_t){ .name = p, .disposition = 3,
						    .type = MACH_MSG_PORT_DESCRIPTOR };
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_TYPE,
	       "a_bad_port_descriptor_disposition_is_refused");
	m.d[0].port.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.d[0].port.name = 0x7f7f01;
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_RIGHT, "an_unknown_right_in_the_body_is_refused");
	m.d[0].port.name = p;
	m.d[0].port.disposition = MACH_MSG_TYPE_MOVE_SEND_ONCE;
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_RIGHT, "a_right_of_the_wrong_kind_is_refused");
	m.d[0].out_of_line = (mach_msg_ool_descriptor_t){
		.address = (void *)0xffff800000000000ull, .size = 64,
		.type = MACH_MSG_OOL_DESCRIPTOR };
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_MEMORY,
	       "out_of_line_memory_outside_the_sender_is_refused");
	m.d[0].out_of_line.address = (void *)0x10000;
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_MEMORY,
	       "unmapped_out_of_line_memory_is_refused");
	m.d[0].out_of_line.address = data;
	m.d[0].out_of_line.size = 64u << 20;
	tap_kr(send_raw(&m, 56), MACH_SEND_TOO_LARGE, "too_much_out_of_line_memory_is_refused");
	m.d[0].out_of_line.size = 64;
	m.d[0].out_of_line.copy = 9;
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_TYPE, "a_bad_copy_option_is_refused");
	m.d[0].ool_ports = (mach_msg_ool_ports_descriptor_t){
		.address = (void *)0x10000, .count = 4, .disposition = MACH_MSG_TYPE_COPY_SEND,
		.type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
	tap_kr(send_raw(&m, 56), MACH_SEND_INVALID_MEMORY,
	       "an_unreadable_out_of_line_port_array_is_refused");
	m.d[0].ool_ports.count = 100000;
	tap_kr(send_raw(&m, 56), MACH_SEND_TOO_LARGE, "too_many_out_of_line_ports_are_refused");
	tap_eq(port_refs(p, MACH_PORT_RIGHT_SEND), 1, "refused_bodies_leave_the_rights");
}

static void receive_errors(mach_port_t p)
{
	msg_buf_t m;

	send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 90, 32, 0, 0);
	tap_kr(mach_msg((mach_msg_header_t *)((uint8_t *)&m + 4), MACH_RCV_MSG | MACH_RCV_TIMEOUT,
			0, 64, p, 0, 0),
	       MACH_RCV_INVALID_DATA, "a_misaligned_receive_buffer_is_invalid_data");
	tap_kr(mach_msg((mach_msg_header_t *)0xffff800000000000ull,
			MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 64, p, 0, 0),
	       MACH_RCV_INVALID_DATA, "a_kernel_receive_buffer_is_invalid_data");
	tap_kr(receive(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS,
	       "a_refused_receive_leaves_the_message_queued");
}

static void kernel_object_errors(void)
{
	union {
		mig_reply_error_t e;
		uint8_t b[256];
	} m;
	mach_port_t reply = mach_reply_port();

	memset(&m, 0, sizeof(m));
	m.e.Head = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		.msgh_size = 32, .msgh_remote_port = mach_task_self(), .msgh_local_port = reply,
		.msgh_id = 12345 };
	tap_kr(mach_msg(&m.e.Head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, 32,
			sizeof(m), reply, 1000, 0),
	       MACH_MSG_SUCCESS, "a_kernel_object_answers_an_unknown_id");
	tap_ok(m.e.Head.msgh_id == 12445 && m.e.RetCode == MIG_BAD_ID,
	       "the_answer_to_an_unknown_id_is_mig_bad_id");
	m.e.Head = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		.msgh_size = 32, .msgh_remote_port = mach_task_self(), .msgh_local_port = reply,
		.msgh_id = 3403 /* task_info, without its arguments */ };
	mach_msg(&m.e.Head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, 32, sizeof(m), reply,
		 1000, 0);
	tap_ok(m.e.RetCode == MIG_BAD_ARGUMENTS,
	       "a_malformed_request_to_the_kernel_gets_mig_bad_arguments");
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_t thread = mach_thread_self();
	struct task_basic_info info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;
	tap_kr(task_info(thread, TASK_BASIC_INFO, (task_info_t)&info, &count), KERN_INVALID_TASK,
	       "a_task_call_on_a_thread_port_is_an_invalid_task");
	mach_port_deallocate(mach_task_self(), thread);
}

/*
 * The fast path's copies fault like the general path's: an unmapped RPC
 * buffer, and a buffer that went away while its thread waited for the
 * reply, answered by a one-way send and by the RPC path's direct
 * handoff (the server's reply-and-receive).  A fault in any is
 * recovered, never a kernel crash.
 */
static mach_port_t fault_service;
static vm_address_t fault_page;
static volatile mach_msg_return_t fault_client_mr;
static volatile int fault_client_done;
static uint8_t fault_stack[16384] __attribute__((aligned(16)));

/* The client's RPC from fault_page; then, if arg is a port, a message
 * to it, which ends the server's wait after its reply. */
static void fault_client(void *arg)
{
	mach_msg_header_t *h = (mach_msg_header_t *)fault_page;
	mach_port_t reply = mach_reply_port(), wake = (mach_port_t)(uintptr_t)arg;

	*h = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		.msgh_size = 32, .msgh_remote_port = fault_service, .msgh_local_port = reply,
		.msgh_id = 77,
	};
	fault_client_mr = mach_msg(h, MACH_SEND_MSG | MACH_RCV_MSG, 32, 64, reply, 0, 0);
	mach_port_destroy(mach_task_self(), reply);
	if (wake != MACH_PORT_NULL) {
		mach_msg_header_t w = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			.msgh_size = 32, .msgh_remote_port = wake, .msgh_id = 78,
		};
		mach_msg(&w, MACH_SEND_MSG, 32, 0, 0, 0, 0);
	}
	fault_client_done = 1;
}

/* The client's request, received with a timeout (the general path) while
 * the client waits for the reply in the RPC path; fault_page is gone. */
static void fault_client_request(mach_port_t wake, msg_buf_t *m, const char *name)
{
	thread_t t;

	fault_service = port_receive_send();
	vm_allocate(mach_task_self(), &fault_page, 4096, TRUE);
	fault_client_done = 0;
	uint64_t fast = ipc_counts().fast_rpcs;
	mach_thread_spawn(fault_client, (void *)(uintptr_t)wake, fault_stack, sizeof(fault_stack),
			  THREAD_PRIORITY_DEFAULT - 2, &t);
	mach_msg_return_t mr = receive(fault_service, m, sizeof(*m), MACH_RCV_TIMEOUT, 1000);
	tap_ok(mr == MACH_MSG_SUCCESS && m->h.msgh_id == 77 && ipc_counts().fast_rpcs == fast + 1,
	       name);
	vm_deallocate(mach_task_self(), fault_page, 4096);
	mach_port_destroy(mach_task_self(), t);    /* a dead name once it ends */
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	m->h.msgh_local_port = MACH_PORT_NULL;
	m->h.msgh_size = 32;
}

static void fault_client_wait(const char *name)
{
	for (int i = 0; i < 100 && !fault_client_done; i++)
		mach_sleep_ns(MACH_NS_PER_MS);
	tap_kr(fault_client_mr, MACH_RCV_INVALID_DATA, name);
	mach_port_destroy(mach_task_self(), fault_service);
}

static void fast_path_faults(void)
{
	mach_port_t reply = mach_reply_port();
	msg_buf_t m;

	tap_kr(mach_msg((mach_msg_header_t *)0x10000, MACH_SEND_MSG | MACH_RCV_MSG, 32, 64, reply,
			0, 0),
	       MACH_SEND_INVALID_DATA, "an_unmapped_rpc_buffer_is_invalid_data");
	mach_port_destroy(mach_task_self(), reply);

	/* The client runs below us: it finds us waiting, so its request
	 * takes the fast path, and it waits for the reply in it. */
	fault_client_request(MACH_PORT_NULL, &m, "an_rpc_to_a_waiting_receiver_is_received");
	mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 32, 0, 0, 0, 0);
	fault_client_wait("a_reply_to_a_buffer_that_went_away_is_invalid_data");

	/* The reply by the RPC path: it runs the client at once and writes
	 * its buffer for it, which faults; the client's wake ends ours. */
	mach_port_t wake = port_receive_send();
	fault_client_request(wake, &m, "an_rpc_waiting_for_a_direct_reply_is_received");
	uint64_t fast = ipc_counts().fast_rpcs;
	mach_msg_return_t mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, 32, sizeof(m), wake,
					0, 0);
	tap_ok(mr == MACH_MSG_SUCCESS && m.h.msgh_id == 78 && ipc_counts().fast_rpcs == fast + 1,
	       "a_direct_reply_is_sent_by_the_rpc_path");
	fault_client_wait("a_direct_reply_to_a_buffer_that_went_away_is_invalid_data");
	mach_port_destroy(mach_task_self(), wake);
}

void test_badmsg(void)
{
	struct host_ipc_info before = ipc_counts();
	mach_port_t p = port_receive_send();

	header_errors(p);
	body_errors(p);
	receive_errors(p);
	kernel_object_errors();
	fast_path_faults();
	mach_port_destroy(mach_task_self(), p);
	struct host_ipc_info after = ipc_counts();
	tap_ok(ipc_counts_equal(&before, &after), "refused_messages_leave_no_port_or_message");
}
