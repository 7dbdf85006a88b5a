/*
 * The server side of rt.defs for the host tests: each function
 * derives its outputs from its inputs in a way the client can check, and
 * reads every byte it is given, so that a sanitizer notices if a demux
 * ever passes it more than the message holds.  Like any server, it owns
 * the out-of-line memory of a request only when it returns KERN_SUCCESS.
 */
#include "rt_server.h"

#include <stdlib.h>
#include <string.h>

#include "loopback.h"
#include "rtServer.h"

struct rt_state rt_state;

struct rt_object {
	mach_port_t port;
	int refs;
};

struct rt_cookie {
	int32_t value;
};

static struct rt_object objects[8];
static struct rt_cookie cookies[4];
static unsigned next_cookie;

rt_object_t rt_object_lookup(mach_port_t port)
{
	struct rt_object *o = &objects[port % 8];

	o->port = port;
	o->refs++;
	rt_state.lookups++;
	return o;
}

void rt_object_release(rt_object_t object)
{
	object->refs--;
	rt_state.releases++;
}

mach_port_t rt_object_port(rt_object_t object)
{
	return object->port;
}

rt_cookie_t rt_cookie_in(int32_t value)
{
	struct rt_cookie *c = &cookies[next_cookie++ % 4];

	c->value = value;
	return c;
}

int32_t rt_cookie_out(rt_cookie_t cookie)
{
	return cookie->value;
}

static uint32_t checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = sum * 31 + b[i];
	return sum;
}

kern_return_t rt_S_null(mach_port_t server)
{
	(void)server;
	rt_state.nulls++;
	return KERN_SUCCESS;
}

kern_return_t rt_S_ping(mach_port_t server, int32 value)
{
	(void)server;
	if (value < 0)
		return KERN_INVALID_ARGUMENT;
	rt_state.last_ping = value;
	return KERN_SUCCESS;
}

kern_return_t rt_S_scalars(mach_port_t server, int8 a, int16 b, int32 c,
			   int64 d, boolean_t e, int64 *sum, int32 *f,
			   uint8_t *g, mach_port_name_t n)
{
	(void)server;
	*sum = (int64)a + b + c + d + e + n;
	*f = (int32)((uint32_t)*f * 2u);
	*g = (uint8_t)c;
	return KERN_SUCCESS;
}

kern_return_t rt_S_fixed(mach_port_t server, int_vec4_t v, int_vec4_t w,
			 int_vec4_t x, point_t p, point_t *q, point_t *r)
{
	(void)server;
	for (int i = 0; i < 4; i++) {
		w[i] = (int32_t)((uint32_t)v[i] * 10u);
		x[i] = (int32_t)((uint32_t)x[i] + (uint32_t)v[i]);
	}
	q->x = p.y;
	q->y = p.x;
	r->x = (int64_t)((uint64_t)r->x + (uint64_t)p.x);
	r->y = (int64_t)((uint64_t)r->y + (uint64_t)p.y);
	return KERN_SUCCESS;
}

kern_return_t rt_S_strings(mach_port_t server, name_t name, name_t upper,
			   name_t both, path_t path, path_t echo)
{
	size_t n = strlen(name), m = strlen(both), k = strlen(path);

	(void)server;
	if (n >= 32 || m >= 32 || k >= 64)
		return KERN_FAILURE; /* the demux guarantees otherwise */
	for (size_t i = 0; i <= n; i++)
		upper[i] = (name[i] >= 'a' && name[i] <= 'z')
				   ? (char)(name[i] - 'a' + 'A') : name[i];
	if (m < 31) {
		both[m] = '!';
		both[m + 1] = '\0';
	}
	for (size_t i = 0; i < k; i++)
		echo[i] = path[k - 1 - i];
	echo[k] = '\0';
	return KERN_SUCCESS;
}

kern_return_t rt_S_arrays(mach_port_t server, int_list_t a,
			  mach_msg_type_number_t aCnt, byte_list_t b,
			  mach_msg_type_number_t bCnt, int_list_t c,
			  mach_msg_type_number_t *cCnt, byte_list_t d,
			  mach_msg_type_number_t *dCnt)
{
	/* Reads everything first: a server trusts the counts it is given. */
	(void)server;
	rt_state.last_checksum = checksum(a, aCnt * sizeof *a) + checksum(b, bCnt);
	if (aCnt > *cCnt || bCnt > *dCnt)
		return KERN_FAILURE;
	for (mach_msg_type_number_t i = 0; i < aCnt; i++)
		c[i] = a[aCnt - 1 - i];
	for (mach_msg_type_number_t i = 0; i < bCnt; i++)
		d[i] = (uint8_t)(b[i] + 1);
	*cCnt = aCnt;
	*dCnt = bCnt;
	return KERN_SUCCESS;
}

