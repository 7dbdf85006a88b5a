/* more [FILE...]: the files a screen (23 lines) at a time, a key typed
 * at the terminal between screens: space the next screen, return the
 * next line, q to quit.  Not paging when stdout is no terminal. */
#include "util.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#define SCREEN 23

/* A key from the terminal, raw; 'q' if there is none. */
static int key(int tty)
{
	struct termios saved, raw;
	char c = 'q';

	if (tcgetattr(tty, &saved) != 0)
		return 'q';
	raw = saved;
	cfmakeraw(&raw);
	tcsetattr(tty, TCSANOW, &raw);
	if (read(tty, &c, 1) != 1)
		c = 'q';
	tcsetattr(tty, TCSANOW, &saved);
	return c;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "[FILE...]", "page through files", seen, NULL);
	int tty = isatty(1) ? open("/dev/tty", O_RDONLY) : -1, status = 0;
	long left = SCREEN;

	if (i == argc)
		argv[--i] = "-";
	for (; i < argc; i++) {
		FILE *f = util_open(argv[i]);
		if (f == NULL) {
			status = 1;
			continue;
		}
		for (int c; (c = getc(f)) != EOF;) {
			putchar(c);
			if (c != '\n' || tty < 0 || --left > 0)
				continue;
			fputs("--More--", stdout);
			fflush(stdout);
			int k = key(tty);
			fputs("\r        \r", stdout);
			if (k == 'q' || k == 3) {
				util_close(f);
				return status;
			}
			left = k == ' ' ? SCREEN : 1;
		}
		util_close(f);
	}
	return status;
}
