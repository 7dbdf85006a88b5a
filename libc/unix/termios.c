/* termios on the console's line discipline (<sys/termios.h>): the
 * UNIX server gets and sets its TERM_MODE_* bits (emul/term.c). */
#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unix.h>
#include <mach/term_types.h>

#include "unix_priv.h"

int tcgetattr(int fd, struct termios *t)
{
	int64_t result = 0;
	uint32_t mode = 0;

	if (!unix_writable(t, sizeof(*t)))
		return -1;
	kern_return_t kr = unix_tcgetattr(unix_port, fd, &result, &mode);
	if (unix_return(kr, result) < 0)
		return -1;
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL;
	t->c_oflag = mode & TERM_MODE_CRLF ? OPOST | ONLCR : 0;
	t->c_cflag = CS8 | CREAD | CLOCAL;
	t->c_lflag = (mode & TERM_MODE_CANONICAL ? ICANON | ECHOE | ECHOK : 0) |
		     (mode & TERM_MODE_ECHO ? ECHO : 0) | (mode & TERM_MODE_INTERRUPT ? ISIG : 0);
	t->c_cc[VINTR] = 3;
	t->c_cc[VERASE] = 0x7f;
	t->c_cc[VKILL] = 0x15;
	t->c_cc[VEOF] = 4;
	t->c_cc[VWERASE] = 0x17;
	t->c_cc[VMIN] = 1;
	t->c_ispeed = t->c_ospeed = B115200;
	return 0;
}

int tcsetattr(int fd, int when, const struct termios *t)
{
	int64_t result = 0;

	if (when != TCSANOW && when != TCSADRAIN && when != TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	if (!unix_readable(t, sizeof(*t)))
		return -1;
	uint32_t mode = (t->c_lflag & ICANON ? TERM_MODE_CANONICAL : 0) |
			(t->c_lflag & ECHO ? TERM_MODE_ECHO : 0) |
			(t->c_lflag & ISIG ? TERM_MODE_INTERRUPT : 0) |
			((t->c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR) ? TERM_MODE_CRLF : 0);
	kern_return_t kr = unix_tcsetattr(unix_port, fd, mode, &result);
	return (int)unix_return(kr, result);
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag = (t->c_cflag & ~(tcflag_t)(CSIZE | PARENB)) | CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t)
{
	return t->c_ispeed;
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_ospeed;
}

int cfsetispeed(struct termios *t, speed_t speed)
{
	t->c_ispeed = speed;
	return 0;
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	t->c_ospeed = speed;
	return 0;
}

/* The terminal's writes are answered once the UART took them: nothing
 * is left to drain when a write has returned. */
int tcdrain(int fd)
{
	struct termios t;
	return tcgetattr(fd, &t);
}
