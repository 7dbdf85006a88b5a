/* What only the server side of mig_compat.defs needs: the translations. */
#pragma once

#include "compat_types.h"

thing_obj_t thing_lookup(mach_port_t port);
mach_port_t thing_port(thing_obj_t thing);
void thing_release(thing_obj_t thing);
