/* Access by capability (rights.c), and the roles it loads. */
#pragma once

#include "usertest.h"

extern const struct test rights_tests[];
extern const unsigned rights_test_count;

/*
 * Looks for rights to other tasks and threads in its own space, and tries
 * the runner's names for itself and a sibling ("parent=",
 * "parent-thread=", "sibling=") as its own; reports what it found.
 */
int role_probe(int argc, char **argv, char **envp);
/*
 * Holding a right to a sibling under the name "sibling=" and the
 * privileged host port, controls the sibling and a child of its own;
 * reports each call's result.
 */
int role_control(int argc, char **argv, char **envp);
