/*
 * Types: the IPC type names, the constructors the parser calls, the type
 * table of `type` statements, and the wire-shape queries the layout and
 * the emitters use.  See types.h for the model.
 */
#include "types.h"

#include <string.h>

/* Bounds that keep every size computation far from overflow; the message
 * size limit (MACH_MSG_SIZE_MAX) is checked later, per routine. */
#define COUNT_MAX 0x10000000L
#define BYTES_MAX 0x7fffffffUL

static const struct {
	const char *name;
	struct ipc_type t;
} ipc_names[] = {
	{ "MACH_MSG_TYPE_UNSTRUCTURED", { IPC_NUMBER, 0, 0 } },
	{ "MACH_MSG_TYPE_BIT", { IPC_NUMBER, 0, 0 } },
	{ "MACH_MSG_TYPE_BOOLEAN", { IPC_NUMBER, 0, 32 } },
	{ "MACH_MSG_TYPE_INTEGER_16", { IPC_NUMBER, 1, 16 } },
	{ "MACH_MSG_TYPE_INTEGER_32", { IPC_NUMBER, 2, 32 } },
	{ "MACH_MSG_TYPE_CHAR", { IPC_NUMBER, 8, 8 } },
	{ "MACH_MSG_TYPE_BYTE", { IPC_NUMBER, 9, 8 } },
	{ "MACH_MSG_TYPE_INTEGER_8", { IPC_NUMBER, 9, 8 } },
	{ "MACH_MSG_TYPE_REAL", { IPC_NUMBER, 10, 0 } },
	{ "MACH_MSG_TYPE_INTEGER_64", { IPC_NUMBER, 11, 64 } },
	{ "MACH_MSG_TYPE_REAL_32", { IPC_NUMBER, 10, 32 } },
	{ "MACH_MSG_TYPE_REAL_64", { IPC_NUMBER, 10, 64 } },
	{ "MACH_MSG_TYPE_STRING", { IPC_STRING, 12, 0 } },
	{ "MACH_MSG_TYPE_STRING_C", { IPC_STRING, 12, 0 } },
	{ "MACH_MSG_TYPE_PORT_NAME", { IPC_NUMBER, 15, 32 } },
	{ "MACH_MSG_TYPE_MOVE_RECEIVE", { IPC_PORT, 16, 0 } },
	{ "MACH_MSG_TYPE_MOVE_SEND", { IPC_PORT, 17, 0 } },
	{ "MACH_MSG_TYPE_MOVE_SEND_ONCE", { IPC_PORT, 18, 0 } },
	{ "MACH_MSG_TYPE_COPY_SEND", { IPC_PORT, 19, 0 } },
	{ "MACH_MSG_TYPE_MAKE_SEND", { IPC_PORT, 20, 0 } },
	{ "MACH_MSG_TYPE_MAKE_SEND_ONCE", { IPC_PORT, 21, 0 } },
	{ "MACH_MSG_TYPE_PORT_RECEIVE", { IPC_PORT, 16, 0 } },
	{ "MACH_MSG_TYPE_PORT_SEND", { IPC_PORT, 17, 0 } },
	{ "MACH_MSG_TYPE_PORT_SEND_ONCE", { IPC_PORT, 18, 0 } },
	{ "MACH_MSG_TYPE_POLYMORPHIC", { IPC_POLY, DISP_POLY, 0 } },
};

static struct type_entry {
	struct type_entry *next;
	struct type *type;
} *table;

bool ipc_type_by_name(const char *name, struct ipc_type *out)
{
	for (unsigned i = 0; i < sizeof ipc_names / sizeof ipc_names[0]; i++) {
		if (strcmp(ipc_names[i].name, name) == 0) {
			*out = ipc_names[i].t;
			return true;
		}
	}
	return false;
}

struct ipc_type ipc_type_by_number(long code)
{
	struct ipc_type t = { IPC_NUMBER, (int)code, 0 };

