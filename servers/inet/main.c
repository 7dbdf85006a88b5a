/*
 * inet: the network server's task (inet.h).  It starts lwIP and the
 * interfaces, registers its two ports in the name service ("inet", the
 * public one of inet.defs; "inet-sockets", socket.defs's create, for the
 * UNIX server), and serves everything on one port set.  After every
 * message and at every deadline, the receive loop's tick runs what lwIP
 * left to do: looped-back packets, its timers, and the selects that now
 * hold.  Module argument: ip=dhcp (the default) or
 * ip=ADDRESS/BITS[,GATEWAY[,DNS]].
 */
#include "sock.h"

#include <bootstrap.h>
#include <inetServer.h>
#include <net_inputServer.h>
#include <net_replyServer.h>
#include <notifyServer.h>
#include <socketServer.h>

mach_port_t inet_set, inet_public, inet_sockets;

kern_return_t inet_port_new(bool send, mach_port_t *port)
{
	mach_port_t self = mach_task_self();
	kern_return_t kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, port);

	if (kr == KERN_SUCCESS && send)
		kr = mach_port_insert_right(self, *port, *port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(self, *port, inet_set);
	if (kr != KERN_SUCCESS && *port != MACH_PORT_NULL) {
		mach_port_destroy(self, *port);
		*port = MACH_PORT_NULL;
	}
	return kr;
}

static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	return socket_server(in, out) || net_input_server(in, out) ||
	       net_reply_server(in, out) || inet_server(in, out) || notify_server(in, out);
}

static uint64_t tick(void *arg, struct mach_tick_clock *clock)
{
	uint64_t now = mach_tick_now(clock);

	(void)arg;
	iface_poll();
	uint64_t next = iface_timers(now);
	sock_sweep();
	return next;
}

int main(int argc, char **argv, char **envp)
{
	mach_port_t names;
	(void)envp;

	kern_return_t kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &inet_set);
	if (kr == KERN_SUCCESS)
		kr = iface_start(names, mach_arg(argc, argv, "ip"));
	if (kr == KERN_SUCCESS)
		kr = inet_port_new(true, &inet_public);
	if (kr == KERN_SUCCESS)
		kr = inet_port_new(true, &inet_sockets);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(names, "inet", inet_public);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(names, "inet-sockets", inet_sockets);
	if (kr != KERN_SUCCESS) {
		mach_printf("inet: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	mach_msg_return_t mr = mach_msg_server_timed(demux, MACH_MSG_SIZE_MAX, inet_set, tick,
						     NULL);
	mach_printf("inet: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
