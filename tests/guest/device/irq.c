/*
 * Interrupts as messages, on the CMOS clock's periodic interrupt (line
 * 8, 64 per second): a message per interrupt to each attached port; the
 * line masked until every attachment has acknowledged; attachments that
 * end by detach, by their port's destruction or by their task's end no
 * longer hold the line; and the refusals of attach, ack and detach.
 */
#include "devicetest.h"

#include <device_irqServer.h>

#include "io.h"

#define HOLDER_HELLO 0x6401
#define WAIT_MS 300     /* far longer than the clock's period (15.6 ms) */
#define QUIET_MS 100    /* how long a masked line must stay quiet */

/* What the last message's demux gave device_irq_S_notify. */
static struct {
	bool seen;
	mach_port_t port;
	uint32_t line, count;
} last;

kern_return_t device_irq_S_notify(mach_port_t port, uint32_t line, uint32_t count)
{
	last.seen = true;
	last.port = port;
	last.line = line;
	last.count = count;
	return KERN_SUCCESS;
}

/*
 * The next interrupt message on port within timeout_ms, served by the
 * generated demux: its count, or 0 if none came (or it was not one).
 */
static uint32_t next_irq(mach_port_t port, uint32_t timeout_ms)
{
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} in, out;

	mach_msg_return_t mr = mach_msg(&in.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in),
					port, timeout_ms, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return 0;
	last.seen = false;
	if (!device_irq_server(&in.h, &out.h) || !last.seen || last.line != RTC_LINE) {
		diag("message %d on port %u is not line %u's interrupt\n", in.h.msgh_id, port,
		     RTC_LINE);
		return 0;
	}
	return last.count;
}

/* Whether port gets no message for QUIET_MS. */
static bool quiet(mach_port_t port)
{
	uint32_t count = next_irq(port, QUIET_MS);

	if (count != 0)
		diag("port %u got interrupt %u while the line should be masked\n", port, count);
	return count == 0;
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(RTC_INDEX, reg);
	return inb(RTC_DATA);
}

static void cmos_write(uint8_t reg, uint8_t value)
{
	outb(RTC_INDEX, reg);
	outb(RTC_DATA, value);
}

/* The device's side of an interrupt: reading register C lowers its line. */
static void clock_quieten(void)
{
	(void)cmos_read(0x0c);
}

/* The clock interrupts 64 times a second (rate 10), or stops. */
static void clock_periodic(bool on)
{
	if (on)
		cmos_write(0x0a, (uint8_t)((cmos_read(0x0a) & 0xf0) | 10));
	uint8_t b = cmos_read(0x0b);
	cmos_write(0x0b, on ? b | 0x40 : b & (uint8_t)~0x40);
	clock_quieten();
}

static mach_port_t new_port(void)
{
	mach_port_t port = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
	return port;
}

static void drop_port(mach_port_t port)
{
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(mach_task_self(), port);
}

static kern_return_t attach(mach_port_t port)
{
	return device_irq_attach(device_master, RTC_LINE, port);
}

static kern_return_t ack(mach_port_t port)
{
	return device_irq_ack(device_master, RTC_LINE, port);
}

static kern_return_t detach(mach_port_t port)
{
	return device_irq_detach(device_master, RTC_LINE, port);
}

/*
 * With the clock stopped, answers what a port got from before: an
 * interrupt the controller latched while the line was masked arrives as
 * soon as the line is attached.
 */
static void drain(mach_port_t port)
{
	while (next_irq(port, QUIET_MS) != 0) {
		clock_quieten();
		ack(port);
	}
}

