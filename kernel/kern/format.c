/*
 * printf-style formatting; see format.h.  One pass over the format; each
 * conversion is parsed into a small spec and emitted by emit_number or
 * emit_string.
 */
#include "kern/format.h"

#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool left;         /* '-' */
	bool zero;         /* '0' */
	int width;
	int precision;     /* -1: none */
	int length;        /* 0, 1 (l), 2 (ll), 3 (z) */
};

struct out {
	format_put_fn put;
	void *arg;
	size_t count;
};

static void out_char(struct out *o, char c)
{
	o->put(c, o->arg);
	o->count++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void emit_string(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (s == NULL)
		s = "(null)";
	while (s[len] != '\0' && (sp->precision < 0 || len < sp->precision))
		len++;
	if (!sp->left)
		out_pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', sp->width - len);
}

static void emit_number(struct out *o, const struct spec *sp, uint64_t v,
			bool negative, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v != 0);

	int len = n + (negative ? 1 : 0);
	if (!sp->left && !sp->zero)
		out_pad(o, ' ', sp->width - len);
	if (negative)
		out_char(o, '-');
	if (!sp->left && sp->zero)
		out_pad(o, '0', sp->width - len);
	while (n > 0)
		out_char(o, buf[--n]);
	if (sp->left)
		out_pad(o, ' ', sp->width - len);
}

/* Parses flags, width, precision and length after '%'; returns the end. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	if (*f == 'l') {
		sp->length = 1;
		if (*++f == 'l') {
			sp->length = 2;
			f++;
		}
	} else if (*f == 'z') {
		sp->length = 3;
		f++;
	}
	return f;
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

size_t kvformat(format_put_fn put, void *arg, const char *fmt, va_list ap)
{
	struct out o = { put, arg, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f != '\0'; f++) {
		if (*f != '%') {
			out_char(&o, *f);
			continue;
		}
		const char *start = f;
		f = parse_spec(f + 1, &sp, &args);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&sp, &args);
			emit_number(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
			break;
		}
		case 'u':
			emit_number(&o, &sp, fetch_unsigned(&sp, &args), false, 10, false);
			break;
		case 'x':
		case 'X':
			emit_number(&o, &sp, fetch_unsigned(&sp, &args), false, 16, *f == 'X');
			break;
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			sp.zero = true;
			sp.width = 16;
			emit_number(&o, &sp, (uintptr_t)va_arg(args, void *), false, 16, false);
			break;
		case 's':
			emit_string(&o, &sp, va_arg(args, const char *));
			break;
		case 'c':
			out_char(&o, (char)va_arg(args, int));
			break;
		case '%':
			out_char(&o, '%');
			break;
		default:
			/* Unknown or truncated conversion: show it as written. */
			for (const char *c = start; c <= f && *c != '\0'; c++)
				out_char(&o, *c);
			if (*f == '\0')
				f--;
			break;
		}
	}
	va_end(args);
	return o.count;
}

struct buf_out {
	char *buf;
	size_t size;
	size_t used;
};

static void buf_put(char c, void *arg)
{
	struct buf_out *b = arg;

	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_out b = { buf, size, 0 };
	size_t n = kvformat(buf_put, &b, fmt, ap);

	if (size > 0)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
