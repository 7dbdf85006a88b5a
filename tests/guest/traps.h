/* Trap argument-checking tests (traps.c). */
#pragma once

#include "usertest.h"

extern const struct test traps_tests[];
extern const unsigned traps_test_count;
