/*
 * Out-of-line data of 16 MiB, to another task and to oneself: it arrives
 * whole, it moves by copy-on-write (the free page count does not fall by
 * 16 MiB when it is sent or read), and neither side sees the other's
 * later writes (vmtest.h).
 *
 * The other task is a copy of vmtest in role ool-sink.  It holds a send
 * right to the runner's port (inserted under the runner's name for it,
 * given as port=NAME), says hello with a send right to a port of its own,
 * then answers each request with the checksum and size of the data it
 * received last: SINK_DATA brings the data, SINK_SUM only asks, and
 * SINK_SCRIBBLE first writes a word in a few pages of the data.
 */
#include "vmtest.h"

#define OOL_SIZE ((vm_size_t)16 << 20)
#define OOL_PAGES (OOL_SIZE / PAGE)
/* A byte copy would take OOL_PAGES; a virtual copy, a few pages of tables. */
#define COPY_PAGES_MAX (OOL_PAGES / 8)
#define REPLY_TIMEOUT_MS 10000

#define SINK_HELLO 8300
#define SINK_DATA 8301
#define SINK_SUM 8302
#define SINK_SCRIBBLE 8303
#define REPLY_ID(id) ((id) + 100)

/* Where each side writes after the transfer: word 0 of the sender's
 * pages, word 1 of the receiver's. */
static const vm_size_t sender_pages[] = { 0, 1234, OOL_PAGES - 1 };
static const vm_size_t receiver_pages[] = { 1, 2345, OOL_PAGES - 2 };
#define SPOTS 3

struct ool_message {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t data;
};

struct sink_reply {
	mach_msg_header_t h;
	uint64_t sum;
	uint64_t size;
};

typedef union {
	mach_msg_header_t h;
	struct ool_message ool;
	struct sink_reply reply;
	uint8_t bytes[256];
} message_t;

static mach_msg_return_t send_ool(mach_port_t dest, vm_address_t data, vm_size_t size,
				  bool deallocate, mach_msg_id_t id)
{
	struct ool_message m = { 0 };

	m.h.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = dest;
	m.h.msgh_id = id;
	m.body.msgh_descriptor_count = 1;
	m.data = (mach_msg_ool_descriptor_t){ .address = (void *)data,
					      .size = (mach_msg_size_t)size,
					      .deallocate = deallocate,
					      .copy = MACH_MSG_VIRTUAL_COPY,
					      .type = MACH_MSG_OOL_DESCRIPTOR };
	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			REPLY_TIMEOUT_MS, MACH_PORT_NULL);
}

static mach_msg_return_t send_plain(mach_port_t dest, mach_msg_id_t id)
{
	mach_msg_header_t h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
				.msgh_size = sizeof(h), .msgh_remote_port = dest, .msgh_id = id };

	return mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL,
			REPLY_TIMEOUT_MS, MACH_PORT_NULL);
}

static mach_msg_return_t receive(mach_port_t port, message_t *m)
{
	return mach_msg(&m->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port,
			REPLY_TIMEOUT_MS, MACH_PORT_NULL);
}

/* ---- the role ---- */

int role_ool_sink(int argc, char **argv)
{
	mach_port_t runner = port_argument(argc, argv), mine = MACH_PORT_NULL;
	vm_address_t data = 0;
	vm_size_t size = 0;
	message_t m;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine);
	m.h = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND),
		.msgh_size = sizeof(m.h), .msgh_remote_port = runner, .msgh_local_port = mine,
		.msgh_id = SINK_HELLO };
	if (mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) !=
	    MACH_MSG_SUCCESS)
		return 1;
	for (;;) {
		if (mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), mine, 0, MACH_PORT_NULL) !=
		    MACH_MSG_SUCCESS)
			continue;
		mach_msg_id_t id = m.h.msgh_id;
		if (id == SINK_DATA && (m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		    m.ool.body.msgh_descriptor_count == 1) {
			data = (vm_address_t)m.ool.data.address;
			size = m.ool.data.size;
		} else if (id == SINK_SCRIBBLE && size == OOL_SIZE) {
			for (unsigned i = 0; i < SPOTS; i++)
				*word(data + receiver_pages[i] * PAGE + 8) = 0x5c1bb1e;
		}
		m.reply = (struct sink_reply){
			.h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			       .msgh_size = sizeof(m.reply), .msgh_remote_port = runner,
			       .msgh_id = REPLY_ID(id) },
			.sum = checksum(data, size), .size = size };
		mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.reply), 0, MACH_PORT_NULL, 0,
			 MACH_PORT_NULL);
	}
}

