/* Processes: ids, fork, exec, wait, exit status, kill, hardware signals. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* The wait status of a child that ran fn. */
static int child_status(void (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(99);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* An address no program maps, as the compiler cannot see through. */
volatile uintptr_t unmapped = 8;

static void segv(void)
{
	*(volatile int *)unmapped = 1;
}

static void sleep_forever(void)
{
	for (;;)
		sleep(1000);
}

static void ids_and_fork(void)
{
	pid_t me = getpid();
	int fds[2];

	CHECK(me > 0, "getpid_is_positive");
	pipe(fds);
	pid_t pid = fork();
	if (pid == 0) {
		pid_t ids[2] = { getpid(), getppid() };
		write(fds[1], ids, sizeof(ids));
		_exit(7);
	}
	pid_t ids[2] = { 0, 0 };
	read(fds[0], ids, sizeof(ids));
	close(fds[0]);
	close(fds[1]);
	CHECK(pid > 0 && ids[0] == pid && ids[1] == me, "the_child_has_its_pid_and_its_parent");
	int status = -1;
	CHECK(wait(&status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "wait_gives_the_exit_status");
	CHECK_ERR(wait(&status), ECHILD, "wait_with_no_children_is_ECHILD");
	CHECK_ERR(waitpid(-1, &status, 0x4000), EINVAL, "waitpid_with_unknown_options_is_EINVAL");
}

static void memory_is_copied(void)
{
	static volatile int shared = 1;
	pid_t pid = fork();

	if (pid == 0) {
		shared = 2;
		_exit(shared);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WEXITSTATUS(status) == 2 && shared == 1, "a_child_writes_its_own_copy");
}

static void nohang(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		sleep_forever();
	CHECK(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG_with_a_running_child_gives_0");
	CHECK(kill(pid, SIGTERM) == 0, "kill");
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGTERM, "a_killed_child_ends_by_its_signal");
	CHECK_ERR(kill(pid, SIGTERM), ESRCH, "kill_of_a_reaped_pid_is_ESRCH");
	CHECK_ERR(kill(getpid(), 1000), EINVAL, "kill_with_a_bad_signal_is_EINVAL");
	CHECK(kill(getpid(), 0) == 0, "kill_0_checks_only");
}

static void hardware_signals(void)
{
	int status = child_status(segv);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "a_bad_store_ends_the_child_with_SIGSEGV");
}

static void exec(const char *self)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)self, "role=args", "a", "b c", NULL };
		char *envp[] = { "PAGODA=yes", NULL };
		execve(self, argv, envp);
		_exit(3);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 44,
	      "execve_passes_arguments_and_environment");
	pid = fork();
	if (pid == 0) {
		char *none[] = { NULL };
		char *envp[] = { "PAGODA=yes", NULL };
		execve(self, none, envp);
		_exit(3);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 60,
	      "execve_with_no_arguments_keeps_the_environment");
	char *argv[] = { "x", NULL };
	CHECK_ERR(execve("/nonexistent", argv, argv), ENOENT, "execve_of_a_missing_file_is_ENOENT");
	CHECK_ERR(execve("/etc/motd", argv, argv), EACCES,
		  "execve_of_a_file_without_x_is_EACCES");
	CHECK_ERR(execve("/tmp", argv, argv), EACCES, "execve_of_a_directory_is_EACCES");
	/* Files that are executable but not programs this system runs. */
	static const struct { const char *bytes; size_t size; const char *name; } bad[] = {
		{ "hello, world\n", 13, "execve_of_text_is_ENOEXEC" },
		{ "\177ELF\2\1\1", 7, "execve_of_a_truncated_ELF_is_ENOEXEC" },
		{ "\177ELF\1\1\1\0\0\0\0\0\0\0\0\0\2\0\3\0", 20, "execve_of_a_32_bit_ELF_is_ENOEXEC" },
		{ "", 0, "execve_of_an_empty_file_is_ENOEXEC" },
		{ "#!/tmp/bad\n", 11, "execve_of_a_script_whose_interpreter_is_a_script_is_ENOEXEC" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = open("/tmp/bad", O_WRONLY | O_CREAT | O_TRUNC, 0755);
		write(fd, bad[i].bytes, bad[i].size);
		close(fd);
		CHECK_ERR(execve("/tmp/bad", argv, argv), ENOEXEC, bad[i].name);
	}
	unlink("/tmp/bad");
	CHECK(getpid() > 0, "the_caller_survives_every_failed_execve");
}

static void script(const char *self)
{
	char line[160];
	int fd = open("/tmp/script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	int status = -1;

	snprintf(line, sizeof(line), "#!%s role=script\necho never\n", self);
	write(fd, line, strlen(line));
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "script", "one", "two", NULL };
		execve("/tmp/script", argv, argv + 3);
		_exit(3);
	}
	waitpid(pid, &status, 0);
	/* interpreter, role=script, /tmp/script, one, two: argc 5. */
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 55,
	      "a_hash_bang_script_runs_its_interpreter");
	unlink("/tmp/script");
}

void process_tests(const char *self)
{
	ids_and_fork();
	memory_is_copied();
	nohang();
	hardware_signals();
	exec(self);
	script(self);
}
