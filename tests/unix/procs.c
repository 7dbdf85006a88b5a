/*
 * The process table (getprocs, from the process server): each process
 * with its ids, state, memory and command line, from birth through stop,
 * continue and death to its parent's wait.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/procinfo.h>
#include <sys/wait.h>
#include <unistd.h>
#include <mach/mach.h>
#include <host.h>
#include <proc.h>
#include <unix.h>

#include "tap.h"

static struct unix_proc_info table[UNIX_PROC_MAX];

/* pid's record in a fresh table, or NULL. */
static const struct unix_proc_info *find(pid_t pid)
{
	int n = getprocs(table, UNIX_PROC_MAX);

	for (int i = 0; i < n && i < (int)UNIX_PROC_MAX; i++)
		if (table[i].pid == pid)
			return &table[i];
	return NULL;
}

static bool sorted_by_pid(int n)
{
	for (int i = 1; i < n; i++)
		if (table[i - 1].pid >= table[i].pid)
			return false;
	return n > 0;
}

static void self_record(const char *self)
{
	int n = getprocs(table, UNIX_PROC_MAX);
	const struct unix_proc_info *me = find(getpid());

	CHECK(n >= 1 && sorted_by_pid(n), "getprocs_lists_the_processes_by_pid");
	CHECK(me != NULL && me->ppid == getppid() && me->pgid == getpgrp() &&
		      me->sid == getsid(0) && me->state == UNIX_PROC_RUNNING,
	      "the_table_has_the_caller's_ids_and_state");
	CHECK(me != NULL && strcmp(me->command, self) == 0, "and_its_command_line");
	CHECK(me != NULL && me->virtual_size >= 256u << 20 && me->resident_size > 0 &&
		      me->resident_size < me->virtual_size,
	      "and_its_memory");
	CHECK(getprocs(NULL, 0) == n, "getprocs_into_nothing_counts");
	CHECK_ERR(getprocs((void *)8, 4), EFAULT, "getprocs_into_a_bad_table_is_EFAULT");
	CHECK_ERR(getprocs(table, -1), EINVAL, "getprocs_of_a_negative_count_is_EINVAL");
}

static volatile int chld;
static void count_chld(int sig)
{
	(void)sig;
	chld++;
}

static void child_record(const char *self)
{
	pid_t child = fork();

	if (child == 0) {
		char *argv[] = { (char *)self, "role=pause", NULL };
		char *envp[] = { NULL };
		execve(self, argv, envp);
		_exit(1);
	}
	const struct unix_proc_info *c = NULL;
	char want[UNIX_COMMAND_MAX];
	snprintf(want, sizeof(want), "%s role=pause", self);
	for (int i = 0; i < 1000 && (c == NULL || strcmp(c->command, want) != 0); i++) {
		usleep(1000);
		c = find(child);
	}
	CHECK(c != NULL && c->ppid == getpid() && c->state == UNIX_PROC_RUNNING &&
		      strcmp(c->command, want) == 0,
	      "an_exec'd_child_shows_its_parent_and_arguments");
	struct sigaction count = { .sa_handler = count_chld }, nocldstop = count;
	nocldstop.sa_flags = SA_NOCLDSTOP;
	int status = 0;
	sigaction(SIGCHLD, &count, NULL);
	kill(child, SIGSTOP);
	c = find(child);
	CHECK(c != NULL && c->state == UNIX_PROC_STOPPED, "a_stopped_child_is_T");
	CHECK(chld == 1, "a_child's_stop_is_SIGCHLD");
	CHECK(waitpid(child, &status, WUNTRACED) == child && WIFSTOPPED(status) &&
		      WSTOPSIG(status) == SIGSTOP, "waitpid_WUNTRACED_tells_the_stop");
	CHECK(waitpid(child, &status, WUNTRACED | WNOHANG) == 0, "once");
	kill(child, SIGCONT);
	c = find(child);
	CHECK(c != NULL && c->state == UNIX_PROC_RUNNING, "a_continued_child_is_R");
	CHECK(waitpid(child, &status, WCONTINUED) == child && WIFCONTINUED(status),
	      "waitpid_WCONTINUED_tells_the_continue");
	sigaction(SIGCHLD, &nocldstop, NULL);
	kill(child, SIGSTOP);
	kill(child, SIGCONT);
	CHECK(chld == 2, "SA_NOCLDSTOP_keeps_stops_from_SIGCHLD");
	signal(SIGCHLD, SIG_DFL);
	kill(child, SIGKILL);
	for (int i = 0; i < 1000 && (c = find(child)) != NULL && c->state != UNIX_PROC_ZOMBIE; i++)
		usleep(1000);
	CHECK(c != NULL && c->state == UNIX_PROC_ZOMBIE && WIFSIGNALED(c->status) &&
		      WTERMSIG(c->status) == SIGKILL && c->virtual_size == 0,
	      "a_dead_child_is_a_zombie_with_its_status");
	CHECK(status_of(child) == c->status && find(child) == NULL,
	      "the_parent's_wait_takes_it_from_the_table");
}