/* One port: a message per interrupt, counted, and none before the ack. */
static void one_port(void)
{
	mach_port_t a = new_port();

	tap_kr(attach(a), KERN_SUCCESS, "irq_attach_takes_a_port_to_the_clocks_line");
	uint32_t first = next_irq(a, WAIT_MS);
	tap_eq(first, 1, "an_interrupt_arrives_as_a_message_counting_from_one");
	clock_quieten();
	tap_ok(quiet(a), "the_line_stays_masked_until_the_ack");
	tap_kr(ack(a), KERN_SUCCESS, "irq_ack_answers_the_interrupt");
	uint32_t second = next_irq(a, WAIT_MS);
	tap_eq(second, 2, "the_next_interrupt_arrives_after_the_ack");
	clock_quieten();
	unsigned more = 0;
	for (uint32_t want = 3; want < 8; want++) {
		if (!CHECK_KR(ack(a), KERN_SUCCESS))
			break;
		uint32_t count = next_irq(a, WAIT_MS);
		clock_quieten();
		if (count != want)
			break;
		more++;
	}
	tap_eq(more, 5, "interrupts_keep_coming_one_per_ack");
	tap_kr(detach(a), KERN_SUCCESS, "irq_detach_ends_the_attachment");
	tap_ok(quiet(a), "no_interrupt_arrives_after_the_detach");
	tap_kr(ack(a), KERN_INVALID_ARGUMENT, "irq_ack_of_a_detached_port_is_refused");
	tap_kr(detach(a), KERN_INVALID_ARGUMENT, "irq_detach_of_a_detached_port_is_refused");
	drop_port(a);
}

/* Two ports on one line: both are sent each interrupt, and the line
 * waits for both acks. */
static void shared_line(void)
{
	mach_port_t a = new_port(), b = new_port();

	/* Both are attached before the first interrupt, which goes to both. */
	clock_periodic(false);
	bool ok = CHECK_KR(attach(a), KERN_SUCCESS);
	drain(a);
	ok = ok && CHECK_KR(attach(b), KERN_SUCCESS);
	clock_periodic(true);
	/* a's count may include one the drain answered; b's starts now. */
	uint32_t ca = next_irq(a, WAIT_MS), cb = next_irq(b, WAIT_MS);
	tap_ok(ok && ca != 0 && cb == 1, "a_shared_line_sends_each_interrupt_to_every_port");
	clock_quieten();
	tap_ok(ack(a) == KERN_SUCCESS && quiet(a) && quiet(b),
	       "a_shared_line_stays_masked_until_every_port_acks");
	tap_ok(ack(b) == KERN_SUCCESS && next_irq(a, WAIT_MS) == ca + 1 &&
		       next_irq(b, WAIT_MS) == 2,
	       "the_last_ack_unmasks_a_shared_line");
	clock_quieten();

	/* b goes while it owes an ack: a's ack alone unmasks the line. */
	drop_port(b);
	tap_ok(ack(a) == KERN_SUCCESS && next_irq(a, WAIT_MS) == ca + 2,
	       "a_destroyed_port_that_owed_an_ack_no_longer_holds_the_line");
	clock_quieten();
	ack(a);
	detach(a);
	drop_port(a);
}

/* A helper task attaches its own port and never acks: its end frees the line. */
int role_irq_holder(int argc, char **argv)
{
	mach_port_t runner = port_argument(argc, argv), mine = new_port();
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h), .msgh_remote_port = runner, .msgh_id = HOLDER_HELLO };

	if (attach(mine) != KERN_SUCCESS ||
	    mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) !=
		    MACH_MSG_SUCCESS)
		return 1;
	for (;;)
		mach_sleep_ns(1000 * MACH_NS_PER_MS);
}

static bool start_holder(mach_port_t runner, task_t *task)
{
	char args[64];
	thread_t thread = MACH_PORT_NULL;
	mach_msg_header_t h;

	size_t len = mach_snprintf(args, sizeof(args), "role=irq-holder port=%u", runner) + 1;
	bool ok = CHECK_KR(host_boot_module_load(host_priv, "devicetest", args,
						 (mach_msg_type_number_t)len, task, &thread),
			   KERN_SUCCESS) &&
		  CHECK_KR(task_set_special_port(*task, TASK_DEVICE_PORT, device_master),
			   KERN_SUCCESS) &&
		  CHECK_KR(mach_port_insert_right(*task, runner, runner, MACH_MSG_TYPE_MAKE_SEND),
			   KERN_SUCCESS) &&
		  CHECK_KR(thread_resume(thread), KERN_SUCCESS) &&
		  CHECK_KR(mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), runner,
				    2000, MACH_PORT_NULL), MACH_MSG_SUCCESS) &&
		  CHECK(h.msgh_id == HOLDER_HELLO);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
	return ok;
}

