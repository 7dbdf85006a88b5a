/*
 * faultinject: commands the injecting pager (servers/faultpager,
 * idl/defs/faultpager.defs), root only:
 *
 *   faultinject [-p SERVICE]                 the injection in force, the
 *                                            data_requests since it was
 *                                            set, and those misbehaved on
 *   faultinject [-p SERVICE] MODE [ARG [AFTER]]
 *                                            from now on, after AFTER
 *                                            requests served well, MODE
 *                                            (none ends an injection)
 *
 * SERVICE is the name faultpager registered ("faultpager" without -p).
 */
#include <faultpager.h>
#include <string.h>

#include "faultpager_modes.h"
#include "pagertools.h"
#include "util.h"

static void show(mach_port_t service, const char *name)
{
	natural_t mode, after;
	uint64_t arg, requests, misbehaved;

	pt_check(faultpager_injected(service, &mode, &arg, &after, &requests, &misbehaved),
		 name);
	printf("%s: mode %s arg %llu after %u: %llu requests, %llu misbehaved\n", name,
	       mode < FAULTPAGER_MODES ? faultpager_mode_names[mode] : "?",
	       (unsigned long long)arg, after, (unsigned long long)requests,
	       (unsigned long long)misbehaved);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	char what[512] = "inject a pager fault; MODE is one of:";

	for (unsigned m = 0; m < FAULTPAGER_MODES; m++) {
		strcat(what, " ");
		strcat(what, faultpager_mode_names[m]);
	}
	int i = util_start(argc, argv, "p:", "[-p SERVICE] [MODE [ARG [AFTER]]]", what, seen,
			   arg);
	const char *name = seen['p'] ? arg['p'] : "faultpager";

	if (argc - i > 3)
		util_fail(2, "usage: faultinject [-p SERVICE] [MODE [ARG [AFTER]]]");
	mach_port_t service = pt_service(name);
	if (i < argc) {
		unsigned mode = faultpager_mode_of(argv[i]);
		if (mode == FAULTPAGER_MODES)
			util_fail(2, "no mode is called '%s' (see -h)", argv[i]);
		long n = i + 1 < argc ? util_number(argv[i + 1], "arg") : 0;
		long after = i + 2 < argc ? util_number(argv[i + 2], "after") : 0;
		if (n < 0 || after < 0 || after > UINT32_MAX)
			util_fail(2, "arg and after are numbers from 0");
		kern_return_t kr = faultpager_inject(service, mode, (uint64_t)n, (natural_t)after);
		if (kr == KERN_INVALID_VALUE)
			util_fail(2, "%s takes no arg %ld", argv[i], n);
		pt_check(kr, name);
	}
	show(service, name);
	return 0;
}
