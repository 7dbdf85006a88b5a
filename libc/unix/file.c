/* The calls on descriptors and paths. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_priv.h"

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode = 0;
	int64_t result = 0;

	if (!unix_path_ok(path))
		return -1;
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	kern_return_t kr = unix_open(unix_port, (char *)path, flags, mode, &result);
	return (int)unix_return(kr, result);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
	int64_t result = 0;
	kern_return_t kr = unix_close(unix_port, fd, &result);
	return (int)unix_return(kr, result);
}

/* One read of at most UNIX_IO_MAX bytes. */
static ssize_t read_once(int fd, char *buf, size_t count)
{
	char data[UNIX_IO_MAX];
	mach_msg_type_number_t n = UNIX_IO_MAX;
	int64_t result = 0;
	kern_return_t kr = unix_read(unix_port, fd, (uint32_t)count, &result, data, &n);

	ssize_t r = (ssize_t)unix_return(kr, result);
	if (r > 0) {
		r = (size_t)r < n ? r : (ssize_t)n;
		memcpy(buf, data, (size_t)r);
	}
	return r;
}

/* One write of at most UNIX_IO_MAX bytes. */
static ssize_t write_once(int fd, char *buf, size_t count)
{
	int64_t result = 0;
	kern_return_t kr = unix_write(unix_port, fd, buf, (mach_msg_type_number_t)count, &result);

	return (ssize_t)unix_return(kr, result);
}

/*
 * A read or write larger than one message, in pieces of UNIX_IO_MAX: it
 * goes on while each piece goes whole (a file) and stops at the first
 * short one (a pipe, the terminal, the end of a file).  newlib's read
 * and write return _READ_WRITE_RETURN_TYPE: int here.
 */
static _READ_WRITE_RETURN_TYPE in_pieces(int fd, char *buf, size_t count,
					 ssize_t (*once)(int, char *, size_t))
{
	size_t done = 0;

	do {
		size_t n = count - done < UNIX_IO_MAX ? count - done : UNIX_IO_MAX;
		ssize_t r = once(fd, buf + done, n);
		if (r < 0)
			return done > 0 ? (_READ_WRITE_RETURN_TYPE)done : -1;
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	} while (done < count);
	return (_READ_WRITE_RETURN_TYPE)done;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t count)
{
	if (!unix_writable(buf, count))
		return -1;
	return in_pieces(fd, buf, count, read_once);
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t count)
{
	if (!unix_readable(buf, count))
		return -1;
	return in_pieces(fd, (char *)buf, count, write_once);
}

off_t lseek(int fd, off_t offset, int whence)
{
	int64_t result = 0;
	kern_return_t kr = unix_lseek(unix_port, fd, offset, whence, &result);
	return (off_t)unix_return(kr, result);
}

/* The server's record (struct fs_stat) as newlib's struct stat. */
static void stat_convert(const struct fs_stat *s, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)s->dev;
	st->st_ino = (ino_t)s->ino;
	st->st_mode = (mode_t)s->mode;
	st->st_nlink = (nlink_t)s->links;
	st->st_uid = (uid_t)s->uid;
	st->st_gid = (gid_t)s->gid;
	st->st_size = (off_t)s->size;
	st->st_blksize = (blksize_t)s->block_size;
	st->st_blocks = (blkcnt_t)s->blocks;
	st->st_atime = (time_t)s->atime;
	st->st_mtime = (time_t)s->mtime;
	st->st_ctime = (time_t)s->ctime;
}

int fstat(int fd, struct stat *st)
{
	struct fs_stat s;
	int64_t result = 0;

	if (!unix_writable(st, sizeof(*st)))
		return -1;
	kern_return_t kr = unix_fstat(unix_port, fd, &result, &s);
	int r = (int)unix_return(kr, result);

	if (r == 0)
		stat_convert(&s, st);
	return r;
}

static int stat_flags(const char *path, struct stat *st, int flags)
{
	struct fs_stat s;
	int64_t result = 0;

	if (!unix_path_ok(path) || !unix_writable(st, sizeof(*st)))
		return -1;
	kern_return_t kr = unix_stat(unix_port, (char *)path, flags, &result, &s);
	int r = (int)unix_return(kr, result);

	if (r == 0)
		stat_convert(&s, st);
	return r;
}

int stat(const char *path, struct stat *st)
{
	return stat_flags(path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return stat_flags(path, st, UNIX_AT_SYMLINK_NOFOLLOW);
}

int isatty(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return 0;
	if (!S_ISCHR(st.st_mode)) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

static int dup3_flags(int fd, int newfd, int flags)
{
	int64_t result = 0;
	kern_return_t kr = unix_dup3(unix_port, fd, newfd, flags, &result);
	return (int)unix_return(kr, result);
}

int dup(int fd)
{
	return dup3_flags(fd, -1, 0);
}

int dup2(int fd, int newfd)
{
	if (newfd < 0) {
		errno = EBADF;
		return -1;
	}
	return dup3_flags(fd, newfd, UNIX_DUP2);
}

int dup3(int fd, int newfd, int flags)
{
	if (newfd < 0 || (flags & UNIX_DUP2)) {
		errno = newfd < 0 ? EBADF : EINVAL;
		return -1;
	}
	return dup3_flags(fd, newfd, flags);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int64_t result = 0;

	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	kern_return_t kr = unix_fcntl(unix_port, fd, cmd, arg, &result);
	return (int)unix_return(kr, result);
}

int pipe2(int fds[2], int flags)
{
	int64_t result = 0;
	int32_t r = -1, w = -1;

	if (!unix_writable(fds, 2 * sizeof(int)))
		return -1;
	kern_return_t kr = unix_pipe2(unix_port, flags, &result, &r, &w);
	int ok = (int)unix_return(kr, result);

	if (ok == 0) {
		fds[0] = r;
		fds[1] = w;
	}
	return ok;
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}

int chdir(const char *path)
{
	int64_t result = 0;

	if (!unix_path_ok(path))
		return -1;
	kern_return_t kr = unix_chdir(unix_port, (char *)path, &result);
	return (int)unix_return(kr, result);
}

char *getcwd(char *buf, size_t size)
{
	char path[FS_PATH_MAX];
	int64_t result = 0;

	kern_return_t kr = unix_getcwd(unix_port, &result, path);
	if (unix_return(kr, result) < 0)
		return NULL;
	if (buf == NULL || (size_t)result > size) {
		errno = buf == NULL ? EINVAL : ERANGE;
		return NULL;
	}
	if (!unix_writable(buf, (size_t)result))
		return NULL;
	memcpy(buf, path, (size_t)result);
	return buf;
}

int mkdir(const char *path, mode_t mode)
{
	int64_t result = 0;

	if (!unix_path_ok(path))
		return -1;
	kern_return_t kr = unix_mkdir(unix_port, (char *)path, mode, &result);
	return (int)unix_return(kr, result);
}

static int unlinkat_flags(const char *path, int flags)
{
	int64_t result = 0;

	if (!unix_path_ok(path))
		return -1;
	kern_return_t kr = unix_unlinkat(unix_port, (char *)path, flags, &result);
	return (int)unix_return(kr, result);
}

int unlink(const char *path)
{
	return unlinkat_flags(path, 0);
}

int rmdir(const char *path)
{
	return unlinkat_flags(path, UNIX_AT_REMOVEDIR);
}
