/* Sessions, process groups, the terminal's foreground group; uname,
 * ttyname, access. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static void groups(void)
{
	pid_t me = getpid();

	CHECK(getpgrp() == me && getsid(0) == me, "init_leads_its_group_and_session");
	CHECK_ERR(setsid(), EPERM, "a_group_leader_cannot_setsid");
	CHECK_ERR(getpgid(29999), ESRCH, "getpgid_of_no_process_is_ESRCH");
	CHECK_ERR(setpgid(0, -1), EINVAL, "setpgid_to_a_negative_group_is_EINVAL");
	CHECK_ERR(setpgid(29999, 0), ESRCH, "setpgid_of_a_stranger_is_ESRCH");

	int fds[2];
	pipe(fds);
	pid_t child = fork();
	if (child == 0) {
		char c;
		read(fds[0], &c, 1);   /* until the parent has moved it */
		_exit(getpgrp() == getpid() ? 0 : 1);
	}
	CHECK(setpgid(child, 0) == 0 && getpgid(child) == child, "setpgid_makes_a_child_a_group");
	CHECK(tcsetpgrp(0, child) == 0 && tcgetpgrp(0) == child,
	      "tcsetpgrp_gives_the_terminal_to_it");
	CHECK(tcsetpgrp(0, me) == 0 && tcgetpgrp(0) == me, "and_back");
	CHECK_ERR(tcsetpgrp(0, 29999), EPERM, "tcsetpgrp_to_no_group_is_EPERM");
	CHECK_ERR(setpgid(child, 29999), EPERM, "setpgid_to_no_such_group_is_EPERM");
	write(fds[1], "x", 1);
	CHECK(status_of(child) == 0, "the_child_saw_its_own_group");

	child = fork();
	if (child == 0) {
		pid_t sid = setsid();
		bool ok = sid == getpid() && getsid(0) == sid && getpgrp() == sid;
		errno = 0;
		ok &= tcgetpgrp(0) == -1 && errno == ENOTTY;   /* no terminal now */
		_exit(ok ? 0 : 1);
	}
	CHECK(status_of(child) == 0, "setsid_makes_a_session_without_the_terminal");
	CHECK_ERR(tcgetpgrp(fds[0]), ENOTTY, "tcgetpgrp_of_a_pipe_is_ENOTTY");
	CHECK_ERR(tcgetpgrp(99), EBADF, "tcgetpgrp_of_no_descriptor_is_EBADF");
	close(fds[0]);
	close(fds[1]);
}

static void names(void)
{
	struct utsname u;

	CHECK(uname(&u) == 0 && strcmp(u.sysname, "Pagoda") == 0 &&
		      strcmp(u.machine, "x86_64") == 0, "uname");
	CHECK_ERR(uname((void *)8), EFAULT, "uname_into_a_bad_record_is_EFAULT");
	CHECK(ttyname(0) != NULL && strcmp(ttyname(0), "/dev/console") == 0, "ttyname_of_the_terminal");
	int fds[2];
	pipe(fds);
	CHECK(ttyname(fds[0]) == NULL && errno == ENOTTY, "ttyname_of_a_pipe_is_ENOTTY");
	close(fds[0]);
	close(fds[1]);
}

static void access_calls(void)
{
	CHECK(access("/bin/unixtest", R_OK | X_OK) == 0, "access_to_a_program");
	CHECK(access("/", R_OK | W_OK | X_OK) == 0, "root_may_write_the_root");
	CHECK_ERR(access("/no/such", F_OK), ENOENT, "access_to_nothing_is_ENOENT");
	CHECK_ERR(access("/", 0x40), EINVAL, "access_with_unknown_mode_is_EINVAL");
	int fd = open("/tmp/plain", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	close(fd);
	CHECK_ERR(access("/tmp/plain", X_OK), EACCES, "a_file_no_one_may_run_is_EACCES");
	unlink("/tmp/plain");
}

/*
 * A background group's read of the terminal: SIGTTIN stops its process
 * (or EIO if it ignores the signal); given the terminal and continued,
 * the read takes the next line (tests/boot/unix.sh types it).
 */
static void background(void)
{
	int status = 0;
	pid_t child = fork();

	if (child == 0) {
		char line[16] = { 0 };
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		bool eio = read(0, line, sizeof(line)) == -1 && errno == EIO;
		signal(SIGTTIN, SIG_DFL);
		ssize_t n = read(0, line, sizeof(line) - 1);
		_exit(eio && n == 8 && strcmp(line, "fg line\n") == 0 ? 0 : 1);
	}
	CHECK(waitpid(child, &status, WUNTRACED) == child && WIFSTOPPED(status) &&
		      WSTOPSIG(status) == SIGTTIN,
	      "a_background_read_stops_the_process_with_SIGTTIN");
	CHECK(tcsetpgrp(0, child) == 0 && kill(child, SIGCONT) == 0,
	      "fg_gives_it_the_terminal_and_continues_it");
	printf("# unixtest: type for the background child\n");
	fflush(stdout);
	status = status_of(child);
	tcsetpgrp(0, getpgrp());
	CHECK(status == 0, "its_read_takes_the_next_line_and_EIO_when_SIGTTIN_is_ignored");
}

void session_tests(void)
{
	groups();
	background();
	names();
	access_calls();
}
