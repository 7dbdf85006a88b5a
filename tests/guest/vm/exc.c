/*
 * Exceptions (idl/defs/exc.defs) in vmtest: the runner's own faults,
 * provoked on purpose by probes, and the reports and faults of the
 * threads of child tasks (vmtest.h).
 *
 * The runner's thread has its THREAD_EXCEPTION_PORT set to probe_port,
 * which a thread of the runner's serves for the whole run: a fault at a
 * probe's access is recorded and the thread moved past the access; a
 * fault anywhere else means a test touched memory the kernel should have
 * let it touch, and nothing sensible can follow, so the run stops there,
 * failed.  child_exception_port is served by the runner itself
 * (child_wait), between the steps of a test.
 */
#include "vmtest.h"

#include <excServer.h>

/*
 * uint64_t probe_load(vm_address_t address): returns *address.
 * void probe_store(vm_address_t address, uint64_t value): *address = value.
 * uint64_t probe_inb(uint16_t port): inb from port.
 * The access that may fault is at probe_*_at, the next instruction at
 * probe_*_after.
 */
__asm__(".text\n"
	"probe_load:\n"
	"	mov %rdi, %rcx\n"
	"probe_load_at:\n"
	"	mov (%rcx), %rax\n"
	"probe_load_after:\n"
	"	ret\n"
	"probe_store:\n"
	"	mov %rdi, %rcx\n"
	"probe_store_at:\n"
	"	mov %rsi, (%rcx)\n"
	"probe_store_after:\n"
	"	ret\n"
	"probe_inb:\n"
	"	mov %edi, %edx\n"
	"	xor %eax, %eax\n"
	"probe_inb_at:\n"
	"	inb %dx, %al\n"
	"probe_inb_after:\n"
	"	ret\n");

uint64_t probe_load(vm_address_t address);
void probe_store(vm_address_t address, uint64_t value);
uint64_t probe_inb(uint16_t port);
extern const char probe_load_at[], probe_load_after[], probe_store_at[], probe_store_after[];
extern const char probe_inb_at[], probe_inb_after[];

#define UD2_SIZE 2

static mach_port_t probe_port;
mach_port_t child_exception_port;

/* Written by S_exception_raise: the probe thread's, or the runner's. */
static volatile struct probe probe_seen;
static struct child_event child_seen;
static bool child_seen_valid;

static uint8_t exception_stack[32768] __attribute__((aligned(16)));

/* ---- answers ---- */

static kern_return_t answer_probe(exception_type_t exception, const int64_t *code,
				  struct x86_64_thread_state *state)
{
	const char *after = NULL;

	if (state->rip == (uintptr_t)probe_load_at)
		after = probe_load_after;
	else if (state->rip == (uintptr_t)probe_store_at)
		after = probe_store_after;
	else if (state->rip == (uintptr_t)probe_inb_at)
		after = probe_inb_after;
	if (exception != EXC_BAD_ACCESS || after == NULL) {
		tap_ok(false, "the_runner_takes_no_fault_outside_a_probe");
		diag("exception %d (codes 0x%lx, 0x%lx) at rip 0x%lx: the run stops here\n",
		     exception, code[0], code[1], state->rip);
		host_halt(host_priv, HOST_HALT_FAILURE);
		return KERN_FAILURE;
	}
	probe_seen.faulted = true;
	probe_seen.code = code[0];
	probe_seen.address = (uint64_t)code[1];
	state->rip = (uintptr_t)after;
	state->rax = 0;
	return KERN_SUCCESS;
}

static kern_return_t answer_child(exception_type_t exception, const int64_t *code,
				  struct x86_64_thread_state *state)
{
	child_seen = (struct child_event){
		.exception = exception, .code = { code[0], code[1] }, .state = *state,
		.report = exception == EXC_BAD_INSTRUCTION && state->rbx == REPORT_MAGIC };
	child_seen_valid = true;
	if (!child_seen.report)
		return KERN_FAILURE;   /* no other handler: the child task ends */
	state->rip += UD2_SIZE;
	return KERN_SUCCESS;
}

