/*
 * The second half of a user stub: checking the reply and copying its
 * results out (see emit_user.c for the whole sequence).  Nothing reaches
 * the caller's out parameters until every check has passed; a reply that
 * fails one is destroyed (its rights and regions released), so a broken
 * or hostile server cannot leak resources into the client.
 */
#include "emit.h"


/* The reply carries nothing but its return code: it has the error
 * reply's shape, and an error reply is just a reply. */
static bool reply_is_bare(const struct routine *r)
{
	for_each_arg(a, r)
		if (a->in_reply)
			return false;
	return r->reply.max_size == ERROR_REPLY_SIZE;
}

static void put_id_check(const struct routine *r)
{
	put("\n\tif (OutP->Head.msgh_id != %ld) {\n", routine_id(r) + 100);
	put("\t\tif (OutP->Head.msgh_id == MACH_NOTIFY_SEND_ONCE)\n"
	    "\t\t\treturn MIG_SERVER_DIED;\n");
	put("\t\tmach_msg_destroy(&OutP->Head);\n"
	    "\t\treturn MIG_REPLY_MISMATCH;\n\t}\n");
	if (reply_is_bare(r))
		return;
	put("\tif (!(OutP->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&\n"
	    "\t    OutP->Head.msgh_size == (mach_msg_size_t)"
	    "sizeof(mig_reply_error_t) &&\n"
	    "\t    Mess.Err.RetCode != KERN_SUCCESS)\n"
	    "\t\treturn Mess.Err.RetCode;\n");
}

static void size_conds(const struct routine *r, struct strlist *c)
{
	const char *t = reply_type(r);

	if (r->reply.tails) {
		strlist_add(c, "OutP->Head.msgh_size < %u", r->reply.fixed_size);
		strlist_add(c, "OutP->Head.msgh_size > (mach_msg_size_t)"
			    "sizeof(%s)", t);
	} else {
		strlist_add(c, "OutP->Head.msgh_size != (mach_msg_size_t)"
			    "sizeof(%s)", t);
	}
	if (r->reply.descriptors) {
		strlist_add(c, "!(OutP->Head.msgh_bits & "
			    "MACH_MSGH_BITS_COMPLEX)");
		strlist_add(c, "OutP->msgh_body.msgh_descriptor_count != %u",
			    r->reply.descriptors);
	} else {
		strlist_add(c, "(OutP->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)");
	}
}

static void right_cond(struct strlist *c, const char *field, int right)
{
	if (right == DISP_POLY)
		strlist_add(c, "!MACH_MSG_TYPE_PORT_RIGHT_P(OutP->%s.disposition)",
			    field);
	else
		strlist_add(c, "OutP->%s.disposition != %s", field,
			    right_name(right));
}

/* Element counts of out-of-line arrays against their bound and their
 * descriptor; `what` is "size" (bytes) or "count" (rights). */
static void ool_count_conds(struct strlist *c, const struct arg *a,
			    const char *what, unsigned esize)
{
	const char *n = a->name;

	if (!a->has_count) {
		strlist_add(c, "OutP->%s.%s != %u", n, what,
			    a->type->count * esize);
		return;
	}
	if (a->type->count != 0)
		strlist_add(c, "OutP->%s > %u", a->count_name, a->type->count);
	if (esize == 1)
		strlist_add(c, "OutP->%s != OutP->%s.%s", a->count_name, n,
			    what);
	else
		strlist_add(c, "(uint64_t)OutP->%s * %u != OutP->%s.%s",
			    a->count_name, esize, n, what);
}

static void descriptor_conds(const struct arg *a, struct strlist *c)
{
	const char *n = a->name;

	switch (a->kind) {
	case AK_PORT:
		strlist_add(c, "OutP->%s.type != MACH_MSG_PORT_DESCRIPTOR", n);
		right_cond(c, n, a->type->out_name);
		break;
	case AK_OOL:
		strlist_add(c, "OutP->%s.type != MACH_MSG_OOL_DESCRIPTOR", n);
		ool_count_conds(c, a, "size", type_elem_size(a->type));
		break;
	default:
		strlist_add(c, "OutP->%s.type != MACH_MSG_OOL_PORTS_DESCRIPTOR",
			    n);
		right_cond(c, n, a->type->elem->out_name);
		ool_count_conds(c, a, "count", 1);
		break;
	}
}

static void tail_conds(const struct routine *r, struct strlist *c)
{
	const char *sum = xasprintf("%u", r->reply.fixed_size);

	for_each_arg(a, r) {
		if (!a->in_reply || !arg_is_tail(a))
			continue;
		if (a->kind == AK_VAR_STRING) {
			strlist_add(c, "OutP->%s < 1", a->count_name);
			sum = xasprintf("%s +\n\t\tMIG_ROUND8(OutP->%s)", sum,
					a->count_name);
		} else {
			sum = xasprintf("%s +\n\t\tMIG_ROUND8(OutP->%s * %u)", sum,
					a->count_name, type_elem_size(a->type));
		}
		strlist_add(c, "OutP->%s > %u", a->count_name, a->type->count);
	}
	if (r->reply.tails)
		strlist_add(c, "OutP->Head.msgh_size != %s", sum);
}

