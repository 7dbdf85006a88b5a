/* Starting boot modules: see modules.c. */
#pragma once

#include <mach/mach.h>

/* What bootstrap hands the modules it starts. */
struct boot_ports {
	mach_port_t names;       /* the name service: every module's bootstrap port */
	mach_port_t host_priv;   /* the privileged host port: every module's */
	mach_port_t device;      /* the device master port: drivers' only */
};

/* The command-line word that asks for the device master port. */
#define MODULE_DEVICES_WORD "devices"
/* The word that makes a module one page-out depends on (host.defs
 * vm_privilege): the default pager, and the drivers it uses. */
#define MODULE_WIRED_WORD "wired"

/* Starts the module whose command line is cmdline, giving it its ports;
 * 1 if it runs, else 0 (logged). */
int modules_start(const char *cmdline, const struct boot_ports *ports);
