/* The process table (libc/unix/session.c): what ps shows, from the
 * process server (idl/defs/proc.defs). */
#pragma once

#include <stddef.h>
#include <mach/unix_types.h>

/* struct unix_proc_info (mach/unix_types.h): pid, ppid, pgid, sid,
 * state ('R', 'T' or 'Z'), status, virtual_size and resident_size in
 * bytes, and the command line. */

/*
 * Fills table with up to max processes, live and zombies, by pid;
 * returns how many there are (more than max if table was too small),
 * or -1 with errno set.
 */
int getprocs(struct unix_proc_info *table, int max);
