/*
 * Words as the command runs: parameters ($NAME, ${NAME}, ${NAME:-word},
 * $?, $$, $!, $#, $0..$9, $@, $*), command substitution ($(...) and
 * `...`), arithmetic ($((...)): integers, + - * / % ( ), comparisons,
 * ! && ||, variables by name), a leading ~, quotes removed, the unquoted results of
 * substitutions split into fields on blanks, and fields with unquoted
 * *, ? or [...] replaced by the paths they match (sorted; kept as they
 * are if none does).
 *
 * A field is built twice at once: its text, and its pattern, where a
 * quoted *, ?, [ or \ is escaped with a backslash so that matching
 * takes it literally.
 */
#include "sh.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct builder {
	char **fields;
	size_t count;
	char *text, *pat;
	size_t len, plen, room;
	bool started;           /* a field has begun (even "" is one) */
	bool glob;              /* with an unquoted glob character */
	bool split;             /* unquoted substitutions are split */
	bool failed;
};

static void grow(struct builder *b, size_t more)
{
	if (b->plen + more + 1 <= b->room)
		return;
	size_t room = 2 * (b->plen + more + 1) + 16;
	b->text = realloc(b->text, room);
	b->pat = realloc(b->pat, room);
	b->room = room;
	if (b->text == NULL || b->pat == NULL) {
		sh_error("out of memory");
		sh_exit(2);
	}
}

static void add_char(struct builder *b, char c, bool quoted)
{
	grow(b, 2);
	b->text[b->len++] = c;
	if (quoted && strchr("*?[\\", c) != NULL)
		b->pat[b->plen++] = '\\';
	b->pat[b->plen++] = c;
	b->glob |= !quoted && strchr("*?[", c) != NULL;
	b->started = true;
}

static void push_field(struct builder *b, char *field)
{
	char **grown = realloc(b->fields, (b->count + 2) * sizeof(*grown));
	if (grown == NULL || field == NULL) {
		sh_error("out of memory");
		sh_exit(2);
	}
	b->fields = grown;
	b->fields[b->count++] = field;
	b->fields[b->count] = NULL;
}

static void glob_into(struct builder *b, const char *pattern);

static void end_field(struct builder *b)
{
	if (!b->started)
		return;
	b->text[b->len] = b->pat[b->plen] = '\0';
	size_t before = b->count;
	if (b->glob && b->split)
		glob_into(b, b->pat);
	if (b->count == before)
		push_field(b, strdup(b->text));
	b->len = b->plen = 0;
	b->started = b->glob = false;
}

/* A substitution's value: split on blanks unless quoted. */
static void add_value(struct builder *b, const char *value, bool quoted)
{
	if (quoted)
		b->started = true;
	for (; value != NULL && *value != '\0'; value++) {
		if (!quoted && b->split && strchr(" \t\n", *value) != NULL)
			end_field(b);
		else
			add_char(b, *value, quoted);
	}
}

static void expand_into(struct builder *b, const char *w);

static const char *special(char c, char *buf, size_t size)
{
	switch (c) {
	case '?':
		snprintf(buf, size, "%d", last_status);
		return buf;
	case '$':
		snprintf(buf, size, "%ld", (long)getpid());
		return buf;
	case '!':
		snprintf(buf, size, "%ld", (long)last_background);
		return buf;
	case '#':
		snprintf(buf, size, "%d", positional_count);
		return buf;
	case '0':
		return shell_name;
	default:
		return c - '1' < positional_count ? positional[c - '1'] : "";
	}
}

/* $@ and $*: the positional parameters, quoted each a field of its own
 * ("$@") or all one; unquoted, split as usual. */
static void all_params(struct builder *b, bool quoted, bool separate)
{
	for (int i = 0; i < positional_count; i++) {
		if (i > 0 && quoted && separate)
			end_field(b);
		else if (i > 0)
			add_value(b, " ", quoted);
		add_value(b, positional[i], quoted);
	}
}

