/* Signals: actions, masks, delivery to a running or waiting process,
 * default actions, and the signals the server sends itself. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile int caught[NSIG];
static volatile int last_sig;

static void count(int sig)
{
	caught[sig]++;
	last_sig = sig;
}

static void reset(void)
{
	memset((void *)caught, 0, sizeof(caught));
	last_sig = 0;
}

static int on(int sig, void (*handler)(int), int flags)
{
	struct sigaction act = { .sa_handler = handler, .sa_flags = flags };
	sigemptyset(&act.sa_mask);
	return sigaction(sig, &act, NULL);
}

static sigset_t just(int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	return set;
}

/* A timer's SIGALRM after ms milliseconds. */
static void alarm_in_ms(long ms)
{
	struct itimerval t = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &t, NULL);
}

static void actions(void)
{
	struct sigaction old;

	CHECK(on(SIGUSR1, count, 0) == 0, "sigaction_sets_a_handler");
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == count,
	      "sigaction_reports_the_handler");
	CHECK_ERR(on(SIGKILL, count, 0), EINVAL, "sigaction_on_SIGKILL_is_EINVAL");
	CHECK_ERR(on(SIGSTOP, SIG_IGN, 0), EINVAL, "sigaction_on_SIGSTOP_is_EINVAL");
	CHECK_ERR(on(NSIG, count, 0), EINVAL, "sigaction_on_no_signal_is_EINVAL");
	CHECK_ERR(on(0, count, 0), EINVAL, "sigaction_on_signal_0_is_EINVAL");
	reset();
	CHECK(raise(SIGUSR1) == 0 && caught[SIGUSR1] == 1, "raise_runs_the_handler_before_it_returns");
	CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR && raise(SIGUSR2) == 0, "ignored_signal_does_nothing");
	CHECK(signal(SIGUSR2, SIG_DFL) == SIG_IGN, "signal_returns_the_old_action");
	CHECK_ERR(kill(getpid(), 99), EINVAL, "kill_with_no_such_signal_is_EINVAL");
}

