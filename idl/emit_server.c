/*
 * The server side (NAMEServer.c): one static function per routine, a
 * table indexed by message id, the demux, and the subsystem record.
 *
 * A routine's function first decides, reading nothing the message does
 * not hold, whether the request is well formed: its size (exact, or
 * between the fixed part and the maximum when it has tails), its
 * complexity and descriptor count, every descriptor's kind and right,
 * every count against its bound and its descriptor, every string's NUL,
 * and the sum of the tails against the size.  Any failure is answered
 * with MIG_BAD_ARGUMENTS before the server function is called.  Then it
 * calls serverprefix+name, and on success builds the reply in place.
 * Out fields are zeroed before the call, padding before the send, so a
 * reply carries nothing stale from an earlier message.
 */
#include "emit.h"

static void size_conds(const struct routine *r, struct strlist *c)
{
	const char *t = request_type(r);

	if (r->request.tails) {
		strlist_add(c, "In0P->Head.msgh_size < %u", r->request.fixed_size);
		strlist_add(c, "In0P->Head.msgh_size > (mach_msg_size_t)"
			    "sizeof(%s)", t);
	} else {
		strlist_add(c, "In0P->Head.msgh_size != (mach_msg_size_t)"
			    "sizeof(%s)", t);
	}
	if (r->request.descriptors) {
		strlist_add(c, "!(In0P->Head.msgh_bits & "
			    "MACH_MSGH_BITS_COMPLEX)");
		strlist_add(c, "In0P->msgh_body.msgh_descriptor_count != %u",
			    r->request.descriptors);
	} else {
		strlist_add(c, "(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)");
	}
}

static void right_cond(struct strlist *c, const char *field, int right)
{
	if (right == DISP_POLY)
		strlist_add(c, "!MACH_MSG_TYPE_PORT_RIGHT_P(In0P->%s.disposition)",
			    field);
	else
		strlist_add(c, "In0P->%s.disposition != %s", field,
			    right_name(right));
}

static void ool_count_conds(struct strlist *c, const struct arg *a,
			    const char *what, unsigned esize)
{
	if (!a->has_count) {
		strlist_add(c, "In0P->%s.%s != %u", a->name, what,
			    a->type->count * esize);
		return;
	}
	if (a->type->count != 0)
		strlist_add(c, "In0P->%s > %u", a->count_name, a->type->count);
	if (esize == 1)
		strlist_add(c, "In0P->%s != In0P->%s.%s", a->count_name,
			    a->name, what);
	else
		strlist_add(c, "(uint64_t)In0P->%s * %u != In0P->%s.%s",
			    a->count_name, esize, a->name, what);
}

static void descriptor_conds(const struct arg *a, struct strlist *c)
{
	const char *n = a->name;

	if (a->kind == AK_PORT) {
		strlist_add(c, "In0P->%s.type != MACH_MSG_PORT_DESCRIPTOR", n);
		right_cond(c, n, a->type->out_name);
	} else if (a->kind == AK_OOL) {
		strlist_add(c, "In0P->%s.type != MACH_MSG_OOL_DESCRIPTOR", n);
		ool_count_conds(c, a, "size", type_elem_size(a->type));
	} else {
		strlist_add(c, "In0P->%s.type != MACH_MSG_OOL_PORTS_DESCRIPTOR",
			    n);
		right_cond(c, n, a->type->elem->out_name);
		ool_count_conds(c, a, "count", 1);
	}
}

static void tail_conds(const struct routine *r, struct strlist *c)
{
	const char *sum = xasprintf("%u", r->request.fixed_size);

	for_each_arg(a, r) {
		if (!a->in_request || !arg_is_tail(a))
			continue;
		if (a->kind == AK_VAR_STRING) {
			strlist_add(c, "In0P->%s < 1", a->count_name);
			sum = xasprintf("%s +\n\t\tMIG_ROUND8(In0P->%s)", sum,
					a->count_name);
		} else {
			sum = xasprintf("%s +\n\t\tMIG_ROUND8(In0P->%s * %u)",
					sum, a->count_name,
					type_elem_size(a->type));
		}
		strlist_add(c, "In0P->%s > %u", a->count_name, a->type->count);
	}
	if (r->request.tails)
		strlist_add(c, "In0P->Head.msgh_size != %s", sum);
}

