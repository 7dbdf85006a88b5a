/* hexdump [FILE...] (also od): each 16 bytes as offset, hex and the
 * printable characters, as hexdump -C prints them. */
#include "util.h"

#include <ctype.h>

static long offset;
static unsigned char row[16];
static int used;

static void flush_row(void)
{
	printf("%08lx ", offset);
	for (int k = 0; k < 16; k++)
		printf(k < used ? "%s%02x" : "%s  ", k == 8 ? "  " : " ", row[k]);
	printf("  |");
	for (int k = 0; k < used; k++)
		putchar(isprint(row[k]) ? row[k] : '.');
	printf("|\n");
	offset += used;
	used = 0;
}

static void dump(FILE *f, const char *name, void *arg)
{
	(void)name, (void)arg;
	for (int c; (c = getc(f)) != EOF;) {
		row[used++] = (unsigned char)c;
		if (used == 16)
			flush_row();
	}
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "C", "[FILE...]", "dump bytes in hex and characters", seen,
			   NULL);
	int status = util_each_file(argc, argv, i, dump, NULL);

	if (used > 0)
		flush_row();
	printf("%08lx\n", offset);
	return status;
}
