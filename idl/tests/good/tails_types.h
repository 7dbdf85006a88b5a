/* C types of tails.defs. */
#pragma once

#include <mach/std_types.h>

typedef int32_t *ints_t;
typedef char *text_t;
typedef uint8_t *blob_t;
typedef mach_port_t *ports_t;
