/*
 * The shell's grammar (POSIX's, without here-documents and arithmetic):
 *
 *   complete := and_or ((';' | '&') and_or)* [';' | '&'] (NEWLINE | end)
 *   and_or   := pipeline (('&&' | '||') newlines pipeline)*
 *   pipeline := ['!'] command ('|' newlines command)*
 *   command  := simple | NAME '(' ')' command
 *             | (if | while | until | for | case | '{' | '(') redirs
 *   simple   := (NAME=value | word | redirection)+
 *
 * Words are kept as typed, quotes and all; expand.c takes them apart
 * when the command runs.  A reserved word (if, then, ...) is one only
 * where a command may begin, and only unquoted.  The end of the text
 * inside a quote, a compound command or after an operator that wants
 * more is PARSE_MORE: an interactive shell reads another line.
 */
#include "sh.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum token {
	T_WORD, T_NEWLINE, T_END, T_AND_IF, T_OR_IF, T_AMP, T_SEMI, T_DSEMI, T_PIPE,
	T_LPAREN, T_RPAREN, T_LESS, T_GREAT, T_DGREAT, T_GREATAND, T_LESSAND,
};

struct parser {
	const char *p;
	enum token tok;
	char *word;          /* T_WORD: its text, owned until taken */
	int io_number;       /* a redirection's descriptor, or -1 */
	bool more;           /* the text ended too soon */
	bool failed;
};

/* ---- the lexer ---- */

static bool is_meta(char c)
{
	return c == '\0' || strchr(" \t\n;&|<>()", c) != NULL;
}

const char *skip_part(const char *s)
{
	char open = *s;

	if (open == '\'') {
		const char *end = strchr(s + 1, '\'');
		return end != NULL ? end + 1 : NULL;
	}
	if (open == '"' || open == '`') {
		for (s++; *s != open;) {
			if (*s == '\0')
				return NULL;
			if (*s == '\\' && s[1] != '\0')
				s += 2;
			else if (open == '"' && *s == '$' && (s[1] == '(' || s[1] == '{')) {
				if ((s = skip_part(s + 1)) == NULL)
					return NULL;
			} else {
				s++;
			}
		}
		return s + 1;
	}
	/* $( or ${ at s - 1: to the matching close, quotes inside skipped. */
	char close = open == '(' ? ')' : '}';
	int depth = 1;
	for (s++; depth > 0; s++) {
		if (*s == '\0')
			return NULL;
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '\'' || *s == '"' || *s == '`') {
			const char *end = skip_part(s);
			if (end == NULL)
				return NULL;
			s = end - 1;
		} else if (*s == open)
			depth++;
		else if (*s == close)
			depth--;
	}
	return s;
}

/* The word at s: its end, or NULL if a quote is left open. */
static const char *word_end(const char *s)
{
	while (!is_meta(*s)) {
		if (*s == '\\') {
			if (s[1] == '\0')
				return NULL;
			s += 2;
		} else if (*s == '\'' || *s == '"' || *s == '`') {
			if ((s = skip_part(s)) == NULL)
				return NULL;
		} else if (*s == '$' && (s[1] == '(' || s[1] == '{')) {
			if ((s = skip_part(s + 1)) == NULL)
				return NULL;
		} else {
			s++;
		}
	}
	return s;
}

static void skip_blanks(struct parser *ps)
{
	for (;;) {
		if (*ps->p == ' ' || *ps->p == '\t')
			ps->p++;
		else if (ps->p[0] == '\\' && ps->p[1] == '\n')
			ps->p += 2;
		else if (*ps->p == '#')
			ps->p += strcspn(ps->p, "\n");
		else
			return;
	}
}

static const struct {
	const char *text;
	enum token tok;
} operators[] = {
	{ "&&", T_AND_IF }, { "||", T_OR_IF }, { ";;", T_DSEMI }, { ">>", T_DGREAT },
	{ ">&", T_GREATAND }, { "<&", T_LESSAND }, { "&", T_AMP }, { ";", T_SEMI },
	{ "|", T_PIPE }, { "(", T_LPAREN }, { ")", T_RPAREN }, { "<", T_LESS },
	{ ">", T_GREAT }, { "\n", T_NEWLINE },
};

