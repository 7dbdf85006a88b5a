/*
 * What the pager tools share (bin/pagertools/: pagerctl, faultinject,
 * memhog): the Mach ports root reaches through the UNIX server, and
 * errors from Mach calls said as "NAME: what: KERN_..." (util.h's way).
 * docs/pager-tools.md says how they are used.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>
#include <stdint.h>

/* The privileged host port (unix.defs host_priv), or util_fail: only
 * root may. */
mach_port_t pt_host_priv(void);

/* A send right to the service the name service knows as name (unix.defs
 * look_up), or util_fail. */
mach_port_t pt_service(const char *name);

/* util_fail(1, "what: KERN_...") unless kr is KERN_SUCCESS. */
void pt_check(kern_return_t kr, const char *what);

/* A size in bytes, with an optional K or M suffix, or util_fail. */
uint64_t pt_size(const char *s, const char *what);

/* The kernel's row (vm_pager_objects) for the object with a pager whose
 * id is first or the next above; false if there is none. */
bool pt_next_object(mach_port_t host_priv, uint64_t first, struct vm_pager_object *out);

/* The kernel's row for the object whose id is id: false if no object
 * with a pager has that id. */
bool pt_object(mach_port_t host_priv, uint64_t id, struct vm_pager_object *out);
