/*
 * Running a tree.  Compound commands run in the shell; a builtin runs
 * in the shell with its redirections undone after; a program runs in a
 * child.  Under job control (an interactive shell, not in a child of
 * its own) each command line's pipeline or program is a job: its
 * processes share a process group, which gets the terminal while it
 * runs in the foreground (jobs.c), so that ^C goes to it and not to
 * the shell.  A pipeline's members and a background job run in
 * children that run their part of the tree and exit.
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

bool interactive;
static bool job_control;       /* this process runs jobs in process groups */
static int substitution_status; /* the last command substitution's, or -1 */
static int breaking, continuing;   /* break n / continue n in progress */
static bool returning;             /* return in progress */

/* The functions defined: their bodies, taken from the trees that defined them. */
#define FUNCTIONS_MAX 64
static struct {
	char *name;
	struct node *body;
} functions[FUNCTIONS_MAX];

/* A message on stderr in one write, so that it does not interleave with
 * what children write. */
void sh_say(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0)
		return;
}

void sh_error(const char *fmt, ...)
{
	char message[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	sh_say("sh: %s\n", message);
}

_Noreturn void sh_exit(int status)
{
	fflush(stdout);
	fflush(stderr);
	_exit(status & 0xff);
}

static int status_of(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

/* ---- redirections ---- */

struct saved {
	int count;
	int fd[16], copy[16];      /* copy -1: fd was closed */
};

static int open_target(const struct redir *r, const char *target)
{
	if (r->kind == R_DUP) {
		if (strcmp(target, "-") == 0)
			return -2;   /* close it */
		char *end;
		long fd = strtol(target, &end, 10);
		if (*target == '\0' || *end != '\0' || fd < 0 || fcntl((int)fd, F_GETFD) < 0) {
			sh_error("%s: bad file descriptor", target);
			return -1;
		}
		return (int)fd;
	}
	int flags = r->kind == R_IN ? O_RDONLY
		    : r->kind == R_OUT ? O_WRONLY | O_CREAT | O_TRUNC
				       : O_WRONLY | O_CREAT | O_APPEND;
	int fd = open(target, flags, 0666);
	if (fd < 0)
		sh_error("%s: %s", target, strerror(errno));
	return fd;
}

/* The redirections made in this process: the old descriptors saved
 * into save if it is not NULL.  0, or -1 after an error said. */
static int redirect(const struct redir *r, struct saved *save)
{
	for (; r != NULL; r = r->next) {
		char *target = expand_word(r->word);
		int fd = open_target(r, target);
		free(target);
		if (fd == -1)
			return -1;
		if (save != NULL && save->count < 16) {
			save->fd[save->count] = r->fd;
			save->copy[save->count++] = fcntl(r->fd, F_DUPFD_CLOEXEC, 10);
		}
		if (fd == -2) {
			close(r->fd);
		} else if (fd != r->fd) {
			dup2(fd, r->fd);
			if (r->kind != R_DUP)
				close(fd);
		}
	}
	return 0;
}

static void restore(struct saved *save)
{
	fflush(stdout);
	fflush(stderr);
	while (save->count > 0) {
		save->count--;
		int fd = save->fd[save->count], copy = save->copy[save->count];
		if (copy < 0) {
			close(fd);
		} else {
			dup2(copy, fd);
			close(copy);
		}
	}
}

/* ---- programs ---- */

/* name as a path: itself if it has a '/', else the first of $PATH's
 * directories that has it; NULL if none. */
static char *find_program(const char *name)
{
	const char *path = var_get("PATH");
	struct stat st;

	if (strchr(name, '/') != NULL)
		return strdup(name);
	for (const char *dir = path != NULL ? path : "/bin";;) {
		size_t len = strcspn(dir, ":");
		size_t size = len + strlen(name) + 3;
		char *full = malloc(size);
		snprintf(full, size, "%.*s/%s", (int)(len > 0 ? len : 1), len > 0 ? dir : ".",
			 name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			return full;
		free(full);
		dir += len;
		if (*dir++ == '\0')
			return NULL;
	}
}

static void default_signals(void)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
}

/* In a child: argv run as a program (a file without #! that the system
 * cannot run is taken as a script of this shell's). */
static _Noreturn void exec_program(char **argv, char **assigns)
{
	char *path = find_program(argv[0]);

	if (path == NULL) {
		sh_error("%s: not found", argv[0]);
		sh_exit(127);
	}
	char **env = var_environ(assigns);
	execve(path, argv, env);
	if (errno == ENOEXEC) {
		FILE *f = fopen(path, "r");
		static char text[64 * 1024];
		size_t n = f != NULL ? fread(text, 1, sizeof(text) - 1, f) : 0;
		text[n] = '\0';
		shell_name = path;
		positional = argv + 1;
		for (positional_count = 0; argv[positional_count + 1] != NULL; positional_count++)
			;
		sh_exit(run_text(text));
	}
	sh_error("%s: %s", argv[0], strerror(errno));
	sh_exit(errno == ENOENT ? 127 : 126);
}

/* A child for part of the tree: into its own process group (pgid 0: a
 * new one) under job control; 0 in the child, as fork. */
static pid_t fork_child(pid_t pgid)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();

	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		return -1;
	}
	if (job_control)
		setpgid(pid == 0 ? 0 : pid, pgid);   /* in both, whichever runs first */
	if (pid == 0) {
		job_control = false;
		interactive = false;
		default_signals();
	}
	return pid;
}