kern_return_t rt_S_ports(mach_port_t server, mach_port_t p1, mach_port_t p2,
			 mach_port_t p3, mach_port_t p4, mach_port_t *o1,
			 mach_port_t *o2, mach_port_t *io)
{
	(void)server;
	*o1 = p1 + 1;
	*o2 = p2 + p3;
	*io = *io + p4;
	return KERN_SUCCESS;
}

kern_return_t rt_S_poly(mach_port_t server, mach_port_t p,
			mach_msg_type_name_t pPoly, mach_port_t *q,
			mach_msg_type_name_t *qPoly)
{
	(void)server;
	*q = p + 100;
	*qPoly = pPoly == MACH_MSG_TYPE_PORT_SEND_ONCE
			 ? MACH_MSG_TYPE_MOVE_SEND_ONCE : MACH_MSG_TYPE_COPY_SEND;
	return KERN_SUCCESS;
}

kern_return_t rt_S_ool(mach_port_t server, bytes_t data,
		       mach_msg_type_number_t dataCnt, int_ool_t ints,
		       mach_msg_type_number_t intsCnt, int_ool4_t four,
		       bytes_t *odata, mach_msg_type_number_t *odataCnt,
		       int_ool_t *oints, mach_msg_type_number_t *ointsCnt)
{
	uint8_t *od = malloc(dataCnt ? dataCnt : 1);
	int32_t *oi = malloc(intsCnt ? intsCnt * sizeof *oi : 1);

	(void)server;
	if (od == NULL || oi == NULL)
		abort();
	for (mach_msg_type_number_t i = 0; i < dataCnt; i++)
		od[i] = data[dataCnt - 1 - i];
	for (mach_msg_type_number_t i = 0; i < intsCnt; i++)
		oi[i] = (int32_t)((uint32_t)ints[i] + (uint32_t)four[i % 4]);
	free(data);
	free(ints);
	free(four);
	*odata = od;
	*odataCnt = dataCnt;
	*oints = oi;
	*ointsCnt = intsCnt;
	return KERN_SUCCESS;
}

kern_return_t rt_S_ool_dealloc(mach_port_t server, bytes_t data,
			       mach_msg_type_number_t dataCnt)
{
	(void)server;
	rt_state.last_checksum = checksum(data, dataCnt);
	free(data);
	return KERN_SUCCESS;
}

kern_return_t rt_S_port_arrays(mach_port_t server, mach_port_array_t ports,
			       mach_msg_type_number_t portsCnt,
			       port_array3_t three, mach_port_array_t *oports,
			       mach_msg_type_number_t *oportsCnt)
{
	mach_port_t *o;

	(void)server;
	if (portsCnt > 1000)
		return KERN_INVALID_ARGUMENT;
	o = malloc((portsCnt + 3) * sizeof *o);
	if (o == NULL)
		abort();
	memcpy(o, ports, portsCnt * sizeof *o);
	memcpy(o + portsCnt, three, 3 * sizeof *o);
	free(ports);
	free(three);
	*oports = o;
	*oportsCnt = portsCnt + 3;
	return KERN_SUCCESS;
}

kern_return_t rt_S_timed(mach_port_t server, natural_t seqno, natural_t *got)
{
	(void)server;
	*got = seqno;
	return KERN_SUCCESS;
}

kern_return_t rt_S_own_reply(mach_port_t server, int32 *x)
{
	(void)server;
	*x = 7;
	return KERN_SUCCESS;
}

kern_return_t rt_S_server_reply(mach_port_t server, mach_port_t reply,
				mach_port_name_t *x)
{
	(void)server;
	*x = reply;
	return KERN_SUCCESS;
}

kern_return_t rt_S_translated(rt_object_t object, rt_cookie_t *cookie,
			      rt_object_t *other)
{
	(*cookie)->value = (int32_t)((uint32_t)(*cookie)->value + 1u);
	*other = &objects[(object->port + 1) % 8];
	(*other)->port = object->port + 1;
	return KERN_SUCCESS;
}

kern_return_t rt_S_fail(mach_port_t server, kern_return_t code, int32 *x)
{
	(void)server;
	*x = 99;
	return code;
}

kern_return_t rt_S_late_request(int32 x, mach_port_t server, int32 *y)
{
	(void)server;
	*y = (int32)((uint32_t)x + 1u);
	return KERN_SUCCESS;
}

void rt_serve(void)
{
	loopback_serve(RT_PORT, rt_server, rt_MAX_REPLY_SIZE);
}
