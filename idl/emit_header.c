/*
 * The two generated headers.  NAME.h is what a client includes: the
 * message ids and the user stubs' prototypes.  NAMEServer.h is what a
 * server includes: the demux, the subsystem's sizes, and the prototypes
 * of the functions the server writer implements (serverprefix + name).
 */
#include "emit.h"


static void emit_includes(enum import_side side)
{
	put("#pragma once\n\n");
	put("#include <mach/message.h>\n");
	put("#include <mach/mig_support.h>\n");
	emit_imports(side);
}

static void emit_ids(void)
{
	put("\n/* Message ids; a reply's id is its request's plus 100. */\n");
	put("#define %s_MSG_ID_BASE %ld\n", subsystem.name, subsystem.base);
	put("#define %s_MSG_COUNT %d\n", subsystem.name, subsystem.count);
	for_each_routine(r)
		put("#define %s %ld\n", msgid_name(r), routine_id(r));
}

static const char *routine_kind(const struct routine *r)
{
	return r->simple ? "Simpleroutine" : "Routine";
}

void emit_user_header(const struct emit_names *names)
{
	(void)names;
	emit_banner("User interface");
	emit_includes(IMPORT_USER);
	emit_ids();
	for_each_routine(r) {
		put("\n/* %s %s: see %s */\n", routine_kind(r), r->name,
		    subsystem.source);
		emit_user_prototype(r, false);
		if (!user_prepares(r))
			continue;
		put("/* Its request built in msg (room for MSGSIZE_%s bytes),\n"
		    " * not sent: for a server's mach_msg that sends it and "
		    "receives. */\n", routine_user_name(r));
		put("#define MSGSIZE_%s %u\n", routine_user_name(r), r->request.max_size);
		emit_prepare_prototype(r, prepare_name(r), "mach_msg_header_t *msg", false);
	}
}

static unsigned max_request_size(void)
{
	unsigned max = 0;

	for_each_routine(r)
		if (r->request.max_size > max)
			max = r->request.max_size;
	return max;
}

static unsigned max_reply_size(void)
{
	unsigned max = ERROR_REPLY_SIZE;

	for_each_routine(r)
		if (!r->simple && r->reply.max_size > max)
			max = r->reply.max_size;
	return max;
}

void emit_server_header(const struct emit_names *names)
{
	const char *demux = subsystem_demux_name();

	(void)names;
	emit_banner("Server interface");
	emit_includes(IMPORT_SERVER);
	emit_ids();
	put("#define %s_MAX_REQUEST_SIZE %u\n", subsystem.name,
	    max_request_size());
	put("#define %s_MAX_REPLY_SIZE %u\n", subsystem.name, max_reply_size());
	put("\n/*\n * The demux: checks a request, calls the server function "
	    "below, and\n * builds the reply in OutHeadP (room for "
	    "%s_MAX_REPLY_SIZE bytes).\n * FALSE if the id is not one of "
	    "this interface's.  See mach/mig_support.h\n * for what the "
	    "receive loop does with the reply.\n */\n", subsystem.name);
	put("boolean_t %s(mach_msg_header_t *InHeadP, "
	    "mach_msg_header_t *OutHeadP);\n", demux);
	put("mig_routine_t %s_routine(const mach_msg_header_t *InHeadP);\n",
	    demux);
	put("extern const struct mig_subsystem %s_subsystem;\n", subsystem.name);
	put("\n/* Implemented by the server. */\n");
	for_each_routine(r) {
		put("\n/* %s %s: see %s */\n", routine_kind(r), r->name,
		    subsystem.source);
		emit_server_prototype(r);
	}
}
