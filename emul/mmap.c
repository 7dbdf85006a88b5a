/*
 * mmap, munmap and mprotect: the caller's address space, through its
 * task port.  A file mapping maps the file server's memory object of
 * the file (fs_map), so the file server is its pager: a shared mapping
 * with the most protection the open allows, a private one as a
 * copy-on-write copy.  The object's send right is the kernel's to keep
 * once mapped; the server gives it to no process.
 */
#include "emul.h"

#include <errno.h>
#include <fcntl.h>
#include <unixServer.h>

#define PROT_BITS (UNIX_PROT_READ | UNIX_PROT_WRITE | UNIX_PROT_EXEC)
#define MAP_BITS (UNIX_MAP_SHARED | UNIX_MAP_PRIVATE | UNIX_MAP_FIXED | UNIX_MAP_ANONYMOUS)

static vm_prot_t vm_prot_of(int32_t prot)
{
	return (prot & UNIX_PROT_READ ? VM_PROT_READ : 0) |
	       (prot & UNIX_PROT_WRITE ? VM_PROT_WRITE : 0) |
	       (prot & UNIX_PROT_EXEC ? VM_PROT_EXECUTE : 0);
}

/* Whether [addr, addr + length) is a page-aligned range of the user half. */
static bool range_ok(uint64_t addr, uint64_t length)
{
	return addr % PAGE == 0 && length > 0 && length <= USER_LIMIT &&
	       addr <= USER_LIMIT - length;
}

/* The memory object of the file open on fd and what a shared mapping
 * of it may have; 0 or the error. */
static int file_object(struct proc *p, int32_t fd, mach_port_t *object, vm_prot_t *max)
{
	struct file *f = fd_get(p, fd);

	if (f == NULL)
		return -EBADF;
	if (f->kind != FILE_FS)
		return -ENODEV;
	if (f->directory || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EACCES;
	kern_return_t kr = fs_map(f->port, object, max);
	if (kr == KERN_INVALID_ARGUMENT || kr == FS_IS_DIRECTORY)
		return -EACCES;
	return kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
}

/* object (or zeros, if null) at *addr in task: fixed there, or first
 * tried there and then anywhere. */
static kern_return_t map_at(task_t task, vm_address_t *addr, uint64_t size, bool fixed,
			    mach_port_t object, int64_t offset, bool copy, vm_prot_t prot,
			    vm_prot_t max, vm_inherit_t inherit)
{
	vm_address_t hint = *addr;

	if (fixed)
		vm_deallocate(task, hint, size);
	kern_return_t kr = KERN_NO_SPACE;
	if (hint != 0 && hint <= USER_LIMIT - size)
		kr = vm_map(task, addr, size, 0, FALSE, object, offset, copy, prot, max, inherit);
	if (kr != KERN_SUCCESS && !fixed) {
		*addr = 0;
		kr = vm_map(task, addr, size, 0, TRUE, object, offset, copy, prot, max, inherit);
	}
	return kr;
}

static int64_t do_mmap(struct proc *p, uint64_t addr, uint64_t length, int32_t prot,
		       int32_t flags, int32_t fd, int64_t offset)
{
	bool shared = flags & UNIX_MAP_SHARED, fixed = flags & UNIX_MAP_FIXED;
	bool anonymous = flags & UNIX_MAP_ANONYMOUS;
	uint64_t size = (length + PAGE - 1) & ~(PAGE - 1);

	if ((flags & ~MAP_BITS) != 0 || (prot & ~PROT_BITS) != 0 ||
	    shared == !!(flags & UNIX_MAP_PRIVATE) || length == 0 || size > USER_LIMIT ||
	    (!anonymous && (offset < 0 || offset % PAGE != 0)) ||
	    (fixed && !range_ok(addr, size)))
		return -EINVAL;
	mach_port_t object = MACH_PORT_NULL;
	vm_prot_t max = VM_PROT_ALL;
	if (!anonymous) {
		int error = file_object(p, fd, &object, &max);
		if (error != 0)
			return error;
		if (shared && (vm_prot_of(prot) & ~max) != 0) {
			mach_port_deallocate(mach_task_self(), object);
			return -EACCES;
		}
	}
	vm_address_t at = addr % PAGE == 0 ? addr : 0;
	kern_return_t kr = map_at(p->task, &at, size, fixed, object, anonymous ? 0 : offset,
				  !shared && !anonymous, vm_prot_of(prot), shared ? max : VM_PROT_ALL,
				  shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY);
	if (object != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), object);
	return kr == KERN_SUCCESS ? (int64_t)at : -ENOMEM;
}

kern_return_t unix_S_mmap(mach_port_t port, uint64_t addr, uint64_t length, int32_t prot,
			  int32_t flags, int32_t fd, int64_t offset, int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = do_mmap(p, addr, length, prot, flags, fd, offset);
	return KERN_SUCCESS;
}

kern_return_t unix_S_munmap(mach_port_t port, uint64_t addr, uint64_t length, int64_t *result)
{
	EMUL_CALLER(p, port);
	uint64_t size = (length + PAGE - 1) & ~(PAGE - 1);

	if (!range_ok(addr, size))
		*result = -EINVAL;
	else
		*result = vm_deallocate(p->task, addr, size) == KERN_SUCCESS ? 0 : -EINVAL;
	return KERN_SUCCESS;
}

kern_return_t unix_S_mprotect(mach_port_t port, uint64_t addr, uint64_t length, int32_t prot,
			      int64_t *result)
{
	EMUL_CALLER(p, port);
	uint64_t size = (length + PAGE - 1) & ~(PAGE - 1);

	if (!range_ok(addr, size) || (prot & ~PROT_BITS) != 0) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	kern_return_t kr = vm_protect(p->task, addr, size, FALSE, vm_prot_of(prot));
	*result = kr == KERN_SUCCESS ? 0 : kr == KERN_PROTECTION_FAILURE ? -EACCES : -ENOMEM;
	return KERN_SUCCESS;
}
