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

struct pager {
	int tty;
	long left;
	bool quit;
};

static void page(FILE *f, const char *name, void *arg)
{
	struct pager *p = arg;

	(void)name;
	for (int c; !p->quit && (c = getc(f)) != EOF;) {
		putchar(c);
		if (c != '\n' || p->tty < 0 || --p->left > 0)
			continue;
		fputs("--More--", stdout);
		fflush(stdout);
		int k = key(p->tty);
		fputs("\r        \r", stdout);
		p->quit = k == 'q' || k == 3;
		p->left = k == ' ' ? SCREEN : 1;
	}
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "[FILE...]", "page through files", seen, NULL);
	struct pager p = { .tty = isatty(1) ? open("/dev/tty", O_RDONLY) : -1, .left = SCREEN };

	return util_each_file(argc, argv, i, page, &p);
}
