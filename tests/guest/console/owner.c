/*
 * Ownership: what the console port may not do while another owns the
 * terminal; what the end of an ownership does (release, a deallocated
 * owner right, an owner task that dies) to the mode, the old owner port
 * and the reads that waited; and a read whose client has gone, which
 * must not take the next line.
 */
#include "consoletest.h"

#define HELPER_HELLO 0x6501
#define HELPER_WAIT_MS 2000
/* How long the driver may take to notice an owner's end (a notification). */
#define OWNER_END_WAIT_MS 2000

/* Claims again and again until it works or OWNER_END_WAIT_MS passed. */
static kern_return_t claim_when_free(void)
{
	uint64_t deadline = mach_clock_ns() + OWNER_END_WAIT_MS * MACH_NS_PER_MS;
	kern_return_t kr;

	while ((kr = claim()) == KERN_NO_ACCESS && mach_clock_ns() < deadline)
		mach_sleep_ns(5 * MACH_NS_PER_MS);
	return kr;
}

/* The console port may not take input or change settings while the
 * runner owns the terminal; the owner port may not be claimed again. */
static void refusals(void)
{
	mach_port_t other = MACH_PORT_NULL;
	char buf[8];
	mach_msg_type_number_t n = sizeof(buf);

	tap_kr(term_claim(console, MACH_PORT_NULL, &other), KERN_NO_ACCESS,
	       "a_second_claim_is_refused");
	tap_kr(term_claim(owner, MACH_PORT_NULL, &other), KERN_NO_ACCESS,
	       "a_claim_through_the_owner_port_is_refused_too");
	tap_kr(term_read(console, sizeof(buf), 10, buf, &n), KERN_NO_ACCESS,
	       "a_non_owner_read_is_refused");
	tap_kr(term_set_mode(console, TERM_MODE_RAW), KERN_NO_ACCESS,
	       "a_non_owner_set_mode_is_refused");
	tap_kr(term_set_winsize(console, 10, 10), KERN_NO_ACCESS,
	       "a_non_owner_set_winsize_is_refused");
	tap_kr(term_release(console), KERN_NO_ACCESS, "a_non_owner_release_is_refused");
}

/* A waiting read whose client has gone does not take the next line:
 * the line goes to the next reader. */
static void gone_reader(void)
{
	mach_port_t reply = MACH_PORT_NULL;
	char got[16];

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	bool ok = CHECK_KR(send_read(owner, reply, 0), MACH_MSG_SUCCESS);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	kern_return_t kr = ok ? read_typed("orphan", TERM_MODE_COOKED, got, sizeof(got) - 1)
			      : KERN_FAILURE;
	tap_ok(kr == KERN_SUCCESS && strcmp(got, "mine\n") == 0,
	       "a_read_whose_client_is_gone_does_not_take_the_next_line");
}

/* release: the mode is cooked again, the old owner port is dead, a
 * waiting read is aborted, and anyone may read. */
static void release(void)
{
	mach_port_t reply = MACH_PORT_NULL, old = owner;
	natural_t mode = 0;
	char buf[8];
	mach_msg_type_number_t n = sizeof(buf);
	union {
		mig_reply_error_t e;
		uint8_t b[256];
	} answer;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	bool ok = CHECK_KR(term_set_mode(owner, TERM_MODE_RAW), KERN_SUCCESS) &&
		  CHECK_KR(send_read(owner, reply, 0), MACH_MSG_SUCCESS);
	tap_kr(term_release(owner), KERN_SUCCESS, "release_ends_the_ownership");
	owner = MACH_PORT_NULL;
	ok = ok && CHECK_KR(mach_msg(&answer.e.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
				     sizeof(answer), reply, HELPER_WAIT_MS, MACH_PORT_NULL),
			    MACH_MSG_SUCCESS);
	tap_ok(ok && answer.e.Head.msgh_id == MSGID_term_read + 100 &&
		       answer.e.RetCode == KERN_ABORTED,
	       "a_read_waiting_when_the_ownership_ends_is_aborted");
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(term_get_mode(console, &mode) == KERN_SUCCESS && mode == TERM_MODE_COOKED,
	       "release_puts_the_mode_back_to_cooked");
	tap_kr(term_get_mode(old, &mode), MACH_SEND_INVALID_DEST,
	       "the_old_owner_port_is_dead_after_release");
	mach_port_deallocate(mach_task_self(), old);
	tap_kr(term_read(console, sizeof(buf), 10, buf, &n), KERN_OPERATION_TIMED_OUT,
	       "with_no_owner_anyone_may_read");
}

