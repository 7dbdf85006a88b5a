/*
 * Exceptions as messages (idl/defs/exc.defs): a thread that faults sends
 * exception_raise to its THREAD_EXCEPTION_PORT, then, if that is null or
 * dead or its handler answers with an error, to its task's
 * TASK_EXCEPTION_PORT; with no handler that takes it, the task is
 * terminated.  A handler that answers KERN_SUCCESS resumes the thread,
 * with the state it sent back.
 *
 * The handlers are the runner's (handler.c).  Most tests use role
 * "fault-then-report", which loads from address 0x10 (fault_load) and
 * reports what it loaded: only a handler that moved it on lets it report.
 */
#include "exceptions.h"

#include "faults.h"
#include "handler.h"
#include "helpers.h"

/*
 * uint64_t fault_load(const uint64_t *address): returns *address.  The
 * load is at fault_load_at, and the instruction after it at
 * fault_load_after.
 */
__asm__(".text\n"
	"fault_load:\n"
	"	mov %rdi, %rcx\n"
	"fault_load_at:\n"
	"	mov (%rcx), %rax\n"
	"fault_load_after:\n"
	"	ret\n");

uint64_t fault_load(const uint64_t *address);
extern const char fault_load_at[], fault_load_after[];

#define FAULT_ADDRESS 0x10
#define SKIPPED_VALUE 0x5eed5eedull                 /* what a skipping handler puts in rax */
static const uint64_t valid_word = 0x600df00dull;   /* where a fixing handler points rcx */

/* A breakpoint, and where the thread stands after it. */
__asm__(".text\n"
	"breakpoint:\n"
	"	int3\n"
	"breakpoint_after:\n"
	"	jmp .\n");

extern const char breakpoint[], breakpoint_after[];

int role_breakpoint(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	((void (*)(void))(uintptr_t)breakpoint)();
	return 1;
}

int role_fault_then_report(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	report_and_spin(fault_load((const uint64_t *)FAULT_ADDRESS), 0, 0, 0);
}

/* True if e is fault_load's page fault at FAULT_ADDRESS. */
static bool is_the_load_fault(const struct exc_event *e)
{
	return e->exception == EXC_BAD_ACCESS && e->state.rip == (uintptr_t)fault_load_at;
}

/* Answers: reports are taken; the load fault is moved on, or refused. */
static kern_return_t answer_point_at_valid_memory(struct exc_handler *h,
						  const struct exc_event *e,
						  struct x86_64_thread_state *state)
{
	if (!is_the_load_fault(e))
		return exc_answer_report(h, e, state);
	state->rcx = (uintptr_t)&valid_word;   /* the load is tried again */
	return KERN_SUCCESS;
}

static kern_return_t answer_skip_the_load(struct exc_handler *h, const struct exc_event *e,
					  struct x86_64_thread_state *state)
{
	if (!is_the_load_fault(e))
		return exc_answer_report(h, e, state);
	state->rip = (uintptr_t)fault_load_after;
	state->rax = SKIPPED_VALUE;
	return KERN_SUCCESS;
}

/* Loads role fault-then-report with these exception ports (NULL: none). */
static bool load_fault_then_report(struct exc_handler *thread_port,
				   struct exc_handler *task_port, task_t *task,
				   thread_t *thread)
{
	if (!CHECK_KR(load_role("role=fault-then-report", task, thread), KERN_SUCCESS))
		return false;
	bool ok = true;
	if (task_port != NULL)
		ok &= CHECK_KR(task_set_special_port(*task, TASK_EXCEPTION_PORT, task_port->port),
			       KERN_SUCCESS);
	if (thread_port != NULL)
		ok &= CHECK_KR(thread_set_special_port(*thread, THREAD_EXCEPTION_PORT,
						       thread_port->port), KERN_SUCCESS);
	if (!ok) {
		end_task(*task, *thread);
		*task = *thread = MACH_PORT_NULL;
	}
	return ok;
}

/* True if the fault's message said what k says it must. */
static bool event_matches(const struct fault_kind *k, const struct exc_event *e)
{
	bool ok = CHECK(e->exception == k->exception) && CHECK(e->code[0] == k->code) &&
		  CHECK((uint64_t)e->code[1] == k->subcode) && CHECK(e->code_count == 2) &&
		  CHECK(e->flavor == X86_64_THREAD_STATE) &&
		  CHECK(e->state_count == X86_64_THREAD_STATE_COUNT) &&
		  CHECK(e->state.rip == k->rip);

	if (!ok)
		diag("%s (%s): exception %d, codes %lx %lx, rip %lx; expected %d, %lx %lx, rip %lx",
		     k->role, k->vector, e->exception, e->code[0], e->code[1], e->state.rip,
		     k->exception, k->code, k->subcode, k->rip);
	return ok;
}

