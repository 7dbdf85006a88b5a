/*
 * The C side of the UNIX emulation server's interface (idl/defs/unix.defs),
 * served by emul/ (docs/unix.md): its limits, the flags of its own that
 * the routines take, and the records they give.  UNIX's own constants
 * (O_*, errno values, signals) are newlib's, in libc and emul only.
 */
#pragma once

#include <mach/fs_types.h>
#include <mach/std_types.h>
#include <mach/thread_status.h>

/* unix.defs's types: a path, the bytes of a read or write, a stat
 * record (the file server's struct fs_stat, or one made like it). */
typedef char *unix_path_t;
typedef char *unix_data_t;
typedef struct fs_stat unix_stat_t;
typedef struct fs_statfs unix_statfs_t;
typedef uint64_t *unix_pollfds_t;
typedef char *unix_sockaddr_t;      /* struct sockaddr_in, as Linux lays it out */
typedef char *unix_sockopt_t;       /* an int or a struct timeval */
#define UNIX_SOCKADDR_IN_SIZE 16u     /* the only address the calls take */
#define UNIX_SOCKADDR_MAX 128u        /* unix_sockaddr_t's bytes at most */
#define UNIX_SOCKOPT_MAX 16u          /* unix_sockopt_t's bytes at most */
/* Descriptors one poll looks at, at most. */
#define UNIX_POLL_MAX 256u
/* poll's events: Linux's values, as <poll.h> has them. */
#define UNIX_POLLIN 0x001
#define UNIX_POLLPRI 0x002
#define UNIX_POLLOUT 0x004
#define UNIX_POLLERR 0x008
#define UNIX_POLLHUP 0x010
#define UNIX_POLLNVAL 0x020
/* proc.defs's. */
typedef char *proc_command_t;
typedef int32_t *proc_pids_t;

/* Bytes one read, write or getdents moves at most (in line). */
#define UNIX_IO_MAX 4096u

/* Processes the servers keep at once, zombies included. */
#define UNIX_PROC_MAX 128u
/* Pids are 1 .. UNIX_PID_MAX - 1. */
#define UNIX_PID_MAX 30000
/* Children one process may have at once (the fork bomb's bound). */
#define UNIX_CHILD_MAX 64u
/* Descriptors of one process: 0 .. UNIX_OPEN_MAX - 1. */
#define UNIX_OPEN_MAX 64
/* Bytes of execve's arguments and environment together. */
#define UNIX_ARGS_MAX (64u * 1024u)
/* Bytes a pipe holds. */
#define UNIX_PIPE_SIZE 4096u

/*
 * One process in the process server's table (proc.defs: list, and
 * libc's getprocs).  Its memory is its task's (task_info): the bytes
 * mapped, and of those the bytes resident; 0 for a zombie.
 */
#define UNIX_PROC_RUNNING 'R'      /* live */
#define UNIX_PROC_STOPPED 'T'      /* stopped by a signal */
#define UNIX_PROC_ZOMBIE 'Z'       /* ended, not yet waited for */
#define UNIX_COMMAND_MAX 128       /* bytes of the command line, its NUL included */
struct unix_proc_info {
	int32_t pid, ppid, pgid, sid;
	int32_t state;             /* UNIX_PROC_* */
	int32_t status;            /* a zombie's wait status */
	uint64_t virtual_size;
	uint64_t resident_size;
	char command[UNIX_COMMAND_MAX];   /* the arguments, separated by spaces */
};

/* setattr's what. */
#define UNIX_ATTR_MODE 1
#define UNIX_ATTR_OWNER 2
#define UNIX_ATTR_TIMES 3
#define UNIX_ATTR_SIZE 4
#define UNIX_ATTR_NOFOLLOW 0x100   /* with one of the above */

/* reboot's how. */
#define UNIX_REBOOT_HALT 0
#define UNIX_REBOOT_RESTART 1

/* setid's which. */
#define UNIX_SETUID 0
#define UNIX_SETEUID 1
#define UNIX_SETGID 2
#define UNIX_SETEGID 3

/* wait4's options. */
#define UNIX_WNOHANG 1
#define UNIX_WUNTRACED 2           /* a child stopped is told too */
#define UNIX_WCONTINUED 8          /* a child continued is told too */

/* stat's and unlinkat's flags. */
#define UNIX_AT_SYMLINK_NOFOLLOW 0x100
#define UNIX_AT_REMOVEDIR 0x200

/* dup3's flag for dup2's meaning. */
#define UNIX_DUP2 0x40000000

/* One entry of getdents's answer; the next starts reclen bytes on (a
 * multiple of 8).  type is the file's type as d_type has it (DT_*). */
struct unix_dirent {
	uint64_t ino;
	uint64_t offset;       /* lseek here to go on after this entry */
	uint16_t reclen;
	uint8_t type;
	char name[];           /* NUL-terminated */
};
#define UNIX_DIRENT_SIZE(name_len) ((sizeof(struct unix_dirent) + (name_len) + 1 + 7) & ~7u)

