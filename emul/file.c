/*
 * Files on the file server (fs.defs): opening by path from the root or
 * the working directory, with the process's effective ids as the
 * credentials every later call on the open file is checked against;
 * and the calls on paths (stat, mkdir, unlinkat, link).
 */
#include "emul.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unixServer.h>

mach_port_t fs_root;

/* The O_* flags open knows. */
#define OPEN_FLAGS                                                                      \
	(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_NONBLOCK | O_CLOEXEC |  \
	 O_DIRECTORY | O_NOFOLLOW | O_NOCTTY)

static mach_port_t dir_of(struct proc *p, const char *path)
{
	return path[0] == '/' ? fs_root : p->cwd;
}

int file_open_port(struct proc *p, const char *path, uint32_t fs_flags, uint32_t mode,
		   mach_port_t *port)
{
	if (path[0] == '\0')
		return -ENOENT;
	kern_return_t kr = fs_open(dir_of(p, path), (char *)path, fs_flags, mode, p->euid,
				   p->egid, port);
	return kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
}

int file_stat_port(mach_port_t port, struct fs_stat *st)
{
	kern_return_t kr = fs_stat(port, st);
	return kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
}

int file_read(struct file *f, uint32_t count, char *data, uint32_t *got)
{
	vm_offset_t buf;
	mach_msg_type_number_t n = 0;

	if (f->directory)
		return -EISDIR;
	kern_return_t kr = fs_read(f->port, count, &buf, &n);
	if (kr != KERN_SUCCESS)
		return -emul_errno(kr);
	*got = n < count ? n : count;
	memcpy(data, (void *)buf, *got);
	if (n > 0)
		vm_deallocate(mach_task_self(), buf, n);
	return 0;
}

int file_write(struct file *f, const char *data, uint32_t count)
{
	uint32_t written = 0;
	kern_return_t kr = fs_write(f->port, (vm_offset_t)data, count, &written);

	return kr == KERN_SUCCESS ? (int)written : -emul_errno(kr);
}

/* O_* to FS_OPEN_*; false for what the file server cannot do. */
static bool fs_flags_of(int flags, uint32_t *fs)
{
	int access = flags & O_ACCMODE;

	if ((flags & ~OPEN_FLAGS) != 0 || access == O_ACCMODE)
		return false;
	*fs = (access == O_RDONLY || access == O_RDWR ? FS_OPEN_READ : 0) |
	      (access == O_WRONLY || access == O_RDWR ? FS_OPEN_WRITE : 0) |
	      (flags & O_CREAT ? FS_OPEN_CREATE : 0) | (flags & O_EXCL ? FS_OPEN_EXCLUSIVE : 0) |
	      (flags & O_TRUNC ? FS_OPEN_TRUNCATE : 0) | (flags & O_APPEND ? FS_OPEN_APPEND : 0) |
	      (flags & O_DIRECTORY ? FS_OPEN_DIRECTORY : 0) |
	      (flags & O_NOFOLLOW ? FS_OPEN_NOFOLLOW : 0);
	return true;
}

/* The files of /dev the server makes itself: the terminal and the sink. */
static int open_device(struct proc *p, const char *path, int flags)
{
	if (strcmp(path, "/dev/tty") == 0 || strcmp(path, "/dev/console") == 0)
		return fd_open_terminal(p, flags);
	if (strcmp(path, "/dev/null") != 0)
		return -ENOENT;
	struct file *f = file_new(FILE_NULL, flags & (O_ACCMODE | O_NONBLOCK));
	return f == NULL ? -ENOMEM : fd_install(p, f, 0, (flags & O_CLOEXEC) != 0);
}

kern_return_t unix_S_open(mach_port_t port, unix_path_t path, int32_t flags, uint32_t mode,
			  int64_t *result)
{
	EMUL_CALLER(p, port);
	uint32_t fs;
	mach_port_t opened;
	struct fs_stat st;

	if (!fs_flags_of(flags, &fs)) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	if (strncmp(path, "/dev/", 5) == 0) {
		*result = open_device(p, path, flags);
		return KERN_SUCCESS;
	}
	int error = file_open_port(p, path, fs, mode & 07777 & ~p->umask, &opened);
	if (error == 0 && (error = file_stat_port(opened, &st)) != 0)
		fs_close(opened);
	struct file *f = error == 0 ? file_new(FILE_FS, flags & (O_ACCMODE | O_APPEND |
								  O_NONBLOCK)) : NULL;
	if (error == 0 && f == NULL) {
		fs_close(opened);
		error = -ENOMEM;
	}
	if (error != 0) {
		*result = error;
		return KERN_SUCCESS;
	}
	f->port = opened;
	f->directory = (st.mode & FS_S_IFMT) == FS_S_IFDIR;
	*result = fd_install(p, f, 0, (flags & O_CLOEXEC) != 0);
	return KERN_SUCCESS;
}