/*
 * A handler thread of the runner's, serving the task's exception port,
 * receives the page fault: what, where, and send rights to the very
 * thread and task that faulted (the runner's names for them).  It refuses
 * it, so the task is then terminated.
 */
static bool handler_thread_receives_a_page_fault_as_a_message(void)
{
	const struct fault_kind *k = &fault_kinds[FAULT_PF];
	struct exc_handler h;
	thread_t server = MACH_PORT_NULL;
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&h, exc_answer_refuse, NULL))
		return false;
	bool ok = start_thread(exc_handler_loop, &h, 0, RUNNER_PRIORITY, &server);
	ok = ok && CHECK_KR(load_role("role=fault-pf", &task, &thread), KERN_SUCCESS);
	if (ok) {
		ok &= CHECK_KR(task_set_special_port(task, TASK_EXCEPTION_PORT, h.port),
			       KERN_SUCCESS);
		mach_port_t notify = watch_for_death(task);
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= wait_for_death(notify, task, 2000);
		ok &= CHECK(h.count == 1) && event_matches(k, &h.last);
		ok &= CHECK(h.last.state.rcx == FAULT_ADDRESS);
		ok &= CHECK(h.last.thread == thread) && CHECK(h.last.task == task);
		if (!is_dead_name(task))
			task_terminate(task);
		ok &= release(task) & release(thread);
	}
	h.stop = 1;
	if (server != MACH_PORT_NULL)
		ok &= wait_thread_gone(server, 200) && reap_thread(server, 0);
	ok &= exc_handler_close(&h);
	return ok;
}

/* One fault of kind k, refused by a handler the runner serves. */
static bool exception_message_matches(const struct fault_kind *k, struct exc_handler *h)
{
	char args[64];
	task_t task;
	thread_t thread;

	mach_snprintf(args, sizeof(args), "role=%s", k->role);
	if (!CHECK_KR(load_role(args, &task, &thread), KERN_SUCCESS))
		return false;
	unsigned before = h->count;
	bool ok = CHECK_KR(task_set_special_port(task, TASK_EXCEPTION_PORT, h->port),
			   KERN_SUCCESS);
	mach_port_t notify = watch_for_death(task);
	ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
	ok &= CHECK_KR(exc_handler_serve(h, 2000), MACH_MSG_SUCCESS);
	ok &= CHECK(h->count == before + 1) && event_matches(k, &h->last);
	ok &= wait_for_death(notify, task, 2000);
	if (!is_dead_name(task))
		task_terminate(task);
	ok &= release(task) & release(thread);
	return ok;
}

/* Every kind of fault of faults.c, as mach/exception_types.h maps it. */
static bool exception_messages_say_what_and_where_each_fault_was(void)
{
	struct exc_handler h;

	if (!exc_handler_open(&h, exc_answer_refuse, NULL))
		return false;
	bool ok = true;
	for (unsigned i = 0; i < FAULT_KINDS; i++)
		ok &= exception_message_matches(&fault_kinds[i], &h);
	ok &= exc_handler_close(&h);
	return ok;
}

/* Runs fault-then-report with the task's port answered by `answer`. */
static bool resumed_thread_reports(exc_answer_t answer, uint64_t want)
{
	struct exc_handler h;
	uint64_t report[4];
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&h, answer, NULL))
		return false;
	bool ok = load_fault_then_report(NULL, &h, &task, &thread);
	if (ok) {
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= read_report(&h, report, 2000);
		/* One fault, then the report: the thread went on from the fix. */
		ok &= CHECK(h.count == 2) && CHECK(report[0] == want);
		ok &= end_task(task, thread);
	}
	ok &= exc_handler_close(&h);
	return ok;
}

static bool handler_that_points_a_register_at_valid_memory_resumes_the_thread(void)
{
	return resumed_thread_reports(answer_point_at_valid_memory, valid_word);
}

static bool handler_that_skips_the_faulting_instruction_resumes_the_thread(void)
{
	return resumed_thread_reports(answer_skip_the_load, SKIPPED_VALUE);
}

