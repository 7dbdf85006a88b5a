/* The name service bootstrap serves (bootstrap.defs): see names.c. */
#pragma once

#include <mach/bootstrap_types.h>
#include <mach/mach.h>
