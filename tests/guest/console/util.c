/* Helpers of the console tests: prompts, reads, events, ports. */
#include "consoletest.h"

#include <term_eventServer.h>

void prompt(const char *key)
{
	diag("console: type %s\n", key);
}

kern_return_t read_typed(const char *key, uint32_t mode, char *got, uint32_t count)
{
	mach_msg_type_number_t n = count;

	got[0] = '\0';
	kern_return_t kr = term_set_mode(owner, mode);
	if (kr != KERN_SUCCESS)
		return kr;
	prompt(key);
	kr = term_read(owner, count, TYPING_WAIT_MS, got, &n);
	got[kr == KERN_SUCCESS ? n : 0] = '\0';
	return kr;
}

uint32_t read_bytes(char *buf, uint32_t n, uint32_t *reads)
{
	uint64_t deadline = mach_clock_ns() + TYPING_WAIT_MS * MACH_NS_PER_MS;
	uint32_t got = 0;

	*reads = 0;
	while (got < n) {
		uint64_t now = mach_clock_ns();
		if (now >= deadline)
			break;
		mach_msg_type_number_t count = TERM_IO_MAX;
		uint32_t ms = (uint32_t)((deadline - now) / MACH_NS_PER_MS) + 1;
		char chunk[TERM_IO_MAX];
		kern_return_t kr = term_read(owner, n - got, ms, chunk, &count);
		if (kr != KERN_SUCCESS) {
			diag("raw read after %u bytes: %s\n", got, mach_error_name(kr));
			break;
		}
		(*reads)++;
		memcpy(buf + got, chunk, count);
		got += count;
	}
	return got;
}

/* What the last event's demux gave term_event_S_interrupt, and
 * term_event_S_suspend. */
static uint32_t last_interrupt, last_suspend;

kern_return_t term_event_S_interrupt(mach_port_t port, natural_t count)
{
	if (port != events)
		return KERN_INVALID_ARGUMENT;
	last_interrupt = count;
	return KERN_SUCCESS;
}

kern_return_t term_event_S_suspend(mach_port_t port, natural_t count)
{
	if (port != events)
		return KERN_INVALID_ARGUMENT;
	last_suspend = count;
	return KERN_SUCCESS;
}

/* The next event on the events port, served: false if none came. */
static bool next_event(uint32_t timeout_ms)
{
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} in, out;

	mach_msg_return_t mr = mach_msg(&in.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in),
					events, timeout_ms, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return false;
	last_interrupt = last_suspend = 0;
	if (!term_event_server(&in.h, &out.h)) {
		diag("message %d on the events port is not an event\n", in.h.msgh_id);
		mach_msg_destroy(&in.h);
	}
	return true;
}

uint32_t next_interrupt(uint32_t timeout_ms)
{
	return next_event(timeout_ms) ? last_interrupt : 0;
}

uint32_t next_suspend(uint32_t timeout_ms)
{
	return next_event(timeout_ms) ? last_suspend : 0;
}

kern_return_t say(mach_port_t port, const char *text)
{
	return term_write(port, (char *)text, (mach_msg_type_number_t)strlen(text));
}

mach_port_t new_port(void)
{
	mach_port_t port = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
	return port;
}

void drop_port(mach_port_t port)
{
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(mach_task_self(), port);
}

mach_msg_return_t send_read(mach_port_t to, mach_port_t reply, uint32_t timeout)
{
	union {
		mach_msg_header_t h;
		uint8_t b[READ_SIZE];
	} m = { .h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					    reply == MACH_PORT_NULL ? 0
								    : MACH_MSG_TYPE_MAKE_SEND_ONCE),
		.msgh_size = READ_SIZE,
		.msgh_remote_port = to,
		.msgh_local_port = reply,
		.msgh_id = MSGID_term_read,
	} };
	uint32_t count = 8;

	/* After the header: count, then timeout (term.defs, docs/idl.md). */
	memcpy(&m.b[sizeof(m.h)], &count, sizeof(count));
	memcpy(&m.b[sizeof(m.h) + 4], &timeout, sizeof(timeout));
	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, READ_SIZE, 0, MACH_PORT_NULL,
			2000, MACH_PORT_NULL);
}

kern_return_t claim(void)
{
	return term_claim(console, events, &owner);
}
