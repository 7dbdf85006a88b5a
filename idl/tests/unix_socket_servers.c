/*
 * unix.defs's socket routines and unix_reply.defs's answers to them in
 * the fuzz test: stand-ins on UNIX_PORT and UNIX_REPLY_PORT (served by
 * unix_servers.c's unix_serve), and one call of each through the
 * generated stubs, which must get the stand-in's answer.
 */
#include "system_servers.h"

#include <stdbool.h>
#include <string.h>

#include "unix.h"
#include "unixServer.h"
#include "unix_reply.h"
#include "unix_replyServer.h"
#include <mach/unix_types.h>

/* Sockets.  An address a stand-in answers is a struct sockaddr_in as
 * Linux lays it out: AF_INET, then the port and the address in network
 * byte order. */
static kern_return_t sockaddr_in(unix_sockaddr_t out, mach_msg_type_number_t *outCnt,
				 uint16_t port, uint32_t address)
{
	if (*outCnt < UNIX_SOCKADDR_IN_SIZE) {
		system_bound_errors++;
		return KERN_INVALID_ARGUMENT;
	}
	memset(out, 0, UNIX_SOCKADDR_IN_SIZE);
	out[0] = 2;   /* AF_INET, little-endian */
	out[2] = (char)(port >> 8);
	out[3] = (char)port;
	for (unsigned i = 0; i < 4; i++)
		out[4 + i] = (char)(address >> (24 - 8 * i));
	*outCnt = UNIX_SOCKADDR_IN_SIZE;
	return KERN_SUCCESS;
}

kern_return_t unix_S_socket(mach_port_t proc, int32_t domain, int32_t socket_type,
			    int32_t protocol, int64_t *result)
{
	*result = unix_answer(proc + (uint32_t)domain + (uint32_t)socket_type * 3 +
			 (uint32_t)protocol * 5);
	return KERN_SUCCESS;
}

kern_return_t unix_S_bind(mach_port_t proc, int32_t fd, unix_sockaddr_t address,
			  mach_msg_type_number_t addressCnt, int64_t *result)
{
	note_bytes(address, addressCnt);
	*result = addressCnt < UNIX_SOCKADDR_IN_SIZE ? -22 : 0;
	return note(proc + (uint32_t)fd);
}

kern_return_t unix_S_listen(mach_port_t proc, int32_t fd, int32_t backlog, int64_t *result)
{
	*result = backlog;
	return note(proc + (uint32_t)fd);
}

kern_return_t unix_S_accept4(mach_port_t proc, mach_port_t reply, int32_t fd, int32_t flags,
			     int64_t *result, unix_sockaddr_t address,
			     mach_msg_type_number_t *addressCnt)
{
	*result = (int64_t)fd + 1;
	note(proc + reply + (uint32_t)fd + (uint32_t)flags);
	return sockaddr_in(address, addressCnt, 8080, 0x7f000001);
}

kern_return_t unix_S_connect(mach_port_t proc, mach_port_t reply, int32_t fd,
			     unix_sockaddr_t address, mach_msg_type_number_t addressCnt,
			     int64_t *result)
{
	note_bytes(address, addressCnt);
	*result = -115;   /* -EINPROGRESS */
	return note(proc + reply + (uint32_t)fd);
}

kern_return_t unix_S_sendto(mach_port_t proc, mach_port_t reply, int32_t fd, unix_data_t data,
			    mach_msg_type_number_t dataCnt, int32_t flags,
			    unix_sockaddr_t address, mach_msg_type_number_t addressCnt,
			    int64_t *result)
{
	note_bytes(data, dataCnt);
	note_bytes(address, addressCnt);
	*result = dataCnt;
	return note(proc + reply + (uint32_t)fd + (uint32_t)flags);
}

kern_return_t unix_S_recvfrom(mach_port_t proc, mach_port_t reply, int32_t fd, uint32_t count,
			      int32_t flags, int64_t *result, unix_data_t data,
			      mach_msg_type_number_t *dataCnt, unix_sockaddr_t address,
			      mach_msg_type_number_t *addressCnt)
{
	*dataCnt = count < *dataCnt ? count : *dataCnt;
	memset(data, 'u', *dataCnt);
	*result = (int64_t)*dataCnt;
	note(proc + reply + (uint32_t)fd + (uint32_t)flags);
	return sockaddr_in(address, addressCnt, 53, 0x0a000203);
}

