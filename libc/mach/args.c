/* A program's key=value arguments; see mach.h. */
#include <mach/mach.h>

const char *mach_arg(int argc, char **argv, const char *key)
{
	size_t len = strlen(key);
	const char *value = NULL;

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, len) == 0 && argv[i][len] == '=')
			value = argv[i] + len + 1;
	return value;
}

bool mach_parse_number(const char *text, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;

	if (*text == '\0')
		return false;
	for (; *text != '\0'; text++) {
		unsigned digit = (unsigned)(*text - '0');
		if (digit > 9 || digit > max || n > (max - digit) / 10)
			return false;
		n = n * 10 + digit;
	}
	*out = n;
	return true;
}
