/*
 * faultpager: mempager's objects and store (servers/mempager: object.c,
 * store.c, cache.c, built in) behind an injection that makes them
 * misbehave (idl/defs/faultpager.defs).
 *
 *   main.c    the arguments and the receive loop
 *   inject.c  the injection: faultpager.defs, and the libpager hooks and
 *             store callbacks through which it acts
 */
#pragma once

#include <faultpagerServer.h>

#include "faultpager_modes.h"
#include "../mempager/mempager.h"   /* not the generated mempager.h */

/* The hooks and store callbacks through which the injection acts. */
extern const struct pager_hooks faultpager_hooks;
extern const struct pager_ops faultpager_ops;

/* Sets the injection, as faultpager_S_inject does; KERN_INVALID_VALUE if
 * mode or arg is out of range. */
kern_return_t faultpager_set(unsigned mode, uint64_t arg, unsigned after);
