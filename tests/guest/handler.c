/* Exception ports, reports and dead-name notifications; see handler.h. */
#include "handler.h"

#include <excServer.h>
#include <notifyServer.h>

#include "helpers.h"

/* The requests either demux takes, and the replies it makes. */
#define SERVE_REQUEST_MAX exc_MAX_REQUEST_SIZE
#define SERVE_REPLY_MAX exc_MAX_REPLY_SIZE
_Static_assert(notify_MAX_REQUEST_SIZE <= SERVE_REQUEST_MAX, "notifications fit");
_Static_assert(notify_MAX_REPLY_SIZE <= SERVE_REPLY_MAX, "notification replies fit");

/*
 * Receives one message on port (waiting up to timeout_ms) and answers it
 * through demux, by the rules of mach/mig_support.h: what a refused
 * request carried is destroyed, and a reply goes only where the request
 * named a reply port.
 */
static mach_msg_return_t serve_one(mach_port_t port, mig_demux_t demux, uint32_t timeout_ms)
{
	union {
		mach_msg_header_t head;
		uint8_t bytes[SERVE_REQUEST_MAX];
	} in;
	union {
		mig_reply_error_t error;
		uint8_t bytes[SERVE_REPLY_MAX];
	} out;

	mach_msg_return_t mr = mach_msg(&in.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					sizeof(in), port, timeout_ms, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	demux(&in.head, &out.error.Head);
	if (!(out.error.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (out.error.RetCode == MIG_NO_REPLY)
			return MACH_MSG_SUCCESS;
		if (out.error.RetCode != KERN_SUCCESS) {
			in.head.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&in.head);
		}
	}
	if (out.error.Head.msgh_remote_port == MACH_PORT_NULL) {
		mach_msg_destroy(&out.error.Head);
		return MACH_MSG_SUCCESS;
	}
	mr = mach_msg(&out.error.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
		      out.error.Head.msgh_size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		diag("reply not sent: %s", error_name(mr));
		mach_msg_destroy(&out.error.Head);
	}
	return mr;
}

/* ---- exception handlers ---- */

#define HANDLERS_MAX 4

static struct exc_handler *open_handlers[HANDLERS_MAX];
static unsigned exceptions_seen;

static struct exc_handler *handler_of(mach_port_t port)
{
	for (unsigned i = 0; i < HANDLERS_MAX; i++)
		if (open_handlers[i] != NULL && open_handlers[i]->port == port)
			return open_handlers[i];
	return NULL;
}

/* Records what the message says in e. */
static void record(struct exc_event *e, mach_port_t thread, mach_port_t task,
		   exception_type_t exception, const exception_data_type_t *code,
		   mach_msg_type_number_t code_count, thread_state_flavor_t flavor,
		   const natural_t *state, mach_msg_type_number_t state_count)
{
	*e = (struct exc_event){ .exception = exception, .code_count = code_count,
				 .flavor = flavor, .state_count = state_count,
				 .thread = thread, .task = task };
	for (unsigned i = 0; i < code_count && i < EXCEPTION_CODE_MAX; i++)
		e->code[i] = code[i];
	if (flavor == X86_64_THREAD_STATE && state_count == X86_64_THREAD_STATE_COUNT)
		memcpy(&e->state, state, sizeof(e->state));
}

kern_return_t S_exception_raise(mach_port_t exception_port, mach_port_t thread,
				mach_port_t task, exception_type_t exception,
				exception_data_t code, mach_msg_type_number_t code_count,
				thread_state_flavor_t flavor, thread_state_t old_state,
				mach_msg_type_number_t old_state_count, thread_state_t new_state,
				mach_msg_type_number_t *new_state_count)
{
	struct exc_handler *h = handler_of(exception_port);

	*new_state_count = 0;
	if (h == NULL) {
		diag("exception %d on port %x, which no handler serves", exception,
		     exception_port);
		return KERN_FAILURE;
	}
	record(&h->last, thread, task, exception, code, code_count, flavor, old_state,
	       old_state_count);
	h->count++;
	h->order = ++exceptions_seen;
	if (flavor != X86_64_THREAD_STATE || old_state_count != X86_64_THREAD_STATE_COUNT) {
		diag("exception %d came with state flavor %d, count %u", exception, flavor,
		     old_state_count);
		return KERN_FAILURE;
	}
	struct x86_64_thread_state state = h->last.state;
	kern_return_t kr = h->answer(h, &h->last, &state);
	if (kr != KERN_SUCCESS)
		return kr;   /* the request, with its rights, is destroyed */
	memcpy(new_state, &state, sizeof(state));
	*new_state_count = X86_64_THREAD_STATE_COUNT;
	/* Taking the request, the handler took its rights. */
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	return KERN_SUCCESS;
}

kern_return_t exc_answer_refuse(struct exc_handler *h, const struct exc_event *e,
				struct x86_64_thread_state *state)
{
	(void)h;
	(void)e;
	(void)state;
	return KERN_FAILURE;
}

kern_return_t exc_answer_resume(struct exc_handler *h, const struct exc_event *e,
				struct x86_64_thread_state *state)
{
	(void)h;
	(void)e;
	(void)state;
	return KERN_SUCCESS;
}

bool exc_handler_open(struct exc_handler *h, exc_answer_t answer, void *context)
{
	unsigned slot = 0;

	while (slot < HANDLERS_MAX && open_handlers[slot] != NULL)
		slot++;
	*h = (struct exc_handler){ .answer = answer, .context = context };
	if (!CHECK(slot < HANDLERS_MAX) ||
	    !CHECK_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &h->port),
		      KERN_SUCCESS))
		return false;
	if (!CHECK_KR(mach_port_insert_right(mach_task_self(), h->port, h->port,
					     MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS)) {
		mach_port_destroy(mach_task_self(), h->port);
		return false;
	}
	open_handlers[slot] = h;
	return true;
}

