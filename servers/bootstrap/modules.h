/* Starting boot modules: see modules.c. */
#pragma once

#include <mach/mach.h>

/* Starts the module whose command line is cmdline, giving it the name
 * service (names) and host_priv; 1 if it runs, else 0 (logged). */
int modules_start(const char *cmdline, mach_port_t names, mach_port_t host_priv);
