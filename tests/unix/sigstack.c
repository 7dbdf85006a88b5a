/*
 * SA_SIGINFO (where a signal came from, a fault's address) and the
 * alternate signal stack (SA_ONSTACK), with which a process survives
 * its stack's overflow.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static int *volatile unmapped = (int *)24;
static siginfo_t got;
static bool got_info;
static jmp_buf escape;

static void with_info(int sig, siginfo_t *info, void *context)
{
	(void)context;
	got_info = info != NULL;
	if (info != NULL)
		got = *info;
	if (sig == SIGSEGV)
		longjmp(escape, 1);
}

static void on_info(int sig, int flags)
{
	struct sigaction sa = { .sa_handler = (void (*)(int))(void (*)(void))with_info, .sa_flags = flags };
	sigaction(sig, &sa, NULL);
}

static void siginfo(void)
{
	on_info(SIGUSR1, SA_SIGINFO);
	kill(getpid(), SIGUSR1);
	CHECK(got_info && got.si_signo == SIGUSR1 && got.si_code == SI_USER,
	      "SA_SIGINFO_says_kill_sent_it");
	on_info(SIGUSR1, 0);
	kill(getpid(), SIGUSR1);
	CHECK(!got_info, "without_SA_SIGINFO_the_info_is_NULL");
	on_info(SIGSEGV, SA_SIGINFO | SA_NODEFER);
	if (setjmp(escape) == 0)
		*unmapped = 1;
	CHECK(got_info && got.si_signo == SIGSEGV && got.si_code == SEGV_MAPERR &&
		      got.si_addr == (void *)24, "a_fault's_info_has_its_address");
	signal(SIGSEGV, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

static char *alt;
static volatile uintptr_t handler_sp;
static volatile int handler_flags, handler_change;

static void where(int sig)
{
	stack_t now;
	int local = sig;

	handler_sp = (uintptr_t)&local;
	sigaltstack(NULL, &now);
	handler_flags = now.ss_flags;
	handler_change = sigaltstack(&now, NULL) == -1 && errno == EPERM;
}

/* Deeper than the 8 MiB stack goes. */
static int depth(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	return n > 1000000 ? 0 : depth(n + 1) + pad[0];
}

static void overflowed(int sig)
{
	_exit(sig == SIGSEGV ? 42 : 1);
}

static void altstack(void)
{
	stack_t ss = { .ss_sp = malloc(SIGSTKSZ), .ss_size = SIGSTKSZ }, old;
	struct sigaction sa = { .sa_handler = where, .sa_flags = SA_ONSTACK };

	alt = ss.ss_sp;
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE, "no_alternate_stack_at_first");
	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack_sets_one");
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	CHECK(handler_sp > (uintptr_t)alt && handler_sp < (uintptr_t)alt + SIGSTKSZ &&
		      handler_flags == SS_ONSTACK, "an_SA_ONSTACK_handler_runs_on_it");
	CHECK(handler_change, "which_cannot_be_changed_while_in_use");
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	CHECK(handler_sp < (uintptr_t)alt || handler_sp >= (uintptr_t)alt + SIGSTKSZ,
	      "another_handler_runs_on_the_usual_stack");
	signal(SIGUSR2, SIG_DFL);
	ss.ss_size = 100;
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM, "a_stack_too_small_is_ENOMEM");
	ss.ss_flags = 7;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL, "unknown_flags_are_EINVAL");
	pid_t child = fork();
	if (child == 0) {
		struct sigaction segv = { .sa_handler = overflowed, .sa_flags = SA_ONSTACK };
		sigaction(SIGSEGV, &segv, NULL);
		_exit(depth(0));
	}
	CHECK(status_of(child) == 42 << 8, "a_stack_overflow's_handler_runs_on_the_alternate_stack");
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0 && sigaltstack(NULL, &old) == 0 &&
		      old.ss_flags == SS_DISABLE, "SS_DISABLE_removes_it");
	free(alt);
}

void sigstack_tests(void)
{
	siginfo();
	altstack();
}