/* ${NAME} or ${NAME:-word} at s (past the brace), to end (the brace). */
static void braced(struct builder *b, const char *s, const char *end, bool quoted)
{
	size_t len = strcspn(s, ":}");
	bool has_default = s + len != end;
	char name[64], buf[24];
	const char *value = NULL;

	if (len == 0 || len >= sizeof(name) || (has_default && strncmp(s + len, ":-", 2) != 0)) {
		sh_error("bad substitution");
		b->failed = true;
		return;
	}
	memcpy(name, s, len);
	name[len] = '\0';
	if (len == 1 && strchr("?$!#0123456789", name[0]) != NULL)
		value = special(name[0], buf, sizeof(buf));
	else if (var_name_ok(name, len))
		value = var_get(name);
	else {
		sh_error("bad substitution: %s", name);
		b->failed = true;
		return;
	}
	if ((value == NULL || *value == '\0') && has_default) {
		char *word = strndup(s + len + 2, (size_t)(end - (s + len + 2)));
		char *fallback = expand_word(word);
		add_value(b, fallback, quoted);
		free(fallback);
		free(word);
		return;
	}
	add_value(b, value, quoted);
}

/* The output of text run as commands, its last newlines gone. */
static void substitution(struct builder *b, const char *text, size_t len, bool quoted)
{
	char *command = strndup(text, len);
	char *out = run_capture(command);
	size_t n = out != NULL ? strlen(out) : 0;

	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	add_value(b, out, quoted);
	free(out);
	free(command);
}

/* ---- arithmetic: $((...)) ---- */

struct arith {
	const char *p;
	bool failed;
};

static long arith_or(struct arith *a);

static void arith_blanks(struct arith *a)
{
	while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n')
		a->p++;
}

static bool arith_take(struct arith *a, const char *op)
{
	arith_blanks(a);
	size_t n = strlen(op);
	if (strncmp(a->p, op, n) != 0 || (n == 1 && strchr("=<>&|", a->p[1]) != NULL &&
					  strchr("<>", op[0]) == NULL && op[0] != '!'))
		return false;
	a->p += n;
	return true;
}

static long arith_primary(struct arith *a)
{
	arith_blanks(a);
	if (arith_take(a, "(")) {
		long v = arith_or(a);
		if (!arith_take(a, ")"))
			a->failed = true;
		return v;
	}
	if (arith_take(a, "-"))
		return -arith_primary(a);
	if (arith_take(a, "+"))
		return arith_primary(a);
	if (*a->p == '!' && a->p[1] != '=' && arith_take(a, "!"))
		return !arith_primary(a);
	if (*a->p >= '0' && *a->p <= '9') {
		char *end;
		long v = strtol(a->p, &end, 0);
		a->p = end;
		return v;
	}
	size_t len = 0;
	while (var_name_ok(a->p, len + 1))
		len++;
	if (len == 0) {
		a->failed = true;
		return 0;
	}
	char *name = strndup(a->p, len);
	const char *value = var_get(name);
	free(name);
	a->p += len;
	return value != NULL ? strtol(value, NULL, 0) : 0;
}

static long arith_mul(struct arith *a)
{
	long v = arith_primary(a);

	for (;;) {
		char op = (arith_blanks(a), *a->p);
		if (op != '*' && op != '/' && op != '%')
			return v;
		a->p++;
		long w = arith_primary(a);
		if (op != '*' && w == 0) {
			sh_error("division by zero");
			a->failed = true;
			return 0;
		}
		v = op == '*' ? v * w : op == '/' ? v / w : v % w;
	}
}

static long arith_add(struct arith *a)
{
	long v = arith_mul(a);

	for (;;) {
		if (arith_take(a, "+"))
			v += arith_mul(a);
		else if (arith_take(a, "-"))
			v -= arith_mul(a);
		else
			return v;
	}
}

static long arith_compare(struct arith *a)
{
	static const char *const ops[] = { "<=", ">=", "==", "!=", "<", ">" };
	long v = arith_add(a);

	for (;;) {
		int k = 0;
		while (k < 6 && !arith_take(a, ops[k]))
			k++;
		if (k == 6)
			return v;
		long w = arith_add(a);
		bool r[] = { v <= w, v >= w, v == w, v != w, v < w, v > w };
		v = r[k];
	}
}

static long arith_and(struct arith *a)
{
	long v = arith_compare(a);

	while (arith_take(a, "&&")) {
		long w = arith_compare(a);
		v = v && w;
	}
	return v;
}

static long arith_or(struct arith *a)
{
	long v = arith_and(a);

	while (arith_take(a, "||")) {
		long w = arith_and(a);
		v = v || w;
	}
	return v;
}

