/*
 * The line editor of an interactive shell: the terminal raw while a
 * line is typed, the line redrawn after each key.  Keys: printable
 * characters insert; backspace; ^U (the line), ^W (the word before the
 * cursor); left and right arrows, ^A and ^E (the ends); up and down
 * arrows (the history, HISTORY_MAX lines); ^C (a new line); ^D on an
 * empty line (the end); ^L (clear the screen).  A line longer than the
 * terminal is wide is redrawn on its last row only.
 */
#include "sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096
#define HISTORY_MAX 100

static char *history[HISTORY_MAX];
static int history_count;

struct line {
	char text[LINE_MAX_BYTES];
	size_t len, pos;
	int browsing;           /* the history line shown, history_count: the new one */
};

static void out(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void redraw(const char *prompt, const struct line *l)
{
	char tail[32];

	out("\r", 1);
	out(prompt, strlen(prompt));
	out(l->text, l->len);
	out("\x1b[K", 3);
	if (l->pos < l->len) {
		int n = snprintf(tail, sizeof(tail), "\x1b[%zuD", l->len - l->pos);
		out(tail, (size_t)n);
	}
}

static void insert(struct line *l, char c)
{
	if (l->len + 1 >= LINE_MAX_BYTES)
		return;
	memmove(l->text + l->pos + 1, l->text + l->pos, l->len - l->pos);
	l->text[l->pos++] = c;
	l->len++;
}

/* Deletes [from, l->pos). */
static void cut(struct line *l, size_t from)
{
	memmove(l->text + from, l->text + l->pos, l->len - l->pos);
	l->len -= l->pos - from;
	l->pos = from;
}

static void show_history(struct line *l, int index)
{
	if (index < 0 || index > history_count)
		return;
	l->browsing = index;
	const char *s = index < history_count ? history[index] : "";
	l->len = l->pos = strlen(s);
	memcpy(l->text, s, l->len);
}

/* An escape sequence's final key (ESC [ X, or ESC [ 3 ~). */
static void escape(struct line *l)
{
	char seq[2];

	if (read(0, &seq[0], 1) != 1 || read(0, &seq[1], 1) != 1 || seq[0] != '[')
		return;
	switch (seq[1]) {
	case 'A':
		show_history(l, l->browsing - 1);
		break;
	case 'B':
		show_history(l, l->browsing + 1);
		break;
	case 'C':
		l->pos += l->pos < l->len;
		break;
	case 'D':
		l->pos -= l->pos > 0;
		break;
	case 'H':
		l->pos = 0;
		break;
	case 'F':
		l->pos = l->len;
		break;
	case '3':
		if (read(0, &seq[0], 1) == 1 && seq[0] == '~' && l->pos < l->len) {
			l->pos++;
			cut(l, l->pos - 1);
		}
		break;
	}
}

/* One key of the line; false when the line is done (*eof: ^D). */
static bool key(struct line *l, char c, bool *eof)
{
	size_t from;

	switch (c) {
	case '\r':
	case '\n':
		return false;
	case 4:
		*eof = l->len == 0;
		return !*eof;
	case 3:
		out("^C", 2);
		l->len = l->pos = 0;
		return false;
	case 127:
	case 8:
		if (l->pos > 0)
			cut(l, l->pos - 1);
		return true;
	case 21:
		cut(l, 0);
		return true;
	case 23:
		from = l->pos;
		while (from > 0 && l->text[from - 1] == ' ')
			from--;
		while (from > 0 && l->text[from - 1] != ' ')
			from--;
		cut(l, from);
		return true;
	case 1:
		l->pos = 0;
		return true;
	case 5:
		l->pos = l->len;
		return true;
	case 12:
		out("\x1b[H\x1b[2J", 7);
		return true;
	case 27:
		escape(l);
		return true;
	default:
		if ((unsigned char)c >= 32)
			insert(l, c);
		return true;
	}
}

static void remember(const char *text)
{
	if (text[0] == '\0' ||
	    (history_count > 0 && strcmp(history[history_count - 1], text) == 0))
		return;
	if (history_count == HISTORY_MAX) {
		free(history[0]);
		memmove(history, history + 1, (HISTORY_MAX - 1) * sizeof(*history));
		history_count--;
	}
	history[history_count++] = strdup(text);
}

/* Not a terminal: a line read as it is. */
static char *plain_line(void)
{
	char *line = malloc(LINE_MAX_BYTES);
	size_t len = 0;
	char c;
	ssize_t n = 0;

	while (line != NULL && len + 1 < LINE_MAX_BYTES && (n = read(0, &c, 1)) == 1 && c != '\n')
		line[len++] = c;
	if (line == NULL || (n <= 0 && len == 0)) {
		free(line);
		return NULL;
	}
	line[len] = '\0';
	return line;
}

char *edit_line(const char *prompt)
{
	struct termios saved, raw;

	if (tcgetattr(0, &saved) != 0) {
		out(prompt, strlen(prompt));
		return plain_line();
	}
	raw = saved;
	cfmakeraw(&raw);
	tcsetattr(0, TCSANOW, &raw);
	static struct line l;
	l.len = l.pos = 0;
	l.browsing = history_count;
	out(prompt, strlen(prompt));
	bool eof = false;
	char c;
	for (;;) {
		if (read(0, &c, 1) != 1) {
			eof = l.len == 0;
			break;
		}
		if (!key(&l, c, &eof))
			break;
		redraw(prompt, &l);
	}
	tcsetattr(0, TCSANOW, &saved);
	out("\r\n", 2);
	if (eof)
		return NULL;
	l.text[l.len] = '\0';
	remember(l.text);
	return strdup(l.text);
}
