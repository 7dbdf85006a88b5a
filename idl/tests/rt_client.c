/*
 * One valid call of every routine of rt.defs, to seed the fuzz
 * test's corpus with a well-formed request of each (and of each shape:
 * empty and full arrays, every port disposition).
 */
#include "rt_client.h"

#include <stdlib.h>
#include <string.h>

#include "rt.h"
#include "rt_server.h"

#define SERVER RT_PORT

static void exercise_inline(void)
{
	int64 sum;
	int32 f = 3, x = 0;
	uint8_t g;
	int_vec4_t v = { 1, 2, 3, 4 }, w, xv = { 0 };
	point_t p = { 1, 2 }, q, r = { 3, 4 };
	name_t name = "name", upper, both = "both";
	char echo[64];
	int32_t a[16] = { 0 }, c[16];
	uint8_t b[100] = { 0 }, d[100];
	mach_msg_type_number_t cCnt, dCnt;
	natural_t got;
	mach_port_name_t n;

	null(SERVER);
	ping(SERVER, 1);
	scalars(SERVER, 1, 2, 3, 4, TRUE, &sum, &f, &g, 5);
	fixed(SERVER, v, w, xv, p, &q, &r);
	strings(SERVER, name, upper, both, "a/path", echo);
	for (unsigned len = 0; len <= 16; len += 16) {
		cCnt = 16;
		dCnt = 100;
		arrays(SERVER, a, len, b, len * 6 + 3, c, &cCnt, d, &dCnt);
	}
	timed(SERVER, 10, 0, &got);
	own_reply(SERVER, 0x2000, &x);
	server_reply(SERVER, &n);
	translated(SERVER, &x, &n);
	fail(SERVER, KERN_FAILURE, &x);
	late_request(1, SERVER, &x);
}

static void exercise_rights(void)
{
	mach_port_t o1, o2, io = 9, q, three[3] = { 7, 8, 9 };
	mach_port_t list[4] = { 1, 2, 3, 4 };
	mach_port_array_t out;
	mach_msg_type_name_t qPoly;
	mach_msg_type_number_t outCnt;

	ports(SERVER, 1, 2, 3, 4, &o1, &o2, &io);
	poly(SERVER, 5, MACH_MSG_TYPE_MAKE_SEND_ONCE, &q, &qPoly);
	poly(SERVER, 5, MACH_MSG_TYPE_MOVE_RECEIVE, &q, &qPoly);
	if (port_arrays(SERVER, list, 4, three, &out, &outCnt) == KERN_SUCCESS)
		free(out);
}

static void exercise_out_of_line(void)
{
	uint8_t data[300];
	int32_t ints[40] = { 0 }, four[4] = { 0 };
	bytes_t odata;
	int_ool_t oints;
	mach_msg_type_number_t odataCnt, ointsCnt;

	memset(data, 'x', sizeof data);
	if (ool(SERVER, data, sizeof data, ints, 40, four, &odata, &odataCnt,
		&oints, &ointsCnt) == KERN_SUCCESS) {
		free(odata);
		free(oints);
	}
	ool_dealloc(SERVER, data, 17, FALSE);
}

void rt_exercise(void)
{
	exercise_inline();
	exercise_rights();
	exercise_out_of_line();
}
