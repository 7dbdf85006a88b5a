/* Many processes: fork, exec and wait hundreds of times; a fork bomb
 * meets the process limit and the system goes on. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static void fork_wait_many(void)
{
	int good = 0;

	for (int i = 0; i < 300; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		int status = -1;
		good += pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
			WEXITSTATUS(status) == (i & 0xff);
	}
	CHECK(good == 300, "300_fork_exit_wait");
}

static void exec_wait_many(const char *self)
{
	int good = 0;

	for (int i = 0; i < 100; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			char code[8];
			snprintf(code, sizeof(code), "%d", i);
			char *argv[] = { (char *)self, "role=exit", code, NULL };
			execve(self, argv, argv + 3);
			_exit(255);
		}
		int status = -1;
		good += waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
			WEXITSTATUS(status) == i;
	}
	CHECK(good == 100, "100_fork_execve_wait");
}

/* Children that sleep until killed, until fork refuses. */
static void fork_bomb(void)
{
	static pid_t pids[200];
	int n = 0;
	pid_t pid;

	while (n < 200 && (pid = fork()) != -1) {
		if (pid == 0)
			for (;;)
				sleep(1000);
		pids[n++] = pid;
	}
	CHECK(n < 200 && errno == EAGAIN, "fork_stops_at_the_process_limit_with_EAGAIN");
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	int reaped = 0, status;
	while (wait(&status) > 0)
		reaped++;
	CHECK(reaped == n, "every_child_of_the_bomb_is_reaped");
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork_works_again_after_the_bomb");
}

void stress_tests(const char *self)
{
	fork_wait_many();
	exec_wait_many(self);
	fork_bomb();
}
