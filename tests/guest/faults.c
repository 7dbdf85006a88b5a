/*
 * User exceptions are contained: a task that faults is halted (and only
 * that task), task_info says which exception at which instruction, the
 * kernel logs one line (tests/boot/tasks.sh checks it), and the task stays
 * until it is terminated.  A spin task started before the first fault
 * keeps running through all of them, and so does the runner.
 *
 * Each role "fault-KIND" runs one routine below that faults at a global
 * label; child and runner are the same executable at the same addresses,
 * so the runner knows the exact rip (and fault address) to expect.
 */
#include "faults.h"

#include "usertest.h"

#define PF_PRESENT 0x1
#define PF_WRITE   0x2
#define PF_USER    0x4
#define PF_FETCH   0x10

#define VECTOR_DE 0
#define VECTOR_UD 6
#define VECTOR_GP 13
#define VECTOR_PF 14

__asm__(".text\n"
	"fault_pf:\n"
	"	mov $0x10, %rcx\n"
	"fault_pf_at:\n"
	"	mov (%rcx), %rax\n"
	"	jmp .\n"
	"fault_kernel:\n"
	"	movabs $0xffff800000000000, %rcx\n"
	"fault_kernel_at:\n"
	"	mov (%rcx), %rax\n"
	"	jmp .\n"
	"fault_write_text:\n"
	"	lea fault_write_text(%rip), %rcx\n"
	"fault_write_text_at:\n"
	"	movb $0x90, (%rcx)\n"
	"	jmp .\n"
	"fault_gp:\n"
	"fault_gp_at:\n"
	"	hlt\n"
	"	jmp .\n"
	"fault_noncanonical:\n"
	"	movabs $0x0000800000000000, %rcx\n"
	"fault_noncanonical_at:\n"
	"	mov (%rcx), %rax\n"
	"	jmp .\n"
	"fault_de:\n"
	"	mov $1, %eax\n"
	"	xor %edx, %edx\n"
	"	xor %ecx, %ecx\n"
	"fault_de_at:\n"
	"	div %ecx\n"
	"	jmp .\n"
	"fault_ud:\n"
	"fault_ud_at:\n"
	"	ud2\n"
	"	jmp .\n"
	"fault_exec_data:\n"
	"	lea fault_data_page(%rip), %rcx\n"
	"fault_exec_data_at:\n"
	"	call *%rcx\n"
	"	jmp .\n"
	/* A whole page of its own, so it is surely mapped without execute. */
	".data\n"
	".balign 4096\n"
	"fault_data_page:\n"
	"	.byte 0xc3\n"
	"	.fill 4095, 1, 0\n"
	".text\n");

extern const char fault_pf[], fault_pf_at[], fault_kernel[], fault_kernel_at[];
extern const char fault_write_text[], fault_write_text_at[], fault_gp[], fault_gp_at[];
extern const char fault_noncanonical[], fault_noncanonical_at[], fault_de[], fault_de_at[];
extern const char fault_ud[], fault_ud_at[], fault_exec_data[], fault_exec_data_at[];
extern const char fault_data_page[];

struct fault_kind {
	const char *role;
	const char *cause;         /* the routine the role jumps to */
	uint32_t vector;
	uintptr_t rip;             /* the faulting instruction */
	uintptr_t address;         /* page faults: the faulting address */
	uint64_t code_set;         /* page faults: error-code bits that must be set */
	uint64_t code_clear;       /* ... and bits that must be clear */
};

static const struct fault_kind kinds[] = {
	{ "fault-pf", fault_pf, VECTOR_PF, (uintptr_t)fault_pf_at, 0x10, PF_USER,
	  PF_WRITE | PF_FETCH },
	{ "fault-kernel", fault_kernel, VECTOR_PF, (uintptr_t)fault_kernel_at,
	  0xffff800000000000ull, PF_USER, PF_WRITE | PF_FETCH },
	{ "fault-write-text", fault_write_text, VECTOR_PF, (uintptr_t)fault_write_text_at,
	  (uintptr_t)fault_write_text, PF_PRESENT | PF_WRITE | PF_USER, PF_FETCH },
	{ "fault-gp", fault_gp, VECTOR_GP, (uintptr_t)fault_gp_at, 0, 0, 0 },
	{ "fault-noncanonical", fault_noncanonical, VECTOR_GP, (uintptr_t)fault_noncanonical_at,
	  0, 0, 0 },
	{ "fault-de", fault_de, VECTOR_DE, (uintptr_t)fault_de_at, 0, 0, 0 },
	{ "fault-ud", fault_ud, VECTOR_UD, (uintptr_t)fault_ud_at, 0, 0, 0 },
	{ "fault-exec-data", fault_exec_data, VECTOR_PF, (uintptr_t)fault_data_page,
	  (uintptr_t)fault_data_page, PF_PRESENT | PF_USER | PF_FETCH, PF_WRITE },
};
enum { FAULT_PF, FAULT_KERNEL, FAULT_WRITE_TEXT, FAULT_GP, FAULT_NONCANONICAL, FAULT_DE,
       FAULT_UD, FAULT_EXEC_DATA, FAULT_KINDS };
