/*
 * Descriptors and open files: each process's table of descriptors, the
 * open files they share (by fork and dup), and the calls that work on a
 * descriptor whatever is behind it (close, dup3, fcntl, read, write,
 * lseek, fstat), passing each to what serves the file's kind.
 */
#include "emul.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unixServer.h>

struct file *file_new(enum file_kind kind, int flags)
{
	struct file *f = calloc(1, sizeof(*f));

	if (f != NULL) {
		f->refs = 1;
		f->kind = kind;
		f->flags = flags;
	}
	return f;
}

void file_release(struct file *f)
{
	if (--f->refs > 0)
		return;
	if (f->kind == FILE_FS) {
		fs_close(f->port);
		mach_port_deallocate(mach_task_self(), f->port);
	} else if (f->kind == FILE_TERM) {
		mach_port_deallocate(mach_task_self(), f->port);
	} else if (f->kind == FILE_PIPE_READ || f->kind == FILE_PIPE_WRITE) {
		pipe_close(f);
	} else if (f->kind == FILE_SOCKET) {
		socket_close(f);
	}
	free(f);
}

/* Puts f (whose reference the caller gives) at the lowest free
 * descriptor from from on: the descriptor, or -EMFILE. */
int fd_install(struct proc *p, struct file *f, int from, bool cloexec)
{
	for (int fd = from; fd < UNIX_OPEN_MAX; fd++) {
		if (p->fds[fd].file == NULL) {
			p->fds[fd].file = f;
			p->fds[fd].cloexec = cloexec;
			return fd;
		}
	}
	file_release(f);
	return -EMFILE;
}

struct file *fd_get(struct proc *p, int fd)
{
	return fd >= 0 && fd < UNIX_OPEN_MAX ? p->fds[fd].file : NULL;
}

static void fd_close(struct proc *p, int fd)
{
	struct file *f = p->fds[fd].file;

	p->fds[fd].file = NULL;
	if (f != NULL)
		file_release(f);
}

void fd_close_all(struct proc *p, bool only_cloexec)
{
	for (int fd = 0; fd < UNIX_OPEN_MAX; fd++)
		if (!only_cloexec || p->fds[fd].cloexec)
			fd_close(p, fd);
}

void fd_copy(struct proc *to, const struct proc *from)
{
	for (int fd = 0; fd < UNIX_OPEN_MAX; fd++) {
		to->fds[fd] = from->fds[fd];
		if (to->fds[fd].file != NULL)
			to->fds[fd].file->refs++;
	}
}

int fd_open_terminal(struct proc *p, int flags)
{
	struct file *f = file_new(FILE_TERM, flags);

	if (f == NULL)
		return -ENOMEM;
	if (mach_port_mod_refs(mach_task_self(), term_port, MACH_PORT_RIGHT_SEND, 1) !=
	    KERN_SUCCESS) {
		free(f);
		return -ENOMEM;
	}
	f->port = term_port;
	return fd_install(p, f, 0, (flags & O_CLOEXEC) != 0);
}

/* The open file of fd if it is open for access (O_RDONLY, O_WRONLY, or
 * -1 for any); NULL otherwise. */
static struct file *fd_for(struct proc *p, int fd, int access)
{
	struct file *f = fd_get(p, fd);

	if (f == NULL || access < 0)
		return f;
	int mode = f->flags & O_ACCMODE;
	return mode == O_RDWR || mode == access ? f : NULL;
}

kern_return_t unix_S_close(mach_port_t port, int32_t fd, int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = fd_get(p, fd) == NULL ? -EBADF : 0;
	if (*result == 0)
		fd_close(p, fd);
	return KERN_SUCCESS;
}

