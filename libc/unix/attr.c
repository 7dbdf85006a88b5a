/* Names and attributes: link, symlink, rename, readlink; chmod, chown,
 * utimes, truncate and their f- and l- forms; statvfs and sync
 * (emul/attr.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_priv.h"

typedef kern_return_t (*two_paths_call)(mach_port_t, vm_offset_t, mach_msg_type_number_t,
					int64_t *);

/* call with from and to as one region, each NUL-terminated (two paths
 * in line would not fit one message). */
static int on_two_paths(two_paths_call call, const char *from, const char *to)
{
	int64_t result = 0;

	if (!unix_path_ok(from) || !unix_path_ok(to))
		return -1;
	size_t a = strlen(from) + 1, b = strlen(to) + 1;
	char *paths = malloc(a + b);
	if (paths == NULL)
		return -1;
	memcpy(paths, from, a);
	memcpy(paths + a, to, b);
	kern_return_t kr = call(unix_port, (vm_offset_t)paths, (mach_msg_type_number_t)(a + b),
				&result);
	free(paths);
	return (int)unix_return(kr, result);
}

int link(const char *from, const char *to)
{
	return on_two_paths(unix_link, from, to);
}

int symlink(const char *target, const char *path)
{
	return on_two_paths(unix_symlink, target, path);
}

int rename(const char *from, const char *to)
{
	return on_two_paths(unix_rename, from, to);
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	static char target[FS_PATH_MAX];
	int64_t result = 0;

	if (!unix_path_ok(path) || !unix_writable(buf, size))
		return -1;
	kern_return_t kr = unix_readlink(unix_port, (char *)path, &result, target);
	ssize_t n = (ssize_t)unix_return(kr, result);
	if (n < 0)
		return -1;
	n = (size_t)n < size ? n : (ssize_t)size;   /* not NUL-terminated, as POSIX says */
	memcpy(buf, target, (size_t)n);
	return n;
}

/* setattr of path (NULL: of fd). */
static int set(const char *path, int fd, int what, uint64_t a, uint64_t b)
{
	int64_t result = 0;

	if (path != NULL && !unix_path_ok(path))
		return -1;
	if (path != NULL && path[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	kern_return_t kr = unix_setattr(unix_port, path != NULL ? (char *)path : "", fd, what, a, b,
					&result);
	return (int)unix_return(kr, result);
}

int chmod(const char *path, mode_t mode)
{
	return set(path, -1, UNIX_ATTR_MODE, mode, 0);
}

int fchmod(int fd, mode_t mode)
{
	return set(NULL, fd, UNIX_ATTR_MODE, mode, 0);
}

/* An id of -1 keeps the file's. */
static uint64_t id_or_keep(unsigned id, unsigned none)
{
	return id == none ? UINT32_MAX : id;
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return set(path, -1, UNIX_ATTR_OWNER, id_or_keep(uid, (uid_t)-1),
		   id_or_keep(gid, (gid_t)-1));
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return set(path, -1, UNIX_ATTR_OWNER | UNIX_ATTR_NOFOLLOW, id_or_keep(uid, (uid_t)-1),
		   id_or_keep(gid, (gid_t)-1));
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	return set(NULL, fd, UNIX_ATTR_OWNER, id_or_keep(uid, (uid_t)-1),
		   id_or_keep(gid, (gid_t)-1));
}

/* times[0] and [1] in seconds (NULL: now). */
static int set_times(const char *path, int fd, const struct timeval *times)
{
	struct timeval now[2];

	if (times == NULL) {
		gettimeofday(&now[0], NULL);
		now[1] = now[0];
		times = now;
	} else if (!unix_readable(times, 2 * sizeof(*times))) {
		return -1;
	}
	if (times[0].tv_sec < 0 || times[1].tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	return set(path, fd, UNIX_ATTR_TIMES, (uint64_t)times[0].tv_sec,
		   (uint64_t)times[1].tv_sec);
}

int utimes(const char *path, const struct timeval *times)
{
	return set_times(path, -1, times);
}

int futimes(int fd, const struct timeval *times)
{
	return set_times(NULL, fd, times);
}

int truncate(const char *path, off_t size)
{
	return set(path, -1, UNIX_ATTR_SIZE, (uint64_t)size, 0);
}

int ftruncate(int fd, off_t size)
{
	return set(NULL, fd, UNIX_ATTR_SIZE, (uint64_t)size, 0);
}

int statvfs(const char *path, struct statvfs *out)
{
	unix_statfs_t st;
	int64_t result = 0;

	if (!unix_path_ok(path) || !unix_writable(out, sizeof(*out)))
		return -1;
	kern_return_t kr = unix_statfs(unix_port, (char *)path, &result, &st);
	if (unix_return(kr, result) < 0)
		return -1;
	*out = (struct statvfs){ .f_bsize = st.block_size, .f_frsize = st.block_size,
				 .f_blocks = st.blocks, .f_bfree = st.blocks_free,
				 .f_bavail = st.blocks_available, .f_files = st.files,
				 .f_ffree = st.files_free, .f_favail = st.files_free,
				 .f_namemax = FS_NAME_MAX };
	return 0;
}

void sync(void)
{
	int64_t result = 0;
	unix_sync(unix_port, &result);
}