static void shape_conds(const struct routine *r, struct strlist *c)
{
	size_conds(r, c);
	for_each_arg(a, r) {
		if (!a->in_reply)
			continue;
		if (arg_is_descriptor(a))
			descriptor_conds(a, c);
		else if (a->kind == AK_FIXED && a->type->kind == TYPE_STRING)
			strlist_add(c, "OutP->%s[%u] != '\\0'", a->name,
				    a->type->count - 1);
	}
	tail_conds(r, c);
}

/* Strings in tails end in a NUL within their count. */
static void put_string_tail_checks(const struct routine *r)
{
	bool any = false;

	for_each_arg(a, r)
		any |= a->in_reply && a->kind == AK_VAR_STRING;
	if (!any)
		return;
	put("\tmig_tail = (char *)OutP + %u;\n", r->reply.fixed_size);
	for_each_arg(a, r) {
		if (!a->in_reply || !arg_is_tail(a))
			continue;
		if (a->kind == AK_VAR_STRING)
			put("\tif (mig_tail[OutP->%s - 1] != '\\0')\n"
			    "\t\tgoto mig_bad_reply;\n", a->count_name);
		put("\tmig_tail += MIG_ROUND8(OutP->%s%s);\n", a->count_name,
		    a->kind == AK_VAR ? xasprintf(" * %u",
						  type_elem_size(a->type)) : "");
	}
}

/* Inline variable arrays must fit the room the caller gave. */
static void put_room_checks(const struct routine *r)
{
	for_each_arg(a, r) {
		if (!a->in_reply || a->kind != AK_VAR)
			continue;
		put("\tif (OutP->%s > *%s) {\n", a->count_name, a->count_name);
		put("\t\t*%s = OutP->%s;\n", a->count_name, a->count_name);
		put("\t\tmach_msg_destroy(&OutP->Head);\n"
		    "\t\treturn MIG_ARRAY_TOO_LARGE;\n\t}\n");
	}
}

static void copy_out_tail(const struct arg *a)
{
	if (a->kind == AK_VAR_STRING) {
		put("\t__builtin_memcpy(%s, mig_tail, OutP->%s);\n", a->name,
		    a->count_name);
		put("\tmig_tail += MIG_ROUND8(OutP->%s);\n", a->count_name);
		return;
	}
	put("\t__builtin_memcpy(%s, mig_tail, OutP->%s * %u);\n", a->name,
	    a->count_name, type_elem_size(a->type));
	put("\t*%s = OutP->%s;\n", a->count_name, a->count_name);
	put("\tmig_tail += MIG_ROUND8(OutP->%s * %u);\n", a->count_name,
	    type_elem_size(a->type));
}

static void copy_out(const struct arg *a)
{
	const char *n = a->name;

	switch (a->kind) {
	case AK_SCALAR:
		put("\t*%s = OutP->%s;\n", n, n);
		break;
	case AK_STRUCT:
	case AK_FIXED:
		put("\t__builtin_memcpy(%s, OutP->%s, %u);\n", n, n,
		    type_wire_size(a->type));
		break;
	case AK_PORT:
		put("\t*%s = OutP->%s.name;\n", n, n);
		if (a->user_poly)
			put("\t*%s = OutP->%s.disposition;\n", a->poly_name, n);
		break;
	case AK_OOL:
	case AK_OOL_PORTS:
		put("\t*%s = (%s)(OutP->%s.address);\n", n,
		    type_user_ctype(a->type), n);
		if (a->has_count)
			put("\t*%s = OutP->%s;\n", a->count_name, a->count_name);
		break;
	default:
		break;
	}
}

static void put_copy_out(const struct routine *r)
{
	bool first_tail = true;

	for_each_arg(a, r)
		if (a->in_reply && !arg_is_tail(a))
			copy_out(a);
	for_each_arg(a, r) {
		if (!a->in_reply || !arg_is_tail(a))
			continue;
		if (first_tail)
			put("\tmig_tail = (char *)OutP + %u;\n",
			    r->reply.fixed_size);
		first_tail = false;
		copy_out_tail(a);
	}
}

void emit_user_reply(const struct routine *r)
{
	struct strlist conds = { 0 };

	put_id_check(r);
	shape_conds(r, &conds);
	emit_if_any(&conds, "\t\tgoto mig_bad_reply;\n");
	put_string_tail_checks(r);
	if (reply_is_bare(r)) {
		put("\treturn OutP->RetCode;\n");
	} else {
		put("\tif (OutP->RetCode != KERN_SUCCESS) {\n"
		    "\t\tmach_msg_destroy(&OutP->Head);\n"
		    "\t\treturn OutP->RetCode;\n\t}\n");
		put_room_checks(r);
		put_copy_out(r);
		put("\treturn KERN_SUCCESS;\n");
	}
	put("\nmig_bad_reply:\n\tmach_msg_destroy(&OutP->Head);\n"
	    "\treturn MIG_TYPE_ERROR;\n");
}
