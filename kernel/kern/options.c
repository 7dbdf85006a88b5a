/*
 * The table of kernel options and their parser; see options.h.  Adding an
 * option means adding a field to struct kernel_options and a row here.
 */
#include "kern/options.h"

#include <stddef.h>
#include <stdint.h>

#include "kern/format.h"
#include "kern/string.h"

enum option_kind { OPT_FLAG, OPT_UINT, OPT_STRING, OPT_CHOICE };

struct option_desc {
	const char *name;
	enum option_kind kind;
	size_t offset;
	size_t size;          /* OPT_STRING, OPT_CHOICE: buffer size */
	unsigned min, max;    /* OPT_UINT */
	const char *choices;  /* OPT_CHOICE: comma-separated */
	const char *help;
};

#define FIELD(f) offsetof(struct kernel_options, f), sizeof(((struct kernel_options *)0)->f)

static const struct option_desc option_table[] = {
	{ "test", OPT_STRING, FIELD(test), 0, 0, NULL,
	  "run these kernel self-tests (comma-separated names or 'all'), then stop" },
	{ "crash", OPT_CHOICE, FIELD(crash), 0, 0, "ud,pf,gp,de,stack,panic",
	  "crash on purpose after initialisation, to show the exception report" },
	{ "hz", OPT_UINT, FIELD(hz), 10, 1000, NULL, "timer ticks per second (default 100)" },
	{ "bench", OPT_FLAG, FIELD(bench), 0, 0, NULL,
	  "print BENCH figures (guest instructions under -icount), then power off" },
	{ "pager_deadline", OPT_UINT, FIELD(pager_deadline), 10, 3600000, NULL,
	  "milliseconds a fault waits for a pager before it fails (default 5000)" },
	{ "memory_wait", OPT_UINT, FIELD(memory_wait), 10, 3600000, NULL,
	  "milliseconds a fault waits for a free page before it fails (default 10000)" },
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

struct kernel_options kernel_options;

static void warnf(options_warn_fn warn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warnf(options_warn_fn warn, void *ctx, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(ctx, msg);
}

static const struct option_desc *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (strlen(option_table[i].name) == len &&
		    strncmp(option_table[i].name, name, len) == 0)
			return &option_table[i];
	return NULL;
}

static bool parse_uint(const char *s, size_t len, unsigned *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = (unsigned)v;
	return true;
}

static bool is_choice(const char *choices, const char *v, size_t len)
{
	for (const char *c = choices; *c != '\0';) {
		size_t n = 0;
		while (c[n] != '\0' && c[n] != ',')
			n++;
		if (n == len && strncmp(c, v, len) == 0)
			return true;
		c += n + (c[n] == ',');
	}
	return false;
}

/* Applies one "name[=value]" word; returns false (after warning) if bad. */
static bool apply_word(struct kernel_options *o, const char *word, size_t len,
		       options_warn_fn warn, void *ctx)
{
	size_t name_len = 0;
	while (name_len < len && word[name_len] != '=')
		name_len++;
	bool has_value = name_len < len;
	const char *value = word + name_len + 1;
	size_t value_len = has_value ? len - name_len - 1 : 0;
	const struct option_desc *d = find_option(word, name_len);
	char *field = d != NULL ? (char *)o + d->offset : NULL;

	if (d == NULL) {
		char known[128] = "";
		size_t used = 0;
		for (size_t i = 0; i < OPTION_COUNT && used < sizeof(known); i++)
			used += ksnprintf(known + used, sizeof(known) - used, "%s%s",
					  i > 0 ? " " : "", option_table[i].name);
		warnf(warn, ctx, "unknown option '%.*s' ignored (known: %s)", (int)len, word, known);
		return false;
	}
	if (d->kind == OPT_FLAG) {
		if (has_value) {
			warnf(warn, ctx, "option '%s' takes no value; '%.*s' ignored",
			      d->name, (int)len, word);
			return false;
		}
		*(bool *)field = true;
		return true;
	}
	if (!has_value || value_len == 0) {
		warnf(warn, ctx, "option '%s' needs a value (%s=...); ignored", d->name, d->name);
		return false;
	}
	if (d->kind == OPT_UINT) {
		unsigned v;
		if (!parse_uint(value, value_len, &v) || v < d->min || v > d->max) {
			warnf(warn, ctx, "option '%s' wants a number from %u to %u, not '%.*s'; ignored",
			      d->name, d->min, d->max, (int)value_len, value);
			return false;
		}
		*(unsigned *)field = v;
		return true;
	}
	if (d->kind == OPT_CHOICE && !is_choice(d->choices, value, value_len)) {
		warnf(warn, ctx, "option '%s' wants one of %s, not '%.*s'; ignored",
		      d->name, d->choices, (int)value_len, value);
		return false;
	}
	if (value_len >= d->size) {
		warnf(warn, ctx, "option '%s': value longer than %zu characters; ignored",
		      d->name, d->size - 1);
		return false;
	}
	memcpy(field, value, value_len);
	field[value_len] = '\0';
	return true;
}

int options_parse(struct kernel_options *o, const char *cmdline,
		  options_warn_fn warn, void *ctx)
{
	int warnings = 0;

	memset(o, 0, sizeof(*o));
	o->hz = 100;
	o->pager_deadline = 5000;
	o->memory_wait = 10000;
	for (const char *p = cmdline; *p != '\0';) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = 0;
		while (p[len] != '\0' && p[len] != ' ' && p[len] != '\t')
			len++;
		if (len > 0 && !apply_word(o, p, len, warn, ctx))
			warnings++;
		p += len;
	}
	return warnings;
}
