/* C types of mig_compat.defs. */
#pragma once

#include <mach/std_types.h>

typedef mach_port_t thing_t;
typedef struct thing *thing_obj_t;
typedef int32_t word_t;
typedef int64_t pair_t;
typedef char *buffer_t;
typedef char label_t[16];

extern mach_msg_timeout_t compat_timeout;