static void bad_claims(void)
{
	mach_port_t dead = dead_name(), port = MACH_PORT_NULL;

	tap_kr(term_claim(console, dead, &port), KERN_INVALID_RIGHT,
	       "a_claim_with_a_dead_events_port_is_refused");
	mach_port_deallocate(mach_task_self(), dead);
	tap_kr(term_release(console), KERN_NO_ACCESS, "release_with_no_owner_is_refused");
}

/* An owner that lets go of its right gives up the terminal. */
static void deallocated_owner(void)
{
	bool ok = CHECK_KR(claim(), KERN_SUCCESS);

	mach_port_deallocate(mach_task_self(), owner);
	owner = MACH_PORT_NULL;
	tap_ok(ok && claim_when_free() == KERN_SUCCESS,
	       "an_owner_that_deallocates_its_right_gives_up_the_terminal");
}

/* Many ownerships one after the other: each begins and ends cleanly. */
static void many_claims(void)
{
	unsigned ok = 0;

	for (int i = 0; i < 50; i++) {
		if (claim() != KERN_SUCCESS)
			break;
		ok += term_release(owner) == KERN_SUCCESS;
		mach_port_deallocate(mach_task_self(), owner);
		owner = MACH_PORT_NULL;
	}
	tap_eq(ok, 50, "fifty_claims_and_releases_in_a_row_succeed");
}

/* The value of argument "key=N", 0 if none: a name the runner gave. */
static mach_port_t name_argument(int argc, char **argv, const char *key)
{
	size_t len = strlen(key);
	mach_port_t name = 0;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], key, len) != 0 || argv[i][len] != '=')
			continue;
		name = 0;
		for (const char *c = argv[i] + len + 1; *c >= '0' && *c <= '9'; c++)
			name = name * 10 + (mach_port_t)(*c - '0');
	}
	return name;
}

/* A helper task claims the terminal and waits to be ended. */
int role_owner(int argc, char **argv)
{
	mach_port_t term = name_argument(argc, argv, "term");
	mach_port_t runner = name_argument(argc, argv, "runner"), mine = MACH_PORT_NULL;

	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h), .msgh_remote_port = runner, .msgh_id = HELPER_HELLO };
	if (term_claim(term, MACH_PORT_NULL, &mine) != KERN_SUCCESS ||
	    mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL,
		     HELPER_WAIT_MS, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 1;
	/* No deadline: the runner ends this task (task_terminate). */
	for (;;)
		mach_sleep_ns(1000 * MACH_NS_PER_MS);
}

/* Starts a helper that owns the terminal; false if it did not say so. */
static bool start_owner(mach_port_t runner, task_t *task)
{
	char args[64];
	thread_t thread = MACH_PORT_NULL;
	mach_msg_header_t h;

	size_t len = mach_snprintf(args, sizeof(args), "role=owner term=%u runner=%u", console,
				   runner) + 1;
	bool ok = CHECK_KR(host_boot_module_load(host_priv, "consoletest", args,
						 (mach_msg_type_number_t)len, task, &thread),
			   KERN_SUCCESS) &&
		  CHECK_KR(mach_port_insert_right(*task, console, console,
						  MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS) &&
		  CHECK_KR(mach_port_insert_right(*task, runner, runner, MACH_MSG_TYPE_MAKE_SEND),
			   KERN_SUCCESS) &&
		  CHECK_KR(thread_resume(thread), KERN_SUCCESS) &&
		  CHECK_KR(mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), runner,
				    HELPER_WAIT_MS, MACH_PORT_NULL), MACH_MSG_SUCCESS) &&
		  CHECK(h.msgh_id == HELPER_HELLO);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
	return ok;
}

/* An owner task that dies gives up the terminal. */
static void dead_owner(void)
{
	mach_port_t runner = new_port();
	task_t helper = MACH_PORT_NULL;

	bool ok = start_owner(runner, &helper);
	tap_ok(ok && claim() == KERN_NO_ACCESS, "a_claim_while_another_task_owns_is_refused");
	ok = child_end(helper) && ok;
	tap_ok(ok && claim_when_free() == KERN_SUCCESS,
	       "an_owner_task_that_dies_gives_up_the_terminal");
	drop_port(runner);
}

void test_ownership(void)
{
	refusals();
	gone_reader();
	release();
	bad_claims();
	deallocated_owner();
	if (owner != MACH_PORT_NULL) {
		term_release(owner);
		mach_port_deallocate(mach_task_self(), owner);
		owner = MACH_PORT_NULL;
	}
	many_claims();
	dead_owner();
	if (owner != MACH_PORT_NULL) {
		term_release(owner);
		mach_port_deallocate(mach_task_self(), owner);
		owner = MACH_PORT_NULL;
	}
}