/* ---- functions ---- */

static int run_node(struct node *n, bool in_child);

static struct node *function_find(const char *name)
{
	for (int i = 0; i < FUNCTIONS_MAX; i++)
		if (functions[i].name != NULL && strcmp(functions[i].name, name) == 0)
			return functions[i].body;
	return NULL;
}

/* n's body becomes the function's (n keeps none). */
static int define_function(struct node *n)
{
	int free_slot = -1;

	for (int i = 0; i < FUNCTIONS_MAX; i++) {
		if (functions[i].name != NULL && strcmp(functions[i].name, n->var) == 0) {
			node_free(functions[i].body);
			functions[i].body = n->left;
			n->left = NULL;
			return 0;
		}
		if (functions[i].name == NULL && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0) {
		sh_error("%s: too many functions", n->var);
		return 1;
	}
	functions[free_slot].name = strdup(n->var);
	functions[free_slot].body = n->left;
	n->left = NULL;
	return 0;
}

/* The function body run with argv as its parameters. */
static int call_function(struct node *body, char **argv, const struct node *n)
{
	char **saved = positional, *saved_name = shell_name;
	int saved_count = positional_count;
	struct saved save = { 0 };

	if (redirect(n->redirs, &save) != 0) {
		restore(&save);
		return 1;
	}
	positional = argv + 1;
	for (positional_count = 0; positional[positional_count] != NULL; positional_count++)
		;
	int status = run_node(body, false);
	if (returning) {
		returning = false;
		status = last_status;
	}
	positional = saved;
	positional_count = saved_count;
	shell_name = saved_name;
	restore(&save);
	return status;
}

/* ---- simple commands ---- */

static bool is_assignment(const char *word)
{
	const char *eq = strchr(word, '=');
	return eq != NULL && var_name_ok(word, (size_t)(eq - word));
}

/* The leading NAME=value words of n, their values expanded. */
static char **assignments(const struct node *n, int *count)
{
	char **out = calloc(1, sizeof(char *));

	for (*count = 0; n->words != NULL && n->words[*count] != NULL &&
			 is_assignment(n->words[*count]);
	     (*count)++) {
		const char *word = n->words[*count], *eq = strchr(word, '=');
		char *value = expand_word(eq + 1);
		size_t size = (size_t)(eq - word) + strlen(value) + 2;
		out = realloc(out, (size_t)(*count + 2) * sizeof(char *));
		out[*count] = malloc(size);
		snprintf(out[*count], size, "%.*s=%s", (int)(eq - word), word, value);
		out[*count + 1] = NULL;
		free(value);
	}
	return out;
}

static void set_assignments(char **assigns)
{
	for (char **a = assigns; *a != NULL; a++) {
		char *eq = strchr(*a, '=');
		*eq = '\0';
		var_set(*a, eq + 1, false);
		*eq = '=';
	}
}

static int run_builtin(builtin_fn fn, char **argv, const struct node *n)
{
	struct saved save = { 0 };

	if (redirect(n->redirs, &save) != 0) {
		restore(&save);
		return 1;
	}
	int status = fn(argv);
	restore(&save);
	return status;
}

/* n; in_child: in a child that ends after it, so a program replaces it. */
static int run_simple(struct node *n, bool in_child)
{
	int count;
	substitution_status = -1;
	char **assigns = assignments(n, &count);
	char **argv = expand_words(n->words != NULL ? n->words + count : NULL);
	int status = 0;

	if (argv == NULL) {
		status = 1;
	} else if (argv[0] == NULL) {
		struct saved save = { 0 };
		/* Only assignments: the last substitution's status, or 0. */
		set_assignments(assigns);
		status = redirect(n->redirs, &save) != 0 ? 1
			 : substitution_status >= 0 ? substitution_status : 0;
		restore(&save);
	} else if (function_find(argv[0]) != NULL) {
		set_assignments(assigns);
		status = call_function(function_find(argv[0]), argv, n);
	} else if (builtin_find(argv[0]) != NULL) {
		set_assignments(assigns);
		status = run_builtin(builtin_find(argv[0]), argv, n);
	} else {
		pid_t pid = in_child ? 0 : fork_child(0);
		if (pid == 0) {
			if (redirect(n->redirs, NULL) != 0)
				sh_exit(1);
			exec_program(argv, assigns);
		}
		char text[256] = "";
		node_text(n, text, sizeof(text));
		status = pid < 0 ? 1 : job_foreground(pid, &pid, 1, text);
	}
	argv_free(argv);
	argv_free(assigns);
	return status;
}

/* ---- the tree ---- */

static int run_node(struct node *n, bool in_child);



static int run_pipeline(struct node *n)
{
	struct node *members[64];
	pid_t pids[64], pgid = 0;
	int count = 0, in = -1;

	for (; n->kind == N_PIPE && count < 63; n = n->left)
		members[count++] = n->right;
	members[count++] = n;
	for (int i = count - 1; i >= 0; i--) {
		int fds[2] = { -1, -1 };
		if (i > 0 && pipe(fds) != 0) {
			sh_error("pipe: %s", strerror(errno));
			break;
		}
		pid_t pid = fork_child(pgid);
		if (pid == 0) {
			if (in >= 0)
				dup2(in, 0), close(in);
			if (fds[1] >= 0)
				dup2(fds[1], 1), close(fds[1]), close(fds[0]);
			sh_exit(run_node(members[i], true));
		}
		pgid = pgid == 0 ? pid : pgid;
		pids[count - 1 - i] = pid;
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
	}
	char text[256] = "";
	node_text(n, text, sizeof(text));
	return job_foreground(pgid, pids, count, text);
}

static int run_background(struct node *n)
{
	char text[256] = "";
	pid_t pid = fork_child(0);

	if (pid == 0) {
		if (!job_control)
			signal(SIGINT, SIG_IGN);
		sh_exit(run_node(n->left, true));
	}
	if (pid < 0)
		return 1;
	node_text(n->left, text, sizeof(text));
	last_background = pid;
	job_background(pid, &pid, 1, text);
	return 0;
}

static int run_for(struct node *n)
{
	char **values = n->list != NULL ? expand_words(n->list) : NULL;
	int status = 0;

	if (n->list == NULL) {
		values = calloc((size_t)positional_count + 1, sizeof(char *));
		for (int i = 0; i < positional_count; i++)
			values[i] = strdup(positional[i]);
	}
	for (char **v = values; v != NULL && *v != NULL && breaking == 0 && !returning; v++) {
		var_set(n->var, *v, false);
		status = run_node(n->b, false);
		if (continuing > 0 && --continuing > 0)
			break;
	}
	if (breaking > 0)
		breaking--;
	argv_free(values);
	return status;
}

static int run_loop(struct node *n)
{
	int status = 0;

	while (breaking == 0 && !returning) {
		int cond = run_node(n->a, false);
		if (breaking > 0 || (n->kind == N_WHILE ? cond != 0 : cond == 0))
			break;
		status = run_node(n->b, false);
		if (continuing > 0 && --continuing > 0)
			break;
	}
	if (breaking > 0)
		breaking--;
	return status;
}

static int run_case(struct node *n)
{
	char *word = expand_word(n->list[0]);
	int status = 0;

	for (struct case_item *item = n->items; item != NULL; item = item->next) {
		for (char **p = item->patterns; *p != NULL; p++) {
			char *pattern = expand_pattern(*p);
			bool match = pattern_match(pattern, word);
			free(pattern);
			if (match) {
				status = item->body != NULL ? run_node(item->body, false) : 0;
				free(word);
				return status;
			}
		}
	}
	free(word);
	return status;
}

static int run_compound(struct node *n, bool in_child)
{
	switch (n->kind) {
	case N_IF:
		if (run_node(n->a, false) == 0)
			return run_node(n->b, in_child);
		return n->c != NULL ? run_node(n->c, in_child) : 0;
	case N_WHILE:
	case N_UNTIL:
		return run_loop(n);
	case N_FOR:
		return run_for(n);
	case N_CASE:
		return run_case(n);
	case N_GROUP:
		return run_node(n->left, in_child);
	default: {
		pid_t pid = fork_child(0);
		if (pid == 0)
			sh_exit(run_node(n->left, true));
		return pid < 0 ? 1 : job_foreground(pid, &pid, 1, "( ... )");
	}
	}
}

static int run_node(struct node *n, bool in_child)
{
	int status = 0;

	if (n == NULL || breaking > 0 || continuing > 0 || returning)
		return last_status;
	switch (n->kind) {
	case N_SIMPLE:
		status = run_simple(n, in_child);
		break;
	case N_PIPE:
		status = run_pipeline(n);
		break;
	case N_AND:
	case N_OR:
		status = run_node(n->left, false);
		last_status = status;
		if ((status == 0) == (n->kind == N_AND))
			status = run_node(n->right, in_child);
		break;
	case N_SEQ:
		last_status = run_node(n->left, false);
		status = run_node(n->right, in_child);
		break;
	case N_BACKGROUND:
		status = run_background(n);
		break;
	case N_FUNCTION:
		status = define_function(n);
		break;
	case N_NOT:
		status = run_node(n->left, in_child) == 0 ? 1 : 0;
		break;
	default: {
		struct saved save = { 0 };
		if (redirect(n->redirs, &save) != 0) {
			restore(&save);
			return last_status = 1;
		}
		status = run_compound(n, in_child);
		restore(&save);
	}
	}
	last_status = status;
	return status;
}

int run_tree(struct node *n)
{
	return run_node(n, false);
}

int run_text(const char *text)
{
	for (;;) {
		struct node *tree;
		enum parse_result r = parse(&text, &tree);
		if (r == PARSE_EMPTY)
			return last_status;
		if (r == PARSE_MORE) {
			sh_error("syntax error: unexpected end of input");
			return last_status = 2;
		}
		if (r == PARSE_ERROR)
			return last_status = 2;
		run_tree(tree);
		node_free(tree);
		jobs_reap(false);
	}
}

char *run_capture(const char *text)
{
	int fds[2];
	size_t len = 0, room = 256;
	char *out = malloc(room);

	if (out == NULL || pipe(fds) != 0)
		return out;
	bool control = job_control;
	job_control = false;   /* the child stays in the shell's group */
	pid_t pid = fork_child(0);
	job_control = control;
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		sh_exit(run_text(text));
	}
	close(fds[1]);
	for (ssize_t n; (n = read(fds[0], out + len, room - len - 1)) > 0;) {
		len += (size_t)n;
		if (len + 1 == room && (out = realloc(out, room *= 2)) == NULL)
			break;
	}
	close(fds[0]);
	int wstatus = 0;
	if (pid > 0 && waitpid(pid, &wstatus, 0) == pid)
		substitution_status = last_status = status_of(wstatus);
	if (out != NULL)
		out[len] = '\0';
	return out;
}

int builtin_break(char **argv)
{
	if (argv[0][0] == 'r') {
		returning = true;
		return last_status = argv[1] != NULL ? atoi(argv[1]) : last_status;
	}
	int n = argv[1] != NULL ? atoi(argv[1]) : 1;
	if (n < 1) {
		sh_error("%s: bad count", argv[0]);
		return 1;
	}
	if (argv[0][0] == 'b')
		breaking = n;
	else
		continuing = n;
	return 0;
}

/* Job control starts: the shell leads a group of its own and holds the
 * terminal, and ignores what the terminal sends the foreground. */
void exec_start_jobs(void)
{
	job_control = interactive;
	if (!job_control)
		return;
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	if (getpgrp() != getpid())
		setpgid(0, 0);
	tcsetpgrp(0, getpgrp());
	jobs_init();
}

bool exec_job_control(void)
{
	return job_control;
}
