/*
 * A whole user program against the newlib sysroot, built with
 * scripts/cross/x86_64-elf-gcc by check-third-party.sh.
 *
 * newlib for x86_64-elf has no crt0 and no system calls: a program brings
 * its own _start, _init/_fini (called by __libc_init_array/exit), and the
 * calls newlib makes.  newlib was built with MISSING_SYSCALL_NAMES, so those
 * are the POSIX names (write, sbrk, fstat, ...), not _write, _sbrk; only
 * _exit keeps its underscore.  Here they are Linux system calls, so that
 * the static executable can also run on the build host and show that
 * printf, malloc, strtod and libm really work.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __linux__
#error "x86_64-elf-gcc must not present the target as Linux"
#endif

#define LINUX_READ 0
#define LINUX_WRITE 1
#define LINUX_CLOSE 3
#define LINUX_LSEEK 8
#define LINUX_EXIT_GROUP 231

static long
linux_syscall3(long number, long a, long b, long c)
{
	long result;

	__asm__ volatile("syscall"
	                 : "=a"(result)
	                 : "a"(number), "D"(a), "S"(b), "d"(c)
	                 : "rcx", "r11", "memory");
	return result;
}

/* Turns a Linux result (-errno on failure) into newlib's convention. */
static long
linux_result(long result)
{
	if (result < 0 && result > -4096) {
		errno = (int)-result;
		return -1;
	}
	return result;
}

/* newlib's unistd.h declares read and write with _READ_WRITE_RETURN_TYPE,
 * which is int, not ssize_t, on this target. */
_READ_WRITE_RETURN_TYPE
write(int fd, const void *buffer, size_t count)
{
	return (_READ_WRITE_RETURN_TYPE)linux_result(
	    linux_syscall3(LINUX_WRITE, fd, (long)buffer, (long)count));
}

_READ_WRITE_RETURN_TYPE
read(int fd, void *buffer, size_t count)
{
	return (_READ_WRITE_RETURN_TYPE)linux_result(
	    linux_syscall3(LINUX_READ, fd, (long)buffer, (long)count));
}

int
close(int fd)
{
	return (int)linux_result(linux_syscall3(LINUX_CLOSE, fd, 0, 0));
}

off_t
lseek(int fd, off_t offset, int whence)
{
	return linux_result(linux_syscall3(LINUX_LSEEK, fd, offset, whence));
}

/* Every descriptor is a character device: stdout is line buffered. */
int
fstat(int fd, struct stat *status)
{
	(void)fd;
	memset(status, 0, sizeof *status);
	status->st_mode = S_IFCHR;
	return 0;
}

int
isatty(int fd)
{
	(void)fd;
	return 1;
}

/* The heap is a fixed arena: enough for this program, and no brk needed. */
static char heap[1 << 20] __attribute__((aligned(16)));
static size_t heap_used;

void *
sbrk(ptrdiff_t increment)
{
	char *old = heap + heap_used;

	if (increment < 0 || (size_t)increment > sizeof heap - heap_used) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_used += (size_t)increment;
	return old;
}

int
kill(pid_t pid, int signal)
{
	(void)pid;
	(void)signal;
	errno = EINVAL;
	return -1;
}

pid_t
getpid(void)
{
	return 1;
}

void
_exit(int status)
{
	for (;;)
		linux_syscall3(LINUX_EXIT_GROUP, status, 0, 0);
}

void _init(void) {}
void _fini(void) {}

/* Exercised by the test; volatile so that gcc cannot fold the answers. */
static volatile double cube = 27.0;
static const char *volatile number_text = "2.5e3";

static int
smoke(void)
{
	char *end;
	double number = strtod(number_text, &end);
	char *block = malloc(100000);
	long long big = 1234567890123LL;

	if (block == NULL || *end != '\0')
		return 1;
	strcpy(block, "pagoda");
	printf("strtod=%g lld=%lld zu=%zu str=%s cbrt=%.3f\n", number, big,
	       sizeof(uint64_t), block, cbrt(cube));
	free(block);
	return 0;
}

void start_c(long *stack);

void
start_c(long *stack)
{
	(void)stack; /* argc, argv, envp: unused here */
	exit(smoke());
}

/* The kernel enters with %rsp 16-byte aligned; the ABI wants it so at the
 * call, and %rbp zero to end backtraces. */
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "	xor %ebp, %ebp\n"
        "	mov %rsp, %rdi\n"
        "	and $-16, %rsp\n"
        "	call start_c\n"
        "	hlt\n");
