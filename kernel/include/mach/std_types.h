/*
 * The C side of idl/defs/std_types.defs: every type name that the
 * standard .defs declares and C does not already know.
 */
#pragma once

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/machine/vm_types.h>
#include <mach/message.h>
#include <mach/port.h>

typedef int8_t int8;
typedef int16_t int16;
typedef int32_t int32;
typedef int64_t int64;
typedef uint8_t unsigned8;
typedef uint16_t unsigned16;
typedef uint32_t unsigned32;
typedef uint64_t unsigned64;

/* Out-of-line data: the address of the region in the receiver. */
typedef vm_offset_t pointer_t;
