/* clear: clears the terminal's screen. */
#include "util.h"

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	util_start(argc, argv, "", "", "clear the screen", seen, NULL);
	fputs("\x1b[H\x1b[2J", stdout);
	return 0;
}
