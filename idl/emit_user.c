/*
 * User stubs (NAMEUser.c).  Each stub:
 *   1. fills the request in place on its stack: descriptors, inline
 *      fields, padding, tails (refusing arrays over their bound with
 *      MIG_ARRAY_TOO_LARGE before anything is sent), then the header from
 *      constants;
 *   2. sends it and, for a routine, receives the reply on the thread's
 *      reply port in the same mach_msg call, honouring waittime;
 *   3. checks the reply: its id (MIG_REPLY_MISMATCH; a send-once
 *      notification is MIG_SERVER_DIED), an error reply (its RetCode),
 *      then size, complexity, descriptor kinds, rights, counts and
 *      strings (MIG_TYPE_ERROR, after destroying what the reply carried);
 *   4. copies the results out and returns KERN_SUCCESS.
 * A simpleroutine returns mach_msg's result.  For the null routine the
 * whole request is six stores to the header.  A user simpleroutine's
 * step 1 is also NAME_prepare, which builds the request in a caller's
 * buffer without sending it (for a server that sends it with its next
 * receive).
 */
#include "emit.h"

#include <string.h>

/* The request members are named after the arguments; inout and out
 * arguments are pointers in the stub. */
static const char *value(const struct arg *a)
{
	return xasprintf(a->dir == DIR_INOUT ? "*%s" : "%s", a->name);
}

static void put_port(const struct arg *a)
{
	put("\tInP->%s = (mach_msg_port_descriptor_t){\n", a->name);
	put("\t\t.name = %s,\n", value(a));
	put("\t\t.disposition = %s,\n", a->user_poly
	    ? a->poly_name : disposition_name(a->type->in_name));
	put("\t\t.type = MACH_MSG_PORT_DESCRIPTOR,\n\t};\n");
}

/* The bound checks of an out-of-line array; "" for a fixed one. */
static void check_ool_count(const struct arg *a, unsigned esize)
{
	if (!a->has_count)
		return;
	if (a->type->count != 0)
		put("\tif (%s > %u)\n", a->count_name, a->type->count);
	else if (esize > 1)
		put("\tif (%s > 0xffffffffu / %u)\n", a->count_name, esize);
	else
		return;
	put("\t\treturn MIG_ARRAY_TOO_LARGE;\n");
}

static const char *ool_count(const struct arg *a)
{
	return a->has_count ? a->count_name
			    : xasprintf("%u", a->type->count);
}

static const char *dealloc_value(const struct arg *a)
{
	return a->dealloc == DEALLOC_USER ? a->dealloc_name
	       : a->dealloc == DEALLOC_YES ? "TRUE" : "FALSE";
}

static void put_ool(const struct arg *a)
{
	unsigned esize = type_elem_size(a->type);

	check_ool_count(a, esize);
	put("\tInP->%s = (mach_msg_ool_descriptor_t){\n", a->name);
	put("\t\t.address = (void *)(%s),\n", a->name);
	if (esize == 1)
		put("\t\t.size = %s,\n", ool_count(a));
	else
		put("\t\t.size = %s * %u,\n", ool_count(a), esize);
	put("\t\t.deallocate = %s,\n", dealloc_value(a));
	put("\t\t.copy = MACH_MSG_VIRTUAL_COPY,\n");
	put("\t\t.type = MACH_MSG_OOL_DESCRIPTOR,\n\t};\n");
}

static void put_ool_ports(const struct arg *a)
{
	check_ool_count(a, 1);
	put("\tInP->%s = (mach_msg_ool_ports_descriptor_t){\n", a->name);
	put("\t\t.address = (void *)(%s),\n", a->name);
	put("\t\t.count = %s,\n", ool_count(a));
	put("\t\t.deallocate = %s,\n", dealloc_value(a));
	put("\t\t.copy = MACH_MSG_PHYSICAL_COPY,\n");
	put("\t\t.disposition = %s,\n",
	    disposition_name(a->type->elem->in_name));
	put("\t\t.type = MACH_MSG_OOL_PORTS_DESCRIPTOR,\n\t};\n");
}

static void put_bytes(const struct field *f)
{
	const struct arg *a = f->arg;

	if (a->kind == AK_STRUCT)
		put("\t__builtin_memcpy(InP->%s, %s%s, %u);\n", f->name,
		    a->dir == DIR_INOUT ? "" : "&", a->name, f->size);
	else if (a->type->kind == TYPE_STRING)
		put("\tif (mig_put_string(InP->%s, %s, %u) != KERN_SUCCESS)\n"
		    "\t\treturn MIG_ARRAY_TOO_LARGE;\n", f->name, a->name,
		    f->size);
	else
		put("\t__builtin_memcpy(InP->%s, %s, %u);\n", f->name, a->name,
		    f->size);
}