/* $((text)): its parameters expanded, then evaluated. */
static void arithmetic(struct builder *b, const char *text, size_t len, bool quoted)
{
	char *raw = strndup(text, len), *expr = expand_word(raw);
	struct arith a = { .p = expr };
	char buf[24];

	long v = arith_or(&a);
	arith_blanks(&a);
	if (a.failed || *a.p != '\0') {
		if (!a.failed || *a.p != '\0')
			sh_error("bad arithmetic: %s", raw);
		b->failed = true;
	} else {
		snprintf(buf, sizeof(buf), "%ld", v);
		add_value(b, buf, quoted);
	}
	free(expr);
	free(raw);
}

/* A $ at w: what it names added; returns past it. */
static const char *dollar(struct builder *b, const char *w, bool quoted)
{
	char buf[24];

	if (w[1] == '(' && w[2] == '(') {
		const char *end = skip_part(w + 1);
		if (end != NULL && end - w >= 5 && end[-2] == ')') {
			arithmetic(b, w + 3, (size_t)(end - w - 5), quoted);
			return end;
		}
	}
	if (w[1] == '(' || w[1] == '{') {
		const char *end = skip_part(w + 1);
		if (end == NULL)
			return w + strlen(w);
		if (w[1] == '(')
			substitution(b, w + 2, (size_t)(end - w - 3), quoted);
		else
			braced(b, w + 2, end - 1, quoted);
		return end;
	}
	if (w[1] == '@' || w[1] == '*') {
		all_params(b, quoted, w[1] == '@');
		return w + 2;
	}
	if (w[1] != '\0' && strchr("?$!#0123456789", w[1]) != NULL) {
		add_value(b, special(w[1], buf, sizeof(buf)), quoted);
		return w + 2;
	}
	size_t len = 0;
	while (var_name_ok(w + 1, len + 1))
		len++;
	if (len == 0) {
		add_char(b, '$', quoted);
		return w + 1;
	}
	char *name = strndup(w + 1, len);
	add_value(b, var_get(name), quoted);
	free(name);
	return w + 1 + len;
}

/* A `...` at w: its output added; returns past it. */
static const char *backquoted(struct builder *b, const char *w, bool quoted)
{
	const char *end = skip_part(w);

	end = end != NULL ? end : w + strlen(w);
	substitution(b, w + 1, (size_t)(end - w - 2), quoted);
	return end;
}

/* A "..." at w: returns past it. */
static const char *double_quoted(struct builder *b, const char *w)
{
	b->started = true;
	for (w++; *w != '"' && *w != '\0';) {
		if (*w == '\\' && w[1] != '\0' && strchr("$`\"\\\n", w[1]) != NULL) {
			if (w[1] != '\n')
				add_char(b, w[1], true);
			w += 2;
		} else if (*w == '$') {
			w = dollar(b, w, true);
		} else if (*w == '`') {
			w = backquoted(b, w, true);
		} else {
			add_char(b, *w++, true);
		}
	}
	return *w == '"' ? w + 1 : w;
}

/* An unquoted word at w (its quoted parts taken as they come). */
static void expand_into(struct builder *b, const char *w)
{
	const char *home = var_get("HOME");

	if (w[0] == '~' && (w[1] == '/' || w[1] == '\0') && home != NULL) {
		add_value(b, home, true);
		w++;
	}
	while (*w != '\0' && !b->failed) {
		if (*w == '\'') {
			const char *end = strchr(w + 1, '\'');
			end = end != NULL ? end : w + strlen(w);
			b->started = true;
			for (w++; w < end; w++)
				add_char(b, *w, true);
			w = *w == '\'' ? w + 1 : w;
		} else if (*w == '"') {
			w = double_quoted(b, w);
		} else if (*w == '\\') {
			if (w[1] != '\0' && w[1] != '\n')
				add_char(b, w[1], true);
			w += w[1] != '\0' ? 2 : 1;
		} else if (*w == '$') {
			w = dollar(b, w, false);
		} else if (*w == '`') {
			w = backquoted(b, w, false);
		} else {
			add_char(b, *w++, false);
		}
	}
}

char **expand_words(char **words)
{
	struct builder b = { .split = true, .fields = calloc(1, sizeof(char *)) };

	for (char **w = words; w != NULL && *w != NULL && !b.failed; w++) {
		expand_into(&b, *w);
		end_field(&b);
	}
	free(b.text);
	free(b.pat);
	if (b.failed) {
		argv_free(b.fields);
		return NULL;
	}
	return b.fields;
}

