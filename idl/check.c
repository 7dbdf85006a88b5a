/*
 * Semantic checks: after parsing, every routine's arguments are given a
 * kind, a side (user stub, server function, or both) and a direction on
 * the wire, and everything the language allows but the message cannot
 * carry is reported here, at the argument that causes it.
 *
 * The order matters: the request port is found first (an explicit
 * `requestport`, else the first argument), then each argument is
 * classified, then names are checked for clashes with each other and
 * with the generated code, and last the messages are laid out and their
 * sizes checked against MACH_MSG_SIZE_MAX.
 */
#include "routine.h"

#include <string.h>

/* MACH_MSG_SIZE_MAX of kernel/include/mach/message.h; the generated code
 * asserts that the two agree. */
#define MSG_SIZE_MAX 8192u

static const char *const reserved_names[] = {
	"InP", "OutP", "In0P", "InHeadP", "OutHeadP", "Mess", "msg_result",
	"Head", "msgh_body", "RetCode",
};

static bool is_data_dir(enum direction d)
{
	return d == DIR_DEFAULT || d == DIR_IN || d == DIR_OUT || d == DIR_INOUT;
}

bool arg_is_descriptor(const struct arg *a)
{
	return a->kind == AK_PORT || a->kind == AK_OOL || a->kind == AK_OOL_PORTS;
}

bool arg_is_tail(const struct arg *a)
{
	return a->kind == AK_VAR || a->kind == AK_VAR_STRING;
}

bool arg_has_wire_count(const struct arg *a)
{
	if (arg_is_tail(a))
		return true;
	return (a->kind == AK_OOL || a->kind == AK_OOL_PORTS) &&
	       a->type->variable;
}

unsigned arg_max_elems(const struct arg *a)
{
	return a->type->count;
}

static struct arg *find_request_port(struct routine *r)
{
	struct arg *found = NULL;

	for_each_arg(a, r) {
		if (a->dir != DIR_REQUESTPORT)
			continue;
		if (found != NULL)
			diag_error(a->loc, "routine '%s' has a second request "
				   "port '%s'", r->name, a->name);
		else
			found = a;
	}
	if (found != NULL)
		return found;
	if (r->args == NULL) {
		diag_error(r->loc, "routine '%s' has no request port: its first "
			   "argument must be a port", r->name);
		return NULL;
	}
	if (r->args->dir != DIR_DEFAULT && r->args->dir != DIR_IN) {
		diag_error(r->args->loc, "the first argument of routine '%s' "
			   "must be the request port (or declare one with "
			   "requestport)", r->name);
		return NULL;
	}
	return r->args;
}

static void check_header_port(struct routine *r, struct arg *a,
			      const char *what)
{
	if (a->type->kind != TYPE_PORT) {
		diag_error(a->loc, "%s '%s' of routine '%s' must be a port",
			   what, a->name, r->name);
		return;
	}
	a->user_poly = a->user_side && a->type->in_name == DISP_POLY;
	a->server_poly = a->server_side && a->type->out_name == DISP_POLY;
}

/* Keeps `*slot` unique: a routine has at most one of each special. */
static void set_special(struct routine *r, struct arg **slot, struct arg *a,
			const char *what)
{
	if (*slot != NULL)
		diag_error(a->loc, "routine '%s' has a second %s '%s'", r->name,
			   what, a->name);
	*slot = a;
}