static void masks(void)
{
	sigset_t set = just(SIGUSR1), old, pending;

	reset();
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0 && !sigismember(&old, SIGUSR1),
	      "sigprocmask_blocks");
	raise(SIGUSR1);
	CHECK(caught[SIGUSR1] == 0, "blocked_signal_waits");
	CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1),
	      "sigpending_shows_it");
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0 && caught[SIGUSR1] == 1,
	      "unblocking_delivers_before_sigprocmask_returns");
	sigset_t all;
	sigfillset(&all);
	CHECK(sigprocmask(SIG_SETMASK, &all, NULL) == 0 && sigprocmask(SIG_SETMASK, &old, &set) == 0 &&
		      !sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP),
	      "SIGKILL_and_SIGSTOP_cannot_be_blocked");
	CHECK_ERR(sigprocmask(42, &set, NULL), EINVAL, "sigprocmask_with_unknown_how_is_EINVAL");

	/* sigsuspend: the pending signal runs, the mask comes back. */
	reset();
	set = just(SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERR(sigsuspend(&none), EINTR, "sigsuspend_returns_EINTR_after_a_handler");
	CHECK(caught[SIGUSR1] == 1 && sigprocmask(SIG_SETMASK, NULL, &old) == 0 &&
		      sigismember(&old, SIGUSR1), "sigsuspend_restores_the_mask");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* A handler that raises another: both run, the inner one first. */
static volatile int order[2], order_n;
static void inner(int sig) { order[order_n++ & 1] = sig; }
static void outer(int sig)
{
	raise(SIGUSR2);
	order[order_n++ & 1] = sig;
}

static void nesting(void)
{
	order_n = 0;
	on(SIGUSR1, outer, 0);
	on(SIGUSR2, inner, 0);
	raise(SIGUSR1);
	CHECK(order_n == 2 && order[0] == SIGUSR2 && order[1] == SIGUSR1,
	      "a_handler_can_take_another_signal");
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* Asynchronous: SIGALRM stops a loop that makes no call, and its
 * registers (the FPU's too) are the same after. */
static void running(void)
{
	reset();
	on(SIGALRM, count, 0);
	struct itimerval t = { { 0, 2000 }, { 0, 2000 } };   /* every 2 ms */
	setitimer(ITIMER_REAL, &t, NULL);
	volatile double sum = 0;
	for (long i = 1; caught[SIGALRM] < 10; i++)
		sum += 1.0 / (double)(i % 1000 + 1);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	CHECK(caught[SIGALRM] >= 10, "SIGALRM_interrupts_a_running_loop");
	double a = 0, b = 0;
	for (int i = 1; i < 3000000; i++) {
		a += 1.0 / i;
		if (i == 1000000)
			alarm_in_ms(1);   /* lands in the middle of the next loop's work */
	}
	for (int i = 1; i < 3000000; i++)
		b += 1.0 / i;
	CHECK(a == b && caught[SIGALRM] >= 11, "registers_and_fpu_survive_a_handler");
	CHECK(alarm(5) == 0 && alarm(0) >= 4, "alarm_returns_what_was_left");
	signal(SIGALRM, SIG_DFL);
}

/* A call that waits is interrupted: -EINTR, or it goes on with SA_RESTART. */
static void waiting(void)
{
	int fds[2];
	char c;

	pipe(fds);
	reset();
	on(SIGALRM, count, 0);
	alarm_in_ms(20);
	CHECK_ERR(read(fds[0], &c, 1), EINTR, "read_of_a_pipe_is_interrupted_EINTR");
	CHECK(caught[SIGALRM] == 1, "its_handler_ran");

	struct timespec ts = { 5, 0 }, left = { 0, 0 };
	alarm_in_ms(20);
	CHECK_ERR(nanosleep(&ts, &left), EINTR, "nanosleep_is_interrupted_EINTR");
	CHECK(left.tv_sec >= 4, "nanosleep_reports_what_is_left");

	reset();
	on(SIGALRM, count, SA_RESTART);
	pid_t child = fork();
	if (child == 0) {
		usleep(100000);
		write(fds[1], "r", 1);
		_exit(0);
	}
	alarm_in_ms(20);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'r' && caught[SIGALRM] == 1,
	      "SA_RESTART_read_goes_on_after_the_handler");
	int status;
	waitpid(child, &status, 0);
	child = fork();
	if (child == 0) {
		usleep(100000);
		_exit(0);
	}
	alarm_in_ms(20);
	CHECK(waitpid(child, &status, 0) == child && caught[SIGALRM] == 2,
	      "SA_RESTART_waitpid_goes_on");
	close(fds[0]);
	close(fds[1]);
	signal(SIGALRM, SIG_DFL);
}

/* Default actions, and signals between processes. */
static void between(void)
{
	pid_t child = fork();
	if (child == 0) {
		raise(SIGTERM);
		_exit(0);
	}
	int status = status_of(child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "default_action_ends_the_process");

	int fds[2];
	pipe(fds);
	child = fork();
	if (child == 0) {
		signal(SIGUSR1, (void (*)(int))_exit);   /* _exit(SIGUSR1) */
		write(fds[1], "r", 1);
		for (;;)
			pause();
	}
	char c;
	read(fds[0], &c, 1);
	CHECK(kill(child, SIGUSR1) == 0, "kill_another_process");
	status = status_of(child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == SIGUSR1, "its_handler_ran_in_it");

	child = fork();
	if (child == 0) {
		close(fds[0]);
		write(fds[1], "x", 1);   /* a reader is left: the parent's */
		_exit(0);
	}
	status_of(child);
	read(fds[0], &c, 1);
	close(fds[0]);
	child = fork();
	if (child == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	status = status_of(child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "write_with_no_reader_is_SIGPIPE");
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(fds[1], "x", 1), EPIPE, "SIGPIPE_ignored_gives_EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);

	reset();
	on(SIGCHLD, count, 0);
	child = fork();
	if (child == 0)
		_exit(3);
	sigset_t none;
	sigemptyset(&none);
	sigset_t chld = just(SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if (caught[SIGCHLD] == 0)
		sigsuspend(&none);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	CHECK(caught[SIGCHLD] == 1 && status_of(child) == 3 << 8, "SIGCHLD_when_a_child_ends");
	signal(SIGCHLD, SIG_DFL);
}

/* An address nothing is mapped at (the first page). */
static volatile int *volatile unmapped = (volatile int *)8;

/* SIGSEGV from a bad access reaches a handler, which leaves by longjmp. */
static jmp_buf escape;
static void segv(int sig)
{
	longjmp(escape, sig);
}

static void faults(void)
{
	on(SIGSEGV, segv, SA_NODEFER);
	int sig = setjmp(escape);
	if (sig == 0)
		*unmapped = 1;
	CHECK(sig == SIGSEGV, "SIGSEGV_handler_runs_on_a_bad_access");
	signal(SIGSEGV, SIG_DFL);

	pid_t child = fork();
	if (child == 0) {
		*unmapped = 1;
		_exit(0);
	}
	int status = status_of(child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "uncaught_SIGSEGV_ends_it");

}

/* ^C on the terminal (tests/boot/unix.sh types it after the prompt):
 * SIGINT to the foreground group, which ends the read waiting for a
 * line. */
static void terminal(void)
{
	char line[16];

	reset();
	on(SIGINT, count, 0);
	on(SIGALRM, count, 0);
	alarm(20);   /* no ^C: the read ends anyway, and the checks fail */
	printf("# unixtest: type ^C\n");
	fflush(stdout);
	CHECK_ERR(read(0, line, sizeof(line)), EINTR, "ctrl_c_interrupts_a_terminal_read");
	alarm(0);
	CHECK(caught[SIGINT] == 1 && caught[SIGALRM] == 0, "ctrl_c_is_SIGINT_to_the_foreground");
	signal(SIGINT, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
}

void signal_tests(void)
{
	terminal();
	actions();
	masks();
	nesting();
	running();
	waiting();
	between();
	faults();
}