	for (unsigned i = 0; i < sizeof ipc_names / sizeof ipc_names[0]; i++) {
		if (ipc_names[i].t.code == code)
			return ipc_names[i].t;
	}
	return t;
}

/* The right a receiver holds after a send with disposition `d`. */
static int received_right(int d)
{
	switch (d) {
	case 16: return 16;
	case 17: case 19: case 20: return 17;
	case 18: case 21: return 18;
	default: return d;
	}
}

static struct type *type_new(struct loc at, enum type_kind kind)
{
	struct type *t = xcalloc(1, sizeof *t);

	t->loc = at;
	t->kind = kind;
	return t;
}

static const char *ipc_name(int code)
{
	static const char *const names[] = {
		"MACH_MSG_TYPE_MOVE_RECEIVE", "MACH_MSG_TYPE_MOVE_SEND",
		"MACH_MSG_TYPE_MOVE_SEND_ONCE", "MACH_MSG_TYPE_COPY_SEND",
		"MACH_MSG_TYPE_MAKE_SEND", "MACH_MSG_TYPE_MAKE_SEND_ONCE",
	};

	if (code >= 16 && code <= 21)
		return names[code - 16];
	return xasprintf("%d", code);
}

static const char *right_name(int right)
{
	return right == 16 ? "MACH_MSG_TYPE_PORT_RECEIVE"
	       : right == 17 ? "MACH_MSG_TYPE_PORT_SEND"
			     : "MACH_MSG_TYPE_PORT_SEND_ONCE";
}

static struct type *port_from_ipc(struct loc at, struct ipc_pair ipc)
{
	struct type *t = type_new(at, TYPE_PORT);
	int in = ipc.in.code, out = ipc.pair ? ipc.out.code : received_right(in);

	if (ipc.pair && ipc.out.cls != IPC_PORT && ipc.out.cls != IPC_POLY)
		diag_error(at, "a port type cannot be received as data");
	else if (in != DISP_POLY && (in < 16 || in > 21))
		diag_error(at, "%d is not a port disposition", in);
	else if (out != DISP_POLY && (out < 16 || out > 18))
		diag_error(at, "%s is not a right a receiver can hold (use "
			   "MACH_MSG_TYPE_PORT_RECEIVE, _SEND or _SEND_ONCE)",
			   ipc_name(out));
	else if (in != DISP_POLY && out != DISP_POLY && received_right(in) != out)
		diag_error(at, "a right sent with %s cannot arrive as %s",
			   ipc_name(in), right_name(out));
	t->in_name = in;
	t->out_name = out;
	return t;
}

static struct type *number_from_ipc(struct loc at, struct ipc_pair ipc,
				    long bits)
{
	struct type *t = type_new(at, TYPE_SCALAR);

	if (bits < 0)
		bits = ipc.in.bits;
	if (ipc.pair && ipc.out.cls != IPC_NUMBER)
		diag_error(at, "data cannot be received as a port");
	else if (ipc.pair && bits != (ipc.out.bits ? ipc.out.bits : bits))
		diag_error(at, "the two halves of the type differ in size");
	if (bits == 0)
		diag_error(at, "this IPC type needs an explicit size: "
			   "(TYPE, bits)");
	else if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
		diag_error(at, "a size of %ld bits is not supported (use 8, 16, "
			   "32 or 64, or an array)", bits);
	t->size = (bits == 8 || bits == 16 || bits == 64) ? (unsigned)bits / 8
							     : 4;
	return t;
}

struct type *type_from_ipc(struct loc at, struct ipc_pair ipc, long bits)
{
	bool in_port = ipc.in.cls == IPC_PORT || ipc.in.cls == IPC_POLY;

	if (in_port)
		return port_from_ipc(at, ipc);
	if (ipc.in.cls == IPC_STRING) {
		if (bits <= 0 || bits % 8 != 0) {
			diag_error(at, "a string type needs a size in bits, a "
				   "multiple of 8");
			bits = 8;
		}
		return type_string(at, false, bits / 8);
	}
	return number_from_ipc(at, ipc, bits);
}

