/*
 * Machine-sized integer types for x86_64, as Mach names them.
 *
 * Everything under mach/ must compile freestanding (-ffreestanding
 * -nostdinc), so the exact-width integers are declared here from the
 * compiler's own predefined types.  The declarations are identical to
 * those of <stdint.h> (gcc's and newlib's), and C11 allows a typedef to
 * be repeated with the same type, so including both is harmless.
 */
#pragma once

typedef __INT8_TYPE__ int8_t;
typedef __INT16_TYPE__ int16_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __UINTPTR_TYPE__ uintptr_t;

/* Mach's natural integers: 32 bits, the size of a message count. */
typedef uint32_t natural_t;
typedef int32_t integer_t;

/* Addresses and sizes in an address space: 64 bits. */
typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;

_Static_assert(sizeof(vm_offset_t) == 8, "vm_offset_t is 64 bits on x86_64");