kern_return_t unix_S_shutdown(mach_port_t proc, int32_t fd, int32_t how, int64_t *result)
{
	*result = how;
	return note(proc + (uint32_t)fd);
}

kern_return_t unix_S_getsockname(mach_port_t proc, int32_t fd, int64_t *result,
				 unix_sockaddr_t address, mach_msg_type_number_t *addressCnt)
{
	*result = 0;
	note(proc + (uint32_t)fd);
	return sockaddr_in(address, addressCnt, (uint16_t)(1024 + (uint32_t)fd), 0x0a00020f);
}

kern_return_t unix_S_getpeername(mach_port_t proc, int32_t fd, int64_t *result,
				 unix_sockaddr_t address, mach_msg_type_number_t *addressCnt)
{
	note(proc + (uint32_t)fd);
	if (fd < 0) {
		*result = -107;   /* -ENOTCONN: no address */
		*addressCnt = 0;
		return KERN_SUCCESS;
	}
	*result = 0;
	return sockaddr_in(address, addressCnt, 80, 0x5db8d822);
}

kern_return_t unix_S_setsockopt(mach_port_t proc, int32_t fd, int32_t level, int32_t name,
				unix_sockopt_t value, mach_msg_type_number_t valueCnt,
				int64_t *result)
{
	note_bytes(value, valueCnt);
	*result = valueCnt;
	return note(proc + (uint32_t)fd + (uint32_t)level + (uint32_t)name);
}

kern_return_t unix_S_getsockopt(mach_port_t proc, int32_t fd, int32_t level, int32_t name,
				int64_t *result, unix_sockopt_t value,
				mach_msg_type_number_t *valueCnt)
{
	uint32_t v = (uint32_t)level * 100 + (uint32_t)name;

	if (*valueCnt < sizeof v) {
		system_bound_errors++;
		return KERN_INVALID_ARGUMENT;
	}
	memcpy(value, &v, sizeof v);
	*valueCnt = sizeof v;
	*result = 0;
	return note(proc + (uint32_t)fd);
}

kern_return_t unix_S_network(mach_port_t proc, int64_t *result, mach_port_t *port)
{
	*result = 0;
	*port = MACH_PORT_NULL;
	return note(proc);
}

kern_return_t unix_reply_S_accept4_reply(mach_port_t reply, kern_return_t return_code,
					 int64_t result, unix_sockaddr_t address,
					 mach_msg_type_number_t addressCnt)
{
	return note_bytes(address, addressCnt) +
	       note(reply + (uint32_t)return_code + (uint64_t)result);
}

kern_return_t unix_reply_S_connect_reply(mach_port_t reply, kern_return_t return_code,
					 int64_t result)
{
	return note(reply * 3 + (uint32_t)return_code + (uint64_t)result);
}

kern_return_t unix_reply_S_sendto_reply(mach_port_t reply, kern_return_t return_code,
					int64_t result)
{
	return note(reply * 5 + (uint32_t)return_code + (uint64_t)result);
}

kern_return_t unix_reply_S_recvfrom_reply(mach_port_t reply, kern_return_t return_code,
					  int64_t result, unix_data_t data,
					  mach_msg_type_number_t dataCnt, unix_sockaddr_t address,
					  mach_msg_type_number_t addressCnt)
{
	return note_bytes(data, dataCnt) + note_bytes(address, addressCnt) +
	       note(reply + (uint32_t)return_code + (uint64_t)result);
}

/* True if address is the struct sockaddr_in of port and a, as
 * sockaddr_in() answers it. */
static bool is_sockaddr_in(const char *address, mach_msg_type_number_t n, uint16_t port,
			   uint32_t a)
{
	const uint8_t *b = (const uint8_t *)address;

	return n == UNIX_SOCKADDR_IN_SIZE && b[0] == 2 && b[1] == 0 &&
	       (b[2] << 8 | b[3]) == port &&
	       ((uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7]) == a;
}