kern_return_t S_exception_raise(mach_port_t exception_port, mach_port_t thread,
				mach_port_t task, exception_type_t exception,
				exception_data_t code, mach_msg_type_number_t code_count,
				thread_state_flavor_t flavor, thread_state_t old_state,
				mach_msg_type_number_t old_state_count, thread_state_t new_state,
				mach_msg_type_number_t *new_state_count)
{
	struct x86_64_thread_state state;
	kern_return_t kr = KERN_FAILURE;

	*new_state_count = 0;
	if (flavor != X86_64_THREAD_STATE || old_state_count != X86_64_THREAD_STATE_COUNT ||
	    code_count != EXCEPTION_CODE_MAX) {
		diag("exception %d: state flavor %d, count %u, %u codes\n", exception, flavor,
		     old_state_count, code_count);
		return KERN_FAILURE;
	}
	memcpy(&state, old_state, sizeof(state));
	if (exception_port == probe_port)
		kr = answer_probe(exception, code, &state);
	else if (exception_port == child_exception_port)
		kr = answer_child(exception, code, &state);
	if (kr != KERN_SUCCESS)
		return kr;   /* the request, with its rights, is destroyed */
	memcpy(new_state, &state, sizeof(state));
	*new_state_count = X86_64_THREAD_STATE_COUNT;
	/* Taking the request, the handler took its rights. */
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	return KERN_SUCCESS;
}

/*
 * Receives one request on port (waiting up to timeout_ms, or for ever
 * with MACH_MSG_TIMEOUT_NONE) and answers it by the rules of
 * mach/mig_support.h.
 */