static struct type *type_lookup(const char *name)
{
	for (struct type_entry *e = table; e != NULL; e = e->next) {
		if (strcmp(e->type->name, name) == 0)
			return e->type;
	}
	return NULL;
}

/* A copy that keeps the wire shape and drops the C side. */
static struct type *type_copy_shape(struct loc at, const struct type *old)
{
	struct type *t = type_new(at, old->kind);

	t->size = old->size;
	t->in_name = old->in_name;
	t->out_name = old->out_name;
	t->elem = old->elem;
	t->count = old->count;
	t->variable = old->variable;
	t->ool = old->ool;
	t->dealloc = old->dealloc;
	return t;
}

static struct type *unknown_type(struct loc at, const char *name)
{
	struct type *t = type_new(at, TYPE_SCALAR);

	diag_error(at, "unknown type '%s'", name);
	t->size = 4;
	t->name = xstrdup(name);
	return t;
}

struct type *type_previous(struct loc at, const char *name)
{
	struct type *old = type_lookup(name);

	if (old == NULL)
		return unknown_type(at, name);
	return type_copy_shape(at, old);
}

struct type *type_use(struct loc at, const char *name)
{
	struct type *old = type_lookup(name);

	return old != NULL ? old : unknown_type(at, name);
}

static bool bound_ok(struct loc at, long count, bool zero_ok)
{
	if (count < 0 || count > COUNT_MAX || (count == 0 && !zero_ok)) {
		diag_error(at, "array bound %ld is out of range (1 to %ld)",
			   count, COUNT_MAX);
		return false;
	}
	return true;
}

/* An element must have a fixed inline size, or be a single port. */
static bool elem_ok(struct loc at, const struct type *elem, bool port_ok)
{
	if (elem->kind == TYPE_PORT) {
		if (!port_ok)
			diag_error(at, "ports cannot be members of a struct");
		else if (elem->in_name == DISP_POLY || elem->out_name == DISP_POLY)
			diag_error(at, "arrays of polymorphic ports are not "
				   "supported");
		return port_ok;
	}
	if (type_is_fixed_inline(elem))
		return true;
	if (type_is_port_array(elem))
		diag_error(at, "an array of port arrays is not supported");
	else if (elem->variable)
		diag_error(at, "array without bound where one is needed: an "
			   "element must have a fixed size");
	else
		diag_error(at, "an out-of-line array cannot be an element");
	return false;
}

static bool bytes_ok(struct loc at, unsigned long count, unsigned esize)
{
	if (count * esize > BYTES_MAX) {
		diag_error(at, "array of %lu elements of %u bytes is too large",
			   count, esize);
		return false;
	}
	return true;
}

struct type *type_array(struct loc at, bool variable, long count,
			struct type *elem)
{
	struct type *t = type_new(at, TYPE_ARRAY);

	t->elem = elem;
	t->variable = variable;
	if (!bound_ok(at, count, variable) || !elem_ok(at, elem, true))
		count = 1;
	else if (elem->kind != TYPE_PORT &&
		 !bytes_ok(at, (unsigned long)count, type_wire_size(elem)))
		count = 1;
	t->count = (unsigned)count;
	/* An array of ports always travels as an OOL ports descriptor, and
	 * an array with no bound out of line, as MIG does. */
	t->ool = elem->kind == TYPE_PORT || (variable && count == 0);
	return t;
}

struct type *type_struct(struct loc at, long count, struct type *elem)
{
	struct type *t = type_new(at, TYPE_STRUCT);

	t->elem = elem;
	if (!bound_ok(at, count, false) || !elem_ok(at, elem, false) ||
	    !bytes_ok(at, (unsigned long)count, type_wire_size(elem)))
		count = 1;
	t->count = (unsigned)count;
	return t;
}