bool exc_handler_close(struct exc_handler *h)
{
	for (unsigned i = 0; i < HANDLERS_MAX; i++)
		if (open_handlers[i] == h)
			open_handlers[i] = NULL;
	if (h->port == MACH_PORT_NULL)
		return true;
	bool ok = CHECK_KR(mach_port_destroy(mach_task_self(), h->port), KERN_SUCCESS);
	h->port = MACH_PORT_NULL;
	return ok;
}

mach_msg_return_t exc_handler_serve(struct exc_handler *h, uint32_t timeout_ms)
{
	return serve_one(h->port, exc_server, timeout_ms);
}

void exc_handler_loop(void *arg)
{
	struct exc_handler *h = arg;

	while (!h->stop) {
		mach_msg_return_t mr = exc_handler_serve(h, 10);
		if (mr != MACH_MSG_SUCCESS && mr != MACH_RCV_TIMED_OUT) {
			diag("exception handler thread: %s", error_name(mr));
			return;
		}
	}
}

/* ---- reports ---- */

#define REPORT_INSTRUCTION_SIZE 2   /* ud2 */

void report_and_spin(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	register uint64_t r12 __asm__("r12") = a;
	register uint64_t r13 __asm__("r13") = b;
	register uint64_t r14 __asm__("r14") = c;
	register uint64_t r15 __asm__("r15") = d;

	__asm__ volatile("ud2\n"
			 "1:\tpause\n\t"
			 "jmp 1b"
			 : : "b"(REPORT_MAGIC), "r"(r12), "r"(r13), "r"(r14), "r"(r15));
	__builtin_unreachable();
}

static bool is_report(const struct exc_event *e)
{
	return e->exception == EXC_BAD_INSTRUCTION && e->state.rbx == REPORT_MAGIC;
}

kern_return_t exc_answer_report(struct exc_handler *h, const struct exc_event *e,
				struct x86_64_thread_state *state)
{
	uint64_t *out = h->context;