/* ---- the runner's side ---- */

/* The sink's answer to the request of id: its sum and size. */
static bool sink_answer(mach_port_t runner_port, mach_msg_id_t id, uint64_t *sum,
			uint64_t *size)
{
	message_t m;
	mach_msg_return_t mr = receive(runner_port, &m);

	if (mr != MACH_MSG_SUCCESS || m.h.msgh_id != REPLY_ID(id) ||
	    m.h.msgh_size != sizeof(m.reply)) {
		diag("no answer %d from the sink: 0x%x, id %d\n", REPLY_ID(id), mr, m.h.msgh_id);
		return false;
	}
	*sum = m.reply.sum;
	*size = m.reply.size;
	return true;
}

/* Loads the sink with a send right to runner_port; its port in *sink_port. */
static bool sink_start(mach_port_t runner_port, task_t *task, mach_port_t *sink_port)
{
	char args[64];
	thread_t thread = MACH_PORT_NULL;
	message_t m;

	size_t len = mach_snprintf(args, sizeof(args), "role=ool-sink port=%u", runner_port) + 1;
	*sink_port = MACH_PORT_NULL;
	if (!CHECK_KR(host_boot_module_load(host_priv, "vmtest", args,
					    (mach_msg_type_number_t)len, task, &thread),
		      KERN_SUCCESS))
		return false;
	bool ok = CHECK_KR(mach_port_insert_right(*task, runner_port, runner_port,
						  MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS) &&
		  CHECK_KR(thread_resume(thread), KERN_SUCCESS) &&
		  CHECK_KR(receive(runner_port, &m), MACH_MSG_SUCCESS) &&
		  CHECK(m.h.msgh_id == SINK_HELLO);
	if (ok)
		*sink_port = m.h.msgh_remote_port;
	mach_port_deallocate(mach_task_self(), thread);
	return ok;
}

static mach_port_t port_receive_send(void)
{
	mach_port_t name = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name);
	mach_port_insert_right(mach_task_self(), name, name, MACH_MSG_TYPE_MAKE_SEND);
	return name;
}

/* Pages a count fell by from before to after (0 if it rose). */
static uint64_t fell(uint64_t before, uint64_t after)
{
	return after < before ? before - after : 0;
}

static bool sender_spots_hold(vm_address_t src, uint64_t seed)
{
	bool ok = true;

	for (unsigned i = 0; i < SPOTS; i++) {
		ok &= CHECK(*word(src + sender_pages[i] * PAGE) == 0x5e4d);
		ok &= CHECK(*word(src + receiver_pages[i] * PAGE + 8) ==
			    pattern_word(seed, receiver_pages[i] * PAGE + 8));
	}
	return ok;
}

static void to_another_task(void)
{
	vm_address_t src = 0;
	task_t sink = MACH_PORT_NULL;
	mach_port_t runner_port = port_receive_send(), sink_port = MACH_PORT_NULL;
	uint64_t sum = 0, size = 0;

	if (!CHECK_KR(vm_allocate(mach_task_self(), &src, OOL_SIZE, TRUE), KERN_SUCCESS) ||
	    !sink_start(runner_port, &sink, &sink_port)) {
		tap_ok(false, "a_task_to_send_sixteen_mib_to_starts");
		goto out;
	}
	fill(src, OOL_SIZE, 40);
	uint64_t sent_sum = checksum(src, OOL_SIZE);

	struct vm_statistics before = vm_stats();
	tap_kr(send_ool(sink_port, src, OOL_SIZE, false, SINK_DATA), MACH_MSG_SUCCESS,
	       "sixteen_mib_of_out_of_line_data_are_sent_to_another_task");
	uint64_t at_send = fell(before.free_count, vm_stats().free_count);
	tap_ok(at_send < COPY_PAGES_MAX, "sending_sixteen_mib_out_of_line_copies_no_pages");
	bool answered = sink_answer(runner_port, SINK_DATA, &sum, &size);
	tap_ok(answered && size == OOL_SIZE && sum == sent_sum,
	       "the_receiving_task_gets_exactly_the_bytes_sent");
	uint64_t at_read = fell(before.free_count, vm_stats().free_count);
	tap_ok(answered && at_read < COPY_PAGES_MAX,
	       "receiving_and_reading_sixteen_mib_out_of_line_copies_no_pages");
	diag("free pages fell by %lu at the send, %lu once read (a byte copy: %lu)\n", at_send,
	     at_read, OOL_PAGES);

	for (unsigned i = 0; i < SPOTS; i++)
		*word(src + sender_pages[i] * PAGE) = 0x5e4d;
	answered = send_plain(sink_port, SINK_SUM) == MACH_MSG_SUCCESS &&
		   sink_answer(runner_port, SINK_SUM, &sum, &size);
	tap_ok(answered && sum == sent_sum,
	       "the_senders_writes_after_the_send_are_not_seen_by_the_receiver");
	answered = send_plain(sink_port, SINK_SCRIBBLE) == MACH_MSG_SUCCESS &&
		   sink_answer(runner_port, SINK_SCRIBBLE, &sum, &size);
	tap_ok(answered && sum != sent_sum && sender_spots_hold(src, 40),
	       "the_receivers_writes_are_not_seen_by_the_sender");
out:
	if (sink != MACH_PORT_NULL)
		child_end(sink);
	if (sink_port != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), sink_port);
	mach_port_destroy(mach_task_self(), runner_port);
	vm_deallocate(mach_task_self(), src, OOL_SIZE);
}

