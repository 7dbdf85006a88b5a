/* Exceptions as messages to handlers (exceptions.c), and the role they use. */
#pragma once

#include "usertest.h"

extern const struct test exceptions_tests[];
extern const unsigned exceptions_test_count;

/* Executes int3. */
int role_breakpoint(int argc, char **argv, char **envp);
/* Loads from address 0x10, then reports what it loaded (if a handler let it). */
int role_fault_then_report(int argc, char **argv, char **envp);
