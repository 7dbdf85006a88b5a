/*
 * Directories: the working directory (chdir, getcwd) and reading a
 * directory's entries (getdents).  The working directory is kept twice:
 * as an open directory of the file server, which relative paths start
 * from, and as the path it was reached by, made canonical here ("." and
 * ".." taken out), which getcwd tells.
 */
#include "emul.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unixServer.h>

/*
 * path taken from the working directory cwd into out (FS_PATH_MAX
 * bytes), without "." or ".." or empty names: 0, or -ENAMETOOLONG.
 */
static int path_join(const char *cwd, const char *path, char *out)
{
	size_t len = 0;

	if (path[0] != '/') {
		len = strlen(cwd);
		memcpy(out, cwd, len + 1);
	}
	while (*path != '\0') {
		const char *end = strchrnul(path, '/');
		size_t n = (size_t)(end - path);
		if (n == 2 && path[0] == '.' && path[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			len = len > 1 ? len - 1 : 0;
		} else if (n > 0 && !(n == 1 && path[0] == '.')) {
			if (len + 1 + n + 1 > FS_PATH_MAX)
				return -ENAMETOOLONG;
			if (len == 0 || out[len - 1] != '/')
				out[len++] = '/';
			memcpy(out + len, path, n);
			len += n;
		}
		path = *end == '/' ? end + 1 : end;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

kern_return_t unix_S_chdir(mach_port_t port, unix_path_t path, int64_t *result)
{
	EMUL_CALLER(p, port);
	char joined[FS_PATH_MAX];
	mach_port_t dir;

	*result = path_join(p->cwd_path, path, joined);
	if (*result == 0)
		*result = file_open_port(p, path, FS_OPEN_READ | FS_OPEN_DIRECTORY, 0, &dir);
	if (*result != 0)
		return KERN_SUCCESS;
	/* Forks share the port: the file server ends the open when the
	 * last right to it goes (no-senders). */
	mach_port_deallocate(mach_task_self(), p->cwd);
	p->cwd = dir;
	strcpy(p->cwd_path, joined);
	return KERN_SUCCESS;
}

kern_return_t unix_S_getcwd(mach_port_t port, int64_t *result, unix_path_t path)
{
	EMUL_CALLER(p, port);
	strcpy(path, p->cwd_path);
	*result = (int64_t)strlen(path) + 1;
	return KERN_SUCCESS;
}

/* The file server's entries in buf (n bytes) as unix_dirent records in
 * out: their bytes; *next is the cookie after the last one taken, *at
 * the bytes of buf taken. */
static uint32_t convert_entries(const char *buf, uint32_t n, char *out, uint32_t room,
				uint64_t *next, uint32_t *at)
{
	uint32_t used = 0;

	for (*at = 0; *at + sizeof(struct fs_dirent) <= n;) {
		const struct fs_dirent *e = (const void *)(buf + *at);
		uint32_t size = UNIX_DIRENT_SIZE(e->name_len);
		if (e->rec_len < sizeof(*e) || *at + e->rec_len > n || used + size > room)
			break;
		struct unix_dirent *u = (void *)(out + used);
		u->ino = e->ino;
		u->offset = e->cookie;
		u->reclen = (uint16_t)size;
		/* ext2's file types in the order of DT_*'s: FS_DT_* to DT_*. */
		static const uint8_t types[] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR,
						 DT_BLK, DT_FIFO, DT_SOCK, DT_LNK };
		u->type = e->type < sizeof(types) ? types[e->type] : DT_UNKNOWN;
		memcpy(u->name, e->name, e->name_len);
		u->name[e->name_len] = '\0';
		used += size;
		*next = e->cookie;
		*at += e->rec_len;
	}
	return used;
}

kern_return_t unix_S_getdents(mach_port_t port, int32_t fd, uint32_t size, int64_t *result,
			      unix_data_t data, mach_msg_type_number_t *dataCnt)
{
	EMUL_CALLER(p, port);
	struct file *f = fd_get(p, fd);
	vm_offset_t buf;
	mach_msg_type_number_t n = 0;
	uint64_t next;

	*dataCnt = 0;
	if (size > UNIX_IO_MAX)
		size = UNIX_IO_MAX;
	if (f == NULL || !f->directory) {
		*result = f == NULL ? -EBADF : -ENOTDIR;
		return KERN_SUCCESS;
	}
	if (f->dir_cookie == FS_DIR_END) {
		*result = 0;
		return KERN_SUCCESS;
	}
	kern_return_t kr = fs_readdir(f->port, f->dir_cookie, size, &buf, &n, &next);
	if (kr != KERN_SUCCESS) {
		*result = -emul_errno(kr);
		return KERN_SUCCESS;
	}
	uint64_t taken = f->dir_cookie;
	uint32_t consumed;
	*dataCnt = convert_entries((const char *)buf, n, data, size, &taken, &consumed);
	f->dir_cookie = consumed == n ? next : taken;
	*result = *dataCnt == 0 && n > 0 ? -EINVAL : (int64_t)*dataCnt;
	if (n > 0)
		vm_deallocate(mach_task_self(), buf, n);
	return KERN_SUCCESS;
}