void unix_exercise_sockets(void)
{
	int64_t r = -1;
	/* 10.0.2.2:8080 as Linux lays it out; then the room of any address. */
	char to[UNIX_SOCKADDR_IN_SIZE] = { 2, 0, 0x1f, (char)0x90, 10, 0, 2, 2 };
	char address[128], data[UNIX_IO_MAX], value[16];
	mach_msg_type_number_t n = sizeof(address), dataCnt = sizeof(data);
	int32_t v = 1;
	mach_port_t got = 1;

	unix_want(unix_socket(UNIX_PORT, 2, 1, 0, &r) == KERN_SUCCESS &&
		     r == (UNIX_PORT + 2 + 3) % 1000, "unix_socket");
	unix_want(unix_bind(UNIX_PORT, 3, to, sizeof(to), &r) == KERN_SUCCESS && r == 0, "unix_bind");
	unix_want(unix_bind(UNIX_PORT, 3, to, 8, &r) == KERN_SUCCESS && r == -22,
	     "unix_bind of a short address");
	unix_want(unix_listen(UNIX_PORT, 3, 16, &r) == KERN_SUCCESS && r == 16, "unix_listen");
	unix_want(unix_accept4(UNIX_PORT, 3, 0x800, &r, address, &n) == KERN_SUCCESS && r == 4 &&
		     is_sockaddr_in(address, n, 8080, 0x7f000001), "unix_accept4");
	unix_want(unix_connect(UNIX_PORT, 4, to, sizeof(to), &r) == KERN_SUCCESS && r == -115,
	     "unix_connect");
	memset(data, 's', sizeof(data));
	unix_want(unix_sendto(UNIX_PORT, 4, data, UNIX_IO_MAX, 0x4000, to, sizeof(to), &r) ==
		     KERN_SUCCESS && r == UNIX_IO_MAX, "unix_sendto of UNIX_IO_MAX bytes");
	unix_want(unix_sendto(UNIX_PORT, 4, data, 5, 0, to, 0, &r) == KERN_SUCCESS && r == 5,
	     "unix_sendto without an address");
	unix_want(unix_sendto(UNIX_PORT, 4, data, UNIX_IO_MAX + 1, 0, to, 0, &r) == MIG_ARRAY_TOO_LARGE,
	     "unix_sendto refuses UNIX_IO_MAX + 1 bytes");
	n = sizeof(address);
	unix_want(unix_recvfrom(UNIX_PORT, 4, 100, 0x2, &r, data, &dataCnt, address, &n) ==
		     KERN_SUCCESS && r == 100 && dataCnt == 100 && data[99] == 'u' &&
		     is_sockaddr_in(address, n, 53, 0x0a000203), "unix_recvfrom");
	unix_want(unix_shutdown(UNIX_PORT, 4, 1, &r) == KERN_SUCCESS && r == 1, "unix_shutdown");
	n = sizeof(address);
	unix_want(unix_getsockname(UNIX_PORT, 4, &r, address, &n) == KERN_SUCCESS && r == 0 &&
		     is_sockaddr_in(address, n, 1028, 0x0a00020f), "unix_getsockname");
	n = sizeof(address);
	unix_want(unix_getpeername(UNIX_PORT, 4, &r, address, &n) == KERN_SUCCESS && r == 0 &&
		     is_sockaddr_in(address, n, 80, 0x5db8d822), "unix_getpeername");
	n = sizeof(address);
	unix_want(unix_getpeername(UNIX_PORT, -1, &r, address, &n) == KERN_SUCCESS && r == -107 &&
		     n == 0, "unix_getpeername of no peer");
	memcpy(value, &v, sizeof(v));
	unix_want(unix_setsockopt(UNIX_PORT, 4, 6, 1, value, sizeof(v), &r) == KERN_SUCCESS &&
		     r == sizeof(v), "unix_setsockopt");
	unix_want(unix_setsockopt(UNIX_PORT, 4, 1, 20, value, sizeof(value), &r) == KERN_SUCCESS &&
		     r == sizeof(value), "unix_setsockopt of a struct timeval");
	n = sizeof(value);
	memset(value, 0, sizeof(value));
	unix_want(unix_getsockopt(UNIX_PORT, 4, 1, 3, &r, value, &n) == KERN_SUCCESS && r == 0 &&
		     n == sizeof(v), "unix_getsockopt");
	memcpy(&v, value, sizeof(v));
	unix_want(v == 103, "unix_getsockopt's value is SO_TYPE's, at SOL_SOCKET");
	unix_want(unix_network(UNIX_PORT, &r, &got) == KERN_SUCCESS && r == 0 && got == MACH_PORT_NULL,
	     "unix_network");
}
