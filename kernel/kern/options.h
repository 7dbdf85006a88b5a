/*
 * Kernel command-line options, all parsed in one place (options.c holds the
 * table: name, kind, range, meaning).  The syntax is words separated by
 * spaces, each "name" or "name=value".  An unknown option, a value of the
 * wrong kind or out of range, or a value too long is reported in one
 * warning line and ignored; the rest of the line still counts.
 */
#pragma once

#include <stdbool.h>

#define OPTIONS_STRING_MAX 128

struct kernel_options {
	char test[OPTIONS_STRING_MAX];  /* self-tests to run ("all", names) */
	char crash[16];                 /* deliberate crash, for the dump tests */
	unsigned hz;                    /* timer tick rate */
	bool bench;                     /* report figures, then power off */
	unsigned pager_deadline;        /* ms a fault may wait for a pager */
	unsigned memory_wait;           /* ms a fault may wait for a free page */
};

extern struct kernel_options kernel_options;

typedef void (*options_warn_fn)(void *ctx, const char *message);

/* Sets o to the defaults, then applies cmdline; returns the warning count. */
int options_parse(struct kernel_options *o, const char *cmdline,
		  options_warn_fn warn, void *ctx);