/* The port any process gets reads the table and changes nothing. */
static void public_port(void)
{
	mach_port_t server = MACH_PORT_NULL, me;
	int32_t pid = 0, status = 0, ppid, pgid, sid;
	boolean_t adopted;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &me);
	CHECK(unix_proc_server(me, &server) == KERN_SUCCESS && server != MACH_PORT_NULL,
	      "the_process_server's_public_port");
	CHECK(proc_exit(server, getpid(), 0, &pid, &adopted) == KERN_NO_ACCESS &&
		      proc_fork(server, getpid(), MACH_PORT_NULL, &pid) == KERN_NO_ACCESS &&
		      proc_setsid(server, getpid(), &pid) == KERN_NO_ACCESS &&
		      proc_wait(server, getpid(), -1, 0, &pid, &status) == KERN_NO_ACCESS,
	      "it_refuses_every_change");
	CHECK(proc_ids(server, getpid(), &ppid, &pgid, &sid) == KERN_SUCCESS &&
		      pgid == getpgrp() && proc_ids(server, 29999, &ppid, &pgid, &sid) ==
						   PROC_NO_SUCH_PROCESS,
	      "it_answers_ids");
	mach_port_deallocate(mach_task_self(), server);
	mach_port_deallocate(mach_task_self(), me);
}

/* Root's way to the Mach side: the privileged host port, the boot
 * servers' services and processes' tasks; no one else's. */
static void root_ports(void)
{
	mach_port_t me, host = MACH_PORT_NULL, service = MACH_PORT_NULL;
	int64_t r = -1;
	int policy = -1;
	natural_t deadline = 0;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &me);
	CHECK(unix_host_priv(me, &r, &host) == KERN_SUCCESS && r == 0 &&
		      vm_pager_policy_get(host, MACH_PORT_NULL, &policy, &deadline) == KERN_SUCCESS &&
		      policy == VM_PAGER_POLICY_FAIL && deadline > 0,
	      "root_gets_the_privileged_host_port");
	CHECK(unix_look_up(me, "ext2fs", &r, &service) == KERN_SUCCESS && r == 0 &&
		      service != MACH_PORT_NULL, "root_looks_up_a_boot_server");
	mach_port_deallocate(mach_task_self(), service);
	CHECK(unix_look_up(me, "nothing", &r, &service) == KERN_SUCCESS && r == -ENOENT,
	      "an_unknown_service_is_ENOENT");
	mach_port_t task = MACH_PORT_NULL;
	CHECK(unix_task_for_pid(me, getpid(), &r, &task) == KERN_SUCCESS && r == 0 &&
		      task == mach_task_self(), "root_gets_a_process_task");
	mach_port_deallocate(mach_task_self(), task);
	CHECK(unix_task_for_pid(me, 29999, &r, &task) == KERN_SUCCESS && r == -ESRCH &&
		      task == MACH_PORT_NULL, "task_for_pid_of_no_process_is_ESRCH");
	pid_t child = fork();
	if (child == 0) {
		mach_port_t mine, got = MACH_PORT_NULL;
		int64_t a = 0, b = 0, c = 0;
		setuid(1000);
		task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &mine);
		unix_host_priv(mine, &a, &got);
		unix_look_up(mine, "ext2fs", &b, &got);
		unix_task_for_pid(mine, getppid(), &c, &got);
		_exit(a == -EPERM && b == -EPERM && c == -EPERM && got == MACH_PORT_NULL ? 0 : 1);
	}
	CHECK(status_of(child) == 0, "others_get_none_of_them");
	mach_port_deallocate(mach_task_self(), host);
	mach_port_deallocate(mach_task_self(), me);
}

void procs_tests(const char *self)
{
	self_record(self);
	child_record(self);
	public_port();
	root_ports();
}
