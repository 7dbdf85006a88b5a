/*
 * emul: the UNIX emulation server (docs/unix.md).  It finds the file
 * server ("ext2fs") and the terminal ("console") in the name service,
 * starts the first process (init=PATH, by default /bin/init; with
 * init-exit=halt the machine stops when it ends; every NAME=value
 * argument whose NAME is in capitals goes into its environment, as
 * Linux gives init the boot parameters it does not know) and then
 * serves, in one receive loop over its port set: the system calls of
 * every process (unix.defs, on the process ports), the exceptions of
 * their threads (exc.defs), the answers of the terminal
 * (term_reply.defs) to the requests it sent for them, and the
 * terminal's ^C (term_event.defs); its timers are the processes'
 * alarms (signal_tick).
 */
#include "emul.h"

#include <bootstrap.h>
#include <errno.h>
#include <string.h>
#include <excServer.h>
#include <term.h>
#include <term_eventServer.h>
#include <socket_eventServer.h>
#include <term_replyServer.h>
#include <unixServer.h>

#include "../libc/unix/unix_errno.h"

mach_port_t emul_port_set;
mach_port_t names_port;

/* Seconds the servers emul needs may take to appear. */
#define LOOK_UP_SECONDS 30

int emul_errno(kern_return_t kr)
{
	return unix_errno_from_kern(kr);
}

kern_return_t emul_reply_port(mach_port_t *port)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_move_member(mach_task_self(), *port, emul_port_set);
	if (kr != KERN_SUCCESS)
		mach_port_mod_refs(mach_task_self(), *port, MACH_PORT_RIGHT_RECEIVE, -1);
	return kr;
}

void emul_reply_port_free(mach_port_t port)
{
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* Every message: a system call, an exception, a terminal's answer or
 * event.  What it did may have made signals deliverable. */
static boolean_t emul_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	boolean_t known = unix_server(in, out) || exc_server(in, out) ||
			  term_reply_server(in, out) || term_event_server(in, out) ||
			  socket_event_server(in, out);
	if (signal_work)
		signal_sweep();
	if (poll_waiting > 0)
		poll_sweep();
	return known;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The timed loop's deadlines: alarms, polls and sockets' waits.  Every
 * system call comes through here: nothing due is the first test, and
 * with no deadline at all it reads no clock. */
static uint64_t emul_tick(void *arg, struct mach_tick_clock *clock)
{
	uint64_t next = earliest(alarm_next, earliest(poll_next, socket_next));

	if (next == UINT64_MAX)
		return next;
	uint64_t now = mach_tick_now(clock);
	if (now < next)
		return next;
	uint64_t alarm = signal_tick(arg, now), poll = poll_tick(now);
	return earliest(alarm, earliest(poll, socket_tick(now)));
}

/* emul owns the terminal, to hear its ^C (term_event.defs); if another
 * task does, the terminal still serves, without ^C. */
static void claim_terminal(void)
{
	mach_port_t events, owner;

	if (emul_reply_port(&events) != KERN_SUCCESS)
		return;
	kern_return_t kr = mach_port_insert_right(mach_task_self(), events, events,
						  MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = term_claim(term_port, events, &owner);
	mach_port_deallocate(mach_task_self(), events);
	if (kr != KERN_SUCCESS) {
		mach_printf("emul: the terminal is not ours (%s): no ^C\n", mach_error_name(kr));
		return;
	}
	mach_port_deallocate(mach_task_self(), term_port);
	term_port = owner;
}

/* The port of name, waiting for it to be registered. */
static mach_port_t look_up(const char *name)
{
	mach_port_t port;

	for (int i = 0; i < LOOK_UP_SECONDS * 100; i++) {
		if (bootstrap_look_up(names_port, (char *)name, &port) == KERN_SUCCESS)
			return port;
		mach_sleep_ns(10 * MACH_NS_PER_MS);
	}
	mach_printf("emul: cannot start: no %s in the name service\n", name);
	return MACH_PORT_NULL;
}

/* Whether arg is NAME=value with NAME in capitals, digits and '_': an
 * environment variable for init rather than an option of emul's. */
static bool is_init_variable(const char *arg)
{
	const char *c = arg;

	while ((*c >= 'A' && *c <= 'Z') || *c == '_' || (c > arg && *c >= '0' && *c <= '9'))
		c++;
	return c > arg && *c == '=';
}

/* The environment init starts with: argv's variables, at most
 * INIT_VARIABLES of them (the rest said and left out). */
#define INIT_VARIABLES 16
static char *init_env[INIT_VARIABLES];

static unsigned init_environment(int argc, char **argv)
{
	unsigned n = 0;

	for (int i = 1; i < argc; i++) {
		if (!is_init_variable(argv[i]))
			continue;
		if (n < INIT_VARIABLES)
			init_env[n++] = argv[i];
		else
			mach_printf("emul: too many variables for init: %s left out\n", argv[i]);
	}
	return n;
}

int main(int argc, char **argv, char **envp)
{
	const char *init = mach_arg(argc, argv, "init");
	const char *init_exit = mach_arg(argc, argv, "init-exit");
	(void)envp;

	proc_halt_after_init = init_exit != NULL && strcmp(init_exit, "halt") == 0;
	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names_port) !=
		    KERN_SUCCESS ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &emul_port_set) !=
		    KERN_SUCCESS) {
		mach_printf("emul: cannot start: no name service or port set\n");
		return 1;
	}
	fs_root = look_up("ext2fs");
	term_port = look_up("console");
	proc_server = look_up("proc");
	if (fs_root == MACH_PORT_NULL || term_port == MACH_PORT_NULL ||
	    proc_server == MACH_PORT_NULL ||
	    proc_public_port(proc_server, &proc_public) != KERN_SUCCESS)
		return 1;
	claim_terminal();
	unsigned envc = init_environment(argc, argv);
	if (proc_spawn_init(init != NULL ? init : "/bin/init", init_env, envc) != 0)
		return 1;
	mach_msg_return_t mr = mach_msg_server_timed(emul_demux, MACH_MSG_SIZE_MAX, emul_port_set,
						     emul_tick, NULL);
	mach_printf("emul: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