/*
 * Signals (newlib's numbers, 1 .. UNIX_NSIG - 1; a set is a bit mask,
 * bit sig - 1).  sigaction's handler may also be UNIX_SIG_DFL or
 * UNIX_SIG_IGN; its flags are these, which newlib lacks
 * (libc/include/signal.h gives them their SA_ names).
 */
#define UNIX_NSIG 32
#define UNIX_SIG_DFL 0
#define UNIX_SIG_IGN 1
#define UNIX_SA_NOCLDSTOP 0x00000001   /* SIGCHLD: not for a child's stop or continue */
#define UNIX_SA_SIGINFO 0x00000004     /* the handler gets the signal's unix_siginfo */
#define UNIX_SA_ONSTACK 0x08000000     /* the handler runs on the alternate stack */
#define UNIX_SA_RESTART 0x10000000     /* a waiting call goes on after the handler */
#define UNIX_SA_NODEFER 0x40000000     /* the signal is not blocked in its handler */
#define UNIX_SA_RESETHAND 0x80000000   /* back to SIG_DFL when it is delivered */
#define UNIX_SIGBIT(sig) (1ull << ((sig) - 1))

/* mmap's protections and flags: Linux's values, as <sys/mman.h> has them. */
#define UNIX_PROT_READ 0x1
#define UNIX_PROT_WRITE 0x2
#define UNIX_PROT_EXEC 0x4
#define UNIX_MAP_SHARED 0x01
#define UNIX_MAP_PRIVATE 0x02
#define UNIX_MAP_FIXED 0x10
#define UNIX_MAP_ANONYMOUS 0x20

/* Where a signal came from (unix_siginfo.code): newlib's values, and
 * Linux's for those newlib lacks. */
#define UNIX_SI_USER 1             /* kill or raise */
#define UNIX_SI_TIMER 3            /* alarm or setitimer */
#define UNIX_SI_KERNEL 0x80        /* the system: a child's end, a pipe, ^C */
#define UNIX_SEGV_MAPERR 1         /* SIGSEGV: nothing mapped there */
#define UNIX_SEGV_ACCERR 2         /* SIGSEGV: against the mapping's protection */
#define UNIX_BUS_OBJERR 3          /* SIGBUS: no pager supplied the page */
/* sigaltstack's flags (newlib's and Linux's values), and its least size. */
#define UNIX_SS_ONSTACK 1
#define UNIX_SS_DISABLE 2
#define UNIX_MINSIGSTKSZ 2048

/* setitimer's timers: only the real-time one (SIGALRM) is kept. */
#define UNIX_ITIMER_REAL 0

/*
 * What the server pushes on a process's stack to run a handler, at sp
 * (below the red zone, or at the top of the alternate stack for an
 * UNIX_SA_ONSTACK action; sp + 8 a multiple of 16).  The thread starts in
 * libc's trampoline (at entry + UNIX_ENTRY_SIGTRAMP, below) at
 * UNIX_SIGTRAMP_ENTRY, with rsp = sp,
 * rdi = sig, rsi = handler, rdx = sp; the trampoline calls the handler
 * as handler(sig, &info if flags has UNIX_SA_SIGINFO else NULL, frame)
 * (with a reply port of its own: the interrupted call's reply comes to
 * the old one) and then executes the ud2 at its start with rsp = sp - 8.
 * The server takes that exception as sigreturn: the thread goes on with
 * regs and fpu, and the signal mask becomes mask again.  A handler may
 * change what it finds here.
 */
#define UNIX_SIGTRAMP_ENTRY 2     /* past the ud2 */

/*
 * Where a UNIX program's libc keeps the code the server needs to know,
 * at fixed offsets from its ELF entry point (libc/unix/start.c lays
 * them out), so that execve learns them without a call: the signal
 * trampoline, and [PROBE, PROBE_END), code that touches memory a call
 * was given: a bad access there is no signal but a jump to PROBE_FAULT,
 * which makes the call fail with EFAULT.
 */
#define UNIX_ENTRY_SIGTRAMP 32
#define UNIX_ENTRY_PROBE 64
#define UNIX_ENTRY_PROBE_FAULT 192
#define UNIX_ENTRY_PROBE_END 208
/* What an SA_SIGINFO handler's second argument points to: newlib's
 * siginfo_t, value the faulting address for a fault (si_addr). */
struct unix_siginfo {
	int32_t signo;
	int32_t code;          /* UNIX_SI_*, UNIX_SEGV_*, UNIX_BUS_* */
	uint64_t value;
};

struct unix_sigframe {
	uint64_t sig;
	uint64_t handler;
	uint64_t mask;         /* the mask before the signal */
	uint64_t flags;        /* the action's UNIX_SA_* */
	struct unix_siginfo info;
	struct x86_64_thread_state regs;
	struct x86_64_float_state fpu;
};