struct type *type_string(struct loc at, bool variable, long count)
{
	struct type *t = type_new(at, TYPE_STRING);

	if (!bound_ok(at, count, false) || !bytes_ok(at, (unsigned long)count, 1))
		count = 1;
	t->variable = variable;
	t->count = (unsigned)count;
	return t;
}

struct type *type_out_of_line(struct loc at, struct type *t)
{
	struct type *copy;

	if (t->kind != TYPE_ARRAY) {
		diag_error(at, "'^' (out of line) applies to arrays only");
		return t;
	}
	copy = type_copy_shape(at, t);
	copy->ool = true;
	return copy;
}

void type_set_cname(struct type *t, enum trans_kind which, const char *name)
{
	if (which == TRANS_CTYPE)
		t->ctype = name;
	else if (which == TRANS_CUSERTYPE)
		t->cusertype = name;
	else
		t->cservertype = name;
}

void type_set_intran(struct type *t, struct trans tr)
{
	t->intran = tr;
}

void type_set_outtran(struct type *t, struct trans tr)
{
	t->outtran = tr;
}

void type_set_destructor(struct type *t, const char *func, const char *arg)
{
	t->destructor = func;
	t->destructor_arg = arg;
}

void type_name(struct type *t, const char *name, struct loc at)
{
	t->name = name;
	t->loc = at;
}

void type_declare(struct type *t, const char *name, struct loc at)
{
	struct type *old = type_lookup(name);
	struct type_entry *e;

	if (old != NULL) {
		diag_error(at, "type '%s' is already declared at %s:%d:%d", name,
			   old->loc.file, old->loc.line, old->loc.col);
		return;
	}
	type_name(t, name, at);
	e = xcalloc(1, sizeof *e);
	e->type = t;
	e->next = table;
	table = e;
}

bool type_is_port_array(const struct type *t)
{
	return t->kind == TYPE_ARRAY && t->elem->kind == TYPE_PORT;
}

bool type_is_ool(const struct type *t)
{
	return t->kind == TYPE_ARRAY && t->ool && !type_is_port_array(t);
}

bool type_is_fixed_inline(const struct type *t)
{
	switch (t->kind) {
	case TYPE_SCALAR:
	case TYPE_STRUCT:
		return true;
	case TYPE_ARRAY:
		return !t->variable && !t->ool;
	case TYPE_STRING:
		return !t->variable;
	default:
		return false;
	}
}

unsigned type_elem_size(const struct type *t)
{
	if (t->kind == TYPE_STRING)
		return 1;
	if (t->elem->kind == TYPE_PORT)
		return 4; /* a name, in user space */
	return type_wire_size(t->elem);
}

unsigned type_wire_size(const struct type *t)
{
	switch (t->kind) {
	case TYPE_SCALAR:
		return t->size;
	case TYPE_STRING:
		return t->count;
	case TYPE_ARRAY:
	case TYPE_STRUCT:
		return t->count * type_elem_size(t);
	default:
		return 0;
	}
}

unsigned type_wire_align(const struct type *t)
{
	switch (t->kind) {
	case TYPE_SCALAR:
		return t->size;
	case TYPE_ARRAY:
	case TYPE_STRUCT:
		return t->elem->kind == TYPE_PORT ? 4 : type_wire_align(t->elem);
	default:
		return 1;
	}
}

const char *type_ctype(const struct type *t)
{
	if (t->ctype != NULL)
		return t->ctype;
	return t->name != NULL ? t->name : "int";
}

const char *type_user_ctype(const struct type *t)
{
	return t->cusertype != NULL ? t->cusertype : type_ctype(t);
}

const char *type_server_ctype(const struct type *t)
{
	if (t->intran.type != NULL)
		return t->intran.type;
	if (t->outtran.arg_type != NULL)
		return t->outtran.arg_type;
	return t->cservertype != NULL ? t->cservertype : type_ctype(t);
}