static void next(struct parser *ps)
{
	free(ps->word);
	ps->word = NULL;
	ps->io_number = -1;
	skip_blanks(ps);
	if (*ps->p == '\0') {
		ps->tok = T_END;
		return;
	}
	for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++) {
		size_t n = strlen(operators[i].text);
		if (strncmp(ps->p, operators[i].text, n) == 0) {
			ps->p += n;
			ps->tok = operators[i].tok;
			return;
		}
	}
	const char *end = word_end(ps->p);
	if (end == NULL) {
		ps->more = true;
		ps->tok = T_END;
		ps->p += strlen(ps->p);
		return;
	}
	/* Digits right before < or > name the descriptor redirected. */
	size_t len = (size_t)(end - ps->p);
	if ((*end == '<' || *end == '>') && len < 3 && strspn(ps->p, "0123456789") == len) {
		int fd = atoi(ps->p);
		ps->p = end;
		next(ps);
		ps->io_number = fd;
		return;
	}
	ps->word = strndup(ps->p, len);
	ps->p = end;
	ps->tok = T_WORD;
}

/* ---- the parser ---- */

static const char *token_text(const struct parser *ps)
{
	if (ps->tok == T_WORD)
		return ps->word;
	if (ps->tok == T_END)
		return "end of input";
	for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
		if (operators[i].tok == ps->tok)
			return ps->tok == T_NEWLINE ? "newline" : operators[i].text;
	return "?";
}

static void *fail(struct parser *ps)
{
	if (!ps->failed && !ps->more) {
		if (ps->tok == T_END)
			ps->more = true;   /* the command goes on in the next line */
		else
			sh_error("syntax error near '%s'", token_text(ps));
	}
	ps->failed = true;
	return NULL;
}

static bool is_word(const struct parser *ps, const char *reserved)
{
	return ps->tok == T_WORD && strcmp(ps->word, reserved) == 0;
}

static bool accept(struct parser *ps, enum token tok)
{
	if (ps->tok != tok)
		return false;
	next(ps);
	return true;
}

static bool expect_word(struct parser *ps, const char *reserved)
{
	if (is_word(ps, reserved)) {
		next(ps);
		return true;
	}
	fail(ps);
	return false;
}

static void newlines(struct parser *ps)
{
	while (accept(ps, T_NEWLINE))
		;
}

static struct node *node_new(enum node_kind kind)
{
	struct node *n = calloc(1, sizeof(*n));
	if (n == NULL) {
		sh_error("out of memory");
		sh_exit(2);
	}
	n->kind = kind;
	return n;
}

static struct node *binary(enum node_kind kind, struct node *left, struct node *right)
{
	struct node *n = node_new(kind);
	n->left = left;
	n->right = right;
	return n;
}

/* A NULL-terminated array that grows by one. */
static char **push(char **list, size_t *count, char *item)
{
	char **grown = realloc(list, (*count + 2) * sizeof(*grown));
	if (grown == NULL) {
		sh_error("out of memory");
		sh_exit(2);
	}
	grown[(*count)++] = item;
	grown[*count] = NULL;
	return grown;
}

static char *take_word(struct parser *ps)
{
	char *w = ps->word;
	ps->word = NULL;
	next(ps);
	return w;
}

static bool redirection(struct parser *ps, struct redir ***tail)
{
	static const struct {
		enum token tok;
		enum redir_kind kind;
		int fd;
	} kinds[] = { { T_LESS, R_IN, 0 }, { T_GREAT, R_OUT, 1 }, { T_DGREAT, R_APPEND, 1 },
		      { T_GREATAND, R_DUP, 1 }, { T_LESSAND, R_DUP, 0 } };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (ps->tok != kinds[i].tok)
			continue;
		int fd = ps->io_number >= 0 ? ps->io_number : kinds[i].fd;
		next(ps);
		if (ps->tok != T_WORD)
			return fail(ps), false;
		struct redir *r = calloc(1, sizeof(*r));
		r->fd = fd;
		r->kind = kinds[i].kind;
		r->word = take_word(ps);
		**tail = r;
		*tail = &r->next;
		return true;
	}
	return false;
}