static void to_oneself(void)
{
	vm_address_t src = 0;
	mach_port_t port = port_receive_send();
	message_t m;

	if (!CHECK_KR(vm_allocate(mach_task_self(), &src, OOL_SIZE, TRUE), KERN_SUCCESS)) {
		tap_ok(false, "sixteen_mib_to_send_to_oneself_are_allocated");
		goto out;
	}
	fill(src, OOL_SIZE, 41);
	struct vm_statistics before = vm_stats();
	bool sent = send_ool(port, src, OOL_SIZE, false, SINK_DATA) == MACH_MSG_SUCCESS;
	uint64_t at_send = fell(before.free_count, vm_stats().free_count);
	bool got = sent && receive(port, &m) == MACH_MSG_SUCCESS &&
		   (m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) && m.ool.data.size == OOL_SIZE;
	vm_address_t copy = got ? (vm_address_t)m.ool.data.address : 0;
	bool whole = got && copy != src && filled(copy, OOL_SIZE, 41);
	tap_ok(whole && at_send < COPY_PAGES_MAX,
	       "sixteen_mib_sent_to_oneself_arrive_whole_in_new_memory_without_copying_pages");
	if (whole) {
		bool apart = true;
		for (unsigned i = 0; i < SPOTS; i++)
			apart &= writable(copy + receiver_pages[i] * PAGE, 16);
		for (unsigned i = 0; apart && i < SPOTS; i++) {
			*word(src + sender_pages[i] * PAGE) = 0x5e4d;
			*word(copy + receiver_pages[i] * PAGE + 8) = 0x5c1bb1e;
		}
		apart = apart && sender_spots_hold(src, 41);
		for (unsigned i = 0; apart && i < SPOTS; i++)
			apart &= CHECK(*word(copy + sender_pages[i] * PAGE) ==
				       pattern_word(41, sender_pages[i] * PAGE));
		tap_ok(apart,
		       "sixteen_mib_sent_to_oneself_and_their_source_do_not_see_each_others_writes");
	}
	if (got)
		vm_deallocate(mach_task_self(), copy, OOL_SIZE);

	/* With deallocate, the data moves: the sender's range is gone. */
	fill(src, OOL_SIZE, 42);
	sent = send_ool(port, src, OOL_SIZE, true, SINK_DATA) == MACH_MSG_SUCCESS;
	tap_ok(sent && unmapped(mach_task_self(), src, OOL_SIZE) &&
		       read_faults(src, KERN_INVALID_ADDRESS),
	       "out_of_line_data_sent_with_deallocate_is_unmapped_from_the_sender");
	got = sent && receive(port, &m) == MACH_MSG_SUCCESS &&
	      (m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) && m.ool.data.size == OOL_SIZE;
	tap_ok(got && filled((vm_address_t)m.ool.data.address, OOL_SIZE, 42),
	       "out_of_line_data_sent_with_deallocate_arrives_whole");
	if (got)
		vm_deallocate(mach_task_self(), (vm_address_t)m.ool.data.address, OOL_SIZE);
out:
	mach_port_destroy(mach_task_self(), port);
	vm_deallocate(mach_task_self(), src, OOL_SIZE);
}

void test_ool(void)
{
	to_another_task();
	to_oneself();
}
