/*
 * Names and attributes on the file server: symlink, readlink, rename,
 * and setattr (chmod, chown, utimes, truncate, and their f- and l-
 * forms); statfs and sync; and setid, the caller's own ids.
 */
#include "emul.h"

#include <errno.h>
#include <string.h>
#include <unixServer.h>

/* A file server's refusal as errno: only the owner (or root) may. */
static int fs_error(kern_return_t kr)
{
	return kr == KERN_SUCCESS ? 0 : kr == FS_ACCESS_DENIED ? -EPERM : -emul_errno(kr);
}

static int symlink_paths(struct proc *p, const char *target, const char *path)
{
	char name[FS_NAME_MAX + 1];
	mach_port_t dir;
	int error = open_parent(p, path, &dir, name);

	if (error != 0)
		return error == -EBUSY ? -EEXIST : error;
	kern_return_t kr = fs_symlink(dir, name, (char *)target);
	fs_close(dir);
	return kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
}

static int rename_paths(struct proc *p, const char *from, const char *to)
{
	char from_name[FS_NAME_MAX + 1], to_name[FS_NAME_MAX + 1];
	mach_port_t from_dir, to_dir;
	int error = open_parent(p, from, &from_dir, from_name);

	if (error != 0)
		return error;
	error = open_parent(p, to, &to_dir, to_name);
	if (error == 0) {
		kern_return_t kr = fs_rename(from_dir, from_name, to_dir, to_name);
		error = kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
		fs_close(to_dir);
	}
	fs_close(from_dir);
	return error;
}

/* An RPC whose argument is two paths: op on them, the region freed. */
static int64_t on_two_paths(struct proc *p, vm_offset_t paths, mach_msg_type_number_t size,
			    int (*op)(struct proc *, const char *, const char *))
{
	const char *to;
	int64_t result = two_paths((const char *)paths, size, &to) ? op(p, (const char *)paths, to)
								    : -EINVAL;
	if (size > 0)
		vm_deallocate(mach_task_self(), paths, size);
	return result;
}

kern_return_t unix_S_symlink(mach_port_t port, vm_offset_t paths, mach_msg_type_number_t size,
			     int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = on_two_paths(p, paths, size, symlink_paths);
	return KERN_SUCCESS;
}

kern_return_t unix_S_rename(mach_port_t port, vm_offset_t paths, mach_msg_type_number_t size,
			    int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = on_two_paths(p, paths, size, rename_paths);
	return KERN_SUCCESS;
}

kern_return_t unix_S_readlink(mach_port_t port, unix_path_t path, int64_t *result,
			      unix_path_t target)
{
	EMUL_CALLER(p, port);
	char name[FS_NAME_MAX + 1];
	mach_port_t dir;

	target[0] = '\0';
	*result = open_parent(p, path, &dir, name);
	if (*result == -EBUSY)
		*result = -EINVAL;   /* "/" is no link */
	if (*result != 0)
		return KERN_SUCCESS;
	kern_return_t kr = fs_readlink(dir, name, target);
	fs_close(dir);
	*result = kr == KERN_SUCCESS ? (int64_t)strlen(target) : -emul_errno(kr);
	return KERN_SUCCESS;
}

/* The file setattr changes, in *file (*opened if this call opened it). */
static int attr_file(struct proc *p, const char *path, int32_t fd, int32_t what,
		     mach_port_t *file, bool *opened)
{
	*opened = path[0] != '\0';
	if (!*opened) {
		struct file *f = fd_get(p, fd);
		if (f == NULL)
			return -EBADF;
		if (f->kind != FILE_FS)
			return (what & ~UNIX_ATTR_NOFOLLOW) == UNIX_ATTR_SIZE ? -EINVAL : -EPERM;
		*file = f->port;
		return 0;
	}
	uint32_t flags = (what & ~UNIX_ATTR_NOFOLLOW) == UNIX_ATTR_SIZE ? FS_OPEN_WRITE
									 : FS_OPEN_ATTRIBUTES;
	return file_open_port(p, path, flags | (what & UNIX_ATTR_NOFOLLOW ? FS_OPEN_LINK : 0),
			      0, file);
}

static int set_attr(mach_port_t file, int32_t what, uint64_t a, uint64_t b)
{
	struct fs_stat st;

	switch (what & ~UNIX_ATTR_NOFOLLOW) {
	case UNIX_ATTR_MODE:
		return fs_error(fs_chmod(file, (uint32_t)a & 07777));
	case UNIX_ATTR_OWNER:
		if ((a == UINT32_MAX || b == UINT32_MAX) && file_stat_port(file, &st) != 0)
			return -EIO;
		return fs_error(fs_chown(file, a == UINT32_MAX ? st.uid : (uint32_t)a,
					 b == UINT32_MAX ? st.gid : (uint32_t)b));
	case UNIX_ATTR_TIMES:
		return fs_error(fs_utimes(file, a, b));
	case UNIX_ATTR_SIZE: {
		if ((int64_t)a < 0)
			return -EINVAL;
		kern_return_t kr = fs_truncate(file, a);
		return kr == FS_ACCESS_DENIED ? -EINVAL : kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
	}
	default:
		return -EINVAL;
	}
}

kern_return_t unix_S_setattr(mach_port_t port, unix_path_t path, int32_t fd, int32_t what,
			     uint64_t a, uint64_t b, int64_t *result)
{
	EMUL_CALLER(p, port);
	mach_port_t file = MACH_PORT_NULL;
	bool opened = false;
	int32_t kind = what & ~UNIX_ATTR_NOFOLLOW;

	if (kind < UNIX_ATTR_MODE || kind > UNIX_ATTR_SIZE) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	*result = attr_file(p, path, fd, what, &file, &opened);
	if (*result == 0)
		*result = set_attr(file, what, a, b);
	if (opened && file != MACH_PORT_NULL)
		fs_close(file);
	return KERN_SUCCESS;
}

kern_return_t unix_S_setid(mach_port_t port, int32_t which, uint32_t id, int64_t *result)
{
	EMUL_CALLER(p, port);
	bool user = which == UNIX_SETUID || which == UNIX_SETEUID;
	uid_t *real = user ? &p->uid : &p->gid, *effective = user ? &p->euid : &p->egid;

	if (which < UNIX_SETUID || which > UNIX_SETEGID) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	if (p->euid != 0 && id != *real) {
		*result = -EPERM;
		return KERN_SUCCESS;
	}
	if ((which == UNIX_SETUID || which == UNIX_SETGID) && p->euid == 0)
		*real = id;
	*effective = id;
	*result = 0;
	return KERN_SUCCESS;
}

kern_return_t unix_S_statfs(mach_port_t port, unix_path_t path, int64_t *result,
			    unix_statfs_t *st)
{
	EMUL_CALLER(p, port);
	mach_port_t file;

	memset(st, 0, sizeof(*st));
	*result = file_open_port(p, path, FS_OPEN_ATTRIBUTES, 0, &file);
	if (*result != 0)
		return KERN_SUCCESS;
	kern_return_t kr = fs_statfs(file, st);
	*result = kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
	fs_close(file);
	return KERN_SUCCESS;
}

kern_return_t unix_S_sync(mach_port_t port, int64_t *result)
{
	EMUL_CALLER(p, port);
	(void)p;
	kern_return_t kr = fs_sync(fs_root);
	*result = kr == KERN_SUCCESS ? 0 : -EIO;
	return KERN_SUCCESS;
}
