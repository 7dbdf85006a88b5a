/*
 * sh: Pagoda's shell (docs/shell.md).  A line -- or a whole script --
 * is parsed into a tree (parse.c), whose words stay as they were typed
 * until the command runs: then they are expanded (expand.c: parameters,
 * command substitution, quotes, fields, globs) and the command runs
 * (exec.c), in the shell for a builtin (builtin.c) or in a child for a
 * program, a pipeline's members in one process group that gets the
 * terminal while it runs in the foreground (jobs.c).  An interactive
 * shell reads with its own line editor (edit.c).
 *
 * Written against POSIX alone, so that it builds for the host too and
 * its tests run there (bin/sh/tests/).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum node_kind {
	N_SIMPLE,    /* words and redirections */
	N_PIPE,      /* left | right */
	N_AND,       /* left && right */
	N_OR,        /* left || right */
	N_SEQ,       /* left ; right */
	N_BACKGROUND,/* left & */
	N_NOT,       /* ! left */
	N_IF,        /* if a then b else c */
	N_WHILE,     /* while a do b */
	N_UNTIL,     /* until a do b */
	N_FOR,       /* for var in list do b */
	N_CASE,      /* case word in items esac */
	N_GROUP,     /* { a } */
	N_SUBSHELL,  /* ( a ) */
	N_FUNCTION,  /* var() left: defines the function */
};

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP };

struct redir {
	struct redir *next;
	int fd;                  /* the descriptor redirected */
	enum redir_kind kind;
	char *word;              /* the file, or for R_DUP the descriptor (or "-") */
};

struct case_item {
	struct case_item *next;
	char **patterns;         /* NULL-terminated, unexpanded */
	struct node *body;       /* may be NULL */
};

struct node {
	enum node_kind kind;
	struct node *left, *right;   /* the binary kinds, N_NOT, N_GROUP, N_SUBSHELL */
	struct node *a, *b, *c;      /* if, while, until, for (b) */
	char **words;                /* N_SIMPLE: NULL-terminated, unexpanded */
	struct redir *redirs;        /* N_SIMPLE and the compound commands */
	char *var;                   /* N_FOR */
	char **list;                 /* N_FOR: NULL means "$@"; N_CASE: its word is list[0] */
	struct case_item *items;     /* N_CASE */
};

/* parse.c */
enum parse_result { PARSE_OK, PARSE_EMPTY, PARSE_MORE, PARSE_ERROR };
/* The first complete command list of *text into *tree; *text moves past
 * it.  PARSE_MORE: the text ends inside a command (read another line);
 * PARSE_ERROR: a syntax error, said on stderr. */
enum parse_result parse(const char **text, struct node **tree);
void node_free(struct node *n);
/* Past a quoted or substituted part of a word starting at s (', ", `,
 * or the ( or { after a $); NULL if the text ends first. */
const char *skip_part(const char *s);
/* The source text of a tree, for jobs: "ls | wc". */
void node_text(const struct node *n, char *out, size_t size);

/* vars.c: the shell's variables, and the positional parameters. */
const char *var_get(const char *name);
void var_set(const char *name, const char *value, bool export);
void var_unset(const char *name);
void var_export(const char *name);
void var_init(char **environ);
/* A new environment for a child: the exported variables, and assigns
 * ("NAME=value", NULL-terminated) over them. */
char **var_environ(char **assigns);
void var_list(bool exported_only);
bool var_name_ok(const char *name, size_t len);
extern int positional_count;
extern char **positional;     /* $1 .. $n */
extern char *shell_name;      /* $0 */
extern int last_status;       /* $? */
extern pid_t last_background; /* $! */

/* expand.c */
/* words expanded into a NULL-terminated argv (malloc'd strings), or NULL
 * after an error said on stderr (a bad substitution). */
char **expand_words(char **words);
/* One word, without field splitting or globs (redirections, case). */
char *expand_word(const char *word);
/* A case pattern: as expand_word, quoted characters escaped. */
char *expand_pattern(const char *word);
void argv_free(char **argv);
bool pattern_match(const char *pattern, const char *string);

/* exec.c */
int run_tree(struct node *n);
/* Runs all of text (a script or -c's string); the status of the last. */
int run_text(const char *text);
/* Runs the command substitution's text, its output collected. */
char *run_capture(const char *text);
extern bool interactive;      /* job control and the line editor */
void exec_start_jobs(void);
bool exec_job_control(void);
int builtin_break(char **argv);   /* break, continue and return */
/* Leave now with status (exit, a failed exec in a child). */
_Noreturn void sh_exit(int status);

/* jobs.c */
void jobs_init(void);
/* Waits for the job of pgid (its members' pids) in the foreground,
 * giving it the terminal: its status, or 128 + the signal that stopped
 * it (the job kept as stopped). */
int job_foreground(pid_t pgid, pid_t *pids, int count, const char *text);
void job_background(pid_t pgid, pid_t *pids, int count, const char *text);
/* Takes note of children that changed; says which jobs ended (interactive). */
void jobs_reap(bool report);
int builtin_jobs(char **argv);
int builtin_fg(char **argv);
int builtin_bg(char **argv);
int builtin_wait(char **argv);

/* builtin.c */
typedef int (*builtin_fn)(char **argv);
builtin_fn builtin_find(const char *name);
int builtin_test(char **argv);

/* figure.c: the boot's figure, if the environment asks for it (an
 * interactive shell, before its first prompt). */
void figure_boot(void);

/* edit.c: a line from the terminal, edited; NULL at the end (^D). */
char *edit_line(const char *prompt);

/* An error, as "sh: ...", and any message, on stderr in one write. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sh_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
