/*
 * Statements of a .defs file: the subsystem, its settings, imports,
 * routines and skips, recorded in declaration order.  Message ids are
 * assigned here: the n-th routine or skip has id base + n, its reply
 * base + n + 100.
 */
#include "routine.h"

#include <string.h>

#define ID_MAX 0x7fffffffL
#define REPLY_ID_OFFSET 100

struct subsystem subsystem;

static bool declared;
static struct routine **routine_tail = &subsystem.routines;
static struct import **import_tail = &subsystem.imports;

void subsystem_declare(struct loc at, const char *name, long base,
		       bool kernel_user, bool kernel_server)
{
	if (declared) {
		diag_error(at, "subsystem is already declared at %d:%d",
			   subsystem.loc.line, subsystem.loc.col);
		return;
	}
	if (base < 0 || base > ID_MAX - REPLY_ID_OFFSET) {
		diag_error(at, "subsystem base id %ld is out of range (0 to %ld)",
			   base, ID_MAX - REPLY_ID_OFFSET);
		base = 0;
	}
	declared = true;
	subsystem.name = name;
	subsystem.loc = at;
	subsystem.base = base;
	subsystem.kernel_user = kernel_user;
	subsystem.kernel_server = kernel_server;
}

void import_add(enum import_side side, const char *file)
{
	struct import *i = xcalloc(1, sizeof *i);

	i->side = side;
	i->file = file;
	*import_tail = i;
	import_tail = &i->next;
}

struct arg *arg_new(struct loc at, enum direction dir, const char *name,
		    struct type *type, enum dealloc dealloc)
{
	struct arg *a = xcalloc(1, sizeof *a);

	a->loc = at;
	a->dir = dir;
	a->name = name;
	a->type = type;
	a->dealloc = dealloc;
	return a;
}

static struct routine *routine_find(const char *name)
{
	for (struct routine *r = subsystem.routines; r != NULL; r = r->next) {
		if (!r->skip && strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

/* Gives the next message id to `r`, or reports why there is none. */
static bool routine_number(struct routine *r, const char *what)
{
	long id = subsystem.base + subsystem.count;

	if (!declared) {
		diag_error(r->loc, "%s before the subsystem statement", what);
		return false;
	}
	if (id + REPLY_ID_OFFSET > ID_MAX) {
		diag_error(r->loc, "message id %ld overflows: the reply id "
			   "would exceed %ld", id, ID_MAX);
		return false;
	}
	r->number = subsystem.count++;
	return true;
}

static void routine_append(struct routine *r)
{
	*routine_tail = r;
	routine_tail = &r->next;
}

void routine_declare(struct loc at, const char *name, bool simple,
		     struct arg *args)
{
	struct routine *r = xcalloc(1, sizeof *r);
	struct routine *old = routine_find(name);
	char *what = xasprintf("routine '%s'", name);

	r->loc = at;
	r->name = name;
	r->simple = simple;
	r->args = args;
	r->user_prefix = subsystem.user_prefix;
	r->server_prefix = subsystem.server_prefix;
	r->waittime_expr = subsystem.waittime;
	r->msgoption_expr = subsystem.msgoption;
	if (old != NULL) {
		diag_error(at, "duplicate routine '%s' (first declared at %d:%d)",
			   name, old->loc.line, old->loc.col);
		return;
	}
	if (routine_number(r, what))
		routine_append(r);
}

void routine_skip(struct loc at)
{
	struct routine *r = xcalloc(1, sizeof *r);

	r->loc = at;
	r->skip = true;
	r->name = "skip";
	if (routine_number(r, "skip"))
		routine_append(r);
}

const char *routine_user_name(const struct routine *r)
{
	return xasprintf("%s%s", r->user_prefix ? r->user_prefix : "", r->name);
}

const char *routine_server_name(const struct routine *r)
{
	return xasprintf("%s%s", r->server_prefix ? r->server_prefix : "",
			 r->name);
}

const char *subsystem_demux_name(void)
{
	if (subsystem.server_demux != NULL)
		return subsystem.server_demux;
	return xasprintf("%s_server", subsystem.name);
}

long routine_id(const struct routine *r)
{
	return subsystem.base + r->number;
}

bool subsystem_declared(void)
{
	return declared;
}
