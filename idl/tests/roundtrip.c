/*
 * Round trips of every parameter kind of rt.defs: generated user
 * stub -> loopback transport -> generated demux -> rt_server.c -> reply ->
 * user stub, and the stub's answers to replies that are wrong.  Built
 * with AddressSanitizer and UndefinedBehaviorSanitizer; LeakSanitizer
 * checks at exit that no out-of-line region was lost on any path.
 */
#include <stdlib.h>
#include <string.h>

#include <mach/notify.h>

#include "loopback.h"
#include "rt.h"
#include "rt_server.h"
#include "rtServer.h"
#include "test.h"

#define SERVER RT_PORT

static int null_rpc_round_trips(void)
{
	unsigned before = rt_state.nulls;

	CHECK_EQ(null(SERVER), KERN_SUCCESS);
	CHECK_EQ(rt_state.nulls, before + 1);
	CHECK_EQ(loopback_stats.last_option, MACH_SEND_MSG | MACH_RCV_MSG);
	CHECK_EQ(loopback_stats.last_rcv_name, LOOPBACK_REPLY_PORT);
	return 0;
}

static int simpleroutine_is_sent_without_a_reply(void)
{
	unsigned replies = loopback_stats.replies;

	CHECK_EQ(ping(SERVER, 42), MACH_MSG_SUCCESS);
	CHECK_EQ(rt_state.last_ping, 42);
	CHECK_EQ(loopback_stats.replies, replies);
	CHECK_EQ(loopback_stats.last_option, MACH_SEND_MSG);
	return 0;
}

static int simpleroutine_failure_destroys_its_request(void)
{
	unsigned destroyed = loopback_stats.destroyed;

	CHECK_EQ(ping(SERVER, -1), MACH_MSG_SUCCESS);
	CHECK_EQ(loopback_stats.destroyed, destroyed + 1);
	return 0;
}

