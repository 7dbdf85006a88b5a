/*
 * The terminal's routines (term.c, owner.c) and the reads and writes
 * that wait for their reply.
 */
#pragma once

#include <mach/mach.h>

/* Answers the waiting reads and writes that can be answered now, and
 * those whose deadline has passed; tells the owner of new events. */
void term_update(uint64_t now);

/* When term_update must run again at the latest (UINT64_MAX: not before
 * the next message). */
uint64_t term_deadline(uint64_t now);

/* The ownership changed: every waiting read ends with KERN_ABORTED. */
void term_abort_readers(void);
