/* The fuzz test's corpus: requests captured from the loopback transport. */
#pragma once

#include <mach/mig_support.h>

struct sample {
	uint8_t *bytes;          /* the request as the server received it */
	mach_msg_size_t size;
	mig_demux_t demux;       /* the demux it went to */
	mach_msg_size_t max_reply;
	uint8_t *regions[16];    /* its out-of-line regions, by descriptor */
	mach_msg_size_t region_sizes[16];
	unsigned nregions;
};

extern struct sample corpus[];
extern unsigned corpus_size;

/* The demux behind each port of the loopback transport: requests are
 * filed by the port they arrived on. */
struct corpus_port {
	mach_port_name_t port;
	const struct mig_subsystem *subsystem;
	const char *name;
};
extern const struct corpus_port corpus_ports[];
extern const unsigned corpus_nports;

void corpus_start(void);
void corpus_stop(void);
/* Prints a TAP line: every routine of every subsystem has a sample. */
int corpus_check_coverage(void);
void corpus_free(void);