kern_return_t unix_S_stat(mach_port_t port, unix_path_t path, int32_t flags, int64_t *result,
			  unix_stat_t *st)
{
	EMUL_CALLER(p, port);
	mach_port_t opened;

	memset(st, 0, sizeof(*st));
	if ((flags & ~UNIX_AT_SYMLINK_NOFOLLOW) != 0) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	uint32_t fs = FS_OPEN_ATTRIBUTES |
		      (flags & UNIX_AT_SYMLINK_NOFOLLOW ? FS_OPEN_LINK : 0);
	*result = file_open_port(p, path, fs, 0, &opened);
	if (*result == 0) {
		*result = file_stat_port(opened, st);
		fs_close(opened);
	}
	return KERN_SUCCESS;
}

/*
 * path's last name in name and the directory it is in, opened by p, in
 * *dir: 0, or -errno.  Slashes at the end do not count.
 */
int open_parent(struct proc *p, const char *path, mach_port_t *dir, char *name)
{
	char parent[FS_PATH_MAX];
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (len - start > FS_NAME_MAX)
		return -ENAMETOOLONG;
	if (len == start)
		return -EBUSY;   /* "/": the root has no parent here */
	memcpy(name, path + start, len - start);
	name[len - start] = '\0';
	if (start == 0) {
		strcpy(parent, ".");
	} else {
		memcpy(parent, path, start);
		parent[start] = '\0';
	}
	return file_open_port(p, parent, FS_OPEN_READ | FS_OPEN_DIRECTORY, 0, dir);
}

kern_return_t unix_S_mkdir(mach_port_t port, unix_path_t path, uint32_t mode, int64_t *result)
{
	EMUL_CALLER(p, port);
	char name[FS_NAME_MAX + 1];
	mach_port_t dir;

	*result = open_parent(p, path, &dir, name);
	if (*result == -EBUSY)
		*result = -EEXIST;
	if (*result != 0)
		return KERN_SUCCESS;
	kern_return_t kr = fs_mkdir(dir, name, mode & 07777 & ~p->umask);
	*result = kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
	fs_close(dir);
	return KERN_SUCCESS;
}

kern_return_t unix_S_unlinkat(mach_port_t port, unix_path_t path, int32_t flags,
			      int64_t *result)
{
	EMUL_CALLER(p, port);
	char name[FS_NAME_MAX + 1];
	mach_port_t dir;

	if ((flags & ~UNIX_AT_REMOVEDIR) != 0) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	*result = open_parent(p, path, &dir, name);
	if (*result != 0)
		return KERN_SUCCESS;
	kern_return_t kr = flags & UNIX_AT_REMOVEDIR ? fs_rmdir(dir, name) : fs_unlink(dir, name);
	*result = kr == KERN_SUCCESS ? 0 : -emul_errno(kr);
	fs_close(dir);
	return KERN_SUCCESS;
}

/* paths (size bytes) as two NUL-terminated paths, from and *to; false
 * if it is anything else. */
bool two_paths(const char *paths, size_t size, const char **to)
{
	size_t first = strnlen(paths, size);

	if (first == size || first >= FS_PATH_MAX)
		return false;
	*to = paths + first + 1;
	size_t second = strnlen(*to, size - first - 1);
	return second + first + 2 == size && second < FS_PATH_MAX;
}

static int link_paths(struct proc *p, const char *from, const char *to)
{
	char name[FS_NAME_MAX + 1];
	mach_port_t file, dir;
	int error = file_open_port(p, from, FS_OPEN_ATTRIBUTES | FS_OPEN_LINK, 0, &file);

	if (error != 0)
		return error;
	error = open_parent(p, to, &dir, name);
	if (error == -EBUSY)
		error = -EEXIST;
	if (error == 0) {
		kern_return_t kr = fs_link(dir, name, file);
		error = kr == KERN_SUCCESS ? 0 : kr == FS_IS_DIRECTORY ? -EPERM : -emul_errno(kr);
		fs_close(dir);
	}
	fs_close(file);
	return error;
}

kern_return_t unix_S_link(mach_port_t port, vm_offset_t paths, mach_msg_type_number_t pathsCnt,
			  int64_t *result)
{
	EMUL_CALLER(p, port);
	const char *to;

	*result = two_paths((const char *)paths, pathsCnt, &to)
			  ? link_paths(p, (const char *)paths, to)
			  : -EINVAL;
	if (pathsCnt > 0)
		vm_deallocate(mach_task_self(), paths, pathsCnt);
	return KERN_SUCCESS;
}