/* Both ports set: the thread's handler takes everything, the task's sees nothing. */
static bool thread_exception_port_is_tried_before_the_task_port(void)
{
	struct exc_handler for_thread, for_task;
	uint64_t report[4];
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&for_thread, answer_point_at_valid_memory, NULL))
		return false;
	bool ok = exc_handler_open(&for_task, exc_answer_refuse, NULL);
	ok = ok && load_fault_then_report(&for_thread, &for_task, &task, &thread);
	if (ok) {
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= read_report(&for_thread, report, 2000);
		ok &= CHECK(report[0] == valid_word);
		ok &= CHECK(for_thread.count == 2);
		ok &= CHECK_KR(exc_handler_serve(&for_task, 0), MACH_RCV_TIMED_OUT);
		ok &= CHECK(for_task.count == 0);
		ok &= end_task(task, thread);
	}
	ok &= exc_handler_close(&for_task);
	ok &= exc_handler_close(&for_thread);
	return ok;
}

/*
 * The thread's handler (a helper thread) refuses everything; the task's
 * (the runner) fixes the fault and takes the report.  Each exception
 * went to the thread's handler first.
 */
static bool refused_exception_goes_on_to_the_task_port(void)
{
	struct exc_handler for_thread, for_task;
	thread_t server = MACH_PORT_NULL;
	uint64_t report[4];
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&for_thread, exc_answer_refuse, NULL))
		return false;
	bool ok = exc_handler_open(&for_task, answer_point_at_valid_memory, NULL);
	ok = ok && start_thread(exc_handler_loop, &for_thread, 0, RUNNER_PRIORITY, &server);
	ok = ok && load_fault_then_report(&for_thread, &for_task, &task, &thread);
	if (ok) {
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= read_report(&for_task, report, 2000);
		ok &= CHECK(report[0] == valid_word);
		ok &= CHECK(for_thread.count == 2 && for_task.count == 2);
		/* The report, the last exception, reached the thread's port first. */
		ok &= CHECK(for_thread.order < for_task.order);
		ok &= CHECK(for_thread.last.exception == EXC_BAD_INSTRUCTION);
		ok &= end_task(task, thread);
	}
	for_thread.stop = 1;
	if (server != MACH_PORT_NULL)
		ok &= wait_thread_gone(server, 200) && reap_thread(server, 0);
	ok &= exc_handler_close(&for_task);
	ok &= exc_handler_close(&for_thread);
	return ok;
}

/* Only the thread's port is set, and its handler refuses: nobody else can take it. */
static bool refused_exception_with_no_task_port_terminates_the_task(void)
{
	struct exc_handler h;
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&h, exc_answer_refuse, NULL))
		return false;
	bool ok = load_fault_then_report(&h, NULL, &task, &thread);
	if (ok) {
		mach_port_t notify = watch_for_death(task);
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= CHECK_KR(exc_handler_serve(&h, 2000), MACH_MSG_SUCCESS);
		ok &= CHECK(is_the_load_fault(&h.last));
		ok &= wait_for_death(notify, task, 2000);
		ok &= CHECK(h.count == 1);
		if (!is_dead_name(task))
			task_terminate(task);
		ok &= release(task) & release(thread);
	}
	ok &= exc_handler_close(&h);
	return ok;
}

/* A thread exception port whose receive right is gone is passed over. */
static bool dead_thread_exception_port_passes_the_exception_to_the_task_port(void)
{
	struct exc_handler gone, for_task;
	uint64_t report[4];
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&gone, exc_answer_refuse, NULL))
		return false;
	bool ok = exc_handler_open(&for_task, answer_skip_the_load, NULL);
	ok = ok && load_fault_then_report(&gone, &for_task, &task, &thread);
	ok &= exc_handler_close(&gone);
	if (ok) {
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= read_report(&for_task, report, 2000);
		ok &= CHECK(report[0] == SKIPPED_VALUE && for_task.count == 2);
		ok &= end_task(task, thread);
	}
	ok &= exc_handler_close(&for_task);
	return ok;
}

/*
 * mach/exception_types.h: int3 raises EXC_BREAKPOINT, code 3, with rip
 * past the int3.  The kernel's interrupt gates are all DPL 0
 * (kernel/arch/x86_64/trap.c), so int3 in ring 3 raises #GP instead, and
 * the handler hears of an EXC_BAD_ACCESS at the int3.
 */
static bool int3_in_user_mode_raises_a_breakpoint_exception(void)
{
	struct exc_handler h;
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&h, exc_answer_refuse, NULL))
		return false;
	bool ok = CHECK_KR(load_role("role=breakpoint", &task, &thread), KERN_SUCCESS);
	if (ok) {
		ok &= CHECK_KR(task_set_special_port(task, TASK_EXCEPTION_PORT, h.port),
			       KERN_SUCCESS);
		mach_port_t notify = watch_for_death(task);
		ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
		ok &= CHECK_KR(exc_handler_serve(&h, 2000), MACH_MSG_SUCCESS);
		ok &= CHECK(h.count == 1 && h.last.exception == EXC_BREAKPOINT);
		ok &= CHECK(h.last.code[0] == 3);
		ok &= CHECK(h.last.state.rip == (uintptr_t)breakpoint_after);
		if (!ok)
			diag("int3: exception %d, codes %lx %lx, rip %lx (the int3 is at %lx)",
			     h.last.exception, h.last.code[0], h.last.code[1], h.last.state.rip,
			     (uintptr_t)breakpoint);
		ok &= wait_for_death(notify, task, 2000);
		if (!is_dead_name(task))
			task_terminate(task);
		ok &= release(task) & release(thread);
	}
	ok &= exc_handler_close(&h);
	return ok;
}