static bool is_redirection(const struct parser *ps)
{
	return ps->tok == T_LESS || ps->tok == T_GREAT || ps->tok == T_DGREAT ||
	       ps->tok == T_GREATAND || ps->tok == T_LESSAND;
}

static const char *const reserved_words[] = { "then", "else", "elif", "fi", "do", "done",
					      "esac", "}", "in", NULL };

static bool at_stop(const struct parser *ps)
{
	if (ps->tok == T_END || ps->tok == T_RPAREN || ps->tok == T_DSEMI)
		return true;
	for (int i = 0; ps->tok == T_WORD && reserved_words[i] != NULL; i++)
		if (strcmp(ps->word, reserved_words[i]) == 0)
			return true;
	return false;
}

static struct node *and_or(struct parser *ps);

/* Commands up to a reserved word that ends them, newlines allowed. */
static struct node *compound_list(struct parser *ps)
{
	struct node *list = NULL;

	newlines(ps);
	while (!at_stop(ps) && !ps->failed) {
		struct node *n = and_or(ps);
		if (n == NULL)
			return node_free(list), NULL;
		if (accept(ps, T_AMP))
			n = binary(N_BACKGROUND, n, NULL);
		else if (!accept(ps, T_SEMI) && !accept(ps, T_NEWLINE) && !at_stop(ps))
			return node_free(list), node_free(n), fail(ps);
		list = list == NULL ? n : binary(N_SEQ, list, n);
		newlines(ps);
	}
	if (list == NULL && !ps->failed)
		return fail(ps);
	return list;
}

static struct node *if_clause(struct parser *ps)
{
	struct node *n = node_new(N_IF);

	n->a = compound_list(ps);
	if (n->a == NULL || !expect_word(ps, "then") || (n->b = compound_list(ps)) == NULL)
		return node_free(n), NULL;
	if (is_word(ps, "elif")) {
		next(ps);
		n->c = if_clause(ps);
		return n->c != NULL ? n : (node_free(n), NULL);
	}
	if (is_word(ps, "else")) {
		next(ps);
		if ((n->c = compound_list(ps)) == NULL)
			return node_free(n), NULL;
	}
	if (!expect_word(ps, "fi"))
		return node_free(n), NULL;
	return n;
}

static struct node *loop_clause(struct parser *ps, enum node_kind kind)
{
	struct node *n = node_new(kind);

	if ((n->a = compound_list(ps)) == NULL || !expect_word(ps, "do") ||
	    (n->b = compound_list(ps)) == NULL || !expect_word(ps, "done"))
		return node_free(n), NULL;
	return n;
}

static struct node *for_clause(struct parser *ps)
{
	struct node *n = node_new(N_FOR);
	size_t count = 0;

	if (ps->tok != T_WORD || !var_name_ok(ps->word, strlen(ps->word)))
		return node_free(n), fail(ps);
	n->var = take_word(ps);
	newlines(ps);
	if (is_word(ps, "in")) {
		next(ps);
		n->list = push(NULL, &count, NULL);
		count = 0;
		while (ps->tok == T_WORD)
			n->list = push(n->list, &count, take_word(ps));
		if (!accept(ps, T_SEMI) && !accept(ps, T_NEWLINE))
			return node_free(n), fail(ps);
	} else {
		accept(ps, T_SEMI);
	}
	newlines(ps);
	if (!expect_word(ps, "do") || (n->b = compound_list(ps)) == NULL ||
	    !expect_word(ps, "done"))
		return node_free(n), NULL;
	return n;
}

static struct case_item *case_item(struct parser *ps)
{
	struct case_item *item = calloc(1, sizeof(*item));
	size_t count = 0;

