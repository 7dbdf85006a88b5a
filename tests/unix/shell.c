/*
 * /bin/sh runs here as it does on the host (bin/sh/tests/ has its own
 * cases): a script with variables, a loop, a pipeline of its own
 * children and a status, its output read through a pipe.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* sh -c script's output into out; its wait status. */
static int run_sh(const char *script, char *out, size_t size)
{
	int fds[2];

	pipe(fds);
	pid_t child = fork();
	if (child == 0) {
		char *argv[] = { "sh", "-c", (char *)script, NULL };
		char *envp[] = { "PATH=/bin", NULL };
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execve("/bin/sh", argv, envp);
		_exit(99);
	}
	close(fds[1]);
	size_t len = 0;
	for (ssize_t n; len + 1 < size && (n = read(fds[0], out + len, size - len - 1)) > 0;)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	return status_of(child);
}

void shell_tests(void)
{
	char out[256];

	int status = run_sh("x=1; for i in a b; do echo $i$x; done; exit 3", out, sizeof(out));
	CHECK(status == 3 << 8 && strcmp(out, "a1\nb1\n") == 0, "sh_runs_a_script");
	status = run_sh("echo one | sh -c 'read w; echo got $w' && echo $(echo sub)", out,
			sizeof(out));
	CHECK(status == 0 && strcmp(out, "got one\nsub\n") == 0, "sh_runs_a_pipeline_and_a_substitution");
	status = run_sh("nosuch", out, sizeof(out));
	CHECK(status == 127 << 8 && strcmp(out, "sh: nosuch: not found\n") == 0,
	      "sh_says_a_command_is_not_found");
}
