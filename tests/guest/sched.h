/* Scheduling and time tests (sched.c). */
#pragma once

#include "usertest.h"

extern const struct test sched_tests[];
extern const unsigned sched_test_count;
