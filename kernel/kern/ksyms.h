/*
 * The kernel's own function symbols, for naming addresses in exception
 * dumps and backtraces.  The table is generated from the linked kernel by
 * kernel/gen-ksyms.sh and linked in a second pass (kernel/kernel.mk).
 */
#pragma once

#include <stdint.h>

struct ksym {
	uint64_t addr;        /* sorted ascending */
	uint64_t name_offset; /* into the names blob */
};

struct ksym_table {
	const struct ksym *syms;
	uint64_t count;
	const char *names;
	uint64_t text_end;    /* addresses at or past this are not code */
};

/*
 * Finds the function containing addr in table: returns its name and sets
 * *offset, or returns NULL when addr is before the first symbol or past
 * the end of text.
 */
const char *ksyms_lookup_in(const struct ksym_table *table, uint64_t addr,
			    uint64_t *offset);

/* The same, in the running kernel's table. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);
