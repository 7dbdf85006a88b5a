/* The conformance suite's TAP (tests/unix/): one line per check. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

extern int tap_passed, tap_failed;

/* "ok - NAME" or "not ok - NAME" with why (errno's name for a failed
 * call), and the count. */
void tap_check(bool ok, const char *name, const char *file, int line);
#define CHECK(cond, name) tap_check((cond), (name), __FILE__, __LINE__)

/* A call that must fail with errno e. */
#define CHECK_ERR(call, e, name) \
	do { errno = 0; long r_ = (long)(call); CHECK(r_ == -1 && errno == (e), name); } while (0)

/* The wait status of child, once it has ended (-1 if waitpid fails). */
int status_of(pid_t child);

/* The suites, one file each. */
void process_tests(const char *self);
void file_tests(void);
void pipe_tests(void);
void stress_tests(const char *self);
void signal_tests(void);
void sigstack_tests(void);
void fault_tests(void);
void session_tests(void);
void mmap_tests(void);
void procs_tests(const char *self);
void poll_tests(void);
void attr_tests(const char *self);
void shell_tests(void);
void termios_tests(void);
