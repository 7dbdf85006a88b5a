/* printf FORMAT [ARG...]: the arguments as FORMAT says: %s %d %i %u %x
 * %X %o %c %%, with flags, width and precision; \n \t \\ \a \r and
 * \NNN (octal) escapes.  The format is used again while arguments are
 * left. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int status;

static long number(const char *s)
{
	char *end;
	long n = strtol(s, &end, 0);
	if (*end != '\0') {
		util_error("%s: not a number", s);
		status = 1;
	}
	return n;
}

/* An escape at s (past the backslash): printed; returns past it. */
static const char *escape(const char *s)
{
	static const char from[] = "ntr\\ab\"'", to[] = "\n\t\r\\\a\b\"'";
	const char *k = *s != '\0' ? strchr(from, *s) : NULL;

	if (k != NULL) {
		putchar(to[k - from]);
		return s + 1;
	}
	if (*s >= '0' && *s <= '7') {
		int v = 0, n = 0;
		for (; n < 3 && *s >= '0' && *s <= '7'; n++)
			v = v * 8 + (*s++ - '0');
		putchar(v);
		return s;
	}
	putchar('\\');
	return s;
}

/* One conversion at f (at its '%'), taking args; returns past it. */
static const char *convert(const char *f, char ***args)
{
	char spec[32];
	size_t n = strspn(f + 1, "-+ #0123456789.");
	char c = f[1 + n];
	const char *arg = **args != NULL ? *(*args)++ : NULL;

	if (n + 4 > sizeof(spec) || c == '\0') {
		util_error("bad format");
		status = 1;
		return f + 1 + n;
	}
	memcpy(spec, f, n + 1);
	if (c == 's' || c == 'c') {
		spec[n + 1] = c;
		spec[n + 2] = '\0';
		if (c == 's')
			printf(spec, arg != NULL ? arg : "");
		else
			printf(spec, arg != NULL ? arg[0] : 0);
	} else if (strchr("diuxXo", c) != NULL) {
		spec[n + 1] = 'l';
		spec[n + 2] = c;
		spec[n + 3] = '\0';
		printf(spec, arg != NULL ? number(arg) : 0L);
	} else {
		util_error("%%%c: unknown conversion", c);
		status = 1;
	}
	return f + 2 + n;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "FORMAT [ARG...]", "print formatted", seen, NULL);

	if (i >= argc)
		util_fail(2, "usage: printf FORMAT [ARG...]");
	const char *format = argv[i];
	char **args = argv + i + 1;
	do {
		char **before = args;
		for (const char *f = format; *f != '\0';) {
			if (*f == '\\')
				f = escape(f + 1);
			else if (f[0] == '%' && f[1] == '%')
				putchar('%'), f += 2;
			else if (*f == '%')
				f = convert(f, &args);
			else
				putchar(*f++);
		}
		if (args == before)
			break;   /* the format takes none */
	} while (*args != NULL);
	return status;
}