	if (!is_report(e)) {
		diag("a reporting child took exception %d (codes %lx, %lx) at rip %lx",
		     e->exception, e->code[0], e->code[1], e->state.rip);
		return KERN_FAILURE;
	}
	if (out != NULL) {
		out[0] = e->state.r12;
		out[1] = e->state.r13;
		out[2] = e->state.r14;
		out[3] = e->state.r15;
	}
	state->rip += REPORT_INSTRUCTION_SIZE;   /* on to the spin loop */
	return KERN_SUCCESS;
}

bool spawn_reporting(const char *args, struct exc_handler *h, task_t *task,
		     thread_t *thread)
{
	if (!CHECK_KR(load_role(args, task, thread), KERN_SUCCESS))
		return false;
	if (!CHECK_KR(task_set_special_port(*task, TASK_EXCEPTION_PORT, h->port),
		      KERN_SUCCESS) ||
	    !CHECK_KR(thread_resume(*thread), KERN_SUCCESS)) {
		end_task(*task, *thread);
		*task = *thread = MACH_PORT_NULL;
		return false;
	}
	return true;
}

bool read_report(struct exc_handler *h, uint64_t out[4], uint64_t timeout_ms)
{
	uint64_t deadline = now_ns() + timeout_ms * MACH_NS_PER_MS;

	h->context = out;
	/* Other exceptions first are the answer's to deal with. */
	for (;;) {
		uint64_t now = now_ns();
		if (now >= deadline) {
			diag("no report in %lu ms", timeout_ms);
			return false;
		}
		unsigned before = h->count;
		mach_msg_return_t mr =
			exc_handler_serve(h, (uint32_t)((deadline - now) / MACH_NS_PER_MS) + 1);
		if (mr != MACH_MSG_SUCCESS && mr != MACH_RCV_TIMED_OUT) {
			diag("receiving a report: %s", error_name(mr));
			return false;
		}
		if (h->count != before && is_report(&h->last))
			return true;
	}
}

/* ---- dead-name notifications ---- */

static mach_port_t dead_name_seen;

kern_return_t do_mach_notify_dead_name(mach_port_t notify, mach_port_name_t name)
{
	(void)notify;
	dead_name_seen = name;
	/* The notification brought a user reference to the dead name. */
	mach_port_deallocate(mach_task_self(), name);
	return KERN_SUCCESS;
}

/* The others are never asked for; each drops what it brought. */
kern_return_t do_mach_notify_port_deleted(mach_port_t notify, mach_port_name_t name)
{
	(void)notify;
	diag("unexpected port-deleted notification for %x", name);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify, mach_port_t rights)
{
	(void)notify;
	diag("unexpected port-destroyed notification for %x", rights);
	mach_port_mod_refs(mach_task_self(), rights, MACH_PORT_RIGHT_RECEIVE, -1);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_no_senders(mach_port_t notify, natural_t mscount)
{
	(void)notify;
	diag("unexpected no-senders notification (mscount %u)", mscount);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_send_once(mach_port_t notify)
{
	(void)notify;
	diag("unexpected send-once notification");
	return KERN_SUCCESS;
}

mach_port_t watch_for_death(mach_port_t name)
{
	mach_port_t notify, previous = MACH_PORT_NULL;

	if (!CHECK_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &notify),
		      KERN_SUCCESS))
		return MACH_PORT_NULL;
	if (!CHECK_KR(mach_port_request_notification(mach_task_self(), name,
						     MACH_NOTIFY_DEAD_NAME, 0, notify,
						     MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		      KERN_SUCCESS)) {
		mach_port_destroy(mach_task_self(), notify);
		return MACH_PORT_NULL;
	}
	CHECK(previous == MACH_PORT_NULL);
	return notify;
}

bool wait_for_death(mach_port_t notify, mach_port_t name, uint32_t timeout_ms)
{
	if (notify == MACH_PORT_NULL)
		return false;
	dead_name_seen = MACH_PORT_NULL;
	mach_msg_return_t mr = serve_one(notify, notify_server, timeout_ms);
	bool ok = CHECK_KR(mr, MACH_MSG_SUCCESS) && CHECK(dead_name_seen == name);
	ok &= CHECK_KR(mach_port_destroy(mach_task_self(), notify), KERN_SUCCESS);
	return ok;
}