	accept(ps, T_LPAREN);
	do {
		if (ps->tok != T_WORD) {
			free(item);
			return fail(ps);
		}
		item->patterns = push(item->patterns, &count, take_word(ps));
	} while (accept(ps, T_PIPE));
	if (!accept(ps, T_RPAREN)) {
		argv_free(item->patterns);
		free(item);
		return fail(ps);
	}
	newlines(ps);
	if (!is_word(ps, "esac") && ps->tok != T_DSEMI)
		item->body = compound_list(ps);
	if (ps->failed || (!accept(ps, T_DSEMI) && !is_word(ps, "esac"))) {
		argv_free(item->patterns);
		node_free(item->body);
		free(item);
		return fail(ps);
	}
	newlines(ps);
	return item;
}

static struct node *case_clause(struct parser *ps)
{
	struct node *n = node_new(N_CASE);
	struct case_item **tail = &n->items;
	size_t count = 0;

	if (ps->tok != T_WORD)
		return node_free(n), fail(ps);
	n->list = push(NULL, &count, take_word(ps));
	newlines(ps);
	if (!expect_word(ps, "in"))
		return node_free(n), NULL;
	newlines(ps);
	while (!is_word(ps, "esac")) {
		if ((*tail = case_item(ps)) == NULL)
			return node_free(n), NULL;
		tail = &(*tail)->next;
	}
	next(ps);
	return n;
}

static struct node *compound(struct parser *ps)
{
	struct node *n = NULL;

	if (accept(ps, T_LPAREN)) {
		n = node_new(N_SUBSHELL);
		if ((n->left = compound_list(ps)) == NULL || !accept(ps, T_RPAREN))
			return node_free(n), fail(ps);
		return n;
	}
	char *word = take_word(ps);
	if (strcmp(word, "if") == 0)
		n = if_clause(ps);
	else if (strcmp(word, "while") == 0 || strcmp(word, "until") == 0)
		n = loop_clause(ps, word[0] == 'w' ? N_WHILE : N_UNTIL);
	else if (strcmp(word, "for") == 0)
		n = for_clause(ps);
	else if (strcmp(word, "case") == 0)
		n = case_clause(ps);
	else {
		n = node_new(N_GROUP);
		if ((n->left = compound_list(ps)) == NULL || !expect_word(ps, "}"))
			n = (node_free(n), NULL);
	}
	free(word);
	return n;
}

static struct node *command(struct parser *ps);

/* NAME() COMMAND: a function. */
static struct node *function(struct parser *ps)
{
	struct node *n = node_new(N_FUNCTION);

	n->var = take_word(ps);
	if (!accept(ps, T_LPAREN) || !accept(ps, T_RPAREN))
		return node_free(n), fail(ps);
	newlines(ps);
	if ((n->left = command(ps)) == NULL)
		return node_free(n), NULL;
	return n;
}

static bool starts_compound(const struct parser *ps)
{
	static const char *const words[] = { "if", "while", "until", "for", "case", "{", NULL };

	if (ps->tok == T_LPAREN)
		return true;
	for (int i = 0; ps->tok == T_WORD && words[i] != NULL; i++)
		if (strcmp(ps->word, words[i]) == 0)
			return true;
	return false;
}

static struct node *command(struct parser *ps)
{
	struct node *n;
	struct redir **tail;

	if (starts_compound(ps)) {
		if ((n = compound(ps)) == NULL)
			return NULL;
		tail = &n->redirs;
		while (is_redirection(ps))
			if (!redirection(ps, &tail))
				return node_free(n), NULL;
		return n;
	}
	if (at_stop(ps))
		return fail(ps);
	const char *after = ps->p + strspn(ps->p, " \t");
	if (ps->tok == T_WORD && var_name_ok(ps->word, strlen(ps->word)) && after[0] == '(' &&
	    after[1] == ')')
		return function(ps);
	n = node_new(N_SIMPLE);
	tail = &n->redirs;
	size_t count = 0;
	for (;;) {
		if (ps->tok == T_WORD)
			n->words = push(n->words, &count, take_word(ps));
		else if (!is_redirection(ps))
			break;
		else if (!redirection(ps, &tail))
			return node_free(n), NULL;
	}
	if (count == 0 && n->redirs == NULL)
		return node_free(n), fail(ps);
	return n;
}

