/* kill [-SIGNAL | -s SIGNAL] PID..., kill -l: sends the signal (TERM)
 * to each process (a negative PID: a process group). */
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = { NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "EMT",
	"FPE", "KILL", "BUS", "SEGV", "SYS", "PIPE", "ALRM", "TERM", "URG", "STOP", "TSTP", "CONT",
	"CHLD", "TTIN", "TTOU", "IO", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "LOST", "USR1",
	"USR2" };

static int signal_number(const char *s)
{
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < 32; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	char *end;
	long n = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && n >= 0 && n < 32 ? (int)n : -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	util_name = "kill";
	if (argc > 1 && strcmp(argv[1], "-h") == 0) {
		printf("usage: kill [-SIGNAL | -s SIGNAL] PID... | -l\nsend a signal to processes\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (int k = 1; k < 32; k++)
			printf("%2d %s\n", k, names[k]);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		sig = signal_number(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0' &&
		   (argv[1][1] < '0' || argv[1][1] > '9' || argc > 2)) {
		sig = signal_number(argv[1] + 1);
		i = 2;
	}
	if (sig < 0)
		util_fail(2, "%s: no such signal", argv[i - 1]);
	if (i >= argc)
		util_fail(2, "usage: kill [-SIGNAL | -s SIGNAL] PID... | -l");
	for (; i < argc; i++) {
		long pid = util_number(argv[i], "pid");
		if (kill((pid_t)pid, sig) != 0) {
			util_error("%s: %s", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
