/*
 * The UNIX emulation server's state (docs/unix.md).
 *
 * A process (struct proc) is a task plus the UNIX state the server keeps
 * for it: its pid and parent, its descriptors, working directory, umask,
 * credentials, and its exit status once it has ended.  The process port
 * is a receive right of the server's in its port set; the process's task
 * holds the only send rights, so a request on it is the process's own.
 *
 *   FREE --fork/spawn--> LIVE --exit, a fatal signal, its task's death--> FREE
 *
 * (the process server keeps the zombie for the parent's wait).
 *
 * A descriptor (struct fd_slot) points to an open file (struct file),
 * which fork and dup share: its kind says what serves it (the file
 * server, the terminal, a pipe, the network server for a socket, or
 * nothing for /dev/null).
 *
 * A request that cannot be answered at once (a read of an empty pipe, a
 * wait for a child still running, a write to the terminal) is a struct
 * pending: the reply port kept and the answer sent later with the
 * builders of unix_reply.defs.
 *
 * The server is one thread; nothing here is shared between threads.
 */
#pragma once

#include <mach/mach.h>
#include <fs.h>
#include <proc.h>
#include <mach/fs_types.h>
#include <mach/unix_types.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct pipe;
struct socket_file;

#define PAGE 4096ull                /* the machine's page size */
#define USER_LIMIT 0x0000800000000000ull   /* the end of the user half */

enum file_kind { FILE_FS, FILE_TERM, FILE_PIPE_READ, FILE_PIPE_WRITE, FILE_NULL, FILE_SOCKET };

struct file {
	unsigned refs;              /* descriptors, in any process, that point here */
	enum file_kind kind;
	int flags;                  /* O_ACCMODE, O_APPEND, O_NONBLOCK */
	mach_port_t port;           /* FILE_FS: the open file; FILE_TERM: the terminal;
				     * FILE_SOCKET: the network server's socket */
	struct pipe *pipe;          /* FILE_PIPE_*: the pipe */
	struct socket_file *socket; /* FILE_SOCKET: its state here (socket.c) */
	bool directory;             /* FILE_FS: a directory (getdents) */
	uint64_t dir_cookie;        /* FILE_FS directory: where getdents goes on */
};

struct fd_slot {
	struct file *file;          /* NULL: free */
	bool cloexec;
};

enum proc_state { PROC_FREE, PROC_LIVE };

/* What a process does with a signal (sigaction). */
struct sig_action {
	uint64_t handler;           /* UNIX_SIG_DFL, UNIX_SIG_IGN, or the function */
	uint64_t mask;              /* blocked while it runs */
	int32_t flags;              /* UNIX_SA_* */
};

struct proc {
	enum proc_state state;
	pid_t pid;                  /* the process server's (its family is kept there) */
	mach_port_t port;           /* the process port (receive right) */
	task_t task;                /* the task running it now */
	struct fd_slot fds[UNIX_OPEN_MAX];
	mach_port_t cwd;            /* the working directory, open on the file server */
	char cwd_path[FS_PATH_MAX];
	mode_t umask;
	uid_t uid, euid;
	gid_t gid, egid;
	char command[64];           /* the program's name, for ps */
	thread_t thread;            /* its one thread (libc is single-threaded) */
	struct sig_action actions[UNIX_NSIG];
	uint64_t sigmask;           /* blocked signals */
	uint64_t sigpending;        /* sent and not delivered yet */
	uint64_t sigtramp;          /* libc's signal trampoline (struct unix_sigframe) */
	uint64_t probe, probe_end;  /* libc's code that touches a call's memory (UNIX_ENTRY_*) */
	uint64_t probe_fault;       /* where a fault there goes on: EFAULT */
	bool stopped;               /* by a stop signal, until SIGCONT */
	bool suspending;            /* in sigsuspend: its answer waits, the mask is old_mask's */
	mach_port_t suspend_reply;
	uint64_t suspend_old_mask;
	struct unix_siginfo siginfo[UNIX_NSIG];   /* where each pending signal came from */
	uint64_t altstack, altstack_size;         /* sigaltstack; size 0: none */
	uint64_t alarm_ns;          /* when SIGALRM is due (mach_clock_ns), 0: never */
	uint64_t alarm_interval_ns; /* and then every this often, if not 0 */
};

/* The process a request came from (a live one's port): every handler of
 * unix.defs begins here. */
#define EMUL_CALLER(p, port)                         \
	struct proc *p = proc_lookup(port);          \
	if (p == NULL)                               \
		return KERN_INVALID_NAME

/* proc.c */
extern struct proc procs[UNIX_PROC_MAX];
extern bool proc_halt_after_init;   /* init-exit=halt */
extern mach_port_t proc_server;     /* the process server's admin port (proc.defs) */
extern mach_port_t proc_public;     /* and its public port, for any process */
struct proc *proc_lookup(mach_port_t port);
struct proc *proc_by_pid(pid_t pid);   /* a live process */
struct proc *proc_alloc(struct proc *parent, task_t task);
/* pid's parent, group and session from the process server (any may be
 * NULL): 0, or -errno. */
int proc_ids_of(pid_t pid, int32_t *ppid, int32_t *pgid, int32_t *sid);
/* sig to the live processes of group pgid (0: all but init), from
 * (NULL: the system, which may signal any): 0, or the errno of the
 * first refusal, or -ESRCH if there were none. */
