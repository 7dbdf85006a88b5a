/* User-exception tests and the fault-* roles (faults.c). */
#pragma once

#include "usertest.h"

extern const struct test faults_tests[];
extern const unsigned faults_test_count;

/* Roles "fault-pf", "fault-kernel", ...: fault in the way the name says. */
int role_fault(int argc, char **argv, char **envp);