static void put_count(const struct field *f)
{
	const struct arg *a = f->arg;
	unsigned max = a->type->count;

	if (a->kind == AK_VAR_STRING) {
		put("\tInP->%s = mig_strnlen(%s, %u);\n", f->name, a->name, max);
		put("\tif (InP->%s >= %u)\n\t\treturn MIG_ARRAY_TOO_LARGE;\n",
		    f->name, max);
		put("\tInP->%s += 1;\n", f->name);
		return;
	}
	if (a->kind == AK_VAR)
		put("\tif (%s > %u)\n\t\treturn MIG_ARRAY_TOO_LARGE;\n",
		    a->count_name, max);
	put("\tInP->%s = %s;\n", f->name, a->count_name);
}

static void put_tail(const struct routine *r, const struct field *f,
		     bool first)
{
	const struct arg *a = f->arg;

	if (first)
		put("\tmig_tail = (char *)InP + %u;\n", r->request.fixed_size);
	if (a->kind == AK_VAR_STRING)
		put("\tmig_tail = mig_put_tail(mig_tail, %s, InP->%s);\n",
		    a->name, a->count_name);
	else
		put("\tmig_tail = mig_put_tail(mig_tail, %s, %s * %u);\n",
		    a->name, a->count_name, type_elem_size(a->type));
}

static void put_field(const struct routine *r, const struct field *f,
		      bool *first_tail)
{
	switch (f->kind) {
	case F_BODY:
		put("\tInP->msgh_body.msgh_descriptor_count = %u;\n",
		    r->request.descriptors);
		put("\tInP->msgh_body.msgh_reserved = 0;\n");
		break;
	case F_PORT:
		put_port(f->arg);
		break;
	case F_OOL:
		put_ool(f->arg);
		break;
	case F_OOL_PORTS:
		put_ool_ports(f->arg);
		break;
	case F_SCALAR:
		put("\tInP->%s = %s;\n", f->name, value(f->arg));
		break;
	case F_BYTES:
		put_bytes(f);
		break;
	case F_COUNT:
		put_count(f);
		break;
	case F_PAD:
		put("\t__builtin_memset(InP->%s, 0, %u);\n", f->name, f->size);
		break;
	case F_TAIL:
		put_tail(r, f, *first_tail);
		*first_tail = false;
		break;
	default:
		break;
	}
}

static const char *reply_disposition(const struct routine *r)
{
	const struct arg *p = r->user_reply_port;

	if (p != NULL)
		return p->user_poly ? p->poly_name
				    : disposition_name(p->type->in_name);
	return r->simple ? "0" : "MACH_MSG_TYPE_MAKE_SEND_ONCE";
}

static const char *reply_port(const struct routine *r)
{
	if (r->user_reply_port != NULL)
		return r->user_reply_port->name;
	if (r->simple || subsystem.kernel_user)
		return "MACH_PORT_NULL";
	return "mig_reply_port";
}

static void put_header(const struct routine *r)
{
	const struct arg *dest = r->request_port;

	put("\tInP->Head.msgh_bits = %sMACH_MSGH_BITS(\n\t\t%s, %s);\n",
	    r->request.descriptors ? "MACH_MSGH_BITS_COMPLEX | " : "",
	    dest->user_poly ? dest->poly_name
			    : disposition_name(dest->type->in_name),
	    reply_disposition(r));
	if (r->request.tails)
		put("\tInP->Head.msgh_size = "
		    "(mach_msg_size_t)(mig_tail - (char *)InP);\n");
	else
		put("\tInP->Head.msgh_size = (mach_msg_size_t)sizeof(%s);\n",
		    request_type(r));
	put("\tInP->Head.msgh_remote_port = %s;\n", dest->name);
	put("\tInP->Head.msgh_local_port = %s;\n", reply_port(r));
	put("\tInP->Head.msgh_seqno = 0;\n");
	put("\tInP->Head.msgh_id = %ld;\n", routine_id(r));
}

static const char *timeout(const struct routine *r)
{
	if (r->waittime != NULL)
		return r->waittime->name;
	return r->waittime_expr;
}

static const char *options(const struct routine *r)
{
	const char *o = r->simple ? "MACH_SEND_MSG"
				  : "MACH_SEND_MSG | MACH_RCV_MSG";
	const char *extra = r->msgoption ? r->msgoption->name
					 : r->msgoption_expr;

	if (timeout(r) != NULL)
		o = xasprintf("%s | %s", o, r->simple ? "MACH_SEND_TIMEOUT"
			      : "MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT");
	if (extra != NULL)
		o = xasprintf("%s |\n\t\t(%s)", o, extra);
	return o;
}

