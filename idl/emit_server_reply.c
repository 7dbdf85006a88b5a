/*
 * The last part of a server routine: after the server function returned
 * KERN_SUCCESS, build the reply in place.  An error becomes a bare error
 * reply (mig_reply_error).  Counts the server set are checked against
 * their bounds (MIG_ARRAY_TOO_LARGE: a server bug, but never an overrun),
 * tails are packed towards the fixed part, and padding is zeroed.
 */
#include "emit.h"

static const char *outtran(const struct arg *a, const char *value)
{
	if (a->type->outtran.func != NULL)
		return xasprintf("%s(%s)", a->type->outtran.func, value);
	return value;
}

static void bound_conds(const struct routine *r, struct strlist *c)
{
	for_each_arg(a, r) {
		if (!a->in_reply)
			continue;
		if (a->kind == AK_VAR || (a->has_count && a->type->count != 0))
			strlist_add(c, "OutP->%s > %u", a->count_name,
				    a->type->count);
		else if (a->has_count && type_elem_size(a->type) > 1)
			strlist_add(c, "OutP->%s > 0xffffffffu / %u",
				    a->count_name, type_elem_size(a->type));
	}
}

static const char *ool_count(const struct arg *a)
{
	return a->has_count ? xasprintf("OutP->%s", a->count_name)
			    : xasprintf("%u", a->type->count);
}

static void put_port(const struct arg *a)
{
	put("\tOutP->%s = (mach_msg_port_descriptor_t){\n", a->name);
	put("\t\t.name = %s,\n", outtran(a, a->name));
	put("\t\t.disposition = %s,\n", a->server_poly
	    ? a->poly_name : disposition_name(a->type->in_name));
	put("\t\t.type = MACH_MSG_PORT_DESCRIPTOR,\n\t};\n");
}

static void put_ool(const struct arg *a)
{
	bool ports = a->kind == AK_OOL_PORTS;

	put("\tOutP->%s = (mach_msg_ool%s_descriptor_t){\n", a->name,
	    ports ? "_ports" : "");
	put("\t\t.address = (void *)(%s),\n", a->name);
	if (ports)
		put("\t\t.count = %s,\n", ool_count(a));
	else if (type_elem_size(a->type) == 1)
		put("\t\t.size = %s,\n", ool_count(a));
	else
		put("\t\t.size = %s * %u,\n", ool_count(a),
		    type_elem_size(a->type));
	put("\t\t.deallocate = %s,\n",
	    a->dealloc == DEALLOC_YES ? "TRUE" : "FALSE");
	put("\t\t.copy = %s,\n", ports ? "MACH_MSG_PHYSICAL_COPY"
				       : "MACH_MSG_VIRTUAL_COPY");
	if (ports)
		put("\t\t.disposition = %s,\n",
		    disposition_name(a->type->elem->in_name));
	put("\t\t.type = MACH_MSG_OOL%s_DESCRIPTOR,\n\t};\n",
	    ports ? "_PORTS" : "");
}

static void put_tail(const struct routine *r, const struct field *f,
		     bool first)
{
	const struct arg *a = f->arg;

	if (first)
		put("\tmig_tail = (char *)OutP + %u;\n", r->reply.fixed_size);
	if (a->kind == AK_VAR_STRING) {
		put("\tOutP->%s = mig_strnlen(OutP->%s, %u) + 1;\n",
		    a->count_name, a->name, a->type->count - 1);
		put("\tOutP->%s[OutP->%s - 1] = '\\0';\n", a->name,
		    a->count_name);
		put("\tmig_tail = mig_put_tail(mig_tail, OutP->%s, OutP->%s);\n",
		    a->name, a->count_name);
	} else {
		put("\tmig_tail = mig_put_tail(mig_tail, OutP->%s, "
		    "OutP->%s * %u);\n", a->name, a->count_name,
		    type_elem_size(a->type));
	}
}

static void put_field(const struct routine *r, const struct field *f,
		      bool *first_tail)
{
	const struct arg *a = f->arg;

	switch (f->kind) {
	case F_BODY:
		put("\tOutP->msgh_body.msgh_descriptor_count = %u;\n"
		    "\tOutP->msgh_body.msgh_reserved = 0;\n",
		    r->reply.descriptors);
		break;
	case F_PORT:
		put_port(a);
		break;
	case F_OOL:
	case F_OOL_PORTS:
		put_ool(a);
		break;
	case F_SCALAR:
		if (a->type->destructor != NULL ||
		    arg_has_translation(a))
			put("\tOutP->%s = %s;\n", f->name, outtran(a, a->name));
		break;
	case F_BYTES:
		if (a->kind == AK_STRUCT)
			put("\t__builtin_memcpy(OutP->%s, &%s, %u);\n", f->name,
			    a->name, f->size);
		else if (a->type->kind == TYPE_STRING)
			put("\tOutP->%s[%u] = '\\0';\n", f->name, f->size - 1);
		break;
	case F_PAD:
		put("\t__builtin_memset(OutP->%s, 0, %u);\n", f->name, f->size);
		break;
	case F_TAIL:
		put_tail(r, f, *first_tail);
		*first_tail = false;
		break;
	default:
		break;
	}
}

void emit_server_reply(const struct routine *r)
{
	struct strlist conds = { 0 };
	bool first_tail = true;

	put("\tif (OutP->RetCode != KERN_SUCCESS) {\n"
	    "\t\tmig_reply_error(OutHeadP, OutP->RetCode);\n\t\treturn;\n\t}\n");
	bound_conds(r, &conds);
	emit_if_any(&conds, "\t\tgoto mig_too_large;\n");
	for (unsigned i = 0; i < r->reply.nfields; i++)
		put_field(r, &r->reply.fields[i], &first_tail);
	if (r->reply.descriptors)
		put("\tOutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;\n");
	if (r->reply.tails)
		put("\tOutP->Head.msgh_size = "
		    "(mach_msg_size_t)(mig_tail - (char *)OutP);\n");
	else
		put("\tOutP->Head.msgh_size = (mach_msg_size_t)sizeof(%s);\n",
		    reply_type(r));
	put("\treturn;\n");
	if (conds.n != 0)
		put("\nmig_too_large:\n"
		    "\tmig_reply_error(OutHeadP, MIG_ARRAY_TOO_LARGE);\n"
		    "\treturn;\n");
}
