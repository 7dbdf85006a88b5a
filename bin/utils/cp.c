/* cp [-r] FROM TO, or cp [-r] FROM... DIR: copies (-r: directories
 * with all they hold). */
#include "copy.h"
#include "util.h"

#define USAGE "[-r] FROM TO | FROM... DIR"

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "rR", USAGE, "copy files", seen, NULL);

	return copy_operands(argc, argv, i, USAGE, copy_path, seen['r'] || seen['R']);
}
