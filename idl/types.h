/*
 * The types of the .defs language and their wire shapes.
 *
 * A type is built by the parser from a type specification
 * (MACH_MSG_TYPE_INTEGER_32, array[*:16] of int, ^array[] of char,
 * c_string[*:256], struct[4] of int, a port disposition, ...) and then
 * named, either by a `type` statement (entered in the table below) or
 * locally inside an argument (`arg : name = spec`).  Its C names and
 * translations (ctype, cusertype, cservertype, intran, outtran,
 * destructor) belong to that name: a type declared from a previous one
 * inherits the wire shape but not the C side.
 *
 * What each kind becomes on the wire (see kernel/include/mach/message.h):
 *   TYPE_SCALAR   an inline field of 1, 2, 4 or 8 bytes
 *   TYPE_PORT     a port descriptor (one right)
 *   TYPE_ARRAY    fixed: inline bytes; variable with a bound: a count in
 *                 the fixed part and the elements after it; out of line
 *                 (^, or no bound): an OOL descriptor and a count; an
 *                 array of ports: an OOL ports descriptor and a count
 *   TYPE_STRUCT   inline bytes, passed in C by value
 *   TYPE_STRING   fixed: inline bytes; variable: a count (including the
 *                 terminating NUL) and the characters
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum type_kind {
	TYPE_SCALAR,
	TYPE_PORT,
	TYPE_ARRAY,
	TYPE_STRUCT,
	TYPE_STRING,
};

/* The disposition of a polymorphic port: chosen at run time. */
#define DISP_POLY (-1)

/* Who deallocates out-of-line data when it is sent. */
enum dealloc {
	DEALLOC_DEFAULT, /* not said: no */
	DEALLOC_NO,      /* notdealloc */
	DEALLOC_YES,     /* dealloc */
	DEALLOC_USER,    /* dealloc[]: the sender passes a boolean */
};

/* intran / outtran: `type func(arg_type)`. */
struct trans {
	const char *type;
	const char *func;
	const char *arg_type;
};

struct type {
	const char *name;
	struct loc loc;
	enum type_kind kind;
	unsigned size;        /* TYPE_SCALAR: bytes */
	int in_name;          /* TYPE_PORT: disposition used to send */
	int out_name;         /* TYPE_PORT: right received */
	struct type *elem;    /* TYPE_ARRAY, TYPE_STRUCT */
	unsigned count;       /* element count, or bound; 0 = unbounded */
	bool variable;        /* array[] / array[*:N] / c_string[*:N] */
	bool ool;             /* sent out of line */
	enum dealloc dealloc;
	const char *ctype;
	const char *cusertype;
	const char *cservertype;
	struct trans intran;
	struct trans outtran;
	const char *destructor;
	const char *destructor_arg;
};

/* An IPC type name as written: MACH_MSG_TYPE_*, a number, polymorphic. */
enum ipc_class { IPC_NUMBER, IPC_STRING, IPC_PORT, IPC_POLY };

struct ipc_type {
	enum ipc_class cls;
	int code;   /* MACH_MSG_TYPE_* value; for ports the disposition */
	int bits;   /* default size in bits, 0 if it must be given */
};

/* `A` or `A|B` (sent | received). */
struct ipc_pair {
	struct ipc_type in;
	struct ipc_type out;
	bool pair;
};

/* Looks up MACH_MSG_TYPE_* names; false if `name` is not one. */
bool ipc_type_by_name(const char *name, struct ipc_type *out);
struct ipc_type ipc_type_by_number(long code);

/* Type constructors used by the parser; each reports its own errors and
 * returns a usable type even then, so that parsing can continue. */
struct type *type_from_ipc(struct loc at, struct ipc_pair ipc, long bits);
/* `prev` inside a type specification: its wire shape, a new C side. */
struct type *type_previous(struct loc at, const char *name);
/* `arg : prev`: the declared type itself. */
struct type *type_use(struct loc at, const char *name);
struct type *type_array(struct loc at, bool variable, long count,
			struct type *elem);
struct type *type_struct(struct loc at, long count, struct type *elem);
struct type *type_string(struct loc at, bool variable, long count);
struct type *type_out_of_line(struct loc at, struct type *t);

enum trans_kind { TRANS_CTYPE, TRANS_CUSERTYPE, TRANS_CSERVERTYPE };
void type_set_cname(struct type *t, enum trans_kind which, const char *name);
void type_set_intran(struct type *t, struct trans tr);
void type_set_outtran(struct type *t, struct trans tr);
void type_set_destructor(struct type *t, const char *func, const char *arg);

/* Names a type; `type_declare` also enters it in the table. */
void type_name(struct type *t, const char *name, struct loc at);
void type_declare(struct type *t, const char *name, struct loc at);

/* Wire shape queries. */
bool type_is_fixed_inline(const struct type *t);
unsigned type_wire_size(const struct type *t);  /* fixed inline types */
unsigned type_wire_align(const struct type *t);
unsigned type_elem_size(const struct type *t);  /* arrays, strings */
bool type_is_port_array(const struct type *t);
bool type_is_ool(const struct type *t);          /* OOL data, not ports */

/* C names: the user's, the server's (after intran), and the wire's. */
const char *type_user_ctype(const struct type *t);
const char *type_server_ctype(const struct type *t);
const char *type_ctype(const struct type *t);
