/* Stand-in servers of the project's interfaces (pager_servers.c). */
#pragma once

#include <mach/mig_support.h>

#define PAGER_PORT 0x200u         /* a memory object */
#define CONTROL_PORT 0x300u       /* its control port */
#define DEFAULT_PAGER_PORT 0x400u /* the default pager */
#define MEMPAGER_PORT 0xd00u      /* mempager, the example pager */
#define FAULTPAGER_PORT 0xe00u    /* faultpager, the fault-injecting pager */
#define DP_INFO_PORT 0xd80u       /* the default pager's clients' port */

extern uint32_t pager_checksum;

/* Registers the four demuxes with the loopback transport. */
void pager_serve(void);
/* Calls every routine of the four interfaces once. */
void pager_exercise(void);
