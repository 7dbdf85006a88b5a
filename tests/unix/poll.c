/*
 * poll and select: pipes (bytes, room, hang-up, error), bad descriptors,
 * timeouts, a wake-up by another process, a signal, and the terminal
 * (tests/boot/unix.sh types a line when asked).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <mach/unix_types.h>

#include "tap.h"

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static short revents(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	return poll(&p, 1, timeout_ms) < 0 ? -1 : p.revents;
}

static void pipes(void)
{
	int fds[2];
	char buf[UNIX_PIPE_SIZE] = { 0 };

	pipe(fds);
	CHECK(revents(fds[0], POLLIN, 0) == 0, "an_empty_pipe_is_not_readable");
	CHECK(revents(fds[1], POLLOUT, 0) == POLLOUT, "an_empty_pipe_is_writable");
	write(fds[1], "x", 1);
	CHECK(revents(fds[0], POLLIN | POLLOUT, 0) == POLLIN, "a_pipe_with_a_byte_is_readable");
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	write(fds[1], buf, sizeof(buf));
	CHECK(revents(fds[1], POLLOUT, 0) == 0, "a_full_pipe_is_not_writable");
	struct pollfd two[3] = { { .fd = fds[0], .events = POLLIN },
				 { .fd = -1, .events = POLLIN },
				 { .fd = fds[1], .events = POLLOUT } };
	CHECK(poll(two, 3, 0) == 1 && two[0].revents == POLLIN && two[1].revents == 0 &&
		      two[2].revents == 0, "poll_counts_the_ready_and_skips_negative_fds");
	close(fds[1]);
	read(fds[0], buf, sizeof(buf));
	read(fds[0], buf, sizeof(buf));
	CHECK(revents(fds[0], POLLIN, 0) == POLLHUP, "no_writer_left_is_POLLHUP");
	pipe(fds);
	close(fds[0]);
	CHECK(revents(fds[1], POLLOUT, 0) == POLLERR, "no_reader_left_is_POLLERR");
	close(fds[1]);
	CHECK(revents(fds[1], POLLIN, 0) == POLLNVAL, "a_closed_descriptor_is_POLLNVAL");
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void waits(void)
{
	int fds[2];
	struct timespec start;

	pipe(fds);
	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK(revents(fds[0], POLLIN, 50) == 0 && elapsed_ms(&start) >= 50,
	      "poll_waits_its_timeout");
	pid_t child = fork();
	if (child == 0) {
		usleep(20000);
		write(fds[1], "y", 1);
		_exit(0);
	}
	CHECK(revents(fds[0], POLLIN, -1) == POLLIN, "another_process's_write_ends_a_poll");
	status_of(child);
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval t = { .it_value = { .tv_usec = 20000 } };
	char c;
	read(fds[0], &c, 1);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &t, NULL);
	struct pollfd p = { .fd = fds[0], .events = POLLIN };
	CHECK_ERR(poll(&p, 1, -1), EINTR, "a_signal_ends_a_poll_even_with_SA_RESTART");
	signal(SIGALRM, SIG_DFL);
	CHECK_ERR(poll(&p, UNIX_POLL_MAX + 1, 0), EINVAL, "too_many_descriptors_is_EINVAL");
	CHECK_ERR(poll((void *)8, 1, 0), EFAULT, "a_bad_array_is_EFAULT");
	close(fds[0]);
	close(fds[1]);
}

static void selects(void)
{
	int fds[2];
	fd_set rd, wr;
	struct timeval none = { 0, 0 }, short_wait = { 0, 30000 };

	pipe(fds);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	CHECK(select(fds[0] + 1, &rd, NULL, NULL, &short_wait) == 0 && !FD_ISSET(fds[0], &rd),
	      "select_times_out_on_an_empty_pipe");
	write(fds[1], "z", 1);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fds[0], &rd);
	FD_SET(fds[1], &wr);
	CHECK(select(fds[1] + 1, &rd, &wr, NULL, &none) == 2 && FD_ISSET(fds[0], &rd) &&
		      FD_ISSET(fds[1], &wr), "select_reports_read_and_write_sets");
	close(fds[0]);
	close(fds[1]);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	CHECK_ERR(select(fds[0] + 1, &rd, NULL, NULL, &none), EBADF,
		  "select_of_a_closed_descriptor_is_EBADF");
	none.tv_usec = -1;
	CHECK_ERR(select(1, NULL, NULL, NULL, &none), EINVAL, "select_with_a_bad_timeout_is_EINVAL");
}

/* The boot types "typed ahead" when asked: poll sees it, read takes it. */
static void terminal(void)
{
	char line[32] = { 0 };

	CHECK(revents(1, POLLOUT, 0) == POLLOUT, "the_terminal_is_writable");
	CHECK(revents(0, POLLIN, 0) == 0, "nothing_typed_is_not_readable");
	printf("# unixtest: type a line\n");
	fflush(stdout);
	CHECK(revents(0, POLLIN, -1) == POLLIN, "a_typed_line_makes_the_terminal_readable");
	ssize_t n = read(0, line, sizeof(line) - 1);
	CHECK(n > 0 && strncmp(line, "typed ahead", 11) == 0, "and_read_takes_that_line");
}

void poll_tests(void)
{
	pipes();
	waits();
	selects();
	terminal();
}
