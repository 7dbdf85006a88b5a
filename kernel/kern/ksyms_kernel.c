/* The running kernel's symbol table, as laid out by kernel/gen-ksyms.sh. */
#include "kern/ksyms.h"

extern const struct ksym ksyms_table[];
extern const uint64_t ksyms_count;
extern const char ksyms_names[];
extern const char kernel_text_end[];

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	const struct ksym_table t = {
		.syms = ksyms_table,
		.count = ksyms_count,
		.names = ksyms_names,
		.text_end = (uint64_t)kernel_text_end,
	};
	return ksyms_lookup_in(&t, addr, offset);
}