/* One word, whole: its text, or with pattern its pattern. */
static char *one(const char *word, bool pattern)
{
	struct builder b = { .split = false };

	grow(&b, 1);
	expand_into(&b, word);
	b.text[b.len] = b.pat[b.plen] = '\0';
	char *result = pattern ? b.pat : b.text;
	free(pattern ? b.text : b.pat);
	argv_free(b.fields);
	return result;
}

char *expand_word(const char *word)
{
	return one(word, false);
}

char *expand_pattern(const char *word)
{
	return one(word, true);
}

void argv_free(char **argv)
{
	for (char **a = argv; a != NULL && *a != NULL; a++)
		free(*a);
	free(argv);
}

/* ---- patterns ---- */

/* A bracket expression at p (past the '['): whether c is in it; *end
 * past its ']', or NULL if it has none (then '[' is itself). */
static bool bracket(const char *p, char c, const char **end)
{
	bool negate = *p == '!' || *p == '^', in = false;

	if (negate)
		p++;
	const char *start = p;
	while (*p != '\0' && (*p != ']' || p == start)) {
		char lo = *p == '\\' && p[1] != '\0' ? *++p : *p;
		char hi = lo;
		if (p[1] == '-' && p[2] != ']' && p[2] != '\0') {
			hi = p[2] == '\\' && p[3] != '\0' ? p[3] : p[2];
			p += p[2] == '\\' ? 3 : 2;
		}
		in |= c >= lo && c <= hi;
		p++;
	}
	*end = *p == ']' ? p + 1 : NULL;
	return in != negate;
}

bool pattern_match(const char *p, const char *s)
{
	for (; *p != '\0'; s++) {
		const char *end;
		switch (*p) {
		case '*':
			while (*p == '*')
				p++;
			for (;; s++) {
				if (pattern_match(p, s))
					return true;
				if (*s == '\0')
					return false;
			}
		case '?':
			if (*s == '\0')
				return false;
			p++;
			break;
		case '[':
			if (*s == '\0')
				return false;
			if (bracket(p + 1, *s, &end) && end != NULL) {
				p = end;
				break;
			}
			if (end != NULL)
				return false;
			/* no ']': a plain '[' */
			if (*s != '[')
				return false;
			p++;
			break;
		case '\\':
			if (p[1] != '\0')
				p++;
			/* fall through */
		default:
			if (*s != *p)
				return false;
			p++;
		}
	}
	return *s == '\0';
}

static bool has_glob(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (strchr("*?[", p[i]) != NULL)
			return true;
	}
	return false;
}

/* p's first n characters, escapes taken out. */
static char *literal(const char *p, size_t n)
{
	char *out = malloc(n + 1);
	size_t len = 0;

	for (size_t i = 0; out != NULL && i < n; i++)
		out[len++] = p[i] == '\\' && i + 1 < n ? p[++i] : p[i];
	if (out != NULL)
		out[len] = '\0';
	return out;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths under dir ("" for the working directory) that match rest,
 * a pattern of components, into b. */
static void glob_walk(struct builder *b, const char *dir, const char *rest)
{
	size_t n = strcspn(rest, "/");
	const char *after = rest[n] == '/' ? rest + n + 1 : NULL;

	if (!has_glob(rest, n)) {
		char *name = literal(rest, n);
		size_t size = strlen(dir) + strlen(name) + 2;
		char *path = malloc(size);
		snprintf(path, size, "%s%s", dir, name);
		if (after != NULL) {
			strcat(path, "/");
			glob_walk(b, path, after);
		} else if (access(path, F_OK) == 0) {
			push_field(b, strdup(path));
		}
		free(path);
		free(name);
		return;
	}
	char *component = strndup(rest, n);
	DIR *d = opendir(dir[0] != '\0' ? dir : ".");
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if ((e->d_name[0] == '.' && component[0] != '.') ||
		    !pattern_match(component, e->d_name))
			continue;
		size_t size = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(size);
		snprintf(path, size, "%s%s", dir, e->d_name);
		if (after == NULL) {
			push_field(b, path);
			continue;
		}
		strcat(path, "/");
		glob_walk(b, path, after);
		free(path);
	}
	if (d != NULL)
		closedir(d);
	free(component);
}

static void glob_into(struct builder *b, const char *pattern)
{
	size_t before = b->count;

	glob_walk(b, pattern[0] == '/' ? "/" : "", pattern[0] == '/' ? pattern + 1 : pattern);
	qsort(b->fields + before, b->count - before, sizeof(char *), by_name);
}
