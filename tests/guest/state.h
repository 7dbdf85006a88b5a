/* Thread state, FPU state and suspension tests (state.c). */
#pragma once

#include "usertest.h"

extern const struct test state_tests[];
extern const unsigned state_test_count;