kern_return_t unix_S_dup3(mach_port_t port, int32_t fd, int32_t newfd, int32_t flags,
			  int64_t *result)
{
	EMUL_CALLER(p, port);
	struct file *f = fd_get(p, fd);
	bool dup2 = (flags & UNIX_DUP2) != 0;

	if (f == NULL)
		*result = -EBADF;
	else if ((flags & ~(UNIX_DUP2 | O_CLOEXEC)) != 0 || newfd < -1 ||
		 newfd >= UNIX_OPEN_MAX || (newfd == fd && !dup2))
		*result = newfd >= UNIX_OPEN_MAX && dup2 ? -EBADF : -EINVAL;
	else if (newfd == fd)
		*result = fd;
	else if (newfd == -1) {
		f->refs++;
		*result = fd_install(p, f, 0, (flags & O_CLOEXEC) != 0);
	} else {
		f->refs++;
		fd_close(p, newfd);
		*result = fd_install(p, f, newfd, (flags & O_CLOEXEC) != 0);
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_fcntl(mach_port_t port, int32_t fd, int32_t cmd, int64_t arg,
			   int64_t *result)
{
	EMUL_CALLER(p, port);
	struct file *f = fd_get(p, fd);

	*result = 0;
	if (f == NULL) {
		*result = -EBADF;
	} else if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
		if (arg < 0 || arg >= UNIX_OPEN_MAX) {
			*result = -EINVAL;
			return KERN_SUCCESS;
		}
		f->refs++;
		*result = fd_install(p, f, (int)arg, cmd == F_DUPFD_CLOEXEC);
	} else if (cmd == F_GETFD) {
		*result = p->fds[fd].cloexec ? FD_CLOEXEC : 0;
	} else if (cmd == F_SETFD) {
		p->fds[fd].cloexec = (arg & FD_CLOEXEC) != 0;
	} else if (cmd == F_GETFL) {
		*result = f->flags;
	} else if (cmd == F_SETFL) {
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
	} else {
		*result = -EINVAL;
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_read(mach_port_t port, mach_port_t reply, int32_t fd, uint32_t count,
			  int64_t *result, unix_data_t data, mach_msg_type_number_t *dataCnt)
{
	EMUL_CALLER(p, port);
	struct file *f = fd_for(p, fd, O_RDONLY);
	int r = 0;
	uint32_t got = 0;

	if (count > UNIX_IO_MAX)
		count = UNIX_IO_MAX;
	if (f == NULL)
		r = -EBADF;
	else if (f->kind == FILE_FS)
		r = file_read(f, count, data, &got);
	else if (f->kind == FILE_TERM && count > 0)
		r = terminal_read(p, f, reply, count);
	else if (f->kind == FILE_PIPE_READ && count > 0)
		r = pipe_read(p, f, reply, count, data, &got);
	else if (f->kind == FILE_SOCKET)
		r = socket_read(p, f, reply, count);
	if (r == EMUL_LATER)
		return MIG_NO_REPLY;
	*result = r < 0 ? r : (int64_t)got;
	*dataCnt = r < 0 ? 0 : got;
	return KERN_SUCCESS;
}

kern_return_t unix_S_write(mach_port_t port, mach_port_t reply, int32_t fd, unix_data_t data,
			   mach_msg_type_number_t dataCnt, int64_t *result)
{
	EMUL_CALLER(p, port);
	struct file *f = fd_for(p, fd, O_WRONLY);
	int r = (int)dataCnt;

	if (f == NULL)
		r = -EBADF;
	else if (f->kind == FILE_FS)
		r = file_write(f, data, dataCnt);
	else if (f->kind == FILE_TERM && dataCnt > 0)
		r = terminal_write(p, f, reply, data, dataCnt);
	else if (f->kind == FILE_PIPE_WRITE && dataCnt > 0)
		r = pipe_write(p, f, reply, data, dataCnt);
	else if (f->kind == FILE_SOCKET)
		r = socket_write(p, f, reply, data, dataCnt);
	if (r == EMUL_LATER)
		return MIG_NO_REPLY;
	*result = r;
	return KERN_SUCCESS;
}

kern_return_t unix_S_lseek(mach_port_t port, int32_t fd, int64_t offset, int32_t whence,
			   int64_t *result)
{
	EMUL_CALLER(p, port);
	struct file *f = fd_get(p, fd);
	uint64_t position;

	if (f == NULL) {
		*result = -EBADF;
	} else if (f->kind != FILE_FS) {
		*result = -ESPIPE;
	} else if (f->directory) {
		/* A directory's offset is getdents's cookie: only told back. */
		if (whence == SEEK_SET && offset >= 0)
			f->dir_cookie = (uint64_t)offset;
		*result = whence == SEEK_SET && offset >= 0	  ? offset
			  : whence == SEEK_CUR && offset == 0 ? (int64_t)f->dir_cookie
							      : -EINVAL;
	} else if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
		*result = -EINVAL;
	} else {
		/* SEEK_* and FS_SEEK_* are the same numbers. */
		kern_return_t kr = fs_seek(f->port, offset, (uint32_t)whence, &position);
		*result = kr == KERN_SUCCESS ? (int64_t)position : -emul_errno(kr);
	}
	return KERN_SUCCESS;
}

kern_return_t unix_S_fstat(mach_port_t port, int32_t fd, int64_t *result, unix_stat_t *s)
{
	EMUL_CALLER(p, port);
	struct file *f = fd_get(p, fd);

	memset(s, 0, sizeof(*s));
	*result = 0;
	if (f == NULL)
		*result = -EBADF;
	else if (f->kind == FILE_FS)
		*result = file_stat_port(f->port, s);
	else if (f->kind == FILE_TERM || f->kind == FILE_NULL)
		s->mode = S_IFCHR | 0666;
	else if (f->kind == FILE_SOCKET)
		s->mode = S_IFSOCK | 0777;
	else
		s->mode = S_IFIFO | 0600;
	s->block_size = s->block_size != 0 ? s->block_size : UNIX_IO_MAX;
	return KERN_SUCCESS;
}

kern_return_t unix_S_pipe2(mach_port_t port, int32_t flags, int64_t *result, int32_t *read_fd,
			   int32_t *write_fd)
{
	EMUL_CALLER(p, port);
	struct file *r, *w;

	*read_fd = *write_fd = -1;
	if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) != 0) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	*result = pipe_create(&r, &w);
	if (*result < 0)
		return KERN_SUCCESS;
	r->flags |= flags & O_NONBLOCK;
	w->flags |= flags & O_NONBLOCK;
	bool cloexec = (flags & O_CLOEXEC) != 0;
	*read_fd = fd_install(p, r, 0, cloexec);
	if (*read_fd < 0) {
		file_release(w);
		*result = *read_fd;
		return KERN_SUCCESS;
	}
	*write_fd = fd_install(p, w, 0, cloexec);
	if (*write_fd < 0) {
		fd_close(p, *read_fd);
		*result = *write_fd;
		*read_fd = -1;
		return KERN_SUCCESS;
	}
	*result = 0;
	return KERN_SUCCESS;
}
