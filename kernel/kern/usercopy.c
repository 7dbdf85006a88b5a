#include "kern/usercopy.h"

kern_return_t copyin(uint64_t user_src, void *dst, uint64_t len)
{
	if (!user_range_ok(user_src, len))
		return KERN_INVALID_ADDRESS;
	return copy_user_bytes(dst, (const void *)user_src, len);
}

kern_return_t copyout(const void *src, uint64_t user_dst, uint64_t len)
{
	if (!user_range_ok(user_dst, len))
		return KERN_INVALID_ADDRESS;
	return copy_user_bytes((void *)user_dst, src, len);
}