_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == FAULT_KINDS, "one entry per kind");

int role_fault(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *role = arg_value(argc, argv, "role");

	for (unsigned i = 0; i < FAULT_KINDS; i++) {
		if (strcmp(role, kinds[i].role) == 0) {
			((void (*)(void))(uintptr_t)kinds[i].cause)();
			break;
		}
	}
	return 1;
}

/* The bystander: a spin task that must keep running through every fault. */
static task_t bystander;
static uint64_t bystander_ticks;

static bool bystander_is_running(void)
{
	struct task_basic_info info;

	if (bystander == MACH_PORT_NULL) {
		thread_t thread;
		if (!spawn_spin(HELPER_PRIORITY, &bystander, &thread)) {
			bystander = MACH_PORT_NULL;
			return false;
		}
		bystander_ticks = task_run_ticks(bystander);
	}
	return CHECK_KR(task_info(bystander, &info), KERN_SUCCESS) &&
	       CHECK(info.state == TASK_STATE_RUNNING);
}

static bool halt_matches(const struct fault_kind *k, const struct task_basic_info *info)
{
	bool ok = CHECK(info->exception == k->vector);

	ok &= CHECK(info->rip == k->rip);
	ok &= CHECK(info->thread_count == 1);
	if (k->vector == VECTOR_PF) {
		ok &= CHECK(info->address == k->address);
		ok &= CHECK((info->code & k->code_set) == k->code_set);
		ok &= CHECK((info->code & k->code_clear) == 0);
	}
	if (!ok)
		diag("%s: exception %u code %lx address %lx rip %lx; expected %u, address %lx, "
		     "rip %lx", k->role, info->exception, info->code, info->address, info->rip,
		     k->vector, k->address, k->rip);
	return ok;
}

static bool fault_is_contained(unsigned kind)
{
	const struct fault_kind *k = &kinds[kind];
	struct task_basic_info info;
	struct thread_basic_info thread_state;
	char args[64];
	task_t task;
	thread_t thread;

	bool ok = bystander_is_running();
	mach_snprintf(args, sizeof(args), "role=%s", k->role);
	if (!CHECK_KR(spawn_role(args, &task, &thread), KERN_SUCCESS))
		return false;
	if (wait_task_halted(task, &info, 2000)) {
		ok &= halt_matches(k, &info);
		ok &= CHECK_KR(thread_info(thread, &thread_state), KERN_SUCCESS);
		ok &= CHECK(thread_state.state == THREAD_STATE_STOPPED);
	} else {
		ok = false;
	}
	/* Halted, the task stays until it is terminated. */
	ok &= CHECK_KR(task_info(task, &info), KERN_SUCCESS);
	ok &= CHECK_KR(task_terminate(task), KERN_SUCCESS);
	ok &= CHECK_KR(task_info(task, &info), KERN_INVALID_NAME);
	ok &= CHECK_KR(thread_info(thread, &thread_state), KERN_INVALID_NAME);
	ok &= bystander_is_running();
	return ok;
}

#define FAULT_TEST(fn, kind) \
	static bool fn(void) { return fault_is_contained(kind); }

FAULT_TEST(page_fault_at_an_unmapped_address_halts_only_that_task, FAULT_PF)
FAULT_TEST(reading_kernel_memory_halts_only_that_task, FAULT_KERNEL)
FAULT_TEST(writing_own_code_halts_only_that_task, FAULT_WRITE_TEXT)
FAULT_TEST(privileged_instruction_halts_only_that_task, FAULT_GP)
FAULT_TEST(noncanonical_address_halts_only_that_task, FAULT_NONCANONICAL)
FAULT_TEST(divide_by_zero_halts_only_that_task, FAULT_DE)
FAULT_TEST(invalid_opcode_halts_only_that_task, FAULT_UD)
FAULT_TEST(executing_data_halts_only_that_task, FAULT_EXEC_DATA)

static bool bystander_kept_running_through_the_faults(void)
{
	if (bystander == MACH_PORT_NULL)
		return CHECK(bystander != MACH_PORT_NULL);
	uint64_t ticks = task_run_ticks(bystander);
	diag("the spin task ran %lu ticks during the fault tests", ticks - bystander_ticks);
	bool ok = CHECK(ticks > bystander_ticks);
	ok &= CHECK_KR(task_terminate(bystander), KERN_SUCCESS);
	bystander = MACH_PORT_NULL;
	return ok;
}

#define ENTRY(fn) { #fn, fn }

const struct test faults_tests[] = {
	ENTRY(page_fault_at_an_unmapped_address_halts_only_that_task),
	ENTRY(reading_kernel_memory_halts_only_that_task),
	ENTRY(writing_own_code_halts_only_that_task),
	ENTRY(privileged_instruction_halts_only_that_task),
	ENTRY(noncanonical_address_halts_only_that_task),
	ENTRY(divide_by_zero_halts_only_that_task),
	ENTRY(invalid_opcode_halts_only_that_task),
	ENTRY(executing_data_halts_only_that_task),
	ENTRY(bystander_kept_running_through_the_faults),
};
const unsigned faults_test_count = sizeof(faults_tests) / sizeof(faults_tests[0]);
