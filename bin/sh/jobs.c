/*
 * Jobs: a command line's processes, one process group.  A job runs in
 * the foreground (the terminal is its group's while the shell waits for
 * it) or in the background; ^Z or a stop signal stops it, and fg or bg
 * continues it.  Without job control (a script, a child of the shell's)
 * the shell simply waits for the processes.
 *
 *   running --stop--> stopped --fg/bg--> running --all ended--> gone
 */
#include "sh.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define JOBS_MAX 32
#define JOB_PIDS 64

struct job {
	int id;                     /* [id]; 0: a free slot */
	pid_t pgid;
	pid_t pids[JOB_PIDS];       /* 0 once ended */
	int count;
	int status;                 /* the last member's, once it ended */
	bool stopped;
	char text[256];
};

static struct job jobs[JOBS_MAX];
static int current;             /* the id of the job fg and bg take by default */

void jobs_init(void)
{
	memset(jobs, 0, sizeof(jobs));
}

static int status_of(int wstatus)
{
	if (WIFSTOPPED(wstatus))
		return 128 + WSTOPSIG(wstatus);
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

static struct job *job_new(pid_t pgid, pid_t *pids, int count, const char *text)
{
	int id = 1;

	for (int i = 0; i < JOBS_MAX; i++)
		if (jobs[i].id >= id)
			id = jobs[i].id + 1;
	for (int i = 0; i < JOBS_MAX; i++) {
		if (jobs[i].id != 0)
			continue;
		struct job *j = &jobs[i];
		*j = (struct job){ .id = id, .pgid = pgid, .count = count };
		memcpy(j->pids, pids, (size_t)count * sizeof(*pids));
		snprintf(j->text, sizeof(j->text), "%s", text);
		current = id;
		return j;
	}
	return NULL;
}

static bool job_done(const struct job *j)
{
	for (int i = 0; i < j->count; i++)
		if (j->pids[i] != 0)
			return false;
	return true;
}

/* A child's change of state, recorded in its job; whether it had one. */
static struct job *note_child(pid_t pid, int wstatus)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		struct job *j = &jobs[i];
		for (int k = 0; j->id != 0 && k < j->count; k++) {
			if (j->pids[k] != pid)
				continue;
			if (WIFSTOPPED(wstatus)) {
				j->stopped = true;
			} else if (WIFCONTINUED(wstatus)) {
				j->stopped = false;
			} else {
				j->pids[k] = 0;
				if (k == j->count - 1)
					j->status = status_of(wstatus);
			}
			return j;
		}
	}
	return NULL;
}

/* Waits for j's processes, one by one, until all ended or one stopped;
 * false if a signal interrupted the wait. */
static bool wait_pids(struct job *j)
{
	for (int k = 0; k < j->count && !j->stopped; k++) {
		int wstatus;
		while (j->pids[k] != 0 && !j->stopped) {
			pid_t pid = waitpid(j->pids[k], &wstatus, WUNTRACED);
			if (pid < 0 && errno == EINTR && !interactive)
				return false;
			if (pid < 0 && errno != EINTR)
				j->pids[k] = 0;   /* not ours any more */
			else if (pid > 0)
				note_child(pid, wstatus);
		}
	}
	return true;
}

/* Waits, the job in the foreground, until it ends or stops. */
static int wait_job(struct job *j)
{
	j->stopped = false;
	wait_pids(j);
	if (exec_job_control())
		tcsetpgrp(0, getpgrp());
	int status = j->status;
	if (j->stopped) {
		sh_say("\n[%d]+  Stopped                 %s\n", j->id, j->text);
		current = j->id;
		return 128 + SIGTSTP;
	}
	if (status == 128 + SIGINT && interactive)
		sh_say("\n");
	j->id = 0;
	return status;
}

int job_foreground(pid_t pgid, pid_t *pids, int count, const char *text)
{
	struct job *j = job_new(pgid, pids, count, text);

	if (j == NULL) {
		sh_error("too many jobs");
		return 1;
	}
	if (exec_job_control())
		tcsetpgrp(0, pgid);
	return wait_job(j);
}

void job_background(pid_t pgid, pid_t *pids, int count, const char *text)
{
	struct job *j = job_new(pgid, pids, count, text);

	if (j != NULL && interactive)
		sh_say("[%d] %ld\n", j->id, (long)pids[count - 1]);
}

void jobs_reap(bool report)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG | WUNTRACED | WCONTINUED)) > 0) {
		struct job *j = note_child(pid, wstatus);
		if (j == NULL || !job_done(j))
			continue;
		if (report)
			sh_say("[%d]+  Done                    %s\n", j->id, j->text);
		j->id = 0;
	}
}

/* The job argv[1] names (%n, or a pid of it), or the current one. */
static struct job *job_named(char **argv)
{
	const char *arg = argv[1];
	long n = arg == NULL ? current : strtol(arg + (arg[0] == '%'), NULL, 10);

	for (int i = 0; i < JOBS_MAX; i++) {
		struct job *j = &jobs[i];
		if (j->id == 0)
			continue;
		if ((arg == NULL || arg[0] == '%') && j->id == n)
			return j;
		for (int k = 0; arg != NULL && arg[0] != '%' && k < j->count; k++)
			if (j->pids[k] == n)
				return j;
	}
	sh_error("%s: %s: no such job", argv[0], arg != NULL ? arg : "current");
	return NULL;
}

int builtin_jobs(char **argv)
{
	(void)argv;
	jobs_reap(false);
	for (int i = 0; i < JOBS_MAX; i++) {
		struct job *j = &jobs[i];
		if (j->id == 0)
			continue;
		printf("[%d]%c  %-22s  %s\n", j->id, j->id == current ? '+' : ' ',
		       job_done(j) ? "Done" : j->stopped ? "Stopped" : "Running", j->text);
		if (job_done(j))
			j->id = 0;
	}
	return 0;
}

int builtin_fg(char **argv)
{
	struct job *j = job_named(argv);

	if (j == NULL || !exec_job_control()) {
		if (j != NULL)
			sh_error("fg: no job control");
		return 1;
	}
	printf("%s\n", j->text);
	fflush(stdout);
	tcsetpgrp(0, j->pgid);
	kill(-j->pgid, SIGCONT);
	return wait_job(j);
}

int builtin_bg(char **argv)
{
	struct job *j = job_named(argv);

	if (j == NULL)
		return 1;
	j->stopped = false;
	kill(-j->pgid, SIGCONT);
	printf("[%d] %s &\n", j->id, j->text);
	return 0;
}

int builtin_wait(char **argv)
{
	struct job *only = argv[1] != NULL ? job_named(argv) : NULL;
	int status = argv[1] != NULL && only == NULL ? 127 : 0;

	for (int i = 0; i < JOBS_MAX; i++) {
		struct job *j = &jobs[i];
		if (j->id == 0 || (argv[1] != NULL && j != only))
			continue;
		if (!wait_pids(j))
			return 128 + SIGINT;
		status = j->status;
		j->id = 0;
	}
	return status;
}
