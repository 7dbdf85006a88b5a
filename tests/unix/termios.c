/*
 * termios: the console's mode read and set through struct termios; in
 * raw mode a key is read without a newline (tests/boot/unix.sh types
 * one when asked).
 */
#include <termios.h>
#include <unistd.h>

#include "tap.h"

void termios_tests(void)
{
	struct termios cooked, raw, now;
	int fds[2];

	CHECK(tcgetattr(0, &cooked) == 0 && (cooked.c_lflag & (ICANON | ECHO | ISIG)) ==
							   (ICANON | ECHO | ISIG) &&
		      (cooked.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR),
	      "the_terminal_starts_canonical_with_echo_and_signals");
	raw = cooked;
	cfmakeraw(&raw);
	CHECK(tcsetattr(0, TCSANOW, &raw) == 0 && tcgetattr(0, &now) == 0 &&
		      (now.c_lflag & (ICANON | ECHO | ISIG)) == 0 && (now.c_oflag & OPOST) == 0,
	      "cfmakeraw_and_tcsetattr_make_it_raw");
	printf("# unixtest: type a key\r\n");
	fflush(stdout);
	char key = 0;
	CHECK(read(0, &key, 1) == 1 && key == 'k', "a_raw_read_takes_a_key_without_a_newline");
	CHECK(tcsetattr(0, TCSAFLUSH, &cooked) == 0 && tcgetattr(0, &now) == 0 &&
		      now.c_lflag == cooked.c_lflag && now.c_oflag == cooked.c_oflag,
	      "and_back_to_canonical");
	pipe(fds);
	CHECK_ERR(tcgetattr(fds[0], &now), ENOTTY, "tcgetattr_of_a_pipe_is_ENOTTY");
	CHECK_ERR(tcsetattr(99, TCSANOW, &cooked), EBADF, "tcsetattr_of_no_descriptor_is_EBADF");
	CHECK_ERR(tcsetattr(0, 7, &cooked), EINVAL, "tcsetattr_with_a_bad_when_is_EINVAL");
	CHECK_ERR(tcgetattr(0, (void *)8), EFAULT, "tcgetattr_into_a_bad_record_is_EFAULT");
	close(fds[0]);
	close(fds[1]);
}
