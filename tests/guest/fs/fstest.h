/* fstest's helpers (main.c), shared by its files. */
#pragma once

#include "../vm/vmtest.h"

#include <fs.h>

#define MB_CHUNK (64u * 1024u)

/* The server's root port (uid 0, read). */
extern mach_port_t root;

/* path opened from root as flags by uid (gid the same); MACH_PORT_NULL
 * and *kr on error. */
mach_port_t open_as(const char *path, uint32_t flags, uint32_t uid, kern_return_t *kr);
/* path opened by uid 0; MACH_PORT_NULL (a failed check) on error. */
mach_port_t open_ok(const char *path, uint32_t flags);
/* p closed and its right dropped (nothing if MACH_PORT_NULL). */
void close_port(mach_port_t p);
/* Reads up to size bytes of p into buf; how many in *n. */
bool read_into(mach_port_t p, void *buf, uint32_t size, uint32_t *n);
/* True if all of buf was written to p. */
bool write_all(mach_port_t p, const void *buf, uint32_t size);

/* map.c: mapped files, and open files the client forgot. */
void map_tests(void);

/* system.c: the checks of role (layout, crash, refused, corrupt, bench)
 * on its disk; main's status. */
int system_role(const char *role);

/* bench.c: the figures of make bench (tests/boot/fs-bench.sh). */
void bench_role(void);
