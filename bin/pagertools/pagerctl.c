/*
 * pagerctl: the kernel's pagers from the prompt (root only):
 *
 *   pagerctl [list [PID]]          the objects with a pager (pagerstat's
 *                                  table), or those process PID maps,
 *                                  each with its address
 *   pagerctl policy OBJECT|default [POLICY [DEADLINE_MS]]
 *                                  an object's policy and deadline (or the
 *                                  default of objects mapped later), set
 *                                  if given (host.defs vm_pager_policy_set)
 *   pagerctl replace OBJECT SERVICE [migrate|same]
 *                                  a new pager for OBJECT from SERVICE (a
 *                                  pager of mempager.defs: mempager,
 *                                  faultpager) while programs use it:
 *                                  migrate (the default) moves the data to
 *                                  a new, empty object of SERVICE; same
 *                                  hands the store SERVICE already holds
 *                                  to a second object over it
 *
 * OBJECT is an object's id, as list shows it.
 */
#include <host.h>
#include <mempager.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unix.h>

#include "pagerstat.h"
#include "pagertools.h"
#include "util.h"

extern mach_port_t unix_port;

static const char usage[] = "[list [PID]] | policy OBJECT|default [POLICY [DEADLINE_MS]] | "
			    "replace OBJECT SERVICE [migrate|same]";
static const char *const policy_names[] = VM_PAGER_POLICY_NAMES;

static uint64_t object_id(const char *s)
{
	long n = util_number(s, "object");
	if (n <= 0)
		util_fail(2, "bad object '%s'", s);
	return (uint64_t)n;
}

static void print_row(const char *address, const struct vm_pager_object *o)
{
	char line[PAGERSTAT_LINE_MAX];

	pagerstat_object_line(line, sizeof line, o);
	printf("%s%s\n", address, line);
}

/* Every object with a pager, pagerstat's way. */
static int list_all(mach_port_t host_priv)
{
	struct vm_pager_object o;
	unsigned n = 0;

	printf("%s\n", pagerstat_objects_head);
	for (uint64_t next = 0; pt_next_object(host_priv, next, &o); next = o.object + 1, n++)
		print_row("", &o);
	printf("objects with a pager: %u\n", n);
	return 0;
}

/* The regions of process pid whose objects have a pager. */
static int list_process(mach_port_t host_priv, const char *pid_arg)
{
	long pid = util_number(pid_arg, "pid");
	mach_port_t task = MACH_PORT_NULL;
	int64_t result = 0;
	struct vm_pager_object o;
	unsigned n = 0;

	pt_check(unix_task_for_pid(unix_port, (int32_t)pid, &result, &task), "task_for_pid");
	if (result != 0)
		util_fail(1, "%ld: %s", pid, result == -ESRCH ? "no such process" : "only root may");
	printf("%-19s%s\n", "address", pagerstat_objects_head);
	vm_address_t address = 0;
	vm_size_t size;
	vm_region_info_t info;
	for (; vm_region(task, &address, &size, &info) == KERN_SUCCESS; address += size) {
		char at[24];
		if (info.object_id == 0 || !pt_object(host_priv, info.object_id, &o))
			continue;
		snprintf(at, sizeof at, "0x%-16lx ", (unsigned long)address);
		print_row(at, &o);
		n++;
	}
	printf("regions with a pager: %u\n", n);
	mach_port_deallocate(mach_task_self(), task);
	return 0;
}

/* A send right to the port of object (its pager's), or util_fail. */
static mach_port_t object_port(mach_port_t host_priv, uint64_t id)
{
	mach_port_t port = MACH_PORT_NULL;

	if (vm_pager_object_port(host_priv, id, &port) != KERN_SUCCESS)
		util_fail(1, "object %lu: no object with a live pager has that id",
			  (unsigned long)id);
	return port;
}

static int policy_of(const char *name)
{
	for (int p = 0; p <= VM_PAGER_POLICY_MAX; p++)
		if (strcmp(policy_names[p], name) == 0)
			return p;
	util_fail(2, "no policy is called '%s' (fail wait retry zero fallback)", name);
}