/* The special ports read back what was set; the kernel ports cannot be replaced. */
static bool exception_ports_read_back_what_was_set(void)
{
	struct exc_handler h;
	mach_port_t port = MACH_PORT_DEAD;
	task_t task;
	thread_t thread;

	if (!exc_handler_open(&h, exc_answer_refuse, NULL))
		return false;
	bool ok = CHECK_KR(load_role("role=sleep", &task, &thread), KERN_SUCCESS);
	if (ok) {
		/* Nothing set: the runner's task has none for its children to inherit. */
		ok &= CHECK_KR(task_get_special_port(task, TASK_EXCEPTION_PORT, &port),
			       KERN_SUCCESS) && CHECK(port == MACH_PORT_NULL);
		ok &= CHECK_KR(thread_get_special_port(thread, THREAD_EXCEPTION_PORT, &port),
			       KERN_SUCCESS) && CHECK(port == MACH_PORT_NULL);
		ok &= CHECK_KR(task_set_special_port(task, TASK_EXCEPTION_PORT, h.port),
			       KERN_SUCCESS);
		ok &= CHECK_KR(thread_set_special_port(thread, THREAD_EXCEPTION_PORT, h.port),
			       KERN_SUCCESS);
		ok &= CHECK_KR(task_get_special_port(task, TASK_EXCEPTION_PORT, &port),
			       KERN_SUCCESS) && CHECK(port == h.port) && release(port);
		ok &= CHECK_KR(thread_get_special_port(thread, THREAD_EXCEPTION_PORT, &port),
			       KERN_SUCCESS) && CHECK(port == h.port) && release(port);
		ok &= CHECK_KR(task_set_special_port(task, TASK_EXCEPTION_PORT, MACH_PORT_NULL),
			       KERN_SUCCESS);
		ok &= CHECK_KR(task_get_special_port(task, TASK_EXCEPTION_PORT, &port),
			       KERN_SUCCESS) && CHECK(port == MACH_PORT_NULL);
		/* A task's or thread's own port is not a slot to fill. */
		ok &= CHECK_KR(task_set_special_port(task, TASK_KERNEL_PORT, h.port),
			       KERN_INVALID_ARGUMENT);
		ok &= CHECK_KR(thread_set_special_port(thread, THREAD_KERNEL_PORT, h.port),
			       KERN_INVALID_ARGUMENT);
		ok &= CHECK_KR(task_set_special_port(task, 99, h.port), KERN_INVALID_ARGUMENT);
		ok &= CHECK_KR(thread_get_special_port(thread, 99, &port), KERN_INVALID_ARGUMENT);
		/* The kernel port is the object itself: the name the runner has. */
		ok &= CHECK_KR(task_get_special_port(task, TASK_KERNEL_PORT, &port),
			       KERN_SUCCESS) && CHECK(port == task) && release(port);
		ok &= CHECK_KR(thread_get_special_port(thread, THREAD_KERNEL_PORT, &port),
			       KERN_SUCCESS) && CHECK(port == thread) && release(port);
		ok &= end_task(task, thread);
	}
	ok &= exc_handler_close(&h);
	return ok;
}

const struct test exceptions_tests[] = {
	ENTRY(exception_ports_read_back_what_was_set),
	ENTRY(handler_thread_receives_a_page_fault_as_a_message),
	ENTRY(exception_messages_say_what_and_where_each_fault_was),
	ENTRY(handler_that_points_a_register_at_valid_memory_resumes_the_thread),
	ENTRY(handler_that_skips_the_faulting_instruction_resumes_the_thread),
	ENTRY(thread_exception_port_is_tried_before_the_task_port),
	ENTRY(refused_exception_goes_on_to_the_task_port),
	ENTRY(refused_exception_with_no_task_port_terminates_the_task),
	ENTRY(dead_thread_exception_port_passes_the_exception_to_the_task_port),
	ENTRY(int3_in_user_mode_raises_a_breakpoint_exception),
};
const unsigned exceptions_test_count = sizeof(exceptions_tests) / sizeof(exceptions_tests[0]);