static void request_conds(const struct routine *r, struct strlist *c)
{
	const struct arg *rp = r->server_reply_port;

	size_conds(r, c);
	for_each_arg(a, r) {
		if (!a->in_request)
			continue;
		if (arg_is_descriptor(a))
			descriptor_conds(a, c);
		else if (a->kind == AK_FIXED && a->type->kind == TYPE_STRING)
			strlist_add(c, "In0P->%s[%u] != '\\0'", a->name,
				    a->type->count - 1);
	}
	if (rp != NULL && rp->type->kind == TYPE_PORT &&
	    rp->type->out_name != DISP_POLY)
		strlist_add(c, "(In0P->Head.msgh_reply_port != MACH_PORT_NULL "
			    "&&\n\t     MACH_MSGH_BITS_REMOTE(In0P->Head.msgh_bits) "
			    "!= %s)", right_name(rp->type->out_name));
	tail_conds(r, c);
}

/* Finds each tail of the request, and checks the strings among them. */
static void put_request_tails(const struct routine *r)
{
	if (!r->request.tails)
		return;
	put("\tmig_tail = (char *)In0P + %u;\n", r->request.fixed_size);
	for_each_arg(a, r) {
		if (!a->in_request || !arg_is_tail(a))
			continue;
		put("\tmig_tail_%s = mig_tail;\n", a->name);
		if (a->kind == AK_VAR_STRING) {
			put("\tif (mig_tail[In0P->%s - 1] != '\\0')\n"
			    "\t\tgoto mig_bad_request;\n", a->count_name);
			put("\tmig_tail += MIG_ROUND8(In0P->%s);\n",
			    a->count_name);
		} else {
			put("\tmig_tail += MIG_ROUND8(In0P->%s * %u);\n",
			    a->count_name, type_elem_size(a->type));
		}
	}
}

/* The value a request carries for `a`, before translation. */
static const char *request_value(const struct arg *a)
{
	switch (a->kind) {
	case AK_REQUEST_PORT:
		return "In0P->Head.msgh_request_port";
	case AK_REPLY_PORT:
		return "In0P->Head.msgh_reply_port";
	case AK_MSGSEQNO:
		return "In0P->Head.msgh_seqno";
	case AK_PORT:
		return xasprintf("In0P->%s.name", a->name);
	default:
		return xasprintf("In0P->%s", a->name);
	}
}

static const char *translated(const struct arg *a)
{
	const struct trans *in = &a->type->intran;

	if (in->func != NULL)
		return xasprintf("%s(%s)", in->func, request_value(a));
	return request_value(a);
}

/* The server gets a value for `a` from the request (header or body). */
static bool from_request(const struct arg *a)
{
	return a->in_request || a->kind == AK_REQUEST_PORT ||
	       a->kind == AK_REPLY_PORT || a->kind == AK_MSGSEQNO;
}

/* Arguments that live in a local variable of the server's type. */
static bool needs_local(const struct arg *a)
{
	switch (a->kind) {
	case AK_REQUEST_PORT:
	case AK_REPLY_PORT:
	case AK_SCALAR:
		return a->type->destructor != NULL ||
		       (a->in_reply && arg_has_translation(a));
	case AK_STRUCT:
		return true;
	case AK_PORT:
		return a->in_reply || a->type->destructor != NULL;
	case AK_OOL:
	case AK_OOL_PORTS:
		return a->in_reply;
	default:
		return false;
	}
}

static void put_local(const struct arg *a)
{
	const char *t = type_server_ctype(a->type);

	if (!a->server_side || !needs_local(a))
		return;
	if (a->kind == AK_STRUCT || from_request(a))
		put("\t%s %s;\n", t, a->name);
	else
		put("\t%s %s = 0;\n", t, a->name);
	if (a->server_poly && a->dir == DIR_OUT)
		put("\tmach_msg_type_name_t %s = MACH_MSG_TYPE_PORT_NONE;\n",
		    a->poly_name);
}

static void put_locals(const struct routine *r)
{
	put("\t%s *In0P = (%s *)InHeadP;\n", request_type(r), request_type(r));
	if (!r->simple)
		put("\t%s *OutP = (%s *)OutHeadP;\n", reply_type(r),
		    reply_type(r));
	else
		put("\tkern_return_t mig_result;\n");
	if (r->request.tails || r->reply.tails)
		put("\tchar *mig_tail;\n");
	for_each_arg(a, r)
		if (a->in_request && arg_is_tail(a))
			put("\tchar *mig_tail_%s;\n", a->name);
	for_each_arg(a, r)
		put_local(a);
	put("\n");
}

