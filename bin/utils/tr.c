/* tr SET1 SET2, tr -d SET1: each character of SET1 in stdin replaced by
 * the one at its place in SET2 (its last, if SET2 is shorter), or
 * deleted.  Sets may hold ranges (a-z) and escapes (\n \t \\). */
#include "util.h"

#include <string.h>

/* set expanded into out (256 bytes at most); its length. */
static int expand(const char *set, unsigned char *out)
{
	int n = 0;

	for (const unsigned char *s = (const unsigned char *)set; *s != '\0' && n < 256; s++) {
		unsigned char c = *s;
		if (c == '\\' && s[1] != '\0') {
			s++;
			c = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		}
		if (s[1] == '-' && s[2] != '\0') {
			for (unsigned v = c; v <= s[2] && n < 256; v++)
				out[n++] = (unsigned char)v;
			s += 2;
			continue;
		}
		out[n++] = c;
	}
	return n;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "d", "SET1 SET2 | -d SET1", "translate or delete characters",
			   seen, NULL);
	unsigned char from[256], to[256];
	int map[256];

	if (argc - i != (seen['d'] ? 1 : 2))
		util_fail(2, "usage: tr SET1 SET2 | -d SET1");
	int nfrom = expand(argv[i], from);
	int nto = seen['d'] ? 0 : expand(argv[i + 1], to);
	if (!seen['d'] && nto == 0)
		util_fail(2, "SET2 is empty");
	for (int c = 0; c < 256; c++)
		map[c] = c;
	for (int k = 0; k < nfrom; k++)
		map[from[k]] = seen['d'] ? -1 : to[k < nto ? k : nto - 1];
	for (int c; (c = getchar()) != EOF;)
		if (map[c] >= 0)
			putchar(map[c]);
	return 0;
}