static void task_end(void)
{
	mach_port_t runner = new_port(), a = new_port();
	task_t holder = MACH_PORT_NULL;

	clock_periodic(false);
	bool ok = CHECK_KR(attach(a), KERN_SUCCESS);
	drain(a);
	ok = ok && start_holder(runner, &holder);
	clock_periodic(true);
	uint32_t first = ok ? next_irq(a, WAIT_MS) : 0;
	clock_quieten();
	tap_ok(ok && first != 0 && ack(a) == KERN_SUCCESS && quiet(a),
	       "a_task_that_owes_an_ack_holds_a_shared_line");
	if (holder != MACH_PORT_NULL) {
		task_terminate(holder);
		mach_port_deallocate(mach_task_self(), holder);
	}
	tap_eq(next_irq(a, WAIT_MS), first + 1,
	       "the_end_of_the_task_that_owed_the_ack_frees_the_line");
	clock_quieten();
	ack(a);
	detach(a);
	drop_port(a);
	drop_port(runner);
}

static void refusals(void)
{
	mach_port_t a = new_port();

	tap_kr(device_irq_attach(device_master, 0, a), KERN_PROTECTION_FAILURE,
	       "irq_attach_refuses_the_clock_line");
	tap_kr(device_irq_attach(device_master, 2, a), KERN_PROTECTION_FAILURE,
	       "irq_attach_refuses_the_cascade_line");
	tap_kr(device_irq_attach(device_master, DEVICE_IRQ_LINES, a), KERN_INVALID_ARGUMENT,
	       "irq_attach_refuses_a_line_past_the_last");
	tap_kr(attach(MACH_PORT_NULL), KERN_INVALID_CAPABILITY, "irq_attach_refuses_a_null_port");
	tap_kr(attach(mach_task_self()), KERN_INVALID_CAPABILITY,
	       "irq_attach_refuses_a_kernel_objects_port");
	mach_port_t dead = dead_name();
	tap_kr(attach(dead), KERN_INVALID_CAPABILITY, "irq_attach_refuses_a_dead_name");
	mach_port_deallocate(mach_task_self(), dead);
	bool ok = CHECK_KR(attach(a), KERN_SUCCESS);
	tap_ok(ok && attach(a) == KERN_NAME_EXISTS, "irq_attach_refuses_a_port_attached_already");
	/* The clock is stopped: no interrupt is waiting for an ack. */
	tap_kr(ack(a), KERN_FAILURE, "irq_ack_without_an_interrupt_fails");
	tap_kr(device_irq_ack(device_master, 9, a), KERN_INVALID_ARGUMENT,
	       "irq_ack_refuses_a_line_the_port_is_not_attached_to");
	tap_kr(device_irq_ack(device_master, DEVICE_IRQ_LINES, a), KERN_INVALID_ARGUMENT,
	       "irq_ack_refuses_a_line_past_the_last");
	tap_kr(device_irq_ack(host_priv, RTC_LINE, a), KERN_NO_ACCESS,
	       "irq_ack_on_another_port_is_refused");
	detach(a);
	drop_port(a);
}

void test_irq(void)
{
	if (!CHECK_KR(device_io_access(device_master, mach_task_self(), RTC_INDEX, 2, TRUE),
		      KERN_SUCCESS)) {
		tap_ok(false, "the_clocks_ports_are_granted_for_the_interrupt_tests");
		return;
	}
	clock_periodic(true);
	one_port();
	shared_line();
	task_end();
	clock_periodic(false);
	refusals();
	device_io_access(device_master, mach_task_self(), RTC_INDEX, 2, FALSE);
}
