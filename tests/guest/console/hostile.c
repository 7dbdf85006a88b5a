/*
 * Hostile input: counts out of range, requests built by hand as a
 * hostile client would (truncated, counts past their bound or past the
 * message, rights where none belong, unknown ids, no reply port), a
 * message at a bad address, and more waiting reads than the driver
 * keeps.  Each gets a clear error; the driver serves on, and a right a
 * refused request carried is released.
 *
 * Hand-built requests follow term.defs's layout (docs/idl.md): the
 * header, then the fixed fields in argument order (read: count and
 * timeout at 32 and 36, READ_SIZE in all; write: dataCnt at 32, the data
 * from 40).
 */
#include "consoletest.h"

#define REQUEST_FIELD 32                 /* the first field after the header */
#define WRITE_DATA 40                    /* write's data, after dataCnt and padding */
#define RAW_WAIT_MS 2000
#define UNMAPPED_ADDRESS ((vm_address_t)0x1000)   /* below the program: nothing there */

typedef union {
	mach_msg_header_t h;
	mig_reply_error_t e;
	uint8_t b[TERM_IO_MAX + 256];
} raw_msg_t;

static void put32(raw_msg_t *m, unsigned offset, uint32_t value)
{
	memcpy(&m->b[offset], &value, sizeof(value));
}

static void header(raw_msg_t *m, mach_port_t to, mach_port_t reply, mach_msg_id_t id,
		   mach_msg_size_t size)
{
	m->h = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					    reply == MACH_PORT_NULL ? 0
								    : MACH_MSG_TYPE_MAKE_SEND_ONCE),
		.msgh_size = size,
		.msgh_remote_port = to,
		.msgh_local_port = reply,
		.msgh_id = id,
	};
}

/* Sends m (its header filled) and takes the reply: its return code, or
 * mach_msg's error. */
static kern_return_t raw_call(raw_msg_t *m)
{
	mach_port_t reply = m->h.msgh_local_port;
	mach_msg_id_t id = m->h.msgh_id;

	mach_msg_return_t mr = mach_msg(&m->h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
					m->h.msgh_size, sizeof(*m), reply, RAW_WAIT_MS,
					MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		if (MACH_MSG_RCV_ERROR_P(mr))
			mig_dealloc_reply_port(reply);   /* a late reply must not be taken for the next */
		return mr;
	}
	if (m->h.msgh_id != id + 100 || m->h.msgh_size != sizeof(mig_reply_error_t)) {
		mach_msg_destroy(&m->h);
		return MIG_REPLY_MISMATCH;
	}
	return m->e.RetCode;
}

/* Counts the stub cannot check, because they are plain numbers. */
static void counts(void)
{
	char buf[16];
	static char big[TERM_IO_MAX + 1];
	mach_msg_type_number_t n = sizeof(buf);

	tap_kr(term_read(owner, 0, 10, buf, &n), KERN_INVALID_ARGUMENT,
	       "a_read_of_no_bytes_is_refused");
	tap_kr(term_read(owner, TERM_IO_MAX + 1, 10, buf, &n), KERN_INVALID_ARGUMENT,
	       "a_read_of_more_than_term_io_max_is_refused");
	tap_kr(term_read(owner, 0xffffffffu, 10, buf, &n), KERN_INVALID_ARGUMENT,
	       "a_read_of_a_huge_count_is_refused");
	tap_kr(term_write(owner, big, sizeof(big)), MIG_ARRAY_TOO_LARGE,
	       "a_write_of_more_than_term_io_max_is_refused_before_it_is_sent");
}

/* Requests whose shape is wrong: the demux refuses them. */
static void malformed(void)
{
	static raw_msg_t m;
	mach_port_t reply = mig_get_reply_port();

	header(&m, owner, reply, MSGID_term_write, WRITE_DATA + 1032);
	put32(&m, REQUEST_FIELD, TERM_IO_MAX + 1);
	tap_kr(raw_call(&m), MIG_BAD_ARGUMENTS, "a_write_whose_count_passes_its_bound_is_refused");

	header(&m, owner, reply, MSGID_term_write, WRITE_DATA + 8);
	put32(&m, REQUEST_FIELD, 1000);
	tap_kr(raw_call(&m), MIG_BAD_ARGUMENTS,
	       "a_write_whose_count_passes_the_message_end_is_refused");

	header(&m, owner, reply, MSGID_term_read, sizeof(mach_msg_header_t));
	tap_kr(raw_call(&m), MIG_BAD_ARGUMENTS, "a_truncated_read_request_is_refused");

	header(&m, owner, reply, MSGID_term_read, READ_SIZE + 8);
	put32(&m, REQUEST_FIELD, 8);
	put32(&m, REQUEST_FIELD + 4, 10);
	tap_kr(raw_call(&m), MIG_BAD_ARGUMENTS, "a_read_request_with_extra_bytes_is_refused");

	header(&m, console, reply, term_MSG_ID_BASE + 50, sizeof(mach_msg_header_t));
	tap_kr(raw_call(&m), MIG_BAD_ID, "an_unknown_message_id_is_refused");
}

