/*
 * mig: the Pagoda interface compiler.
 *
 *   mig [-D name[=value]] [-U name] [-I dir] [-nocpp]
 *       [-header F.h] [-user FUser.c] [-sheader FServer.h] [-server FServer.c]
 *       file.defs
 *
 * Runs the C preprocessor on file.defs (as MIG does; $MIG_CPP or "cpp",
 * in traditional mode with comments kept so that columns survive), parses
 * the result, checks it, and writes the requested outputs; with no output
 * named, all four with MIG's names (SUBSYSTEM.h, SUBSYSTEMUser.c, ...).
 * On any error it prints "file:line:col: message", writes nothing and
 * exits with status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emit.h"
#include "lexer.h"
#include "parser.h"
#include "routine.h"

#define MAX_CPP_ARGS 256

struct options {
	const char *input;
	const char *outputs[EMIT_KINDS];
	const char *cpp_args[MAX_CPP_ARGS];
	int ncpp_args;
	int nocpp;
};

static void usage(void)
{
	fputs("usage: mig [-D name[=value]] [-U name] [-I dir] [-nocpp]\n"
	      "           [-header F.h] [-user FUser.c] [-sheader FServer.h]\n"
	      "           [-server FServer.c] file.defs\n",
	      stderr);
	exit(2);
}

static void add_cpp_arg(struct options *o, const char *flag, const char *v)
{
	if (o->ncpp_args + 2 >= MAX_CPP_ARGS)
		diag_fatal("too many preprocessor options");
	o->cpp_args[o->ncpp_args++] = flag;
	o->cpp_args[o->ncpp_args++] = v;
}

static int output_kind(const char *opt)
{
	static const char *const names[EMIT_KINDS] = {
		[EMIT_USER_HEADER] = "-header", [EMIT_USER] = "-user",
		[EMIT_SERVER_HEADER] = "-sheader", [EMIT_SERVER] = "-server",
	};

	for (int k = 0; k < EMIT_KINDS; k++)
		if (strcmp(opt, names[k]) == 0)
			return k;
	return -1;
}

static void parse_options(struct options *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int kind = output_kind(a);

		if (kind >= 0 && i + 1 < argc)
			o->outputs[kind] = argv[++i];
		else if (strcmp(a, "-nocpp") == 0)
			o->nocpp = 1;
		else if ((a[1] == 'D' || a[1] == 'U' || a[1] == 'I') &&
			 a[0] == '-' && a[2] != '\0')
			add_cpp_arg(o, xasprintf("-%c", a[1]), a + 2);
		else if ((a[1] == 'D' || a[1] == 'U' || a[1] == 'I') &&
			 a[0] == '-' && i + 1 < argc)
			add_cpp_arg(o, a, argv[++i]);
		else if (a[0] == '-' || o->input != NULL)
			usage();
		else
			o->input = a;
	}
	if (o->input == NULL)
		usage();
}

/* Starts the preprocessor with its output on a pipe. */
static FILE *open_cpp(const struct options *o, pid_t *pid)
{
	const char *cpp = getenv("MIG_CPP");
	const char *argv[MAX_CPP_ARGS + 16];
	int n = 0, fds[2];

	argv[n++] = cpp != NULL && *cpp != '\0' ? cpp : "cpp";
	argv[n++] = "-x";
	argv[n++] = "c";
	argv[n++] = "-traditional-cpp";
	argv[n++] = "-C";
	argv[n++] = "-undef";
	argv[n++] = "-nostdinc";
	for (int i = 0; i < o->ncpp_args; i++)
		argv[n++] = o->cpp_args[i];
	argv[n++] = o->input;
	argv[n] = NULL;
	if (pipe(fds) != 0 || (*pid = fork()) < 0)
		diag_fatal("cannot start the preprocessor: %s", strerror(errno));
	if (*pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "mig: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	return fdopen(fds[0], "r");
}

static int close_cpp(FILE *in, pid_t pid)
{
	int status;

	fclose(in);
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

static int parse_input(const struct options *o)
{
	pid_t pid = 0;
	int failed;

	lexer_set_file(o->input);
	yyin = o->nocpp ? fopen(o->input, "r") : open_cpp(o, &pid);
	if (yyin == NULL)
		diag_fatal("cannot read %s: %s", o->input, strerror(errno));
	failed = yyparse() != 0;
	if (o->nocpp)
		fclose(yyin);
	else if (close_cpp(yyin, pid))
		failed = 1; /* the preprocessor has said why */
	return failed;
}

static void default_outputs(struct options *o)
{
	for (int k = 0; k < EMIT_KINDS; k++)
		if (o->outputs[k] != NULL)
			return;
	o->outputs[EMIT_USER_HEADER] = xasprintf("%s.h", subsystem.name);
	o->outputs[EMIT_USER] = xasprintf("%sUser.c", subsystem.name);
	o->outputs[EMIT_SERVER_HEADER] = xasprintf("%sServer.h", subsystem.name);
	o->outputs[EMIT_SERVER] = xasprintf("%sServer.c", subsystem.name);
}

static const char *base_name(const char *path, const char *fallback)
{
	const char *slash;

	if (path == NULL)
		return fallback;
	slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

static void write_outputs(const struct options *o)
{
	struct emit_names names = {
		.user_header = base_name(o->outputs[EMIT_USER_HEADER],
					 xasprintf("%s.h", subsystem.name)),
		.server_header = base_name(o->outputs[EMIT_SERVER_HEADER],
					   xasprintf("%sServer.h",
						     subsystem.name)),
	};

	for (int k = 0; k < EMIT_KINDS; k++) {
		FILE *f;

		if (o->outputs[k] == NULL)
			continue;
		f = fopen(o->outputs[k], "w");
		if (f == NULL)
			diag_fatal("cannot write %s: %s", o->outputs[k],
				   strerror(errno));
		emit(k, f, &names);
		if (ferror(f) || fclose(f) != 0) {
			remove(o->outputs[k]);
			diag_fatal("cannot write %s", o->outputs[k]);
		}
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };

	parse_options(&o, argc, argv);
	subsystem.source = base_name(o.input, o.input);
	if (parse_input(&o) || diag_error_count() != 0)
		return 1;
	if (!subsystem_declared()) {
		struct loc start = { o.input, 1, 1 };

		diag_error(start, "no subsystem statement");
		return 1;
	}
	if (!check_subsystem())
		return 1;
	default_outputs(&o);
	write_outputs(&o);
	return 0;
}
