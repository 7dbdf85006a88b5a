/*
 * init: the first process (pid 1, started by the UNIX server).  It runs
 * /etc/rc with the shell, then keeps a shell on the console: one is
 * started again whenever it ends.  Every process whose parent ended is
 * init's child, and init waits for them all, so none stays a zombie.
 *
 * The shells' environment is init's defaults with init's own environment
 * over them: the UNIX server gives init the boot's NAME=value arguments
 * (emul/main.c), so a boot can set a shell's variable, as
 * PAGODA_BOOT_FIGURE=1 does for `make bench` (docs/performance.md).
 *
 * A shell that ends within a second of starting, five times running,
 * waits a few seconds before the next, so a broken shell does not spin.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define RC "/etc/rc"

extern char **environ;

static char *defaults[] = { "PATH=/bin", "HOME=/home/root", "USER=root", "TERM=vt100" };
#define DEFAULTS (sizeof(defaults) / sizeof(defaults[0]))
#define ENVIRONMENT_MAX 32
static char *environment[ENVIRONMENT_MAX + 1];

/* Whether a and b set the same variable. */
static bool same_name(const char *a, const char *b)
{
	size_t n = strcspn(a, "=");
	return strncmp(a, b, n + 1) == 0;
}

/* environment: the defaults, each replaced by or followed by what init's
 * own environment sets. */
static void environment_init(void)
{
	size_t n = DEFAULTS;

	memcpy(environment, defaults, sizeof(defaults));
	for (char **v = environ; v != NULL && *v != NULL; v++) {
		size_t i = 0;
		while (i < n && !same_name(environment[i], *v))
			i++;
		if (i == n && n == ENVIRONMENT_MAX)
			continue;
		environment[i] = *v;
		n += i == n;
	}
	environment[n] = NULL;
}

static time_t now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* A child running SHELL with argv; its pid, or -1. */
static pid_t start(char **argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		execve(SHELL, argv, environment);
		fprintf(stderr, "init: %s: %s\n", SHELL, strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

/* Waits for pid, reaping whatever else ends meanwhile. */
static int wait_for(pid_t pid)
{
	int status = 0;

	for (;;) {
		pid_t ended = wait(&status);
		if (ended == pid || (ended < 0 && errno == ECHILD))
			return status;
	}
}

int main(void)
{
	environment_init();
	if (access(RC, R_OK) == 0) {
		char *rc[] = { "sh", RC, NULL };
		pid_t pid = start(rc);
		int status = pid > 0 ? wait_for(pid) : 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fprintf(stderr, "init: %s failed (status %d)\n", RC, status);
	}
	int quick = 0;
	for (;;) {
		char *shell[] = { "-sh", NULL };
		time_t began = now();
		pid_t pid = start(shell);
		if (pid > 0)
			wait_for(pid);
		quick = now() - began < 1 ? quick + 1 : 0;
		if (quick >= 5) {
			fprintf(stderr, "init: %s keeps ending at once; waiting\n", SHELL);
			sleep(5);
			quick = 0;
		}
	}
}
