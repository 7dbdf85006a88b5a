/* Creation, ending and leak tests, and the roles they spawn (lifecycle.c). */
#pragma once

#include "usertest.h"

extern const struct test lifecycle_tests[];
extern const unsigned lifecycle_test_count;

/* Terminates its only thread: the task must disappear with it. */
int role_thread_exit(int argc, char **argv, char **envp);
/* Sleeps for ever, an hour at a time. */
int role_sleep(int argc, char **argv, char **envp);
/* Reports argc, a hash of argv and the initial stack's shape. */
int role_args(int argc, char **argv, char **envp);
