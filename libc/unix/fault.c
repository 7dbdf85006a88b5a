/*
 * Bad pointers: EFAULT.  Before a call hands memory it was given to a
 * stub (which would copy it into the message, or the answer out of it),
 * libc touches it with the probes below.  They are leaf routines that
 * use no stack, in [unix_probe, unix_probe_end), which crt0 tells the
 * server (setlibc): a bad access there is no signal, the server resumes
 * the thread at unix_probe_fault, which returns -1.
 */
#include <errno.h>
#include <unix.h>
#include <mach/fs_types.h>

#include "unix_priv.h"

long unix_probe_range(const void *p, size_t n, int write);
long unix_probe_string(const char *s, size_t max);
extern const char unix_probe[], unix_probe_end[], unix_probe_fault[];

/*
 * unix_probe_range(p, n, write): 0 if each page of [p, p + n) can be
 * read (write: written, by a locked or of 0, which changes nothing),
 * else -1.  unix_probe_string(s, max): strlen(s) if the NUL is within
 * max bytes, max if not, -1 if a byte before either cannot be read.
 */
__asm__(".text\n"
	".globl unix_probe, unix_probe_end, unix_probe_fault\n"
	".globl unix_probe_range, unix_probe_string\n"
	"unix_probe:\n"
	"unix_probe_range:\n"
	"\ttestq %rsi, %rsi\n"
	"\tjz 3f\n"
	"\tmovq %rdi, %rcx\n"
	"\taddq %rsi, %rcx\n"
	"\tjc unix_probe_fault\n"              /* wraps around */
	"\tdecq %rcx\n"                        /* the last byte */
	"\tandq $-4096, %rdi\n"
	"1:\ttestl %edx, %edx\n"
	"\tjz 2f\n"
	"\tlock orb $0, (%rdi)\n"
	"\tjmp 4f\n"
	"2:\tmovb (%rdi), %al\n"
	"4:\taddq $4096, %rdi\n"
	"\tcmpq %rcx, %rdi\n"
	"\tjbe 1b\n"
	"3:\txorl %eax, %eax\n"
	"\tret\n"
	"unix_probe_string:\n"
	"\txorl %eax, %eax\n"
	"5:\tcmpq %rsi, %rax\n"
	"\tjae 6f\n"
	"\tcmpb $0, (%rdi,%rax)\n"
	"\tje 6f\n"
	"\tincq %rax\n"
	"\tjmp 5b\n"
	"6:\tret\n"
	"unix_probe_fault:\n"
	"\tmovq $-1, %rax\n"
	"\tret\n"
	"unix_probe_end:\n");

void unix_sigtramp(void);

void unix_libc_register(void)
{
	int64_t result;

	unix_setlibc(unix_port, (uint64_t)unix_sigtramp, (uint64_t)unix_probe,
		      (uint64_t)unix_probe_end, (uint64_t)unix_probe_fault, &result);
}

static bool probed(long r)
{
	if (r < 0)
		errno = EFAULT;
	return r >= 0;
}

bool unix_readable(const void *p, size_t n)
{
	return probed(unix_probe_range(p, n, 0));
}

bool unix_writable(void *p, size_t n)
{
	return probed(unix_probe_range(p, n, 1));
}

long unix_string_length(const char *s, size_t max)
{
	long n = unix_probe_string(s, max);
	return probed(n) ? n : -1;
}

bool unix_path_ok(const char *path)
{
	long n = unix_probe_string(path, FS_PATH_MAX);

	if (n >= FS_PATH_MAX)
		errno = ENAMETOOLONG;
	return probed(n) && n < FS_PATH_MAX;
}