/* Gives locals their values and out fields their initial contents. */
static void put_prepare(const struct arg *a)
{
	const char *n = a->name;
	unsigned size = type_wire_size(a->type);

	if (!a->server_side)
		return;
	if (needs_local(a) && a->in_request && a->kind == AK_STRUCT)
		put("\t__builtin_memcpy(&%s, In0P->%s, %u);\n", n, n, size);
	else if (needs_local(a) && from_request(a))
		put("\t%s = %s;\n", n, translated(a));
	else if (a->kind == AK_STRUCT)
		put("\t__builtin_memset(&%s, 0, %u);\n", n, size);
	if (!a->in_reply || needs_local(a))
		return;
	if (a->kind == AK_SCALAR)
		put("\tOutP->%s = %s;\n", n, a->in_request ? request_value(a)
							  : "0");
	else if (a->kind == AK_FIXED && a->in_request)
		put("\t__builtin_memcpy(OutP->%s, In0P->%s, %u);\n", n, n, size);
	else if (a->kind == AK_FIXED)
		put("\t__builtin_memset(OutP->%s, 0, %u);\n", n, size);
	else if (a->kind == AK_VAR)
		put("\tOutP->%s = %u;\n", a->count_name, a->type->count);
	else if (a->kind == AK_VAR_STRING)
		put("\tOutP->%s[0] = '\\0';\n", n);
}

static void data_args(struct strlist *l, const struct arg *a)
{
	const char *n = a->name;
	bool out = a->in_reply;
	bool local = needs_local(a);

	switch (a->kind) {
	case AK_SCALAR:
	case AK_STRUCT:
	case AK_PORT:
		if (local)
			strlist_add(l, a->dir == DIR_IN || a->dir == DIR_DEFAULT
				    ? "%s" : "&%s", n);
		else if (out)
			strlist_add(l, "&OutP->%s", n);
		else
			strlist_add(l, "%s", translated(a));
		break;
	case AK_FIXED:
		strlist_add(l, "(void *)%s->%s", out ? "OutP" : "In0P", n);
		break;
	case AK_VAR:
	case AK_VAR_STRING:
		if (out)
			strlist_add(l, "(void *)OutP->%s", n);
		else
			strlist_add(l, "(void *)mig_tail_%s", n);
		break;
	default: /* AK_OOL, AK_OOL_PORTS */
		if (out)
			strlist_add(l, "&%s", n);
		else
			strlist_add(l, "(%s)(In0P->%s.address)",
				    type_server_ctype(a->type), n);
		break;
	}
	if (a->kind == AK_VAR || a->has_count)
		strlist_add(l, out ? "&OutP->%s" : "In0P->%s", a->count_name);
}

static void call_args(const struct routine *r, struct strlist *l)
{
	for_each_arg(a, r) {
		if (!a->server_side)
			continue;
		if (a->kind >= AK_SCALAR)
			data_args(l, a);
		else if (needs_local(a))
			strlist_add(l, "%s", a->name);
		else
			strlist_add(l, "%s", translated(a));
		if (!a->server_poly)
			continue;
		if (a->dir == DIR_OUT)
			strlist_add(l, "&%s", a->poly_name);
		else if (a->kind == AK_REQUEST_PORT)
			strlist_add(l, "MACH_MSGH_BITS_LOCAL(In0P->Head.msgh_bits)");
		else if (a->kind == AK_REPLY_PORT)
			strlist_add(l, "MACH_MSGH_BITS_REMOTE(In0P->Head.msgh_bits)");
		else
			strlist_add(l, "In0P->%s.disposition", a->name);
	}
}

static void put_call(const struct routine *r)
{
	struct strlist l = { 0 };

	call_args(r, &l);
	put("\t%s = %s(", r->simple ? "mig_result" : "OutP->RetCode",
	    routine_server_name(r));
	for (unsigned i = 0; i < l.n; i++)
		put("%s%s", i ? ",\n\t\t" : (l.n > 1 ? "\n\t\t" : ""), l.s[i]);
	put(");\n");
	for_each_arg(a, r)
		if (a->server_side && from_request(a) && a->type->destructor)
			put("\t%s(%s);\n", a->type->destructor, a->name);
}


