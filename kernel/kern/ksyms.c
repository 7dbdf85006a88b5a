#include "kern/ksyms.h"

#include <stddef.h>

const char *ksyms_lookup_in(const struct ksym_table *t, uint64_t addr,
			    uint64_t *offset)
{
	if (t->count == 0 || addr < t->syms[0].addr || addr >= t->text_end)
		return NULL;

	/* Last symbol whose address is <= addr. */
	uint64_t lo = 0, hi = t->count;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (t->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - t->syms[lo].addr;
	return t->names + t->syms[lo].name_offset;
}