static mach_msg_return_t serve_one(mach_port_t port, uint32_t timeout_ms)
{
	union {
		mach_msg_header_t head;
		uint8_t bytes[exc_MAX_REQUEST_SIZE];
	} in;
	union {
		mig_reply_error_t error;
		uint8_t bytes[exc_MAX_REPLY_SIZE];
	} out;
	mach_msg_option_t timeout = timeout_ms == MACH_MSG_TIMEOUT_NONE ? 0 : MACH_RCV_TIMEOUT;

	mach_msg_return_t mr = mach_msg(&in.head, MACH_RCV_MSG | timeout, 0, sizeof(in), port,
					timeout_ms, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	exc_server(&in.head, &out.error.Head);
	if (!(out.error.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    out.error.RetCode != KERN_SUCCESS) {
		in.head.msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(&in.head);
	}
	if (out.error.Head.msgh_remote_port == MACH_PORT_NULL) {
		mach_msg_destroy(&out.error.Head);
		return MACH_MSG_SUCCESS;
	}
	mr = mach_msg(&out.error.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.error.Head.msgh_size,
		      0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		mach_msg_destroy(&out.error.Head);
	return mr;
}

static void serve_probes(void *arg)
{
	(void)arg;
	for (;;) {
		mach_msg_return_t mr = serve_one(probe_port, MACH_MSG_TIMEOUT_NONE);
		if (mr != MACH_MSG_SUCCESS)
			diag("the runner's exception thread: 0x%x\n", mr);
	}
}

static bool port_with_send(mach_port_t *port)
{
	return CHECK_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port),
			KERN_SUCCESS) &&
	       CHECK_KR(mach_port_insert_right(mach_task_self(), *port, *port,
					       MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
}

bool exceptions_start(void)
{
	thread_t thread;

	if (!port_with_send(&probe_port) || !port_with_send(&child_exception_port) ||
	    !CHECK_KR(thread_set_special_port(runner_thread, THREAD_EXCEPTION_PORT, probe_port),
		      KERN_SUCCESS) ||
	    !CHECK_KR(mach_thread_spawn(serve_probes, NULL, exception_stack,
					sizeof(exception_stack), THREAD_PRIORITY_DEFAULT,
					&thread), KERN_SUCCESS))
		return false;
	mach_port_deallocate(mach_task_self(), thread);
	return true;
}

/* ---- probes ---- */

struct probe probe_read(vm_address_t address)
{
	struct probe p;

	probe_seen = (struct probe){ 0 };
	uint64_t value = probe_load(address);
	p = (struct probe){ .faulted = probe_seen.faulted, .code = probe_seen.code,
			    .address = probe_seen.address, .value = value };
	return p;
}

struct probe probe_write(vm_address_t address, uint64_t value)
{
	struct probe p;

	probe_seen = (struct probe){ 0 };
	probe_store(address, value);
	p = (struct probe){ .faulted = probe_seen.faulted, .code = probe_seen.code,
			    .address = probe_seen.address };
	return p;
}

struct probe probe_in(uint16_t port)
{
	probe_seen = (struct probe){ 0 };
	uint64_t value = probe_inb(port);
	return (struct probe){ .faulted = probe_seen.faulted, .code = probe_seen.code,
			       .address = probe_seen.address, .value = value };
}

static bool went_through(const struct probe *p, const char *what, vm_address_t address)
{
	if (p->faulted)
		diag("%s 0x%lx faulted: code %ld at 0x%lx\n", what, address, p->code, p->address);
	return !p->faulted;
}

bool reads(vm_address_t address, uint64_t want)
{
	struct probe p = probe_read(address);

	if (!went_through(&p, "reading", address))
		return false;
	if (p.value != want)
		diag("reading 0x%lx gave 0x%lx, expected 0x%lx\n", address, p.value, want);
	return p.value == want;
}

bool writes(vm_address_t address, uint64_t value)
{
	struct probe p = probe_write(address, value);

	return went_through(&p, "writing", address);
}

static bool faulted_so(const struct probe *p, const char *what, vm_address_t address,
		       int64_t code)
{
	bool ok = p->faulted && p->code == code && p->address == address;

	if (!ok)
		diag("%s 0x%lx: %s, code %ld at 0x%lx; expected code %ld at 0x%lx\n", what,
		     address, p->faulted ? "faulted" : "no fault", p->code, p->address, code,
		     address);
	return ok;
}

bool read_faults(vm_address_t address, int64_t code)
{
	struct probe p = probe_read(address);

	return faulted_so(&p, "reading", address, code);
}

bool write_faults(vm_address_t address, int64_t code)
{
	struct probe p = probe_write(address, 0x5ca1ab1e);

	return faulted_so(&p, "writing", address, code);
}

/* The aligned word at the start of each page [address, address + size)
 * touches, and the word at address. */
static bool each_page(vm_address_t address, vm_size_t size, bool write)
{
	vm_address_t end = address + (size ? size : 1);

	for (vm_address_t at = address & ~(vm_address_t)7; at < end;
	     at = (at & ~(PAGE - 1)) + PAGE) {
		struct probe p = probe_read(at);
		if (!p.faulted && write)
			p = probe_write(at, p.value);
		if (p.faulted) {
			diag("%s 0x%lx (in 0x%lx..0x%lx) faulted: code %ld\n",
			     write ? "writing" : "reading", at, address, end, p.code);
			return false;
		}
	}
	return true;
}

bool readable(vm_address_t address, vm_size_t size)
{
	return each_page(address, size, false);
}

bool writable(vm_address_t address, vm_size_t size)
{
	return each_page(address, size, true);
}

/* ---- children ---- */

void child_report(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	register uint64_t r12 __asm__("r12") = a;
	register uint64_t r13 __asm__("r13") = b;
	register uint64_t r14 __asm__("r14") = c;
	register uint64_t r15 __asm__("r15") = d;

	__asm__ volatile("ud2"
			 : : "b"(REPORT_MAGIC), "r"(r12), "r"(r13), "r"(r14), "r"(r15)
			 : "memory");
}

bool child_wait(struct child_event *e, uint32_t timeout_ms)
{
	child_seen_valid = false;
	mach_msg_return_t mr = serve_one(child_exception_port, timeout_ms);
	if (mr != MACH_MSG_SUCCESS || !child_seen_valid) {
		diag("no exception from a child in %u ms (0x%x)\n", timeout_ms, mr);
		*e = (struct child_event){ 0 };
		return false;
	}
	*e = child_seen;
	return true;
}

bool child_thread_start(task_t child, void (*entry)(void), void *stack, vm_size_t size,
			thread_t *thread)
{
	struct x86_64_thread_state state = { 0 };

	/* As just after a call: 16-byte aligned, less the return address. */
	state.rip = (uintptr_t)entry;
	state.rsp = (((uintptr_t)stack + size) & ~(uintptr_t)15) - 8;
	state.rflags = 0x202;
	*thread = MACH_PORT_NULL;
	return CHECK_KR(thread_create(child, thread), KERN_SUCCESS) &&
	       CHECK_KR(thread_set_state(*thread, X86_64_THREAD_STATE, (thread_state_t)&state,
					 X86_64_THREAD_STATE_COUNT), KERN_SUCCESS) &&
	       CHECK_KR(task_set_special_port(child, TASK_EXCEPTION_PORT, child_exception_port),
			KERN_SUCCESS) &&
	       CHECK_KR(thread_resume(*thread), KERN_SUCCESS);
}