/* pagerctl policy OBJECT|default [POLICY [DEADLINE_MS]] */
static int policy(mach_port_t host_priv, int argc, char **argv)
{
	bool all = strcmp(argv[0], "default") == 0;
	uint64_t id = all ? 0 : object_id(argv[0]);
	int set = argc > 1 ? policy_of(argv[1]) : -1;
	long ms = argc > 2 ? util_number(argv[2], "deadline") : 0;
	int p;
	natural_t deadline;

	if (argc > 2 && (ms < 10 || ms > 3600000))
		util_fail(2, "a deadline is 10 to 3600000 ms");
	mach_port_t port = all ? MACH_PORT_NULL : object_port(host_priv, id);
	pt_check(vm_pager_policy_get(host_priv, port, &p, &deadline), "vm_pager_policy_get");
	if (set >= 0) {
		p = set;
		deadline = argc > 2 ? (natural_t)ms : deadline;
		pt_check(vm_pager_policy_set(host_priv, port, p, deadline), "vm_pager_policy_set");
	}
	if (all)
		printf("default: policy %s, deadline %u ms\n", policy_names[p], deadline);
	else
		printf("object %lu: policy %s, deadline %u ms\n", (unsigned long)id,
		       policy_names[p], deadline);
	return 0;
}

/* pagerctl replace OBJECT SERVICE [migrate|same] */
static int replace(mach_port_t host_priv, int argc, char **argv)
{
	uint64_t id = object_id(argv[0]);
	bool same = argc > 2 && strcmp(argv[2], "same") == 0;
	struct vm_pager_object o;

	if (argc > 2 && !same && strcmp(argv[2], "migrate") != 0)
		util_fail(2, "the mode is migrate or same, not '%s'", argv[2]);
	if (!pt_object(host_priv, id, &o))
		util_fail(1, "object %lu: no object with a pager has that id", (unsigned long)id);
	mach_port_t service = pt_service(argv[1]);
	mach_port_t port = object_port(host_priv, id), pager = MACH_PORT_NULL;
	kern_return_t kr = same ? mempager_share(service, port, &pager)
				: mempager_create(service, o.size, &pager);
	if (kr == MIG_BAD_ID)
		util_fail(1, "%s makes no pager objects (it does not speak mempager.defs)", argv[1]);
	if (same && kr == KERN_INVALID_ARGUMENT)
		util_fail(1, "object %lu: %s does not hold its store", (unsigned long)id, argv[1]);
	pt_check(kr, same ? "a second object over the store" : "a new object");
	pt_check(vm_pager_replace(host_priv, port, pager,
				  same ? VM_PAGER_REPLACE_SAME_STORE : VM_PAGER_REPLACE_MIGRATE),
		 "vm_pager_replace");
	mach_port_deallocate(mach_task_self(), pager);   /* the kernel holds its own */
	struct vm_pager_object after = o;
	pt_object(host_priv, id, &after);
	printf("object %lu: pager replaced by %s (%s): %lu pages migrated, %lu lost\n",
	       (unsigned long)id, argv[1], same ? "same store" : "migrate",
	       (unsigned long)(after.stats.migrated - o.stats.migrated),
	       (unsigned long)(after.stats.migrate_lost - o.stats.migrate_lost));
	return 0;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", usage,
			   "list the objects with a pager, set their policies, replace their pagers",
			   seen, NULL);
	const char *verb = i < argc ? argv[i++] : "list";
	int n = argc - i;

	if (strcmp(verb, "list") == 0 && n <= 1) {
		mach_port_t host_priv = pt_host_priv();
		return n == 0 ? list_all(host_priv) : list_process(host_priv, argv[i]);
	}
	if (strcmp(verb, "policy") == 0 && n >= 1 && n <= 3)
		return policy(pt_host_priv(), n, argv + i);
	if (strcmp(verb, "replace") == 0 && n >= 2 && n <= 3)
		return replace(pt_host_priv(), n, argv + i);
	util_fail(2, "usage: pagerctl %s", usage);
}
