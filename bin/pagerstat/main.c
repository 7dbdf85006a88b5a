/*
 * pagerstat: prints the kernel's record of its pagers (see pagerstat.h):
 * a row per object with a pager, then a row per thread waiting on one
 * (the waits-for graph, its cycles marked).  Arguments, each optional:
 *
 *   interval=MS   print the tables again every MS milliseconds
 *   count=N       so many times (1 without interval, else until stopped)
 *   latency       each object's latency histogram after its row
 *
 * It needs the privileged host port: a boot module's TASK_HOST_PRIV_PORT,
 * or, built for UNIX (PAGERSTAT_UNIX: /bin/pagerstat, root only), the
 * UNIX server's unix_host_priv.  The module's lines go to the kernel's
 * console, each prefixed "pagerstat: "; the UNIX program's to stdout.
 */
#include <host.h>
#include <mach/mach.h>

#include "pagerstat.h"

#ifdef PAGERSTAT_UNIX
#include <stdio.h>
#include <unix.h>
extern mach_port_t unix_port;
#define say(...) printf(__VA_ARGS__)
#define PREFIX ""
#else
#define say mach_printf
#define PREFIX "pagerstat: "
#endif

static kern_return_t host_priv_port(mach_port_t *port)
{
#ifdef PAGERSTAT_UNIX
	int64_t result = 0;
	kern_return_t kr = unix_host_priv(unix_port, &result, port);
	return kr == KERN_SUCCESS && result != 0 ? KERN_NO_ACCESS : kr;
#else
	return task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, port);
#endif
}

struct options {
	uint64_t interval_ms;
	uint64_t count;       /* 0: without end */
	bool latency;
};

/* The arguments; false (said why) on one it does not know. */
static bool parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){ .count = 1 };
	bool counted = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool ok = true;
		if (strncmp(a, "interval=", 9) == 0)
			ok = mach_parse_number(a + 9, 3600000, &o->interval_ms) && o->interval_ms > 0;
		else if (strncmp(a, "count=", 6) == 0)
			ok = counted = mach_parse_number(a + 6, UINT32_MAX, &o->count) && o->count > 0;
		else if (strcmp(a, "latency") == 0)
			o->latency = true;
		else
			ok = false;
		if (!ok) {
			say("pagerstat: bad argument '%s' (interval=MS count=N latency)\n", a);
			return false;
		}
	}
	if (o->interval_ms > 0 && !counted)
		o->count = 0;
	return true;
}

/* The objects table, VM_PAGER_OBJECTS_MAX rows a call. */
static kern_return_t print_objects(mach_port_t host_priv, bool latency)
{
	static struct vm_pager_object objects[VM_PAGER_OBJECTS_MAX];
	char line[PAGERSTAT_LINE_MAX];
	uint64_t first = 0;
	natural_t total, printed = 0;

	say(PREFIX "%s\n", pagerstat_objects_head);
	do {
		mach_msg_type_number_t count = VM_PAGER_OBJECTS_MAX * VM_PAGER_OBJECT_COUNT;
		kern_return_t kr = vm_pager_objects(host_priv, first, (vm_pager_objects_t)objects,
						    &count, &total);
		if (kr != KERN_SUCCESS)
			return kr;
		unsigned n = count / VM_PAGER_OBJECT_COUNT;
		for (unsigned i = 0; i < n; i++) {
			pagerstat_object_line(line, sizeof line, &objects[i]);
			say(PREFIX "%s\n", line);
			if (latency) {
				pagerstat_latency_line(line, sizeof line, &objects[i]);
				say(PREFIX "%s\n", line);
			}
		}
		printed += n;
		if (n == 0 || n == total)
			break;
		first = objects[n - 1].object + 1;
	} while (true);
	say(PREFIX "objects with a pager: %u\n", printed);
	return KERN_SUCCESS;
}

/* The waits-for graph: a row per thread waiting on a pager. */
static kern_return_t print_waits(mach_port_t host_priv)
{
	static struct vm_pager_wait waits[VM_PAGER_WAITS_MAX];
	mach_msg_type_number_t count = VM_PAGER_WAITS_MAX * VM_PAGER_WAIT_COUNT;
	char line[PAGERSTAT_LINE_MAX];
	natural_t total;

	kern_return_t kr = vm_pager_waits(host_priv, (vm_pager_waits_t)waits, &count, &total);
	if (kr != KERN_SUCCESS)
		return kr;
	unsigned n = count / VM_PAGER_WAIT_COUNT, cycles = 0;
	if (n > 0)
		say(PREFIX "%s\n", pagerstat_waits_head);
	for (unsigned i = 0; i < n; i++) {
		pagerstat_wait_line(line, sizeof line, &waits[i]);
		say(PREFIX "%s\n", line);
		cycles += waits[i].state == VM_PAGER_WAIT_CYCLE;
	}
	say(PREFIX "threads waiting on a pager: %u (%u shown), on a cycle: %u\n", total, n,
	    cycles);
	return KERN_SUCCESS;
}

int main(int argc, char **argv, char **envp)
{
	mach_port_t host_priv = MACH_PORT_NULL;
	struct options o;

	(void)envp;
	if (!parse(argc, argv, &o))
		return 2;
	kern_return_t kr = host_priv_port(&host_priv);
	for (uint64_t i = 0; kr == KERN_SUCCESS && (o.count == 0 || i < o.count); i++) {
		if (i > 0)
			mach_sleep_ns(o.interval_ms * 1000000ull);
		kr = print_objects(host_priv, o.latency);
		if (kr == KERN_SUCCESS)
			kr = print_waits(host_priv);
	}
	if (kr != KERN_SUCCESS) {
		say("pagerstat: cannot read the pagers: %s\n",
		    kr == KERN_NO_ACCESS ? "only root may" : mach_error_name(kr));
		return 1;
	}
	return 0;
}
