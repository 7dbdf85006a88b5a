/*
 * The builtins: what must run in the shell itself (cd, exit, export,
 * the jobs) and what is cheaper there (echo, test, true).  Each takes
 * its argv and returns its status; its errors are "sh: NAME: ...".
 */
#include "sh.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int builtin_cd(char **argv)
{
	const char *dir = argv[1] != NULL ? argv[1] : var_get("HOME");
	char cwd[PATH_MAX];

	if (dir != NULL && strcmp(dir, "-") == 0)
		dir = var_get("OLDPWD");
	if (dir == NULL) {
		sh_error("cd: no directory");
		return 1;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	if (chdir(dir) != 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	var_set("OLDPWD", cwd, true);
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		var_set("PWD", cwd, true);
	return 0;
}

static int builtin_pwd(char **argv)
{
	char cwd[PATH_MAX];

	(void)argv;
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

static int builtin_exit(char **argv)
{
	sh_exit(argv[1] != NULL ? atoi(argv[1]) : last_status);
}

static int builtin_echo(char **argv)
{
	bool newline = true;
	int i = 1;

	if (argv[1] != NULL && strcmp(argv[1], "-n") == 0) {
		newline = false;
		i++;
	}
	for (int first = i; argv[i] != NULL; i++)
		printf("%s%s", i > first ? " " : "", argv[i]);
	if (newline)
		putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}

static int builtin_true(char **argv)
{
	(void)argv;
	return 0;
}

static int builtin_false(char **argv)
{
	(void)argv;
	return 1;
}

static int builtin_export(char **argv)
{
	if (argv[1] == NULL) {
		var_list(true);
		return 0;
	}
	int status = 0;
	for (int i = 1; argv[i] != NULL; i++) {
		char *eq = strchr(argv[i], '=');
		size_t len = eq != NULL ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!var_name_ok(argv[i], len)) {
			sh_error("export: %s: bad name", argv[i]);
			status = 1;
			continue;
		}
		if (eq == NULL) {
			var_export(argv[i]);
			continue;
		}
		*eq = '\0';
		var_set(argv[i], eq + 1, true);
		*eq = '=';
	}
	return status;
}

static int builtin_unset(char **argv)
{
	for (int i = 1; argv[i] != NULL; i++)
		var_unset(argv[i]);
	return 0;
}

static int builtin_set(char **argv)
{
	if (argv[1] == NULL) {
		var_list(false);
		return 0;
	}
	/* set -- a b c: the positional parameters. */
	int first = strcmp(argv[1], "--") == 0 ? 2 : 1, count = 0;
	while (argv[first + count] != NULL)
		count++;
	char **params = calloc((size_t)count + 1, sizeof(char *));
	for (int i = 0; i < count; i++)
		params[i] = strdup(argv[first + i]);
	positional = params;   /* the old ones may be argv's: kept */
	positional_count = count;
	return 0;
}

static int builtin_shift(char **argv)
{
	int n = argv[1] != NULL ? atoi(argv[1]) : 1;

	if (n < 0 || n > positional_count) {
		sh_error("shift: %s: out of range", argv[1]);
		return 1;
	}
	positional += n;
	positional_count -= n;
	return 0;
}

/* read NAME...: a line of standard input, split on blanks, the last
 * name taking the rest; 1 at the end of the input. */
static int builtin_read(char **argv)
{
	char line[4096];
	size_t len = 0;
	char c;

	while (len + 1 < sizeof(line) && read(0, &c, 1) == 1 && c != '\n')
		line[len++] = c;
	line[len] = '\0';
	if (len == 0 && c != '\n')
		return 1;
	char *p = line;
	for (int i = 1; argv[i] != NULL; i++) {
		p += strspn(p, " \t");
		size_t n = argv[i + 1] != NULL ? strcspn(p, " \t") : strlen(p);
		char saved = p[n];
		p[n] = '\0';
		var_set(argv[i], p, false);
		p[n] = saved;
		p += n;
	}
	return 0;
}

/* . FILE: its commands run in this shell. */
static int builtin_dot(char **argv)
{
	if (argv[1] == NULL) {
		sh_error(".: no file");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (f == NULL) {
		sh_error(".: %s: %s", argv[1], strerror(errno));
		return 1;
	}
	static char text[64 * 1024];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	char *copy = strdup(text);
	int status = run_text(copy);
	free(copy);
	return status;
}

static const struct {
	const char *name;
	builtin_fn fn;
} builtins[] = {
	{ "cd", builtin_cd },       { "pwd", builtin_pwd },     { "exit", builtin_exit },
	{ "echo", builtin_echo },   { "true", builtin_true },   { "false", builtin_false },
	{ ":", builtin_true },      { "test", builtin_test },   { "[", builtin_test },
	{ "export", builtin_export }, { "unset", builtin_unset }, { "set", builtin_set },
	{ "shift", builtin_shift }, { "read", builtin_read },   { ".", builtin_dot },
	{ "jobs", builtin_jobs },   { "fg", builtin_fg },       { "bg", builtin_bg },
	{ "wait", builtin_wait },   { "break", builtin_break }, { "continue", builtin_break },
	{ "return", builtin_break },
};

builtin_fn builtin_find(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}

/* ---- test and [ ---- */

static bool file_test(char op, const char *path)
{
	struct stat st;

	if (op == 'r' || op == 'w' || op == 'x')
		return access(path, op == 'r' ? R_OK : op == 'w' ? W_OK : X_OK) == 0;
	if (stat(path, &st) != 0)
		return false;
	switch (op) {
	case 'e':
		return true;
	case 'f':
		return S_ISREG(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 's':
		return st.st_size > 0;
	default:
		return false;
	}
}

static bool number(const char *s, long *n)
{
	char *end;

	errno = 0;
	*n = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && errno == 0;
}

/* A binary test a op b: 0 false, 1 true, -1 a bad expression. */
static int binary_test(const char *a, const char *op, const char *b)
{
	static const char *const ops[] = { "-eq", "-ne", "-lt", "-le", "-gt", "-ge" };
	long x, y;

	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
		return strcmp(a, b) == 0;
	if (strcmp(op, "!=") == 0)
		return strcmp(a, b) != 0;
	for (int i = 0; i < 6; i++) {
		if (strcmp(op, ops[i]) != 0)
			continue;
		if (!number(a, &x) || !number(b, &y))
			return -1;
		bool r[] = { x == y, x != y, x < y, x <= y, x > y, x >= y };
		return r[i];
	}
	return -1;
}

/* argc words of a test expression: 0, 1, or -1 if it is not one. */
static int evaluate(char **w, int argc)
{
	if (argc == 0)
		return 0;
	if (strcmp(w[0], "!") == 0)
		return argc > 1 ? (evaluate(w + 1, argc - 1) == 1 ? 0 : 1) : 1;
	if (argc == 1)
		return w[0][0] != '\0';
	if (argc == 2 && strcmp(w[0], "-z") == 0)
		return w[1][0] == '\0';
	if (argc == 2 && strcmp(w[0], "-n") == 0)
		return w[1][0] != '\0';
	if (argc == 2 && w[0][0] == '-' && w[0][1] != '\0' && w[0][2] == '\0' &&
	    strchr("efdsrwx", w[0][1]) != NULL)
		return file_test(w[0][1], w[1]);
	if (argc == 3)
		return binary_test(w[0], w[1], w[2]);
	for (int i = 1; i < argc - 1; i++) {
		if (strcmp(w[i], "-a") != 0 && strcmp(w[i], "-o") != 0)
			continue;
		int left = evaluate(w, i), right = evaluate(w + i + 1, argc - i - 1);
		if (left < 0 || right < 0)
			return -1;
		return w[i][1] == 'a' ? left && right : left || right;
	}
	return -1;
}

int builtin_test(char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	if (strcmp(argv[0], "[") == 0) {
		if (strcmp(argv[argc - 1], "]") != 0) {
			sh_error("[: missing ]");
			return 2;
		}
		argc--;
	}
	int r = evaluate(argv + 1, argc - 1);
	if (r < 0) {
		sh_error("%s: bad expression", argv[0]);
		return 2;
	}
	return r ? 0 : 1;
}
