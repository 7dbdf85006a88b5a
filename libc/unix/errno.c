/* kern_return_t to errno: see errno.h. */
#include "unix_errno.h"

#include <errno.h>
#include <mach/message.h>

static const struct {
	kern_return_t kr;
	int error;
} table[] = {
	{ KERN_INVALID_ADDRESS, EFAULT },
	{ KERN_PROTECTION_FAILURE, EFAULT },
	{ KERN_NO_SPACE, ENOMEM },
	{ KERN_INVALID_ARGUMENT, EINVAL },
	{ KERN_INVALID_VALUE, EINVAL },
	{ KERN_RESOURCE_SHORTAGE, ENOMEM },
	{ KERN_NO_ACCESS, EACCES },
	{ KERN_MEMORY_ERROR, EIO },
	{ KERN_MEMORY_FAILURE, EIO },
	{ KERN_ABORTED, EINTR },
	{ KERN_NOT_SUPPORTED, ENOSYS },
	{ KERN_OPERATION_TIMED_OUT, ETIMEDOUT },
	{ KERN_DEADLOCK, EDEADLK },
	{ FS_NOT_FOUND, ENOENT },
	{ FS_NOT_DIRECTORY, ENOTDIR },
	{ FS_IS_DIRECTORY, EISDIR },
	{ FS_NAME_TOO_LONG, ENAMETOOLONG },
	{ FS_LOOP, ELOOP },
	{ FS_CORRUPT, EIO },
	{ FS_IO_ERROR, EIO },
	{ FS_EXISTS, EEXIST },
	{ FS_NOT_EMPTY, ENOTEMPTY },
	{ FS_NO_SPACE, ENOSPC },
	{ FS_READ_ONLY, EROFS },
	{ FS_TOO_LARGE, EFBIG },
	{ FS_TOO_MANY_LINKS, EMLINK },
	{ FS_INVALID_MOVE, EINVAL },
	{ FS_ACCESS_DENIED, EACCES },
	{ PROC_NO_SUCH_PROCESS, ESRCH },
	{ PROC_NOT_PERMITTED, EPERM },
	{ PROC_NO_CHILDREN, ECHILD },
	{ PROC_TOO_MANY, EAGAIN },
	/* A pointer the kernel could not read or write while sending. */
	{ MACH_SEND_INVALID_MEMORY, EFAULT },
	{ MACH_RCV_INVALID_DATA, EFAULT },
	/* The server is gone or the request was refused as malformed. */
	{ MACH_SEND_INVALID_DEST, EIO },
	{ MIG_BAD_ARGUMENTS, EINVAL },
};

int unix_errno_from_kern(kern_return_t kr)
{
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].kr == kr)
			return table[i].error;
	return EIO;
}
