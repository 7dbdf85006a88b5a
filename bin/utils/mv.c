/* mv FROM TO, or mv FROM... DIR: renames (there is one file system, so
 * nothing is copied). */
#include "copy.h"
#include "util.h"

#include <errno.h>
#include <string.h>

#define USAGE "FROM TO | FROM... DIR"

static int move(const char *from, const char *to, bool recursive)
{
	(void)recursive;
	if (rename(from, to) == 0)
		return 0;
	util_error("%s: %s", from, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "f", USAGE, "move (rename) files", seen, NULL);

	return copy_operands(argc, argv, i, USAGE, move, false);
}
