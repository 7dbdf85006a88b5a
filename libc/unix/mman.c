/* mmap, munmap, mprotect: the UNIX server maps for the process
 * (emul/memory.c), file mappings through the file server's objects. */
#include <sys/mman.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_priv.h"

_Static_assert(PROT_WRITE == UNIX_PROT_WRITE && MAP_ANONYMOUS == UNIX_MAP_ANONYMOUS &&
		       MAP_FIXED == UNIX_MAP_FIXED && MAP_PRIVATE == UNIX_MAP_PRIVATE,
	       "<sys/mman.h> has the server's values");

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	int64_t result = 0;
	kern_return_t kr = unix_mmap(unix_port, (uint64_t)addr, length, prot, flags, fd, offset,
				     &result);
	int64_t r = unix_return(kr, result);
	return r < 0 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t length)
{
	int64_t result = 0;
	kern_return_t kr = unix_munmap(unix_port, (uint64_t)addr, length, &result);
	return (int)unix_return(kr, result);
}

int mprotect(void *addr, size_t length, int prot)
{
	int64_t result = 0;
	kern_return_t kr = unix_mprotect(unix_port, (uint64_t)addr, length, prot, &result);
	return (int)unix_return(kr, result);
}