/* NAME_prepare builds what the stub would send, and sends nothing. */
static int prepared_simpleroutine_is_built_not_sent(void)
{
	union {
		mach_msg_header_t h;
		uint8_t b[MSGSIZE_ping > MSGSIZE_ool_dealloc ? MSGSIZE_ping : MSGSIZE_ool_dealloc];
	} m;
	uint8_t data[3] = { 4, 5, 6 };
	unsigned sends = loopback_stats.sends;

	CHECK_EQ(ping_prepare(&m.h, SERVER, 77), MACH_MSG_SUCCESS);
	CHECK_EQ(loopback_stats.sends, sends);
	CHECK_EQ(m.h.msgh_size, MSGSIZE_ping);
	CHECK_EQ(m.h.msgh_id, MSGID_ping);
	CHECK_EQ(mach_msg(&m.h, MACH_SEND_MSG, m.h.msgh_size, 0, MACH_PORT_NULL,
			  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
		 MACH_MSG_SUCCESS);
	CHECK_EQ(rt_state.last_ping, 77);
	CHECK_EQ(ool_dealloc_prepare(&m.h, SERVER, data, 3, FALSE), MACH_MSG_SUCCESS);
	CHECK_EQ(loopback_stats.sends, sends + 1);
	CHECK((m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0);
	CHECK_EQ(mach_msg(&m.h, MACH_SEND_MSG, m.h.msgh_size, 0, MACH_PORT_NULL,
			  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
		 MACH_MSG_SUCCESS);
	CHECK_EQ(rt_state.last_checksum, (4u * 31 + 5) * 31 + 6);
	return 0;
}

static int scalars_of_every_width_round_trip(void)
{
	int64 sum = 0;
	int32 f = -21;
	uint8_t g = 0;

	CHECK_EQ(scalars(SERVER, -5, 1000, 70000, 1LL << 40, TRUE, &sum, &f, &g,
			 0x1234),
		 KERN_SUCCESS);
	CHECK_EQ(sum, -5 + 1000 + 70000 + (1LL << 40) + 1 + 0x1234);
	CHECK_EQ(f, -42);
	CHECK_EQ(g, 70000 & 0xff);
	return 0;
}

static int fixed_arrays_and_structs_round_trip(void)
{
	int_vec4_t v = { 1, 2, 3, 4 }, w = { 0 }, x = { 10, 20, 30, 40 };
	point_t p = { 5, -6 }, q = { 0, 0 }, r = { 100, 200 };

	CHECK_EQ(fixed(SERVER, v, w, x, p, &q, &r), KERN_SUCCESS);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(w[i], v[i] * 10);
		CHECK_EQ(x[i], (i + 1) * 10 + v[i]);
	}
	CHECK_EQ(q.x, -6);
	CHECK_EQ(q.y, 5);
	CHECK_EQ(r.x, 105);
	CHECK_EQ(r.y, 194);
	return 0;
}

static int strings_round_trip(void)
{
	name_t name = "pagoda", upper = "", both = "hello", empty = "";
	char echo[64] = "";

	CHECK_EQ(strings(SERVER, name, upper, both, "abc/def", echo),
		 KERN_SUCCESS);
	CHECK(strcmp(upper, "PAGODA") == 0);
	CHECK(strcmp(both, "hello!") == 0);
	CHECK(strcmp(echo, "fed/cba") == 0);
	CHECK_EQ(strings(SERVER, empty, upper, both, "", echo), KERN_SUCCESS);
	CHECK(strcmp(upper, "") == 0 && strcmp(echo, "") == 0);
	return 0;
}

static int string_over_its_bound_is_refused_before_sending(void)
{
	char path[65];
	name_t name, ok = "ok", upper, both = "";
	char echo[64];
	unsigned sends = loopback_stats.sends;

	memset(path, 'p', 64);
	path[64] = '\0';
	memset(name, 'n', 32); /* no room left for the NUL */
	CHECK_EQ(strings(SERVER, ok, upper, both, path, echo),
		 MIG_ARRAY_TOO_LARGE);
	CHECK_EQ(strings(SERVER, name, upper, both, "ok", echo),
		 MIG_ARRAY_TOO_LARGE);
	CHECK_EQ(loopback_stats.sends, sends);
	return 0;
}

static int variable_arrays_round_trip(void)
{
	int32_t a[16], c[16];
	uint8_t b[100], d[100];

	for (unsigned n = 0; n <= 16; n += 5) {
		mach_msg_type_number_t cCnt = 16, dCnt = 100, bCnt = n * 6 + 1;

		for (unsigned i = 0; i < 16; i++)
			a[i] = (int32_t)(i * 1000 + n);
		for (unsigned i = 0; i < 100; i++)
			b[i] = (uint8_t)(i + n);
		CHECK_EQ(arrays(SERVER, a, n, b, bCnt, c, &cCnt, d, &dCnt),
			 KERN_SUCCESS);
		CHECK_EQ(cCnt, n);
		CHECK_EQ(dCnt, bCnt);
		for (unsigned i = 0; i < n; i++)
			CHECK_EQ(c[i], a[n - 1 - i]);
		for (unsigned i = 0; i < bCnt; i++)
			CHECK_EQ(d[i], (uint8_t)(b[i] + 1));
	}
	return 0;
}

static int array_over_its_bound_is_refused_before_sending(void)
{
	int32_t a[17] = { 0 }, c[16];
	uint8_t b[1] = { 0 }, d[100];
	mach_msg_type_number_t cCnt = 16, dCnt = 100;
	unsigned sends = loopback_stats.sends;

	CHECK_EQ(arrays(SERVER, a, 17, b, 1, c, &cCnt, d, &dCnt),
		 MIG_ARRAY_TOO_LARGE);
	CHECK_EQ(loopback_stats.sends, sends);
	return 0;
}

static int reply_array_larger_than_callers_room_is_refused(void)
{
	int32_t a[16] = { 0 }, c[16];
	uint8_t b[1] = { 0 }, d[100];
	mach_msg_type_number_t cCnt = 3, dCnt = 100;

	CHECK_EQ(arrays(SERVER, a, 10, b, 1, c, &cCnt, d, &dCnt),
		 MIG_ARRAY_TOO_LARGE);
	CHECK_EQ(cCnt, 10);
	return 0;
}

static int ports_of_every_disposition_round_trip(void)
{
	mach_port_t o1 = 0, o2 = 0, io = 1000;

	CHECK_EQ(ports(SERVER, 11, 22, 33, 44, &o1, &o2, &io), KERN_SUCCESS);
	CHECK_EQ(o1, 12);
	CHECK_EQ(o2, 55);
	CHECK_EQ(io, 1044);
	return 0;
}

static int polymorphic_ports_carry_their_disposition(void)
{
	mach_port_t q = 0;
	mach_msg_type_name_t qPoly = 0;

	CHECK_EQ(poly(SERVER, 5, MACH_MSG_TYPE_MAKE_SEND_ONCE, &q, &qPoly),
		 KERN_SUCCESS);
	CHECK_EQ(q, 105);
	CHECK_EQ(qPoly, MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_EQ(poly(SERVER, 6, MACH_MSG_TYPE_COPY_SEND, &q, &qPoly),
		 KERN_SUCCESS);
	CHECK_EQ(q, 106);
	CHECK_EQ(qPoly, MACH_MSG_TYPE_PORT_SEND);
	return 0;
}

static int out_of_line_data_round_trips(void)
{
	static const unsigned sizes[] = { 0, 1, 7, 4096, 100000 };

	for (unsigned s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		unsigned n = sizes[s], ni = n % 1025;
		uint8_t *data = malloc(n + 1);
		int32_t *ints = malloc(ni * 4 + 4), four[4] = { 1, 2, 3, 4 };
		bytes_t odata = NULL;
		int_ool_t oints = NULL;
		mach_msg_type_number_t odataCnt = 0, ointsCnt = 0;

		for (unsigned i = 0; i < n; i++)
			data[i] = (uint8_t)(i * 7);
		for (unsigned i = 0; i < ni; i++)
			ints[i] = (int32_t)i;
		CHECK_EQ(ool(SERVER, data, n, ints, ni, four, &odata, &odataCnt,
			     &oints, &ointsCnt),
			 KERN_SUCCESS);
		CHECK_EQ(odataCnt, n);
		CHECK_EQ(ointsCnt, ni);
		for (unsigned i = 0; i < n; i++)
			CHECK_EQ(odata[i], data[n - 1 - i]);
		for (unsigned i = 0; i < ni; i++)
			CHECK_EQ(oints[i], (int32_t)i + four[i % 4]);
		free(data);
		free(ints);
		free(odata);
		free(oints);
	}
	return 0;
}

static int out_of_line_over_its_bound_is_refused_before_sending(void)
{
	static int32_t ints[1025], four[4];
	bytes_t odata;
	int_ool_t oints;
	mach_msg_type_number_t odataCnt, ointsCnt;
	unsigned sends = loopback_stats.sends;

	CHECK_EQ(ool(SERVER, (bytes_t) "", 0, ints, 1025, four, &odata,
		     &odataCnt, &oints, &ointsCnt),
		 MIG_ARRAY_TOO_LARGE);
	CHECK_EQ(loopback_stats.sends, sends);
	return 0;
}

static int dealloc_flag_is_the_callers_choice(void)
{
	uint8_t *moved = malloc(3), kept[3] = { 1, 2, 3 };

	memcpy(moved, kept, 3);
	/* With TRUE the send frees `moved` (a leak or double free shows). */
	CHECK_EQ(ool_dealloc(SERVER, moved, 3, TRUE), MACH_MSG_SUCCESS);
	CHECK_EQ(ool_dealloc(SERVER, kept, 3, FALSE), MACH_MSG_SUCCESS);
	CHECK_EQ(kept[2], 3);
	return 0;
}

static int port_arrays_round_trip(void)
{
	mach_port_t in[5] = { 1, 2, 3, 4, 5 }, three[3] = { 7, 8, 9 };
	mach_port_array_t out = NULL;
	mach_msg_type_number_t outCnt = 0;

	CHECK_EQ(port_arrays(SERVER, in, 5, three, &out, &outCnt), KERN_SUCCESS);
	CHECK_EQ(outCnt, 8);
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(out[i], in[i]);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(out[5 + i], three[i]);
	free(out);
	return 0;
}

static int waittime_msgoption_and_msgseqno_are_honoured(void)
{
	natural_t got = 12345;

	CHECK_EQ(timed(SERVER, 250, MACH_SEND_INTERRUPT, &got), KERN_SUCCESS);
	CHECK_EQ(loopback_stats.last_timeout, 250);
	CHECK_EQ(loopback_stats.last_option,
		 MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
			 MACH_RCV_TIMEOUT | MACH_SEND_INTERRUPT);
	CHECK(got != 12345);
	return 0;
}

static int user_reply_port_replaces_the_threads_one(void)
{
	int32 x = 0;

	CHECK_EQ(own_reply(SERVER, 0x2000, &x), KERN_SUCCESS);
	CHECK_EQ(x, 7);
	CHECK_EQ(loopback_stats.last_reply_port, 0x2000);
	CHECK_EQ(loopback_stats.last_rcv_name, 0x2000);
	return 0;
}

static int server_sees_the_reply_port(void)
{
	mach_port_name_t x = 0;

	CHECK_EQ(server_reply(SERVER, &x), KERN_SUCCESS);
	CHECK_EQ(x, LOOPBACK_REPLY_PORT);
	return 0;
}

static int intran_outtran_and_destructor_apply(void)
{
	int32 cookie = 41;
	mach_port_t other = 0;
	unsigned lookups = rt_state.lookups, releases = rt_state.releases;

	CHECK_EQ(translated(SERVER, &cookie, &other), KERN_SUCCESS);
	CHECK_EQ(cookie, 42);
	CHECK_EQ(other, SERVER + 1);
	CHECK_EQ(rt_state.lookups, lookups + 1);
	CHECK_EQ(rt_state.releases, releases + 1);
	return 0;
}

static int server_error_is_the_stubs_return_code(void)
{
	int32 x = 5;

	CHECK_EQ(fail(SERVER, KERN_INVALID_VALUE, &x), KERN_INVALID_VALUE);
	CHECK_EQ(x, 5); /* untouched on error */
	CHECK_EQ(fail(SERVER, KERN_SUCCESS, &x), KERN_SUCCESS);
	CHECK_EQ(x, 99);
	return 0;
}

static int receive_error_drops_the_reply_port(void)
{
	int32 x = 0;
	unsigned deallocs = loopback_stats.reply_port_deallocs;

	/* A server that answers later leaves the loopback client waiting. */
	CHECK_EQ(fail(SERVER, MIG_NO_REPLY, &x), MACH_RCV_TIMED_OUT);
	CHECK_EQ(loopback_stats.reply_port_deallocs, deallocs + 1);
	return 0;
}

static int explicit_request_port_may_follow_data(void)
{
	int32 y = 0;

	CHECK_EQ(late_request(9, SERVER, &y), KERN_SUCCESS);
	CHECK_EQ(y, 10);
	return 0;
}

static void set_id(mach_msg_header_t *m, mach_msg_id_t id)
{
	m->msgh_id = id;
}

static void wrong_id(mach_msg_header_t *m)
{
	set_id(m, m->msgh_id + 1);
}

static void send_once_notification(mach_msg_header_t *m)
{
	set_id(m, MACH_NOTIFY_SEND_ONCE);
}

static void truncated(mach_msg_header_t *m)
{
	m->msgh_size -= 8;
}

static void wrong_right(mach_msg_header_t *m)
{
	mach_msg_port_descriptor_t *d =
		(mach_msg_port_descriptor_t *)((char *)m + 40);

	d->disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
}

/* The first port of the reply becomes an out-of-line region. */
static void port_becomes_memory(mach_msg_header_t *m)
{
	mach_msg_ool_descriptor_t *d =
		(mach_msg_ool_descriptor_t *)((char *)m + 40);

	*d = (mach_msg_ool_descriptor_t){ .address = malloc(16), .size = 16,
					  .type = MACH_MSG_OOL_DESCRIPTOR };
}

static int call_ports_with_hook(void (*hook)(mach_msg_header_t *))
{
	mach_port_t o1 = 0, o2 = 0, io = 0;
	kern_return_t kr;

	loopback_reply_hook = hook;
	kr = ports(SERVER, 1, 2, 3, 4, &o1, &o2, &io);
	loopback_reply_hook = NULL;
	if (kr == KERN_SUCCESS || o1 != 0 || o2 != 0 || io != 0)
		printf("# ports returned %#x, outputs %u %u %u\n", kr, o1, o2, io);
	return kr;
}

static int bad_replies_are_refused_and_destroyed(void)
{
	unsigned destroyed = loopback_stats.destroyed;

	CHECK_EQ(call_ports_with_hook(wrong_id), MIG_REPLY_MISMATCH);
	CHECK_EQ(call_ports_with_hook(send_once_notification), MIG_SERVER_DIED);
	CHECK_EQ(call_ports_with_hook(truncated), MIG_TYPE_ERROR);
	CHECK_EQ(call_ports_with_hook(wrong_right), MIG_TYPE_ERROR);
	CHECK_EQ(call_ports_with_hook(port_becomes_memory), MIG_TYPE_ERROR);
	CHECK_EQ(loopback_stats.destroyed, destroyed + 4);
	return 0;
}

static int unknown_and_skipped_ids_get_bad_id(void)
{
	static const mach_msg_id_t ids[] = { 3999, 4011, 4018, -1, 0x7fffffff };

	for (unsigned i = 0; i < sizeof ids / sizeof *ids; i++) {
		mach_msg_header_t in = { .msgh_size = sizeof in, .msgh_id = ids[i] };
		mig_reply_error_t out;

		CHECK(!rt_server(&in, &out.Head));
		CHECK_EQ(out.RetCode, MIG_BAD_ID);
		CHECK_EQ(out.Head.msgh_size, sizeof out);
		CHECK_EQ(out.Head.msgh_id, (mach_msg_id_t)((uint32_t)ids[i] + 100));
	}
	return 0;
}

static const struct test tests[] = {
	{ "null_rpc_round_trips", null_rpc_round_trips },
	{ "simpleroutine_is_sent_without_a_reply",
	  simpleroutine_is_sent_without_a_reply },
	{ "simpleroutine_failure_destroys_its_request",
	  simpleroutine_failure_destroys_its_request },
	{ "prepared_simpleroutine_is_built_not_sent",
	  prepared_simpleroutine_is_built_not_sent },
	{ "scalars_of_every_width_round_trip", scalars_of_every_width_round_trip },
	{ "fixed_arrays_and_structs_round_trip",
	  fixed_arrays_and_structs_round_trip },
	{ "strings_round_trip", strings_round_trip },
	{ "string_over_its_bound_is_refused_before_sending",
	  string_over_its_bound_is_refused_before_sending },
	{ "variable_arrays_round_trip", variable_arrays_round_trip },
	{ "array_over_its_bound_is_refused_before_sending",
	  array_over_its_bound_is_refused_before_sending },
	{ "reply_array_larger_than_callers_room_is_refused",
	  reply_array_larger_than_callers_room_is_refused },
	{ "ports_of_every_disposition_round_trip",
	  ports_of_every_disposition_round_trip },
	{ "polymorphic_ports_carry_their_disposition",
	  polymorphic_ports_carry_their_disposition },
	{ "out_of_line_data_round_trips", out_of_line_data_round_trips },
	{ "out_of_line_over_its_bound_is_refused_before_sending",
	  out_of_line_over_its_bound_is_refused_before_sending },
	{ "dealloc_flag_is_the_callers_choice",
	  dealloc_flag_is_the_callers_choice },
	{ "port_arrays_round_trip", port_arrays_round_trip },
	{ "waittime_msgoption_and_msgseqno_are_honoured",
	  waittime_msgoption_and_msgseqno_are_honoured },
	{ "user_reply_port_replaces_the_threads_one",
	  user_reply_port_replaces_the_threads_one },
	{ "server_sees_the_reply_port", server_sees_the_reply_port },
	{ "intran_outtran_and_destructor_apply",
	  intran_outtran_and_destructor_apply },
	{ "server_error_is_the_stubs_return_code",
	  server_error_is_the_stubs_return_code },
	{ "receive_error_drops_the_reply_port",
	  receive_error_drops_the_reply_port },
	{ "explicit_request_port_may_follow_data",
	  explicit_request_port_may_follow_data },
	{ "bad_replies_are_refused_and_destroyed",
	  bad_replies_are_refused_and_destroyed },
	{ "unknown_and_skipped_ids_get_bad_id",
	  unknown_and_skipped_ids_get_bad_id },
};

int main(void)
{
	rt_serve();
	return test_run_all(tests, sizeof tests / sizeof *tests);
}
