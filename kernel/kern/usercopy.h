/*
 * Copies between the kernel and the current task's user memory.  The user
 * range must lie inside the user half (without wrapping); a range that
 * does not, or that meets an unmapped or (for copyout) read-only page,
 * gives KERN_INVALID_ADDRESS.  A fault in the copy is recovered through
 * the exception table (trap.c), so a bad pointer never faults the kernel;
 * a copy that fails part-way may have written part of the destination.
 */
#pragma once

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stdint.h>

#define USER_ADDRESS_LIMIT 0x0000800000000000ull

static inline bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr <= USER_ADDRESS_LIMIT && len <= USER_ADDRESS_LIMIT - addr;
}

kern_return_t copyin(uint64_t user_src, void *dst, uint64_t len);
/* The copy alone, for a caller that has checked the user side's range
 * itself (with user_range_ok). */
kern_return_t copy_user_bytes(void *dst, const void *src, uint64_t len);
kern_return_t copyout(const void *src, uint64_t user_dst, uint64_t len);
