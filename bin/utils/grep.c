/*
 * grep [-civnlq] PATTERN [FILE...]: the lines that match PATTERN, a basic
 * regular expression: a character, '.' (any), [SET] and [^SET] (with
 * ranges), each followed or not by '*' (any number); '^' at the start
 * and '$' at the end anchor it; '\' takes the next character as itself.
 * -i: case ignored; -v: the lines that do not match; -c: their count;
 * -n: with line numbers; -l: the files' names; -q: nothing, the status
 * only.  Status 0 if a line was chosen, 1 if none, 2 on an error.
 */
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool ignore_case;

/* One atom at re: its length, and whether c matches it. */
static int atom(const char *re, char c, bool *match)
{
	char a = ignore_case ? (char)tolower((unsigned char)c) : c;

	if (*re == '\\' && re[1] != '\0') {
		char b = ignore_case ? (char)tolower((unsigned char)re[1]) : re[1];
		*match = a == b;
		return 2;
	}
	if (*re == '.') {
		*match = true;
		return 1;
	}
	if (*re == '[') {
		const char *p = re + 1;
		bool negate = *p == '^', in = false;
		p += negate;
		for (const char *start = p; *p != '\0' && (*p != ']' || p == start); p++) {
			char lo = *p, hi = *p;
			if (p[1] == '-' && p[2] != ']' && p[2] != '\0') {
				hi = p[2];
				p += 2;
			}
			in |= (c >= lo && c <= hi) ||
			      (ignore_case && ((a >= tolower(lo) && a <= tolower(hi)) ||
					       (toupper(a) >= lo && toupper(a) <= hi)));
		}
		*match = in != negate && c != '\0';
		return *p == ']' ? (int)(p - re + 1) : (int)(p - re);
	}
	char b = ignore_case ? (char)tolower((unsigned char)*re) : *re;
	*match = a == b;
	return 1;
}

static bool match_here(const char *re, const char *s);

/* The atom at re repeated any number of times, then rest. */
static bool match_star(const char *re, const char *rest, const char *s)
{
	const char *t = s;
	bool m;

	while (*t != '\0' && (atom(re, *t, &m), m))
		t++;
	for (;; t--) {
		if (match_here(rest, t))
			return true;
		if (t == s)
			return false;
	}
}

static bool match_here(const char *re, const char *s)
{
	if (*re == '\0')
		return true;
	if (re[0] == '$' && re[1] == '\0')
		return *s == '\0';
	bool m;
	int len = atom(re, *s, &m);
	if (re[len] == '*')
		return match_star(re, re + len + 1, s);
	return *s != '\0' && m && match_here(re + len, s + 1);
}

static bool matches(const char *re, const char *s)
{
	if (*re == '^')
		return match_here(re + 1, s);
	do {
		if (match_here(re, s))
			return true;
	} while (*s++ != '\0');
	return false;
}

struct search {
	const char *re;
	const bool *seen;
	int files;
	bool any;
};

static void search_file(FILE *f, const char *name, void *arg)
{
	struct search *g = arg;
	const bool *seen = g->seen;
	char *line = NULL;
	size_t room = 0, len;
	long count = 0, number = 0;

	while (util_line(f, &line, &room, &len)) {
		number++;
		if (matches(g->re, line) == seen['v'])
			continue;
		count++;
		g->any = true;
		if (seen['q'] || seen['l'] || seen['c'])
			continue;
		if (g->files > 1)
			printf("%s:", name);
		if (seen['n'])
			printf("%ld:", number);
		printf("%s\n", line);
	}
	if (seen['c'] && !seen['q'] && g->files > 1)
		printf("%s:%ld\n", name, count);
	else if (seen['c'] && !seen['q'])
		printf("%ld\n", count);
	if (seen['l'] && !seen['q'] && count > 0)
		printf("%s\n", name);
	free(line);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "civnlq", "[-civnlq] PATTERN [FILE...]",
			   "print the lines that match a regular expression", seen, NULL);

	if (i >= argc)
		util_fail(2, "usage: grep [-civnlq] PATTERN [FILE...]");
	ignore_case = seen['i'];
	struct search g = { .re = argv[i], .seen = seen, .files = argc - i - 1 };
	bool error = util_each_file(argc, argv, i + 1, search_file, &g) != 0;
	return error ? 2 : g.any ? 0 : 1;
}
