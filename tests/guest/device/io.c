/*
 * device_io_access: a task uses the ports it was granted and no others,
 * until they are taken away; a grant is the task's own, kept across
 * switches between tasks; the kernel's own ports and bad ranges are
 * refused.
 */
#include "devicetest.h"

#include "io.h"

static uint8_t child_stack[8192] __attribute__((aligned(16)));

/* Reads CMOS register reg (the clock's index port must be granted). */
static uint8_t cmos_read(uint8_t reg)
{
	outb(RTC_INDEX, reg);
	return inb(RTC_DATA);
}

static bool faults_at(uint16_t port)
{
	struct probe p = probe_in(port);

	if (!p.faulted)
		diag("inb from %#x went through\n", port);
	else if (p.code != KERN_PROTECTION_FAILURE)
		diag("inb from %#x faulted with code %ld\n", port, p.code);
	return p.faulted && p.code == KERN_PROTECTION_FAILURE;
}

static bool grant(task_t task, uint16_t base, uint32_t count, boolean_t enable)
{
	return CHECK_KR(device_io_access(device_master, task, base, count, enable), KERN_SUCCESS);
}

/* A valid BCD byte below limit (hex digits as decimal). */
static bool bcd_below(uint8_t v, unsigned limit)
{
	return (v & 0xf) <= 9 && (v >> 4) <= 9 && (unsigned)((v >> 4) * 10 + (v & 0xf)) < limit;
}

/* Runs in a child task: reads CMOS register A (0x0a) and reports it. */
__attribute__((noreturn, noinline, used)) static void child_main(void)
{
	outb(RTC_INDEX, 0x0a);
	uint8_t a = inb(RTC_DATA);
	child_report(a, 1, 0, 0);
	for (;;)
		__asm__ volatile("pause");
}

/* A child that reads the clock: with the ports granted it reports, else
 * it faults at its first out. */
static void child_io(void)
{
	task_t child = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	struct child_event e;

	bool ok = child_create(true, &child) && grant(child, RTC_INDEX, 2, TRUE) &&
		  child_thread_start(child, child_main, child_stack, sizeof(child_stack),
				     &thread) && child_wait(&e, 2000);
	tap_ok(ok && e.report && e.state.r13 == 1 && (e.state.r12 & 0x7f) != 0,
	       "a_child_granted_the_ports_uses_them");
	tap_ok(faults_at(RTC_DATA), "a_grant_to_a_child_is_not_the_parents");
	child_end(child);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);

	thread = MACH_PORT_NULL;
	ok = child_create(true, &child) &&
	     child_thread_start(child, child_main, child_stack, sizeof(child_stack), &thread) &&
	     child_wait(&e, 2000);
	tap_ok(ok && !e.report && e.exception == EXC_BAD_ACCESS &&
		       e.code[0] == KERN_PROTECTION_FAILURE,
	       "a_child_without_a_grant_faults_at_its_first_port");
	child_end(child);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
}

static void refusals(void)
{
	task_t self = mach_task_self();

	tap_kr(device_io_access(device_master, self, 0x20, 2, TRUE), KERN_PROTECTION_FAILURE,
	       "io_access_refuses_the_interrupt_controller");
	tap_kr(device_io_access(device_master, self, 0x30, 0x20, TRUE), KERN_PROTECTION_FAILURE,
	       "io_access_refuses_a_range_that_holds_the_timer");
	tap_kr(device_io_access(device_master, self, 0xffff, 2, TRUE), KERN_INVALID_ARGUMENT,
	       "io_access_refuses_a_range_past_0xffff");
	tap_kr(device_io_access(device_master, self, 0x70, 0, TRUE), KERN_INVALID_ARGUMENT,
	       "io_access_refuses_an_empty_range");
	tap_kr(device_io_access(device_master, self, 0, 0xffffffffu, TRUE), KERN_INVALID_ARGUMENT,
	       "io_access_refuses_a_count_that_wraps");
	tap_kr(device_io_access(device_master, host_priv, 0x70, 2, TRUE), KERN_INVALID_TASK,
	       "io_access_refuses_a_port_that_is_not_a_task");
}

void test_io(void)
{
	task_t self = mach_task_self();

	tap_ok(faults_at(RTC_DATA), "ports_are_refused_before_a_grant");
	bool granted = grant(self, RTC_INDEX, 2, TRUE);
	tap_ok(granted, "io_access_grants_the_clocks_ports");
	if (granted) {
		uint8_t seconds = cmos_read(0x00), minutes = cmos_read(0x02);
		uint8_t status_b = cmos_read(0x0b);
		bool bcd = !(status_b & 0x04);
		tap_ok(bcd ? bcd_below(seconds, 60) && bcd_below(minutes, 60)
			   : seconds < 60 && minutes < 60,
		       "the_granted_ports_read_the_clock");
	}
	tap_ok(faults_at(0x72), "a_port_next_to_the_grant_stays_refused");
	tap_ok(faults_at(0x3f8), "a_port_far_from_the_grant_stays_refused");
	mach_sleep_ns(2 * MACH_NS_PER_MS);   /* other threads run meanwhile */
	tap_ok(!probe_in(RTC_DATA).faulted, "a_grant_lasts_across_switches");
	tap_ok(grant(self, RTC_INDEX, 2, FALSE) && faults_at(RTC_DATA),
	       "ports_taken_away_are_refused_again");
	child_io();
	refusals();
}
