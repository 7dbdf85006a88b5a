/*
 * The runner's side of the raw pager tests: one port set holding the
 * ports of the raw pagers it plays and the exception port of its
 * touching threads, served by whichever check is waiting (raw_expect,
 * touch_wait); and a guard on the task's exception port, so that a fault
 * of the runner's own (a pager that failed it) stops the machine with a
 * diagnostic instead of a silent end.
 *
 * A raw pager's messages (memory_object.defs) reach the generated demux,
 * whose server functions below queue them as events for raw_expect to
 * take.  A touching thread reads or writes one word with an instruction
 * whose address the handler knows (touch_load, touch_store); when it
 * takes an exception the handler records what it said and moves it past
 * that instruction, so the thread ends normally either way.
 */
#include <excServer.h>
#include <memory_objectServer.h>

#include "pagertest.h"

#define TOUCH_SLOTS 3
#define STACK_SIZE 16384
#define TOUCH_PRIORITY 16
#define EVENTS_MAX 64
#define RAW_PAGERS_MAX 4
#define TOUCH_FAULTED 0xfa017ed0fa017ed0ull   /* what a load that faulted reads */

/*
 * uint64_t touch_load(const uint64_t *address): returns *address.
 * void touch_store(uint64_t *address, uint64_t value): *address = value.
 * The access is at *_at, the instruction after it at *_after.
 */
__asm__(".text\n"
	"touch_load:\n"
	"	mov %rdi, %rcx\n"
	"touch_load_at:\n"
	"	mov (%rcx), %rax\n"
	"touch_load_after:\n"
	"	ret\n"
	"touch_store:\n"
	"	mov %rdi, %rcx\n"
	"touch_store_at:\n"
	"	mov %rsi, (%rcx)\n"
	"touch_store_after:\n"
	"	ret\n");

uint64_t touch_load(const volatile uint64_t *address);
void touch_store(volatile uint64_t *address, uint64_t value);
extern const char touch_load_at[], touch_load_after[], touch_store_at[], touch_store_after[];

static mach_port_t port_set, exc_port, guard_port;
static struct toucher *touchers[TOUCH_SLOTS];
static struct raw_pager *raw_pagers[RAW_PAGERS_MAX];
static struct raw_event events[EVENTS_MAX];
static unsigned nevents;
static uint8_t stacks[TOUCH_SLOTS + 2][STACK_SIZE] __attribute__((aligned(16)));

/* ---- serving the port set ---- */

typedef union {
	mach_msg_header_t h;
	mig_reply_error_t e;
	uint8_t b[MACH_MSG_SIZE_MAX];
} msg_buf_t;

