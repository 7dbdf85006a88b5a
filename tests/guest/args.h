/* libmach's argument helpers (args.c). */
#pragma once

#include "usertest.h"

extern const struct test args_tests[];
extern const unsigned args_test_count;
