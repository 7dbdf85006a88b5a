/*
 * Unhandled user faults are contained: a task whose thread faults with no
 * exception handler (its thread's and its task's exception ports are
 * null) is terminated, and only that task.  Its port dies, so the
 * runner's name for it becomes a dead name, which a dead-name
 * notification announces; its thread's port dies with it; the kernel logs
 * one line ending "no handler: terminated" (tests/boot/tasks.sh checks
 * them).  A spin task started before the first fault keeps running
 * through all of them, and so does the runner.
 *
 * Each role "fault-KIND" runs one routine below that faults at a global
 * label; child and runner are the same executable at the same addresses,
 * so the runner knows the exact rip and fault address of each, which
 * exceptions.c checks against what the exception message says.
 */
#include "faults.h"

#include "handler.h"
#include "helpers.h"

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

#define KERNEL_DIRECT_MAP 0xffff800000000000ull

/* What mach/exception_types.h says each kind of fault raises. */
const struct fault_kind fault_kinds[FAULT_KINDS] = {
	[FAULT_PF] = { "fault-pf", fault_pf, "#PF", EXC_BAD_ACCESS, KERN_INVALID_ADDRESS,
		       0x10, (uintptr_t)fault_pf_at },
	/* Mapped (for the kernel), so the access is refused, not missing. */
	[FAULT_KERNEL] = { "fault-kernel", fault_kernel, "#PF", EXC_BAD_ACCESS,
			   KERN_PROTECTION_FAILURE, KERNEL_DIRECT_MAP,
			   (uintptr_t)fault_kernel_at },
	[FAULT_WRITE_TEXT] = { "fault-write-text", fault_write_text, "#PF", EXC_BAD_ACCESS,
			       KERN_PROTECTION_FAILURE, (uintptr_t)fault_write_text,
			       (uintptr_t)fault_write_text_at },
	[FAULT_GP] = { "fault-gp", fault_gp, "#GP", EXC_BAD_ACCESS, KERN_PROTECTION_FAILURE, 0,
		       (uintptr_t)fault_gp_at },
	[FAULT_NONCANONICAL] = { "fault-noncanonical", fault_noncanonical, "#GP",
				 EXC_BAD_ACCESS, KERN_PROTECTION_FAILURE, 0,
				 (uintptr_t)fault_noncanonical_at },
	[FAULT_DE] = { "fault-de", fault_de, "#DE", EXC_ARITHMETIC, 0, 0,
		       (uintptr_t)fault_de_at },
	[FAULT_UD] = { "fault-ud", fault_ud, "#UD", EXC_BAD_INSTRUCTION, 6, 0,
		       (uintptr_t)fault_ud_at },
	[FAULT_EXEC_DATA] = { "fault-exec-data", fault_exec_data, "#PF", EXC_BAD_ACCESS,
			      KERN_PROTECTION_FAILURE, (uintptr_t)fault_data_page,
			      (uintptr_t)fault_data_page },
};

int role_fault(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *role = mach_arg(argc, argv, "role");

	for (unsigned i = 0; i < FAULT_KINDS; i++) {
		if (strcmp(role, fault_kinds[i].role) == 0) {
			((void (*)(void))(uintptr_t)fault_kinds[i].cause)();
			break;
		}
	}
	return 1;
}

/* The bystander: a spin task that must keep running through every fault. */
static task_t bystander;
static thread_t bystander_thread;
static uint64_t bystander_ticks;

static bool bystander_is_running(void)
{
	struct task_basic_info info;

	if (bystander == MACH_PORT_NULL) {
		if (!spawn_spin(HELPER_PRIORITY, &bystander, &bystander_thread))
			return false;
		names_kept_for_later += 2;
		bystander_ticks = task_run_ticks(bystander);
	}
	return CHECK_KR(get_task_info(bystander, &info), KERN_SUCCESS) &&
	       CHECK(info.state == TASK_STATE_RUNNING && info.thread_count == 1);
}

static bool fault_terminates_only_that_task(unsigned kind)
{
	const struct fault_kind *k = &fault_kinds[kind];
	struct task_basic_info info;
	struct thread_basic_info thread_info;
	char args[64];
	task_t task;
	thread_t thread;

	bool ok = bystander_is_running();
	mach_snprintf(args, sizeof(args), "role=%s", k->role);
	if (!CHECK_KR(load_role(args, &task, &thread), KERN_SUCCESS))
		return false;
	mach_port_t notify = watch_for_death(task);
	ok &= CHECK_KR(thread_resume(thread), KERN_SUCCESS);
	if (!wait_for_death(notify, task, 2000)) {
		ok = false;
		if (!is_dead_name(task))
			task_terminate(task);
	}
	/* Its port and its thread's are dead: nothing reaches them any more. */
	ok &= CHECK(is_dead_name(task) && is_dead_name(thread));
	ok &= CHECK_KR(get_task_info(task, &info), MACH_SEND_INVALID_DEST);
	ok &= CHECK_KR(get_thread_info(thread, &thread_info), MACH_SEND_INVALID_DEST);
	ok &= CHECK_KR(task_terminate(task), MACH_SEND_INVALID_DEST);
	ok &= release(task);
	ok &= release(thread);
	ok &= bystander_is_running();
	return ok;
}

#define FAULT_TEST(fn, kind) \
	static bool fn(void) { return fault_terminates_only_that_task(kind); }

FAULT_TEST(page_fault_at_an_unmapped_address_terminates_only_that_task, FAULT_PF)
FAULT_TEST(reading_kernel_memory_terminates_only_that_task, FAULT_KERNEL)
FAULT_TEST(writing_own_code_terminates_only_that_task, FAULT_WRITE_TEXT)
FAULT_TEST(privileged_instruction_terminates_only_that_task, FAULT_GP)
FAULT_TEST(noncanonical_address_terminates_only_that_task, FAULT_NONCANONICAL)
FAULT_TEST(divide_by_zero_terminates_only_that_task, FAULT_DE)
FAULT_TEST(invalid_opcode_terminates_only_that_task, FAULT_UD)
FAULT_TEST(executing_data_terminates_only_that_task, FAULT_EXEC_DATA)

static bool bystander_kept_running_through_the_faults(void)
{
	if (bystander == MACH_PORT_NULL)
		return CHECK(bystander != MACH_PORT_NULL);
	/* The faults took the CPU from it for moments only: give it some. */
	sleep_ms(50);
	uint64_t ticks = task_run_ticks(bystander);
	diag("the spin task ran %lu ticks since the first fault", ticks - bystander_ticks);
	bool ok = CHECK(ticks > bystander_ticks);
	ok &= end_task(bystander, bystander_thread);
	names_kept_for_later -= 2;
	bystander = bystander_thread = MACH_PORT_NULL;
	return ok;
}

const struct test faults_tests[] = {
	ENTRY(page_fault_at_an_unmapped_address_terminates_only_that_task),
	ENTRY(reading_kernel_memory_terminates_only_that_task),
	ENTRY(writing_own_code_terminates_only_that_task),
	ENTRY(privileged_instruction_terminates_only_that_task),
	ENTRY(noncanonical_address_terminates_only_that_task),
	ENTRY(divide_by_zero_terminates_only_that_task),
	ENTRY(invalid_opcode_terminates_only_that_task),
	ENTRY(executing_data_terminates_only_that_task),
	ENTRY(bystander_kept_running_through_the_faults),
};
const unsigned faults_test_count = sizeof(faults_tests) / sizeof(faults_tests[0]);
