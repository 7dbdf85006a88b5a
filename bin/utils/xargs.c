/* xargs [-n N] [COMMAND [ARG...]]: COMMAND (echo) run with the words of
 * stdin as more arguments, N at a time (all, by default). */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORDS_MAX 1024

static int run(char **argv)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execvp(argv[0], argv);
		util_error("%s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : WIFEXITED(status) &&
		WEXITSTATUS(status) == 127 ? 127 : 123;
}

/* The next word of stdin, or NULL at the end. */
static char *word(void)
{
	static char buf[4096];
	size_t n = 0;
	int c;

	while ((c = getchar()) != EOF && isspace(c))
		;
	while (c != EOF && !isspace(c) && n + 1 < sizeof(buf)) {
		buf[n++] = (char)c;
		c = getchar();
	}
	if (n == 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "n:", "[-n N] [COMMAND [ARG...]]",
			   "run a command with the words of stdin as arguments", seen, arg);
	long per = seen['n'] ? util_number(arg['n'], "-n") : WORDS_MAX;
	char *args[WORDS_MAX + 64];
	int fixed = 0, status = 0;

	if (per < 1)
		util_fail(2, "-n: must be at least 1");
	if (i == argc)
		args[fixed++] = "echo";
	for (; i < argc && fixed < 63; i++)
		args[fixed++] = argv[i];
	for (;;) {
		int n = fixed;
		char *w;
		while (n - fixed < per && n < WORDS_MAX + fixed && (w = word()) != NULL)
			args[n++] = w;
		if (n == fixed)
			break;
		args[n] = NULL;
		int r = run(args);
		status = r > status ? r : status;
		for (int k = fixed; k < n; k++)
			free(args[k]);
		if (r == 127)
			break;
	}
	return status;
}