static void classify_special(struct routine *r, struct arg *a)
{
	switch (a->dir) {
	case DIR_REPLYPORT:
		a->user_side = a->server_side = true;
		set_special(r, &r->user_reply_port, a, "user reply port");
		set_special(r, &r->server_reply_port, a, "server reply port");
		break;
	case DIR_UREPLYPORT:
		a->user_side = true;
		set_special(r, &r->user_reply_port, a, "user reply port");
		break;
	case DIR_SREPLYPORT:
		a->server_side = true;
		set_special(r, &r->server_reply_port, a, "server reply port");
		break;
	case DIR_WAITTIME:
		a->user_side = true;
		set_special(r, &r->waittime, a, "waittime");
		break;
	case DIR_MSGOPTION:
		a->user_side = true;
		set_special(r, &r->msgoption, a, "msgoption");
		break;
	default: /* DIR_MSGSEQNO */
		a->server_side = true;
		set_special(r, &r->msgseqno, a, "msgseqno");
		break;
	}
	if (a->dir == DIR_WAITTIME || a->dir == DIR_MSGOPTION ||
	    a->dir == DIR_MSGSEQNO) {
		a->kind = a->dir == DIR_WAITTIME ? AK_WAITTIME
			  : a->dir == DIR_MSGOPTION ? AK_MSGOPTION : AK_MSGSEQNO;
		if (a->type->kind != TYPE_SCALAR)
			diag_error(a->loc, "'%s' must have a scalar type",
				   a->name);
		return;
	}
	a->kind = AK_REPLY_PORT;
	check_header_port(r, a, "reply port");
}

static enum arg_kind data_kind(const struct type *t)
{
	switch (t->kind) {
	case TYPE_SCALAR:
		return AK_SCALAR;
	case TYPE_STRUCT:
		return AK_STRUCT;
	case TYPE_PORT:
		return AK_PORT;
	case TYPE_STRING:
		return t->variable ? AK_VAR_STRING : AK_FIXED;
	default:
		if (type_is_port_array(t))
			return AK_OOL_PORTS;
		if (t->ool)
			return AK_OOL;
		return t->variable ? AK_VAR : AK_FIXED;
	}
}

static void check_dealloc(struct arg *a)
{
	if (a->dealloc == DEALLOC_DEFAULT)
		a->dealloc = a->type->dealloc;
	if (a->dealloc == DEALLOC_DEFAULT)
		return;
	if (a->kind != AK_OOL && a->kind != AK_OOL_PORTS)
		diag_error(a->loc, "'%s': dealloc applies to out-of-line "
			   "arrays only", a->name);
	else if (a->dealloc == DEALLOC_USER && !a->in_request)
		diag_error(a->loc, "'%s': dealloc[] is supported on in "
			   "arguments only", a->name);
}

static void check_data_dir(struct routine *r, struct arg *a)
{
	bool var = a->kind == AK_VAR || a->kind == AK_VAR_STRING ||
		   a->kind == AK_OOL || a->kind == AK_OOL_PORTS;

	if (a->in_reply && r->simple)
		diag_error(a->loc, "simpleroutine '%s' cannot return '%s': an "
			   "out argument needs a routine", r->name, a->name);
	if (a->dir != DIR_INOUT)
		return;
	if (var)
		diag_error(a->loc, "'%s': inout is not supported for variable "
			   "or out-of-line arrays; use an in and an out argument",
			   a->name);
	else if (a->kind == AK_PORT && (a->type->in_name == DISP_POLY ||
					a->type->out_name == DISP_POLY))
		diag_error(a->loc, "'%s': inout is not supported for "
			   "polymorphic ports", a->name);
}

static void classify_data(struct routine *r, struct arg *a)
{
	const struct type *t = a->type;

	a->kind = data_kind(t);
	a->user_side = a->server_side = true;
	a->in_request = a->dir != DIR_OUT;
	a->in_reply = a->dir == DIR_OUT || a->dir == DIR_INOUT;
	check_data_dir(r, a);
	check_dealloc(a);
	a->has_count = a->kind == AK_VAR || ((a->kind == AK_OOL ||
					      a->kind == AK_OOL_PORTS) &&
					     t->variable);
	if (a->kind != AK_PORT)
		return;
	/* The sender names the disposition of a polymorphic in-name; the
	 * receiver learns the right of a polymorphic out-name. */
	if (a->in_request) {
		a->user_poly = t->in_name == DISP_POLY;
		a->server_poly = t->out_name == DISP_POLY;
	} else {
		a->server_poly = t->in_name == DISP_POLY;
		a->user_poly = t->out_name == DISP_POLY;
	}
}