int signal_group(struct proc *from, pid_t pgid, int sig);
void proc_free_port(struct proc *p);
void proc_terminate(struct proc *p, int status);
int proc_spawn_init(const char *path, char *const *env, unsigned envc);
kern_return_t proc_start_thread(struct proc *p, uint64_t entry, uint64_t stack, uint64_t arg);

/* exec.c */
int exec_program(struct proc *p, const char *path, const char *args, size_t args_size,
		 unsigned argc, unsigned envc);

/* fd.c */
struct file *file_new(enum file_kind kind, int flags);
void file_release(struct file *f);
int fd_install(struct proc *p, struct file *f, int from, bool cloexec);
struct file *fd_get(struct proc *p, int fd);
void fd_close_all(struct proc *p, bool only_cloexec);
void fd_copy(struct proc *to, const struct proc *from);
int fd_open_terminal(struct proc *p, int flags);

/* file.c: the file server */
extern mach_port_t fs_root;
int file_open_port(struct proc *p, const char *path, uint32_t fs_flags, uint32_t mode,
		   mach_port_t *port);
int file_read(struct file *f, uint32_t count, char *data, uint32_t *got);
int file_write(struct file *f, const char *data, uint32_t count);
int file_stat_port(mach_port_t port, struct fs_stat *st);
/* path's last name in name (FS_NAME_MAX + 1 bytes) and the directory it
 * is in, opened by p, in *dir: 0, or -errno (-EBUSY for "/"). */
int open_parent(struct proc *p, const char *path, mach_port_t *dir, char *name);
/* paths (size bytes) as two NUL-terminated paths, paths and *to; false
 * if it is anything else. */
bool two_paths(const char *paths, size_t size, const char **to);

/* term.c: the terminal */
extern mach_port_t term_port;
int terminal_read(struct proc *p, struct file *f, mach_port_t reply, uint32_t count);
int terminal_write(struct proc *p, struct file *f, mach_port_t reply, const char *data,
	       uint32_t count);
void term_cancel(struct proc *p, bool answer);
/* Whether a line typed waits to be read; if not and want, the driver is
 * asked for the next (kept for whoever reads next). */
bool term_readable(bool want);
extern pid_t term_foreground;     /* the terminal's foreground process group */
#define TERMINAL_SESSION 1          /* the session the terminal belongs to: init's */
/* term_foreground changed: reads held for it may go on. */
void term_foreground_changed(void);

/* pipe.c */
int pipe_create(struct file **read_end, struct file **write_end);
void pipe_close(struct file *f);
void pipe_cancel(struct proc *p, bool answer);
/* What the end f is ready for: UNIX_POLLIN, _OUT, _HUP, _ERR. */
int16_t pipe_poll(const struct file *f);
/* A read answered at once returns 0 with its bytes in data, *got of
 * them; a wait returns EMUL_LATER. */
int pipe_read(struct proc *p, struct file *f, mach_port_t reply, uint32_t count, char *data,
	      uint32_t *got);
int pipe_write(struct proc *p, struct file *f, mach_port_t reply, const char *data,
	       uint32_t count);

/* socket.c: sockets, served by the network server.  A socket's waits
 * are looked at again on each of its select answers, and at their
 * deadlines (socket_tick). */
extern uint64_t socket_next;        /* no socket wait's deadline comes before this */
int socket_read(struct proc *p, struct file *f, mach_port_t reply, uint32_t count);
int socket_write(struct proc *p, struct file *f, mach_port_t reply, const char *data,
		 uint32_t count);
/* What f is ready for, of events (and errors, hang-ups); if not, the
 * network server is asked to say when it is. */
int16_t socket_poll(struct file *f, int16_t events);
void socket_close(struct file *f);
void socket_cancel(struct proc *p, bool answer);
uint64_t socket_tick(uint64_t now);

/* poll.c: a poll that waits is looked at again after each message
 * (poll_sweep, while poll_waiting) and at its deadline (poll_tick). */
extern unsigned poll_waiting;
extern uint64_t poll_next;          /* no poll's deadline comes before this */
void poll_sweep(void);
uint64_t poll_tick(uint64_t now);
void poll_cancel(struct proc *p, bool answer);

/* wait.c */
void wait_child_changed(struct proc *parent);
void wait_cancel(struct proc *p, bool answer);

/*
 * signal.c.  A call of p's that waits (a read, a write, wait4) ends
 * when a signal interrupts it or p ends: answered -EINTR, or with what
 * it did so far, if answer (p goes on); dropped unanswered if not.
 */
extern bool signal_work;            /* a signal may be deliverable: signal_sweep */
void signal_post(struct proc *p, int sig);   /* from the system: UNIX_SI_KERNEL */
void signal_post_from(struct proc *p, int sig, int32_t code, uint64_t value);
/* Whether p ignores or blocks sig. */
bool signal_refused(const struct proc *p, int sig);
void signal_sweep(void);
void signal_fork(struct proc *child, const struct proc *parent);
void signal_exec(struct proc *p, uint64_t entry);
void signal_cancel(struct proc *p);
uint64_t signal_tick(void *arg, uint64_t now);
extern uint64_t alarm_next;         /* no alarm is due before this */
void term_interrupted(void);

/* main.c */
extern mach_port_t emul_port_set;
extern mach_port_t names_port;
/* An answer will be sent later, or need not be: what a call's helper
 * returns then, in place of a count or -errno (which it can be none of). */
#define EMUL_LATER INT32_MIN
int emul_errno(kern_return_t kr);
/* A new receive right in the port set, for the answers of one request. */
kern_return_t emul_reply_port(mach_port_t *port);
void emul_reply_port_free(mach_port_t port);
