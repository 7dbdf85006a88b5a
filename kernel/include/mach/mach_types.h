/* The C side of idl/defs/mach_types.defs. */
#pragma once

#include <mach/memory_object.h>
#include <mach/std_types.h>
#include <mach/vm_prot.h>
