/*
 * The subsystem being compiled: its statements, its routines and their
 * arguments, as the parser records them and check.c completes them.
 *
 * Life of a routine: the parser calls routine_declare() with the
 * arguments as written (name, direction, type, flags); check_subsystem()
 * then gives each argument its kind and its place in the request and the
 * reply (descriptor index, inline field, variable tail), or reports why
 * it cannot have one.  The emitters only read what check.c produced.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

enum direction {
	DIR_DEFAULT, /* none written: in, or the request port if first */
	DIR_IN,
	DIR_OUT,
	DIR_INOUT,
	DIR_REQUESTPORT,
	DIR_REPLYPORT,
	DIR_SREPLYPORT,
	DIR_UREPLYPORT,
	DIR_WAITTIME,
	DIR_MSGOPTION,
	DIR_MSGSEQNO,
};

enum arg_kind {
	AK_REQUEST_PORT, /* header: the destination */
	AK_REPLY_PORT,   /* header: the reply port */
	AK_WAITTIME,     /* user side only: the RPC's timeout */
	AK_MSGOPTION,    /* user side only: extra mach_msg options */
	AK_MSGSEQNO,     /* server side only: the request's sequence number */
	AK_SCALAR,       /* inline number */
	AK_STRUCT,       /* inline, by value */
	AK_FIXED,        /* inline fixed array or c_string[N] */
	AK_VAR,          /* inline variable array: count + tail */
	AK_VAR_STRING,   /* c_string[*:N]: count + tail */
	AK_PORT,         /* port descriptor */
	AK_OOL,          /* out-of-line memory descriptor (+ count) */
	AK_OOL_PORTS,    /* out-of-line ports descriptor (+ count) */
};

struct arg {
	struct arg *next;
	const char *name;
	struct loc loc;
	enum direction dir;
	struct type *type;
	enum dealloc dealloc; /* from `, dealloc` on the argument */

	/* Filled in by check.c. */
	enum arg_kind kind;
	bool in_request;      /* carried from user to server */
	bool in_reply;        /* carried from server to user */
	bool user_side;       /* a parameter of the user stub */
	bool server_side;     /* a parameter of the server function */
	bool has_count;       /* a ...Cnt parameter and count field */
	bool user_poly;       /* the user passes the disposition */
	bool server_poly;     /* the server receives or passes it */
	const char *count_name;   /* "xCnt" */
	const char *poly_name;    /* "xPoly" */
	const char *dealloc_name; /* "xDealloc" (dealloc[]) */
};

/* One member of a generated message struct, at an offset that check.c
 * computes and the generated code asserts (sizeof == max_size). */
enum field_kind {
	F_BODY,      /* mach_msg_body_t */
	F_PORT,      /* mach_msg_port_descriptor_t */
	F_OOL,       /* mach_msg_ool_descriptor_t */
	F_OOL_PORTS, /* mach_msg_ool_ports_descriptor_t */
	F_RETCODE,   /* kern_return_t RetCode (replies) */
	F_SCALAR,    /* an inline number, declared with its ctype */
	F_BYTES,     /* inline fixed bytes: fixed array, struct, c_string[N] */
	F_COUNT,     /* mach_msg_type_number_t element count */
	F_PAD,       /* zeroed padding, so no stale bytes leave a task */
	F_TAIL,      /* a variable array at its maximum size */
};

struct field {
	enum field_kind kind;
	const char *name;
	struct arg *arg;
	unsigned offset;
	unsigned size; /* F_TAIL: the maximum, rounded up to 8 */
};

struct layout {
	struct field *fields;
	unsigned nfields;
	unsigned descriptors;
	unsigned fixed_size; /* where the first tail starts, a multiple of 8 */
	unsigned max_size;   /* == sizeof the generated struct */
	unsigned tails;
};

struct routine {
	struct routine *next;
	const char *name;
	struct loc loc;
	bool simple;
	bool skip;
	int number; /* id = base + number */
	struct arg *args;
	/* Statements in force where the routine was declared (MIG applies
	 * them to the routines that follow). */
	const char *user_prefix;
	const char *server_prefix;
	const char *waittime_expr;
	const char *msgoption_expr;

	/* Filled in by check.c. */
	struct arg *request_port;
	struct arg *user_reply_port;   /* replyport or ureplyport */
	struct arg *server_reply_port; /* replyport or sreplyport */
	struct arg *waittime;
	struct arg *msgoption;
	struct arg *msgseqno;
	struct layout request;
	struct layout reply;
};

enum import_side { IMPORT_BOTH, IMPORT_USER, IMPORT_SERVER };

struct import {
	struct import *next;
	enum import_side side;
	const char *file; /* with its <> or "" */
};

struct subsystem {
	const char *name;
	struct loc loc;
	long base;
	bool kernel_user;
	bool kernel_server;
	const char *user_prefix;
	const char *server_prefix;
	const char *server_demux;
	const char *rcsid;
	const char *waittime;  /* default timeout expression */
	const char *msgoption; /* default option expression */
	struct import *imports;
	struct routine *routines;
	int count;             /* ids used, skips included */
	const char *source;    /* the .defs file, for comments */
};

extern struct subsystem subsystem;

/* Statements, called by the parser. */
void subsystem_declare(struct loc at, const char *name, long base,
		       bool kernel_user, bool kernel_server);
void import_add(enum import_side side, const char *file);
struct arg *arg_new(struct loc at, enum direction dir, const char *name,
		    struct type *type, enum dealloc dealloc);
void routine_declare(struct loc at, const char *name, bool simple,
		     struct arg *args);
void routine_skip(struct loc at);

/* Semantic checks and layout (check.c, layout.c); false after errors. */
bool check_subsystem(void);
void layout_routine(struct routine *r);
bool arg_has_wire_count(const struct arg *a);
bool arg_is_descriptor(const struct arg *a);
bool arg_is_tail(const struct arg *a);
unsigned arg_max_elems(const struct arg *a); /* bound or fixed count */
bool subsystem_declared(void);

/* Generated C names. */
const char *routine_user_name(const struct routine *r);
const char *routine_server_name(const struct routine *r);
const char *subsystem_demux_name(void);
long routine_id(const struct routine *r);

/* Iteration helpers for the emitters. */
#define for_each_routine(r) \
	for (struct routine *r = subsystem.routines; r != NULL; r = r->next) \
		if (!r->skip)
#define for_each_arg(a, r) \
	for (struct arg *a = (r)->args; a != NULL; a = a->next)
