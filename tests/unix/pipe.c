/* Pipes, in one process and between two. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static void one_process(void)
{
	int fds[2];
	char buf[8];

	CHECK(pipe(fds) == 0, "pipe");
	CHECK(write(fds[1], "hello", 5) == 5 && read(fds[0], buf, sizeof(buf)) == 5 &&
		      memcmp(buf, "hello", 5) == 0, "pipe_carries_bytes");
	CHECK_ERR(write(fds[0], "x", 1), EBADF, "write_to_the_read_end_is_EBADF");
	CHECK_ERR(lseek(fds[0], 0, SEEK_SET), ESPIPE, "lseek_on_a_pipe_is_ESPIPE");
	CHECK(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0, "fcntl_sets_O_NONBLOCK");
	CHECK_ERR(read(fds[0], buf, 1), EAGAIN, "read_of_an_empty_nonblocking_pipe_is_EAGAIN");
	CHECK(fcntl(fds[1], F_SETFL, O_NONBLOCK) == 0 && write(fds[1], "y", 1) == 1 &&
		      read(fds[0], buf, 1) == 1 && buf[0] == 'y',
	      "a_nonblocking_write_of_one_byte_is_answered");
	close(fds[1]);
	CHECK(read(fds[0], buf, 1) == 0, "read_with_no_writer_left_is_the_end");
	close(fds[0]);
	CHECK(pipe(fds) == 0, "a_second_pipe");
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);   /* signal.c sees the signal */
	CHECK_ERR(write(fds[1], "x", 1), EPIPE, "write_with_no_reader_left_is_EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);
	CHECK(pipe2(fds, O_CLOEXEC) == 0 && fcntl(fds[0], F_GETFD) == FD_CLOEXEC,
	      "pipe2_with_O_CLOEXEC");
	close(fds[0]);
	close(fds[1]);
	CHECK_ERR(pipe2(fds, 0x12345678), EINVAL, "pipe2_with_unknown_flags_is_EINVAL");
}

/* A child writes 100,000 bytes in pieces the size of the pipe and more;
 * the parent reads them all, in order, then the end. */
static void two_processes(void)
{
	int fds[2];
	static char buf[6000];

	pipe(fds);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		unsigned sent = 0;
		while (sent < 100000) {
			unsigned n = sent % 3 == 0 ? 6000 : 77;
			n = n < 100000 - sent ? n : 100000 - sent;
			for (unsigned i = 0; i < n; i++)
				buf[i] = (char)((sent + i) % 251);
			if (write(fds[1], buf, n) != (ssize_t)n)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	close(fds[1]);
	unsigned got = 0;
	bool in_order = true;
	for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0; got += (unsigned)n)
		for (ssize_t i = 0; i < n; i++)
			in_order &= buf[i] == (char)((got + (unsigned)i) % 251);
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the_writer_child_exits_0");
	CHECK(got == 100000 && in_order, "100000_bytes_cross_a_pipe_in_order");
	close(fds[0]);
}

void pipe_tests(void)
{
	one_process();
	two_processes();
}
