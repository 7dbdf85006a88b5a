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

/*
 * The 32 bytes of a message header, in and out, in line for the fast
 * path: four 8-byte moves, each in the exception table, so a fault ends
 * at the false return.  The caller has checked the user range; the
 * kernel side is 8-byte aligned.
 */
typedef uint64_t __attribute__((may_alias)) usercopy_word_t;

static inline bool copyin_header(uint64_t user_src, void *dst)
{
	usercopy_word_t *w = dst;
	uint64_t a, b, c, d;

	__asm__ goto("1:	movq (%[s]), %[a]\n"
		     "2:	movq 8(%[s]), %[b]\n"
		     "3:	movq 16(%[s]), %[c]\n"
		     "4:	movq 24(%[s]), %[d]\n"
		     "	.pushsection .extable, \"a\"\n"
		     "	.balign 8\n"
		     "	.quad 1b, %l[fault], 2b, %l[fault], 3b, %l[fault], 4b, %l[fault]\n"
		     "	.popsection"
		     : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d)
		     : [s] "r"(user_src)
		     : "memory"
		     : fault);
	w[0] = a;
	w[1] = b;
	w[2] = c;
	w[3] = d;
	return true;
fault:
	return false;
}

static inline bool copyout_header(const void *src, uint64_t user_dst)
{
	const usercopy_word_t *w = src;

	__asm__ goto("1:	movq %[a], (%[u])\n"
		     "2:	movq %[b], 8(%[u])\n"
		     "3:	movq %[c], 16(%[u])\n"
		     "4:	movq %[d], 24(%[u])\n"
		     "	.pushsection .extable, \"a\"\n"
		     "	.balign 8\n"
		     "	.quad 1b, %l[fault], 2b, %l[fault], 3b, %l[fault], 4b, %l[fault]\n"
		     "	.popsection"
		     :
		     : [u] "r"(user_dst), [a] "r"(w[0]), [b] "r"(w[1]), [c] "r"(w[2]),
		       [d] "r"(w[3])
		     : "memory"
		     : fault);
	return true;
fault:
	return false;
}
