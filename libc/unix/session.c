/* Sessions, process groups and the terminal; the system's name; access. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <proc.h>
#include <sys/procinfo.h>
#include <unix.h>

#include "unix_priv.h"

int setpgid(pid_t pid, pid_t pgid)
{
	int64_t result = 0;
	kern_return_t kr = unix_setpgid(unix_port, pid, pgid, &result);
	return (int)unix_return(kr, result);
}

pid_t getpgid(pid_t pid)
{
	int64_t result = 0;
	kern_return_t kr = unix_getpgid(unix_port, pid, &result);
	return (pid_t)unix_return(kr, result);
}

pid_t getpgrp(void)
{
	return getpgid(0);
}

pid_t setsid(void)
{
	int64_t result = 0;
	kern_return_t kr = unix_setsid(unix_port, &result);
	return (pid_t)unix_return(kr, result);
}

pid_t getsid(pid_t pid)
{
	int64_t result = 0;
	kern_return_t kr = unix_getsid(unix_port, pid, &result);
	return (pid_t)unix_return(kr, result);
}

pid_t tcgetpgrp(int fd)
{
	int64_t result = 0;
	kern_return_t kr = unix_tcgetpgrp(unix_port, fd, &result);
	return (pid_t)unix_return(kr, result);
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	int64_t result = 0;
	kern_return_t kr = unix_tcsetpgrp(unix_port, fd, pgrp, &result);
	return (int)unix_return(kr, result);
}

/* The terminal is the console, whichever name opened it. */
char *ttyname(int fd)
{
	static char name[] = "/dev/console";

	return isatty(fd) ? name : NULL;
}

int uname(struct utsname *u)
{
	if (!unix_writable(u, sizeof(*u)))
		return -1;
	strcpy(u->sysname, "Pagoda");
	strcpy(u->nodename, "pagoda");
	strcpy(u->release, "0.1");
	strcpy(u->version, "Pagoda UNIX personality on a Mach-style microkernel");
	strcpy(u->machine, "x86_64");
	return 0;
}

/*
 * access: by the real ids, from the file's mode: root may read and
 * write anything, and execute what anyone may.  stat needs the file to
 * be readable (docs/unix.md), so a file the caller may only execute is
 * refused EACCES.
 */
int access(const char *path, int mode)
{
	struct stat st;

	if ((mode & ~(R_OK | W_OK | X_OK)) != 0) {
		errno = EINVAL;
		return -1;
	}
	if (stat(path, &st) != 0)
		return -1;
	uid_t uid = getuid();
	unsigned shift = uid == st.st_uid ? 6 : getgid() == st.st_gid ? 3 : 0;
	unsigned allowed = (st.st_mode >> shift) & 7;
	if (uid == 0)
		allowed = R_OK | W_OK | ((st.st_mode & 0111) != 0 ? X_OK : 0);
	if (((unsigned)mode & allowed) != (unsigned)mode) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int getprocs(struct unix_proc_info *table, int max)
{
	mach_port_t server = MACH_PORT_NULL;
	vm_offset_t data = 0;
	mach_msg_type_number_t size = 0;

	if (max < 0) {
		errno = EINVAL;
		return -1;
	}
	if (!unix_writable(table, (size_t)max * sizeof(*table)))
		return -1;
	/* The process server's public port, from the UNIX server. */
	kern_return_t kr = unix_proc_server(unix_port, &server);
	if (kr == KERN_SUCCESS) {
		kr = proc_list(server, &data, &size);
		mach_port_deallocate(mach_task_self(), server);
	}
	if (kr != KERN_SUCCESS)
		return (int)unix_return(kr, 0);
	int n = (int)(size / sizeof(*table));
	memcpy(table, (void *)data, (size_t)(n < max ? n : max) * sizeof(*table));
	vm_deallocate(mach_task_self(), data, size);
	return n;
}
