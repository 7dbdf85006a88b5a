/*
 * unixbench: the UNIX personality's figures for `make bench`
 * (tests/boot/unix-bench.sh), as issue 11 and docs/performance.md name
 * them.  Under -icount shift=0,sleep=off a guest rdtsc difference is the
 * number of guest instructions; each figure is a loop's count divided by
 * its rounds, after rounds that warm the caches (the program's pages in
 * the file server, the server's tables).  The file figures are taken
 * apart from the rest (bench_file.c): a fault on a mapped file served
 * from the file server's cache, and a read of 16 MiB that waits for the
 * disk, with the processor's halted time taken off.  Prints "BENCH name
 * value" lines; as init under init-exit=halt it stops the machine.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

bool failed;

static void report(const char *name, uint64_t start, unsigned rounds)
{
	printf("BENCH %s %lu\n", name, (unsigned long)((rdtsc() - start) / rounds));
}

void must(bool ok, const char *what)
{
	if (!ok) {
		printf("unixbench: %s failed\n", what);
		failed = true;
	}
}

static void getpid_figure(void)
{
	for (int i = 0; i < 100; i++)
		getpid();
	uint64_t start = rdtsc();
	for (int i = 0; i < 1000; i++)
		getpid();
	report("unix_getpid_instructions", start, 1000);
}

/* One child: started as what says (exit at once, or exec /bin/true). */
static bool child_round(bool exec)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "true", NULL };
		if (exec)
			execve("/bin/true", argv, environ);
		_exit(exec ? 127 : 0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
}

static void fork_figures(void)
{
	bool ok = true;

	for (int exec = 0; exec < 2; exec++) {
		for (int i = 0; i < 3; i++)
			ok &= child_round(exec);
		uint64_t start = rdtsc();
		for (int i = 0; i < 20; i++)
			ok &= child_round(exec);
		must(ok, exec ? "fork+execve+wait" : "fork+_exit+wait");
		report(exec ? "unix_fork_execve_wait_instructions"
			    : "unix_fork_exit_wait_instructions", start, 20);
	}
}

/* A byte to a child through one pipe and back through another. */
static void pipe_figure(void)
{
	int there[2], back[2];
	char c = 'x';

	must(pipe(there) == 0 && pipe(back) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		close(there[1]);
		while (read(there[0], &c, 1) == 1)
			write(back[1], &c, 1);
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	bool ok = true;
	uint64_t start = 0;
	for (int i = 0; i < 1100; i++) {
		if (i == 100)
			start = rdtsc();
		ok &= write(there[1], &c, 1) == 1 && read(back[0], &c, 1) == 1;
	}
	report("unix_pipe_round_trip_instructions", start, 1000);
	must(ok, "the pipe round trip");
	close(there[1]);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	getpid_figure();
	fork_figures();
	pipe_figure();
	file_fault_figure();
	file_read_figure();
	fflush(stdout);
	return failed ? 1 : 0;
}