/* Settles a served request by MIG's rules and sends its reply, if any. */
static void answer(mach_msg_header_t *in, mig_reply_error_t *out)
{
	if (!(out->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (out->RetCode == MIG_NO_REPLY)
			return;
		if (out->RetCode != KERN_SUCCESS) {
			in->msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(in);
		}
	}
	if (out->Head.msgh_remote_port == MACH_PORT_NULL ||
	    mach_msg(&out->Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out->Head.msgh_size, 0,
		     MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		mach_msg_destroy(&out->Head);
}

/* Receives one message on the set within timeout_ms and serves it. */
static void serve_one(uint32_t timeout_ms)
{
	static msg_buf_t in, out;

	if (mach_msg(&in.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in), port_set, timeout_ms,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return;
	bool known = in.h.msgh_local_port == exc_port ? exc_server(&in.h, &out.h)
						       : memory_object_server(&in.h, &out.h);
	if (!known)
		diag("a message with id %d on port %x, which nothing here serves", in.h.msgh_id,
		     in.h.msgh_local_port);
	answer(&in.h, &out.e);
}

/* ---- the guard ---- */

static void guard_loop(void *arg)
{
	static msg_buf_t in, out;

	(void)arg;
	for (;;) {
		if (mach_msg(&in.h, MACH_RCV_MSG, 0, sizeof(in), guard_port, MACH_MSG_TIMEOUT_NONE,
			     MACH_PORT_NULL) == MACH_MSG_SUCCESS)
			exc_server(&in.h, &out.h);   /* S_exception_raise halts */
	}
}

bool harness_serve_init(void)
{
	return CHECK_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &port_set),
			KERN_SUCCESS) &&
	       CHECK_KR(mach_port_allocate_with_send(&exc_port), KERN_SUCCESS) &&
	       CHECK_KR(mach_port_move_member(mach_task_self(), exc_port, port_set),
			KERN_SUCCESS);
}

bool harness_init(void)
{
	thread_t guard;

	return harness_serve_init() &&
	       CHECK_KR(mach_port_allocate_with_send(&guard_port), KERN_SUCCESS) &&
	       CHECK_KR(task_set_special_port(mach_task_self(), TASK_EXCEPTION_PORT, guard_port),
			KERN_SUCCESS) &&
	       CHECK_KR(mach_thread_spawn(guard_loop, NULL, stacks[TOUCH_SLOTS], STACK_SIZE, 24,
					  &guard), KERN_SUCCESS);
}

/* ---- exceptions ---- */

static struct toucher *toucher_of(thread_t thread)
{
	for (unsigned i = 0; i < TOUCH_SLOTS; i++)
		if (touchers[i] != NULL && touchers[i]->thread == thread)
			return touchers[i];
	return NULL;
}

/* Moves a touching thread past its access; false if it faulted elsewhere. */
static bool move_on(struct x86_64_thread_state *state)
{
	if (state->rip == (uintptr_t)touch_load_at) {
		state->rip = (uintptr_t)touch_load_after;
		state->rax = TOUCH_FAULTED;
		return true;
	}
	if (state->rip == (uintptr_t)touch_store_at) {
		state->rip = (uintptr_t)touch_store_after;
		return true;
	}
	return false;
}

kern_return_t S_exception_raise(mach_port_t exception_port, mach_port_t thread,
				mach_port_t task, exception_type_t exception,
				exception_data_t code, mach_msg_type_number_t code_count,
				thread_state_flavor_t flavor, thread_state_t old_state,
				mach_msg_type_number_t old_state_count, thread_state_t new_state,
				mach_msg_type_number_t *new_state_count)
{
	struct x86_64_thread_state state;
	struct toucher *t = exception_port == exc_port ? toucher_of(thread) : NULL;

	*new_state_count = 0;
	if (flavor == X86_64_THREAD_STATE && old_state_count == X86_64_THREAD_STATE_COUNT)
		memcpy(&state, old_state, sizeof(state));
	else
		state = (struct x86_64_thread_state){ 0 };
	if (t == NULL && exception_port == exc_port && foreign_count < FOREIGN_MAX) {
		/* A watched task's: noted, and passed on (the task ends). */
		foreign[foreign_count++] = (struct foreign_exception){
			exception, { code_count > 0 ? code[0] : 0, code_count > 1 ? code[1] : 0 } };
		return KERN_FAILURE;
	}
	if (t == NULL || code_count != 2 || !move_on(&state)) {
		diag("unexpected exception %d (codes 0x%lx 0x%lx) in thread %x at rip 0x%lx",
		     exception, code_count > 0 ? code[0] : 0, code_count > 1 ? code[1] : 0,
		     thread, state.rip);
		if (exception_port == guard_port)
			host_halt(host_priv, HOST_HALT_FAILURE);
		return KERN_FAILURE;   /* on to the task's port: the guard */
	}
	t->faulted = true;
	t->exception = exception;
	t->code[0] = code[0];
	t->code[1] = code[1];
	t->fault_ms = now_ms();
	memcpy(new_state, &state, sizeof(state));
	*new_state_count = X86_64_THREAD_STATE_COUNT;
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	return KERN_SUCCESS;
}

/* ---- touching threads ---- */

struct foreign_exception foreign[FOREIGN_MAX];
unsigned foreign_count;

kern_return_t harness_watch(task_t task)
{
	return task_set_special_port(task, TASK_EXCEPTION_PORT, exc_port);
}

struct stamp stamp_now(void)
{
	struct host_cpu_info cpu = { 0 };
	mach_msg_type_number_t count = HOST_CPU_INFO_COUNT;
	mach_port_t host = mach_host_self();
	struct stamp s;

	host_info(host, HOST_CPU_INFO, (host_info_t)&cpu, &count);
	mach_port_deallocate(mach_task_self(), host);
	s.tsc = __builtin_ia32_rdtsc();
	s.ns = mach_clock_ns();
	s.halted = cpu.halted_tsc;
	return s;
}

static void touch_entry(void *arg)
{
	struct toucher *t = arg;

	while (!t->go)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0);
	t->begin = stamp_now();
	if (t->write)
		touch_store((volatile uint64_t *)t->address, t->value);
	else
		t->value = touch_load((const volatile uint64_t *)t->address);
	t->end = stamp_now();
	t->done = true;
}

bool touch_start(struct toucher *t, vm_address_t address, bool write, uint64_t value)
{
	unsigned slot = 0;

	while (slot < TOUCH_SLOTS && touchers[slot] != NULL)
		slot++;
	*t = (struct toucher){ .address = address, .write = write, .value = value, .slot = slot };
	if (!CHECK(slot < TOUCH_SLOTS))
		return false;
	/* It waits for go, which it sees only once the runner blocks: it
	 * runs below the runner's priority. */
	touchers[slot] = t;
	if (!CHECK_KR(mach_thread_spawn(touch_entry, t, stacks[slot], STACK_SIZE, TOUCH_PRIORITY,
					&t->thread), KERN_SUCCESS) ||
	    !CHECK_KR(thread_set_special_port(t->thread, THREAD_EXCEPTION_PORT, exc_port),
		      KERN_SUCCESS)) {
		touch_end(t);
		return false;
	}
	t->start_ms = now_ms();
	t->go = true;
	return true;
}

void harness_serve(uint32_t ms)
{
	touch_serve(NULL, ms);
}

static void replace_entry(void *arg)
{
	struct replacer *r = arg;

	r->begin = stamp_now();
	r->result = vm_pager_replace(host_priv, r->object, r->new_pager, r->mode);
	r->end = stamp_now();
	r->end_ms = now_ms();
	r->done = true;
}

bool replace_start(struct replacer *r, mach_port_t object, mach_port_t new_pager, int mode)
{
	*r = (struct replacer){ .object = object, .new_pager = new_pager, .mode = mode,
				.start_ms = now_ms() };
	return CHECK_KR(mach_thread_spawn(replace_entry, r, stacks[TOUCH_SLOTS + 1], STACK_SIZE,
					  TOUCH_PRIORITY, &r->thread),
			KERN_SUCCESS);
}

bool replace_wait(struct replacer *r, uint32_t timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;

	for (uint64_t now = now_ms(); now < end && !r->done; now = now_ms())
		serve_one((uint32_t)(end - now < 10 ? end - now : 10));
	if (!r->done) {
		diag("vm_pager_replace did not return in %u ms", timeout_ms);
		thread_terminate(r->thread);
	}
	mach_port_deallocate(mach_task_self(), r->thread);
	return r->done;
}

void touch_serve(struct toucher *t, uint32_t ms)
{
	uint64_t end = now_ms() + ms;

	for (uint64_t now = now_ms(); now < end && (t == NULL || !t->done); now = now_ms())
		serve_one((uint32_t)(end - now < 10 ? end - now : 10));
}

bool touch_wait(struct toucher *t, uint32_t timeout_ms)
{
	touch_serve(t, timeout_ms);
	if (!t->done)
		diag("the touching thread did not finish in %u ms", timeout_ms);
	return t->done;
}

static bool is_dead_name(mach_port_t name)
{
	mach_port_type_t type;

	return mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
	       (type & MACH_PORT_TYPE_DEAD_NAME);
}

bool touch_end(struct toucher *t)
{
	bool ok = true;

	if (t->thread != MACH_PORT_NULL) {
		for (int i = 0; i < 50 && !is_dead_name(t->thread); i++)
			sleep_ms(1);
		if (!is_dead_name(t->thread))
			ok = CHECK_KR(thread_terminate(t->thread), KERN_SUCCESS);
		mach_port_deallocate(mach_task_self(), t->thread);
		t->thread = MACH_PORT_NULL;
	}
	if (t->slot < TOUCH_SLOTS && touchers[t->slot] == t)
		touchers[t->slot] = NULL;
	return ok;
}

bool touch_failed_with(const struct toucher *t, kern_return_t code)
{
	bool ok = CHECK(t->faulted) && CHECK_EQ(t->exception, EXC_BAD_ACCESS) &&
		  CHECK_KR((kern_return_t)t->code[0], code) &&
		  CHECK_EQ((uint64_t)t->code[1], t->address);

	if (t->faulted)
		diag("the exception came %lu ms after the touch", t->fault_ms - t->start_ms);
	return ok;
}

/* ---- raw pagers ---- */

static struct raw_pager *raw_of(mach_port_t object)
{
	for (unsigned i = 0; i < RAW_PAGERS_MAX; i++)
		if (raw_pagers[i] != NULL && raw_pagers[i]->port == object)
			return raw_pagers[i];
	return NULL;
}

/* Queues a raw pager's message; KERN_FAILURE (destroy it) if none has it. */
static kern_return_t record(enum raw_kind kind, mach_port_t object, mach_port_t control,
			    vm_offset_t offset, vm_size_t length)
{
	struct raw_pager *p = raw_of(object);

	if (p == NULL) {
		diag("a pager message (%d) for %x, which no raw pager has", kind, object);
		return KERN_FAILURE;
	}
	p->events[kind]++;
	if (kind == RAW_INIT) {
		p->control = control;
		for (unsigned i = 0; i < RAW_CONTROLS_MAX; i++) {
			if (p->controls[i] == control)
				break;
			if (p->controls[i] == MACH_PORT_NULL) {
				p->controls[i] = control;
				break;
			}
		}
	}
	if (nevents == EVENTS_MAX) {
		diag("too many pager messages waiting: the oldest is dropped");
		memmove(events, events + 1, sizeof(events[0]) * --nevents);
	}
	events[nevents++] = (struct raw_event){ kind, object, control, offset, length, { 0 } };
	return KERN_SUCCESS;
}

kern_return_t memory_object_S_init(memory_object_t memory_object,
				   memory_object_control_t memory_control, vm_size_t page_size)
{
	return record(RAW_INIT, memory_object, memory_control, 0, page_size);
}

kern_return_t memory_object_S_terminate(memory_object_t memory_object,
					memory_object_control_t memory_control)
{
	return record(RAW_TERMINATE, memory_object, memory_control, 0, 0);
}

/* Requests carry no control port: recorded with MACH_PORT_NULL. */
kern_return_t memory_object_S_data_request(memory_object_t memory_object, vm_offset_t offset,
					   vm_size_t length, vm_prot_t desired_access)
{
	(void)desired_access;
	return record(RAW_DATA_REQUEST, memory_object, MACH_PORT_NULL, offset, length);
}

kern_return_t memory_object_S_data_unlock(memory_object_t memory_object, vm_offset_t offset,
					  vm_size_t length, vm_prot_t desired_access)
{
	(void)desired_access;
	return record(RAW_DATA_UNLOCK, memory_object, MACH_PORT_NULL, offset, length);
}

kern_return_t memory_object_S_lock_completed(memory_object_t memory_object,
					     memory_object_control_t memory_control,
					     vm_offset_t offset, vm_size_t length)
{
	return record(RAW_LOCK_COMPLETED, memory_object, memory_control, offset, length);
}

kern_return_t memory_object_S_data_return(memory_object_t memory_object,
					  memory_object_control_t memory_control,
					  vm_offset_t offset, vm_offset_t data,
					  mach_msg_type_number_t dataCnt, boolean_t dirty,
					  boolean_t kernel_copy)
{
	(void)dirty;
	(void)kernel_copy;
	kern_return_t kr = record(RAW_DATA_RETURN, memory_object, memory_control, offset, dataCnt);
	if (kr == KERN_SUCCESS) {
		struct raw_event *e = &events[nevents - 1];
		for (unsigned i = 0; i < 4 && i * PAGE < dataCnt; i++)
			e->words[i] = *(const uint64_t *)(data + i * PAGE);
		vm_deallocate(mach_task_self(), data, dataCnt);
	}
	return kr;
}

kern_return_t memory_object_S_change_completed(memory_object_t memory_object,
					       boolean_t may_cache,
					       memory_object_copy_strategy_t copy_strategy)
{
	(void)may_cache;
	(void)copy_strategy;
	diag("change_completed for %x, never asked for", memory_object);
	return KERN_FAILURE;
}

bool raw_adopt(struct raw_pager *p, mach_port_t port, bool served)
{
	unsigned slot = 0;

	*p = (struct raw_pager){ .port = port };
	while (slot < RAW_PAGERS_MAX && raw_pagers[slot] != NULL)
		slot++;
	if (!CHECK(slot < RAW_PAGERS_MAX))
		return false;
	raw_pagers[slot] = p;
	return !served ||
	       CHECK_KR(mach_port_move_member(mach_task_self(), p->port, port_set), KERN_SUCCESS);
}

bool raw_open(struct raw_pager *p, bool served)
{
	mach_port_t port;

	*p = (struct raw_pager){ 0 };
	return CHECK_KR(mach_port_allocate_with_send(&port), KERN_SUCCESS) &&
	       raw_adopt(p, port, served);
}

kern_return_t raw_map(struct raw_pager *p, vm_size_t size, boolean_t copy)
{
	p->address = 0;
	kern_return_t kr = vm_map(mach_task_self(), &p->address, size, 0, TRUE, p->port, 0, copy,
				  VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY);
	p->size = kr == KERN_SUCCESS ? size : 0;
	return kr;
}

/* Takes the oldest event of kind for p out of the queue. */
static bool take(struct raw_pager *p, enum raw_kind kind, struct raw_event *e)
{
	for (unsigned i = 0; i < nevents; i++) {
		if (events[i].object != p->port || events[i].kind != kind)
			continue;
		*e = events[i];
		memmove(events + i, events + i + 1, sizeof(events[0]) * (nevents - i - 1));
		nevents--;
		return true;
	}
	return false;
}

bool raw_expect(struct raw_pager *p, enum raw_kind kind, struct raw_event *e,
		uint32_t timeout_ms)
{
	static const char *const names[RAW_KINDS] = { "init", "terminate", "data_request",
						      "data_unlock", "lock_completed",
						      "data_return" };
	uint64_t end = now_ms() + timeout_ms;

	for (uint64_t now = now_ms(); !take(p, kind, e); now = now_ms()) {
		if (now >= end) {
			diag("no %s came in %u ms", names[kind], timeout_ms);
			return false;
		}
		serve_one((uint32_t)(end - now));
	}
	return true;
}

bool raw_expect_request(struct raw_pager *p, vm_offset_t offset, uint32_t timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	struct raw_event e;

	for (uint64_t now = now_ms(); now < end; now = now_ms()) {
		if (!raw_expect(p, RAW_DATA_REQUEST, &e, (uint32_t)(end - now)))
			return false;
		if (e.offset <= offset && offset - e.offset < e.length)
			return true;
		diag("a data_request of [0x%lx, +0x%lx) while waiting for 0x%lx", e.offset,
		     e.length, offset);
	}
	diag("no data_request of offset 0x%lx came in %u ms", offset, timeout_ms);
	return false;
}

bool raw_accept_init(struct raw_pager *p)
{
	struct raw_event e;

	return raw_expect(p, RAW_INIT, &e, 2 * DEADLINE_MS) && CHECK_EQ(e.length, PAGE) &&
	       CHECK_KR(memory_object_ready(p->control, FALSE, MEMORY_OBJECT_COPY_DELAY),
			MACH_MSG_SUCCESS);
}

mach_msg_return_t raw_supply(struct raw_pager *p, vm_offset_t offset, unsigned pages,
			     uint64_t seed)
{
	static uint64_t buffer[8 * PAGE / 8] __attribute__((aligned(4096)));

	if (pages > 8)
		return KERN_INVALID_ARGUMENT;
	for (size_t i = 0; i < pages * PAGE / 8; i++)
		buffer[i] = mempager_pattern(seed, offset + i * 8);
	return memory_object_data_supply(p->control, offset, (vm_offset_t)buffer,
					 (mach_msg_type_number_t)(pages * PAGE), FALSE,
					 VM_PROT_NONE, FALSE);
}

void raw_close(struct raw_pager *p)
{
	if (p->size != 0)
		vm_deallocate(mach_task_self(), p->address, p->size);
	for (unsigned i = 0; i < nevents;) {
		if (events[i].object == p->port) {
			memmove(events + i, events + i + 1, sizeof(events[0]) * (nevents - i - 1));
			nevents--;
		} else {
			i++;
		}
	}
	mach_port_destroy(mach_task_self(), p->port);
	for (unsigned i = 0; i < RAW_CONTROLS_MAX; i++)
		if (p->controls[i] != MACH_PORT_NULL)
			mach_port_destroy(mach_task_self(), p->controls[i]);
	for (unsigned i = 0; i < RAW_PAGERS_MAX; i++)
		if (raw_pagers[i] == p)
			raw_pagers[i] = NULL;
	*p = (struct raw_pager){ 0 };
}

kern_return_t spawn_role(const char *args, size_t size, task_t *task, thread_t *thread)
{
	return host_boot_module_load(host_priv, "pagertest", (char *)args,
				     (mach_msg_type_number_t)size, task, thread);
}

kern_return_t spawn_sleeper(task_t *task)
{
	static const char args[] = "role=sleep";
	thread_t thread;
	kern_return_t kr = spawn_role(args, sizeof(args), task, &thread);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_resume(thread);
	mach_port_deallocate(mach_task_self(), thread);
	return kr;
}
