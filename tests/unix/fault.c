/* Bad pointers: every call given one fails with EFAULT, and the caller
 * goes on. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

/* Nothing is mapped in the first page; the second is the kernel's.
 * Volatile, so that the compiler does not judge the calls itself. */
static void *volatile unmapped = (void *)8;
static void *volatile kernel = (void *)0xffff800000001000ull;
static const char read_only[] = "read only";

static void data(void)
{
	int fds[2];

	CHECK(pipe(fds) == 0 && write(fds[1], "abc", 3) == 3, "a_pipe_for_the_checks");
	CHECK_ERR(read(fds[0], unmapped, 1), EFAULT, "read_into_an_unmapped_page_is_EFAULT");
	CHECK_ERR(read(fds[0], kernel, 1), EFAULT, "read_into_the_kernel_is_EFAULT");
	CHECK_ERR(read(fds[0], (void *)read_only, 1), EFAULT, "read_into_read_only_memory_is_EFAULT");
	CHECK_ERR(read(fds[0], (void *)-16, 64), EFAULT, "read_into_a_range_that_wraps_is_EFAULT");
	char buf[4];
	CHECK(read(fds[0], buf, 3) == 3 && memcmp(buf, "abc", 3) == 0,
	      "the_bytes_are_still_there_after");
	CHECK_ERR(write(fds[1], unmapped, 1), EFAULT, "write_from_an_unmapped_page_is_EFAULT");
	char *big = malloc(3 * 4096);
	CHECK(big != NULL && write(fds[1], big, 0) == 0, "zero_bytes_touch_nothing");
	free(big);
	CHECK_ERR(pipe(unmapped), EFAULT, "pipe_into_an_unmapped_page_is_EFAULT");
	close(fds[0]);
	close(fds[1]);
}

static void paths(void)
{
	struct stat st;

	CHECK_ERR(open(unmapped, O_RDONLY), EFAULT, "open_of_a_bad_path_is_EFAULT");
	CHECK_ERR(stat(kernel, &st), EFAULT, "stat_of_a_bad_path_is_EFAULT");
	CHECK_ERR(stat("/", unmapped), EFAULT, "stat_into_a_bad_record_is_EFAULT");
	CHECK_ERR(fstat(0, kernel), EFAULT, "fstat_into_a_bad_record_is_EFAULT");
	CHECK_ERR(mkdir(unmapped, 0755), EFAULT, "mkdir_of_a_bad_path_is_EFAULT");
	CHECK_ERR(unlink(unmapped), EFAULT, "unlink_of_a_bad_path_is_EFAULT");
	CHECK_ERR(chdir(unmapped), EFAULT, "chdir_to_a_bad_path_is_EFAULT");
	CHECK_ERR(link("/bin/unixtest", unmapped), EFAULT, "link_to_a_bad_path_is_EFAULT");
	CHECK(getcwd(unmapped, 64) == NULL && errno == EFAULT, "getcwd_into_a_bad_buffer_is_EFAULT");
	char *endless = malloc(5000);
	memset(endless, 'a', 5000);
	CHECK_ERR(open(endless, O_RDONLY), ENAMETOOLONG, "a_path_without_its_NUL_is_ENAMETOOLONG");
	free(endless);
}

static void processes(void)
{
	char *bad_argv[] = { "x", unmapped, NULL };
	char *argv[] = { "x", NULL };

	CHECK_ERR(execve(unmapped, argv, NULL), EFAULT, "execve_of_a_bad_path_is_EFAULT");
	CHECK_ERR(execve("/bin/unixtest", bad_argv, NULL), EFAULT,
		  "execve_with_a_bad_argument_is_EFAULT");
	CHECK_ERR(execve("/bin/unixtest", unmapped, NULL), EFAULT,
		  "execve_with_a_bad_argv_is_EFAULT");
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	CHECK_ERR(waitpid(child, unmapped, 0), EFAULT, "waitpid_into_a_bad_status_is_EFAULT");
	CHECK(waitpid(child, NULL, 0) == child, "the_child_is_still_there_to_wait_for");
	CHECK_ERR(sigaction(SIGUSR1, unmapped, NULL), EFAULT, "sigaction_from_a_bad_record_is_EFAULT");
	CHECK_ERR(sigprocmask(SIG_BLOCK, NULL, kernel), EFAULT, "sigprocmask_into_a_bad_set_is_EFAULT");
	CHECK_ERR(clock_gettime(CLOCK_MONOTONIC, unmapped), EFAULT,
		  "clock_gettime_into_a_bad_record_is_EFAULT");
	CHECK_ERR(nanosleep(unmapped, NULL), EFAULT, "nanosleep_from_a_bad_record_is_EFAULT");
	CHECK_ERR(setitimer(ITIMER_REAL, unmapped, NULL), EFAULT, "setitimer_from_a_bad_record_is_EFAULT");
}

void fault_tests(void)
{
	data();
	paths();
	processes();
}