static void emit_server_routine(const struct routine *r)
{
	struct strlist conds = { 0 };

	put("\n/* %s %s */\n", r->simple ? "Simpleroutine" : "Routine",
	    r->name);
	put("static void _X%s(mach_msg_header_t *InHeadP, "
	    "mach_msg_header_t *OutHeadP)\n{\n", r->name);
	put_locals(r);
	request_conds(r, &conds);
	emit_if_any(&conds, "\t\tgoto mig_bad_request;\n");
	put_request_tails(r);
	for_each_arg(a, r)
		put_prepare(a);
	put_call(r);
	if (r->simple)
		put("\tmig_reply_error(OutHeadP, mig_result == KERN_SUCCESS ?\n"
		    "\t\t\t\t  MIG_NO_REPLY : mig_result);\n\treturn;\n");
	else
		emit_server_reply(r);
	put("\nmig_bad_request:\n"
	    "\tMIG_LOG_BAD_REQUEST(\"%s\", \"%s\");\n"
	    "\tmig_reply_error(OutHeadP, MIG_BAD_ARGUMENTS);\n}\n",
	    subsystem.name, r->name);
}

static void emit_demux(void)
{
	const char *demux = subsystem_demux_name();
	const char *name = subsystem.name;

	put("\nstatic const mig_routine_t %s_routines[%d] = {\n", name,
	    subsystem.count);
	for (struct routine *r = subsystem.routines; r != NULL; r = r->next)
		put(r->skip ? "\t0, /* skip */\n" : "\t_X%s,\n", r->name);
	put("};\n");
	put("\nstatic const mach_msg_size_t %s_reply_sizes[%d] = {\n", name,
	    subsystem.count);
	for (struct routine *r = subsystem.routines; r != NULL; r = r->next)
		put("\t%u,\n", r->skip || r->simple || r->reply.max_size < ERROR_REPLY_SIZE
				       ? ERROR_REPLY_SIZE
				       : r->reply.max_size);
	put("};\n");
	put("\nmig_routine_t %s_routine(const mach_msg_header_t *InHeadP)\n{\n"
	    "\tuint32_t index = (uint32_t)InHeadP->msgh_id - %ldu;\n\n"
	    "\treturn index < %du ? %s_routines[index] : 0;\n}\n", demux,
	    subsystem.base, subsystem.count, name);
	put("\nboolean_t %s(mach_msg_header_t *InHeadP, "
	    "mach_msg_header_t *OutHeadP)\n{\n\tmig_routine_t routine;\n\n",
	    demux);
	put("\tOutHeadP->msgh_bits =\n\t\tMACH_MSGH_BITS("
	    "MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);\n"
	    "\tOutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);\n"
	    "\tOutHeadP->msgh_remote_port = InHeadP->msgh_reply_port;\n"
	    "\tOutHeadP->msgh_local_port = MACH_PORT_NULL;\n"
	    "\tOutHeadP->msgh_seqno = 0;\n"
	    "\tOutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id "
	    "+ 100u);\n");
	put("\troutine = %s_routine(InHeadP);\n\tif (routine == 0) {\n"
	    "\t\tmig_reply_error(OutHeadP, MIG_BAD_ID);\n\t\treturn FALSE;\n"
	    "\t}\n\troutine(InHeadP, OutHeadP);\n\treturn TRUE;\n}\n", demux);
	put("\nconst struct mig_subsystem %s_subsystem = {\n"
	    "\t.demux = %s,\n\t.routine = %s_routine,\n"
	    "\t.min_id = %ld,\n\t.max_id = %ld,\n"
	    "\t.max_request_size = %s_MAX_REQUEST_SIZE,\n"
	    "\t.max_reply_size = %s_MAX_REPLY_SIZE,\n"
	    "\t.reply_sizes = %s_reply_sizes,\n};\n", name, demux, demux,
	    subsystem.base, subsystem.base + subsystem.count, name, name, name);
}

void emit_server_file(const struct emit_names *names)
{
	emit_banner("Server demux");
	put("#include \"%s\"\n", names->server_header);
	for_each_routine(r)
		emit_message_structs(r);
	for_each_routine(r)
		emit_server_routine(r);
	emit_demux();
}
