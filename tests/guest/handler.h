/*
 * Exception ports of the runner (handler.c): a user exception arrives as
 * an exception_raise request (idl/defs/exc.defs) on the port a helper
 * task or thread was given as its TASK_EXCEPTION_PORT or
 * THREAD_EXCEPTION_PORT; the generated demux exc_server calls
 * S_exception_raise, which records what the message said in the port's
 * struct exc_handler and answers as that handler's `answer` decides.
 * The runner serves a port itself (exc_handler_serve) or from a helper
 * thread (exc_handler_loop).
 *
 * On the same machinery: children report their results to the runner
 * with a breakpoint (report_and_spin) that the runner handles, and the
 * runner learns that a task is gone from a dead-name notification.
 */
#pragma once

#include "usertest.h"

/* What one exception_raise said. */
struct exc_event {
	exception_type_t exception;
	int64_t code[EXCEPTION_CODE_MAX];
	mach_msg_type_number_t code_count;
	thread_state_flavor_t flavor;
	mach_msg_type_number_t state_count;
	struct x86_64_thread_state state;   /* the faulting thread's, as it was sent */
	/* The names the thread and task rights arrived under; the handler
	 * releases the rights, so these are only for comparing. */
	mach_port_t thread, task;
};

struct exc_handler;

/*
 * Decides the reply to e: KERN_SUCCESS resumes the thread with *state
 * (which starts as e->state; change it to move the thread on); any other
 * code passes the exception on.
 */
typedef kern_return_t (*exc_answer_t)(struct exc_handler *h, const struct exc_event *e,
				      struct x86_64_thread_state *state);

struct exc_handler {
	mach_port_t port;        /* the receive right and one send right, one name */
	exc_answer_t answer;
	void *context;           /* the answer's own (exc_answer_report's: read_report's out) */
	unsigned count;          /* exceptions received */
	unsigned order;          /* of the last one, among all handlers' (1, 2, ...) */
	struct exc_event last;
	volatile int stop;       /* asks exc_handler_loop to return */
};

/* Answers: refuse (KERN_FAILURE), and resume where the thread stands. */
kern_return_t exc_answer_refuse(struct exc_handler *h, const struct exc_event *e,
				struct x86_64_thread_state *state);
kern_return_t exc_answer_resume(struct exc_handler *h, const struct exc_event *e,
				struct x86_64_thread_state *state);

/* A new port answered by `answer`; false, with a diagnostic, on failure. */
bool exc_handler_open(struct exc_handler *h, exc_answer_t answer, void *context);
/* Destroys the port (at most 4 handlers are open at once). */
bool exc_handler_close(struct exc_handler *h);
/*
 * Receives one message on h's port, waiting up to timeout_ms, and answers
 * it; MACH_RCV_TIMED_OUT if none came.
 */
mach_msg_return_t exc_handler_serve(struct exc_handler *h, uint32_t timeout_ms);
/* A helper thread's function: serves h until h->stop is set. */
void exc_handler_loop(void *h);

/* ---- reports: how a child tells the runner its results ---- */

/*
 * A child sets rbx to REPORT_MAGIC and r12..r15 to its results and
 * executes ud2.  Its task's exception port is a handler of the runner
 * that copies them from the exception message's state and resumes the
 * child just past the ud2, where it spins until it is terminated.
 * (int3 would say it better, but see exceptions.c's
 * int3_in_user_mode_raises_a_breakpoint_exception.)
 */
#define REPORT_MAGIC 0x5452504552ull   /* "REPRT" */
__attribute__((noreturn)) void report_and_spin(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

/* An answer that takes reports (and refuses any other exception). */
kern_return_t exc_answer_report(struct exc_handler *h, const struct exc_event *e,
				struct x86_64_thread_state *state);
/* spawn_role with h (answering exc_answer_report) as the task's exception port. */
bool spawn_reporting(const char *args, struct exc_handler *h, task_t *task,
		     thread_t *thread);
/* Serves h until a report comes (true, results in out) or timeout_ms pass. */
bool read_report(struct exc_handler *h, uint64_t out[4], uint64_t timeout_ms);

/* ---- dead-name notifications ---- */

/*
 * A port that receives a dead-name notification for `name` (a send right
 * of the runner's); MACH_PORT_NULL, with a diagnostic, on failure.
 */
mach_port_t watch_for_death(mach_port_t name);
/*
 * True once watch_for_death's port has delivered the notification for
 * name, within timeout_ms; destroys the port either way.  The name itself
 * stays the runner's, dead, to release.
 */
bool wait_for_death(mach_port_t notify, mach_port_t name, uint32_t timeout_ms);
