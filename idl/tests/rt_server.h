/* The host tests' server of rt.defs (rt_server.c). */
#pragma once

#include <mach/mig_support.h>

/* The port the test server receives on. */
#define RT_PORT 0x100u

struct rt_state {
	unsigned nulls;
	int32_t last_ping;
	uint32_t last_checksum;
	unsigned lookups;  /* intran calls */
	unsigned releases; /* destructor calls */
};

extern struct rt_state rt_state;

/* Registers the server with the loopback transport on RT_PORT. */
void rt_serve(void);
