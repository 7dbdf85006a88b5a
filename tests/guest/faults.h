/* Unhandled user faults (faults.c), and the fault-* roles and their table. */
#pragma once

#include "usertest.h"

extern const struct test faults_tests[];
extern const unsigned faults_test_count;

enum fault_kind_index {
	FAULT_PF,            /* reads address 0x10 */
	FAULT_KERNEL,        /* reads the kernel's direct map */
	FAULT_WRITE_TEXT,    /* writes to its own code */
	FAULT_GP,            /* executes hlt in ring 3 */
	FAULT_NONCANONICAL,  /* reads a non-canonical address (#GP) */
	FAULT_DE,            /* divides by zero */
	FAULT_UD,            /* executes ud2 */
	FAULT_EXEC_DATA,     /* calls into a data page (no-execute) */
	FAULT_KINDS
};

/* One kind of fault, and what its exception message must say. */
struct fault_kind {
	const char *role;          /* "fault-pf", ... */
	const char *cause;         /* the routine the role jumps to */
	const char *vector;        /* the x86 exception, as the kernel's log names it */
	exception_type_t exception;
	int64_t code;              /* code[0] */
	uint64_t subcode;          /* code[1]: page faults' address, else 0 */
	uintptr_t rip;             /* the faulting instruction */
};
extern const struct fault_kind fault_kinds[FAULT_KINDS];

/* Roles "fault-pf", "fault-kernel", ...: fault in the way the name says. */
int role_fault(int argc, char **argv, char **envp);
