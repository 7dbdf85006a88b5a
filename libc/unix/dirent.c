/* Directories: opendir and readdir over getdents's records. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unix.h>
#include <mach/unix_types.h>

#include "unix_priv.h"

struct unix_dir {
	int fd;
	uint32_t size, at;           /* bytes in buf, and the next record's */
	struct dirent entry;
	char buf[UNIX_IO_MAX];
};

DIR *fdopendir(int fd)
{
	DIR *dir = malloc(sizeof(*dir));

	if (dir == NULL)
		return NULL;
	dir->fd = fd;
	dir->size = dir->at = 0;
	return dir;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	DIR *dir = fdopendir(fd);
	if (dir == NULL)
		close(fd);
	return dir;
}

struct dirent *readdir(DIR *dir)
{
	if (dir->at >= dir->size) {
		int64_t result = 0;
		mach_msg_type_number_t n = UNIX_IO_MAX;
		kern_return_t kr = unix_getdents(unix_port, dir->fd, UNIX_IO_MAX, &result,
						 dir->buf, &n);
		if (unix_return(kr, result) <= 0)
			return NULL;
		dir->size = (uint32_t)result < n ? (uint32_t)result : n;
		dir->at = 0;
	}
	const struct unix_dirent *u = (const void *)(dir->buf + dir->at);
	if (u->reclen < sizeof(*u) || dir->at + u->reclen > dir->size) {
		dir->size = 0;
		errno = EIO;
		return NULL;
	}
	dir->at += u->reclen;
	dir->entry.d_ino = (ino_t)u->ino;
	dir->entry.d_off = (off_t)u->offset;
	dir->entry.d_type = u->type;
	strlcpy(dir->entry.d_name, u->name, sizeof(dir->entry.d_name));
	return &dir->entry;
}

void rewinddir(DIR *dir)
{
	lseek(dir->fd, 0, SEEK_SET);
	dir->size = dir->at = 0;
}

int dirfd(DIR *dir)
{
	return dir->fd;
}

int closedir(DIR *dir)
{
	int r = close(dir->fd);
	free(dir);
	return r;
}
