/*
 * sh [-c TEXT [NAME [ARG...]] | FILE [ARG...]]: runs TEXT, the script
 * FILE, or what standard input gives, a command at a time; reading from
 * a terminal it is interactive: prompts ($PS1, $PS2 for a command that
 * goes on), edits lines, and controls jobs.
 */
#include "sh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* All of path, NUL-terminated; NULL after an error said. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, room = 4096;
	char *text = malloc(room);

	if (f == NULL || text == NULL) {
		sh_error("%s: %s", path, strerror(errno));
		free(text);
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	for (size_t n; (n = fread(text + len, 1, room - len - 1, f)) > 0;) {
		len += n;
		if (len + 1 == room && (text = realloc(text, room *= 2)) == NULL)
			break;
	}
	fclose(f);
	if (text != NULL)
		text[len] = '\0';
	return text;
}

static char *append_line(char *buffer, const char *line)
{
	size_t old = buffer != NULL ? strlen(buffer) : 0, n = strlen(line);
	char *grown = realloc(buffer, old + n + 2);

	if (grown == NULL)
		return buffer;
	memcpy(grown + old, line, n);
	grown[old + n] = '\n';
	grown[old + n + 1] = '\0';
	return grown;
}

/* Commands read a line at a time: from the terminal, edited, or from
 * standard input as it is. */
static int read_loop(void)
{
	char *buffer = NULL;

	for (;;) {
		if (interactive && buffer == NULL)
			jobs_reap(true);
		const char *prompt = !interactive ? "" : buffer == NULL ? var_get("PS1") : var_get("PS2");
		char *line = edit_line(prompt != NULL ? prompt : "");
		if (line == NULL) {
			if (buffer != NULL)
				sh_error("syntax error: unexpected end of input");
			break;
		}
		buffer = append_line(buffer, line);
		free(line);
		const char *text = buffer;
		struct node *tree;
		enum parse_result r = parse(&text, &tree);
		if (r == PARSE_MORE)
			continue;
		if (r == PARSE_OK)
			run_tree(tree);
		else if (r == PARSE_ERROR && !interactive)
			sh_exit(2);
		else if (r == PARSE_ERROR)
			last_status = 2;
		node_free(tree);
		free(buffer);
		buffer = NULL;
	}
	free(buffer);
	return last_status;
}

static void set_params(char **args, char *name)
{
	shell_name = name;
	positional = args;
	for (positional_count = 0; args[positional_count] != NULL; positional_count++)
		;
}

int main(int argc, char **argv)
{
	var_init(environ);
	if (var_get("PATH") == NULL)
		var_set("PATH", "/bin", true);
	if (var_get("PS1") == NULL)
		var_set("PS1", geteuid() == 0 ? "# " : "$ ", false);
	if (var_get("PS2") == NULL)
		var_set("PS2", "> ", false);
	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			sh_error("-c: no command");
			return 2;
		}
		set_params(argv + (argc > 3 ? 4 : 3), argc > 3 ? argv[3] : argv[0]);
		sh_exit(run_text(argv[2]));
	}
	if (argc > 1) {
		char *text = read_file(argv[1]);
		if (text == NULL)
			return 127;
		set_params(argv + 2, argv[1]);
		sh_exit(run_text(text));
	}
	shell_name = argv[0];
	interactive = isatty(0) && isatty(2);
	exec_start_jobs();
	if (interactive)
		figure_boot();
	sh_exit(read_loop());
}