/*
 * A read request that carries a send right: refused, and the right is
 * released (the port, whose only send right it was, has none left).
 */
static void carried_right(void)
{
	static raw_msg_t m;
	mach_port_t port = MACH_PORT_NULL;
	mach_port_status_t status;
	const unsigned body = sizeof(mach_msg_header_t);
	const unsigned descriptor = body + sizeof(mach_msg_body_t);
	const unsigned fields = descriptor + sizeof(mach_msg_port_descriptor_t);

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	header(&m, owner, mig_get_reply_port(), MSGID_term_read, fields + 8);
	m.h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	*(mach_msg_body_t *)&m.b[body] = (mach_msg_body_t){ .msgh_descriptor_count = 1 };
	*(mach_msg_port_descriptor_t *)&m.b[descriptor] = (mach_msg_port_descriptor_t){
		.name = port,
		.disposition = MACH_MSG_TYPE_MAKE_SEND,
		.type = MACH_MSG_PORT_DESCRIPTOR,
	};
	put32(&m, fields, 8);
	put32(&m, fields + 4, 10);
	tap_kr(raw_call(&m), MIG_BAD_ARGUMENTS, "a_request_carrying_a_right_is_refused");
	tap_ok(mach_port_get_receive_status(mach_task_self(), port, &status) == KERN_SUCCESS &&
		       !status.mps_srights,
	       "the_right_a_refused_request_carried_is_released");
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* A message the kernel cannot read never reaches the driver. */
static void bad_address(void)
{
	mach_msg_return_t mr = mach_msg((mach_msg_header_t *)UNMAPPED_ADDRESS, MACH_SEND_MSG,
					READ_SIZE, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	tap_kr(mr, MACH_SEND_INVALID_DATA, "a_request_at_an_unmapped_address_is_refused");
}

/*
 * TERM_READERS_MAX reads wait (each with a reply port of its own); one
 * more is refused.  Once their clients are gone (the reply ports
 * destroyed), the table has room again.
 */
static void waiting_reads(void)
{
	mach_port_t replies[TERM_READERS_MAX];
	char buf[8];
	mach_msg_type_number_t n = sizeof(buf);
	bool ok = true;

	for (int i = 0; i < TERM_READERS_MAX; i++) {
		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &replies[i]);
		ok = ok && CHECK_KR(send_read(owner, replies[i], 0), MACH_MSG_SUCCESS);
	}
	tap_ok(ok && term_read(owner, sizeof(buf), 50, buf, &n) == KERN_RESOURCE_SHORTAGE,
	       "a_read_past_term_readers_max_waiting_is_refused");
	for (int i = 0; i < TERM_READERS_MAX; i++)
		mach_port_mod_refs(mach_task_self(), replies[i], MACH_PORT_RIGHT_RECEIVE, -1);
	tap_kr(term_read(owner, sizeof(buf), 50, buf, &n), KERN_OPERATION_TIMED_OUT,
	       "reads_whose_clients_are_gone_make_room");
}

/* A read with no reply port cannot be answered: refused (the driver
 * logs it); the driver serves on. */
static void no_reply_port(void)
{
	natural_t mode = 0;

	bool ok = CHECK_KR(send_read(owner, MACH_PORT_NULL, 0), MACH_MSG_SUCCESS);
	tap_ok(ok && term_get_mode(owner, &mode) == KERN_SUCCESS && mode == TERM_MODE_COOKED,
	       "the_driver_serves_on_after_the_bad_requests");
}

void test_hostile(void)
{
	counts();
	malformed();
	carried_right();
	bad_address();
	waiting_reads();
	no_reply_port();
}
