/*
 * unixtest: the UNIX personality's conformance suite (docs/unix.md), a
 * static newlib program the UNIX server runs as a process.  It prints
 * TAP on its standard output (the terminal) and ends with a summary
 * line; tests/boot/unix.sh boots it as init, whose exit stops the
 * machine.  With role=NAME as its
 * first argument it is instead one of the helpers the tests exec.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* role=args: exits with 40 + argc if argv[2..] is "a", "b c" and the
 * environment has PAGODA=yes; role=exit N: exits with N. */
static int role(int argc, char **argv)
{
	if (strcmp(argv[1], "role=args") == 0) {
		const char *env = getenv("PAGODA");
		bool ok = argc == 4 && strcmp(argv[2], "a") == 0 && strcmp(argv[3], "b c") == 0 &&
			  env != NULL && strcmp(env, "yes") == 0;
		return ok ? 40 + argc : 1;
	}
	if (strcmp(argv[1], "role=exit") == 0 && argc > 2)
		return atoi(argv[2]);
	if (strcmp(argv[1], "role=pause") == 0) {
		pause();
		return 3;
	}
	if (strcmp(argv[1], "role=script") == 0)
		return 50 + argc;   /* argv: role=script, the script, its arguments */
	return 2;
}

int main(int argc, char **argv)
{
	/* Run with no arguments at all: the environment must still be found
	 * past argv's end. */
	if (argc == 0) {
		const char *env = getenv("PAGODA");
		return env != NULL && strcmp(env, "yes") == 0 ? 60 : 1;
	}
	if (argc > 1 && strncmp(argv[1], "role=", 5) == 0)
		return role(argc, argv);
	printf("# unixtest: pid %d\n", getpid());
	file_tests();
	pipe_tests();
	signal_tests();
	sigstack_tests();
	fault_tests();
	session_tests();
	mmap_tests();
	process_tests(argv[0]);
	procs_tests(argv[0]);
	attr_tests(argv[0]);
	shell_tests();
	poll_tests();
	termios_tests();
	stress_tests(argv[0]);
	printf("1..%d\n# unixtest: %d passed, %d failed\n", tap_passed + tap_failed, tap_passed,
	       tap_failed);
	fflush(stdout);
	/* As init under init-exit=halt, its status stops the machine. */
	return tap_failed == 0 ? 0 : 1;
}
