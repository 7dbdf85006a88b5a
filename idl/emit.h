/*
 * The emitters: one per kind of output (emit_header.c for both headers,
 * emit_user.c, emit_server.c), and what they share (emit.c): the output
 * stream, the message structs, and the C prototypes.  They run only after
 * check_subsystem() succeeded, and only read what it computed.
 */
#pragma once

#define ERROR_REPLY_SIZE 40u /* sizeof(mig_reply_error_t) */

#include <stdbool.h>
#include <stdio.h>

#include "routine.h"

enum emit_kind {
	EMIT_USER_HEADER,   /* NAME.h: ids and user prototypes */
	EMIT_USER,          /* NAMEUser.c: user stubs */
	EMIT_SERVER_HEADER, /* NAMEServer.h: server prototypes and demux */
	EMIT_SERVER,        /* NAMEServer.c: the demux */
	EMIT_KINDS,
};

/* How the generated .c files include the generated headers. */
struct emit_names {
	const char *user_header;
	const char *server_header;
};

void emit(enum emit_kind kind, FILE *f, const struct emit_names *names);

/* A growing list of strings: parameters, conditions. */
struct strlist {
	const char **s;
	unsigned n;
	unsigned cap;
};

void strlist_add(struct strlist *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "if (c1 ||\n c2 ...)\n" followed by `then` (tab-indented text). */
void emit_if_any(const struct strlist *conds, const char *then);

/* Shared by the emitters (emit.c). */
void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void emit_banner(const char *what);
void emit_imports(enum import_side side);
void emit_message_structs(const struct routine *r);
void emit_user_prototype(const struct routine *r, bool definition);
void emit_server_prototype(const struct routine *r);
/* A simpleroutine's builder: "mach_msg_return_t name(msg, the stub's
 * parameters)"; and a call of one, msg its first argument. */
void emit_prepare_prototype(const struct routine *r, const char *name, const char *msg,
			    bool definition);
void emit_user_call(const struct routine *r, const char *name, const char *msg);
bool user_prepares(const struct routine *r);
const char *prepare_name(const struct routine *r);
const char *request_type(const struct routine *r);
const char *reply_type(const struct routine *r);
const char *disposition_name(int d);
const char *right_name(int right);
const char *msgid_name(const struct routine *r);
bool arg_has_translation(const struct arg *a);

void emit_user_header(const struct emit_names *names);
void emit_server_header(const struct emit_names *names);
void emit_user_file(const struct emit_names *names);
void emit_user_reply(const struct routine *r);
void emit_server_reply(const struct routine *r);
void emit_server_file(const struct emit_names *names);