static void put_send(const struct routine *r)
{
	const char *t = timeout(r) ? timeout(r) : "MACH_MSG_TIMEOUT_NONE";

	if (subsystem.kernel_user && r->simple)
		put("\tmsg_result = mach_msg_send_from_kernel(&InP->Head,\n"
		    "\t\t%s,\n\t\tInP->Head.msgh_size, %s);\n", options(r), t);
	else if (subsystem.kernel_user)
		put("\tmsg_result = mach_msg_rpc_from_kernel(&InP->Head,\n"
		    "\t\t%s,\n\t\tInP->Head.msgh_size, "
		    "(mach_msg_size_t)sizeof(%s), %s);\n", options(r),
		    reply_type(r), t);
	else if (r->simple)
		put("\tmsg_result = mach_msg(&InP->Head,\n\t\t%s,\n"
		    "\t\tInP->Head.msgh_size, 0, MACH_PORT_NULL, %s,\n"
		    "\t\tMACH_PORT_NULL);\n", options(r), t);
	else
		put("\tmsg_result = mach_msg(&InP->Head,\n\t\t%s,\n"
		    "\t\tInP->Head.msgh_size, (mach_msg_size_t)sizeof(%s),\n"
		    "\t\t%s, %s, MACH_PORT_NULL);\n", options(r), reply_type(r),
		    reply_port(r), t);
}

static void put_locals(const struct routine *r)
{
	bool own_reply_port = !r->simple && !subsystem.kernel_user &&
			      r->user_reply_port == NULL;

	put("\tunion {\n\t\t%s In;\n", request_type(r));
	if (!r->simple)
		put("\t\t%s Out;\n\t\tmig_reply_error_t Err;\n", reply_type(r));
	put("\t} Mess;\n");
	put("\t%s *InP = &Mess.In;\n", request_type(r));
	if (!r->simple)
		put("\t%s *OutP = &Mess.Out;\n", reply_type(r));
	put("\tmach_msg_return_t msg_result;\n");
	if ((r->request.tails && !user_prepares(r)) || r->reply.tails)
		put("\tchar *mig_tail;\n");
	if (own_reply_port)
		put("\tmach_port_t mig_reply_port = mig_get_reply_port();\n");
	put("\n");
}

/* The request from the stub's parameters: fields, then header. */
static void put_request(const struct routine *r)
{
	bool first_tail = true;

	for (unsigned i = 0; i < r->request.nfields; i++)
		put_field(r, &r->request.fields[i], &first_tail);
	put_header(r);
}

static const char *fill_name(const struct routine *r)
{
	return xasprintf("mig_fill_%s", r->name);
}

/* A simpleroutine's request builder, shared by its stub and its
 * NAME_prepare: the stub's parameters that do not go in the message
 * (timeout, options) are unused. */
static void emit_fill(const struct routine *r)
{
	put("\n/* Simpleroutine %s: its request */\n", r->name);
	put("static inline __attribute__((always_inline)) ");
	emit_prepare_prototype(r, fill_name(r), xasprintf("%s *InP", request_type(r)), true);
	put("{\n");
	if (r->request.tails)
		put("\tchar *mig_tail;\n");
	if (r->waittime != NULL)
		put("\t(void)%s;\n", r->waittime->name);
	if (r->msgoption != NULL)
		put("\t(void)%s;\n", r->msgoption->name);
	put_request(r);
	put("\treturn MACH_MSG_SUCCESS;\n}\n");
}

static void emit_prepare(const struct routine *r)
{
	put("\n/* Simpleroutine %s, prepared to send */\n", r->name);
	emit_prepare_prototype(r, prepare_name(r), "mach_msg_header_t *msg", true);
	put("{\n\treturn ");
	emit_user_call(r, fill_name(r), xasprintf("(%s *)msg", request_type(r)));
	put(";\n}\n");
}

static void put_send_result(const struct routine *r)
{
	if (r->simple) {
		put("\treturn msg_result;\n");
		return;
	}
	put("\tif (msg_result != MACH_MSG_SUCCESS) {\n");
	if (strcmp(reply_port(r), "mig_reply_port") == 0)
		put("\t\tif (MACH_MSG_RCV_ERROR_P(msg_result))\n"
		    "\t\t\tmig_dealloc_reply_port(mig_reply_port);\n");
	put("\t\treturn msg_result;\n\t}\n");
}

static void emit_user_routine(const struct routine *r)
{
	if (user_prepares(r))
		emit_fill(r);
	put("\n/* %s %s */\n", r->simple ? "Simpleroutine" : "Routine",
	    r->name);
	emit_user_prototype(r, true);
	put("{\n");
	put_locals(r);
	if (user_prepares(r)) {
		put("\tmsg_result = ");
		emit_user_call(r, fill_name(r), "InP");
		put(";\n\tif (msg_result != MACH_MSG_SUCCESS)\n\t\treturn msg_result;\n");
	} else {
		put_request(r);
	}
	put("\n");
	put_send(r);
	put_send_result(r);
	if (!r->simple)
		emit_user_reply(r);
	put("}\n");
	if (user_prepares(r))
		emit_prepare(r);
}

void emit_user_file(const struct emit_names *names)
{
	emit_banner("User stubs");
	put("#include \"%s\"\n", names->user_header);
	put("#include <mach/notify.h>\n");
	for_each_routine(r)
		emit_message_structs(r);
	for_each_routine(r)
		emit_user_routine(r);
}