static struct node *pipeline(struct parser *ps)
{
	bool negate = is_word(ps, "!");

	if (negate)
		next(ps);
	struct node *n = command(ps);
	while (n != NULL && accept(ps, T_PIPE)) {
		newlines(ps);
		struct node *right = command(ps);
		if (right == NULL)
			return node_free(n), NULL;
		n = binary(N_PIPE, n, right);
	}
	return negate && n != NULL ? binary(N_NOT, n, NULL) : n;
}

static struct node *and_or(struct parser *ps)
{
	struct node *n = pipeline(ps);

	while (n != NULL && (ps->tok == T_AND_IF || ps->tok == T_OR_IF)) {
		enum node_kind kind = ps->tok == T_AND_IF ? N_AND : N_OR;
		next(ps);
		newlines(ps);
		struct node *right = pipeline(ps);
		if (right == NULL)
			return node_free(n), NULL;
		n = binary(kind, n, right);
	}
	return n;
}

static struct node *complete(struct parser *ps)
{
	struct node *list = NULL;

	while (ps->tok != T_NEWLINE && ps->tok != T_END) {
		struct node *n = and_or(ps);
		if (n == NULL)
			return node_free(list), NULL;
		if (accept(ps, T_AMP))
			n = binary(N_BACKGROUND, n, NULL);
		else if (!accept(ps, T_SEMI) && ps->tok != T_NEWLINE && ps->tok != T_END)
			return node_free(list), node_free(n), fail(ps);
		list = list == NULL ? n : binary(N_SEQ, list, n);
	}
	return list;
}

enum parse_result parse(const char **text, struct node **tree)
{
	struct parser ps = { .p = *text, .io_number = -1 };

	*tree = NULL;
	next(&ps);
	newlines(&ps);
	if (ps.tok == T_END && !ps.more) {
		*text = ps.p;
		return PARSE_EMPTY;
	}
	*tree = complete(&ps);
	/* The newline that ends it is taken; what follows stays. */
	if (!ps.failed && !ps.more && ps.tok != T_NEWLINE && ps.tok != T_END)
		fail(&ps);
	free(ps.word);
	if (ps.more || ps.failed) {
		node_free(*tree);
		*tree = NULL;
		if (!ps.more)
			*text += strcspn(*text, "\n");   /* the rest of the line is skipped */
		return ps.more ? PARSE_MORE : PARSE_ERROR;
	}
	*text = ps.p;
	return PARSE_OK;
}

void node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_free(n->left);
	node_free(n->right);
	node_free(n->a);
	node_free(n->b);
	node_free(n->c);
	argv_free(n->words);
	argv_free(n->list);
	free(n->var);
	for (struct redir *r = n->redirs, *next_r; r != NULL; r = next_r) {
		next_r = r->next;
		free(r->word);
		free(r);
	}
	for (struct case_item *i = n->items, *next_i; i != NULL; i = next_i) {
		next_i = i->next;
		argv_free(i->patterns);
		node_free(i->body);
		free(i);
	}
	free(n);
}

static void append(char *out, size_t size, const char *s)
{
	size_t len = strlen(out);
	snprintf(out + len, size - len, "%s", s);
}

void node_text(const struct node *n, char *out, size_t size)
{
	if (n == NULL)
		return;
	switch (n->kind) {
	case N_SIMPLE:
		for (int i = 0; n->words != NULL && n->words[i] != NULL; i++) {
			append(out, size, i > 0 ? " " : "");
			append(out, size, n->words[i]);
		}
		break;
	case N_PIPE:
	case N_AND:
	case N_OR:
		node_text(n->left, out, size);
		append(out, size, n->kind == N_PIPE ? " | " : n->kind == N_AND ? " && " : " || ");
		node_text(n->right, out, size);
		break;
	default:
		append(out, size, "(...)");
	}
}