static void classify(struct routine *r)
{
	r->request_port = find_request_port(r);
	for_each_arg(a, r) {
		a->count_name = xasprintf("%sCnt", a->name);
		a->poly_name = xasprintf("%sPoly", a->name);
		a->dealloc_name = xasprintf("%sDealloc", a->name);
		if (a == r->request_port) {
			a->kind = AK_REQUEST_PORT;
			a->user_side = a->server_side = true;
			check_header_port(r, a, "request port");
		} else if (a->dir == DIR_REQUESTPORT) {
			a->kind = AK_REQUEST_PORT; /* a second one, reported */
		} else if (is_data_dir(a->dir)) {
			classify_data(r, a);
		} else {
			classify_special(r, a);
		}
	}
}

/* The C identifiers one argument contributes to the generated code, and
 * what each is, for messages. */
struct ident {
	const char *name;
	const char *role;
};

static unsigned arg_identifiers(const struct arg *a, struct ident out[4])
{
	unsigned n = 0;

	out[n++] = (struct ident){ a->name, xasprintf("argument '%s'", a->name) };
	if (a->has_count || arg_has_wire_count(a))
		out[n++] = (struct ident){ a->count_name,
			xasprintf("the count of '%s'", a->name) };
	if (a->user_poly || a->server_poly)
		out[n++] = (struct ident){ a->poly_name,
			xasprintf("the disposition of '%s'", a->name) };
	if (a->dealloc == DEALLOC_USER)
		out[n++] = (struct ident){ a->dealloc_name,
			xasprintf("the dealloc flag of '%s'", a->name) };
	return n;
}

static bool name_reserved(const char *name)
{
	for (unsigned i = 0; i < sizeof reserved_names / sizeof *reserved_names;
	     i++) {
		if (strcmp(name, reserved_names[i]) == 0)
			return true;
	}
	return strncmp(name, "mig_", 4) == 0;
}

/* Reports the first clash of `a`'s identifiers with an earlier argument. */
static void check_clash(const struct routine *r, const struct arg *a)
{
	struct ident mine[4], theirs[4];
	unsigned n = arg_identifiers(a, mine);

	for (const struct arg *b = r->args; b != a; b = b->next) {
		unsigned m = arg_identifiers(b, theirs);

		for (unsigned i = 0; i < n; i++)
			for (unsigned j = 0; j < m; j++) {
				if (strcmp(mine[i].name, theirs[j].name) != 0)
					continue;
				if (i == 0 && j == 0)
					diag_error(a->loc, "duplicate argument "
						   "'%s'", a->name);
				else
					diag_error(a->loc, "%s clashes with %s",
						   mine[i].role, theirs[j].role);
				return;
			}
	}
}

static void check_names(struct routine *r)
{
	for_each_arg(a, r) {
		if (name_reserved(a->name))
			diag_error(a->loc, "argument name '%s' is reserved by "
				   "the generated code", a->name);
		check_clash(r, a);
	}
}

static void check_size(struct routine *r, const struct layout *l,
		       const char *what)
{
	if (l->max_size > MSG_SIZE_MAX)
		diag_error(r->loc, "the %s of routine '%s' can reach %u bytes, "
			   "more than MACH_MSG_SIZE_MAX (%u); send large data "
			   "out of line (^)", what, r->name, l->max_size,
			   MSG_SIZE_MAX);
}

bool check_subsystem(void)
{
	int before = diag_error_count();

	for_each_routine(r) {
		int mark = diag_error_count();

		classify(r);
		check_names(r);
		if (diag_error_count() != mark)
			continue;
		layout_routine(r);
		check_size(r, &r->request, "request");
		if (!r->simple)
			check_size(r, &r->reply, "reply");
	}
	return diag_error_count() == before;
}
