/*
 * Multiboot1 and multiboot2 boot information; see bootinfo.h.  Layouts from
 * the Multiboot Specification 0.6.96 (§3.3) and Multiboot2 1.0 (§3.6).
 */
#include "kern/bootinfo.h"

#include "kern/string.h"

#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS    (1u << 3)
#define MB1_FLAG_MMAP    (1u << 6)
#define MB1_FLAG_LOADER  (1u << 9)

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
};

struct mb1_module {
	uint32_t mod_start, mod_end, string, reserved;
};

struct mb1_mmap_entry {
	uint32_t size;  /* of the rest of the entry */
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER  2
#define MB2_TAG_MODULE  3
#define MB2_TAG_MMAP    6

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, length;
	uint32_t type, reserved;
};

struct parser {
	boot_map_fn map;
	struct boot_info *bi;
	const char *why;
};

static kern_return_t fail(struct parser *p, const char *why)
{
	p->why = why;
	return KERN_INVALID_ARGUMENT;
}

/* Copies a NUL-terminated string at phys into dst (truncating if long). */
static kern_return_t copy_string(struct parser *p, uint64_t phys, char *dst, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		const char *c = p->map(phys + i, 1);
		if (c == NULL)
			return fail(p, "a string in the boot information is not in memory");
		dst[i] = *c;
		if (*c == '\0')
			return KERN_SUCCESS;
	}
	dst[size - 1] = '\0';
	p->bi->truncated = true;
	return KERN_SUCCESS;
}

/* Copies a string that must end inside [s, s + max). */
static kern_return_t copy_bounded(struct parser *p, const char *s, size_t max,
				  char *dst, size_t size)
{
	size_t len = strnlen(s, max);

	if (len == max)
		return fail(p, "a string in the boot information is not terminated");
	if (len >= size)
		p->bi->truncated = true;
	size_t n = len < size ? len : size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return KERN_SUCCESS;
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type)
{
	if (length == 0)
		return;
	if (base + length < base)          /* wraps: keep what fits */
		length = -base;
	if (bi->mem_count == BOOT_MEM_MAX) {
		bi->mem_dropped++;
		return;
	}
	bi->mem[bi->mem_count++] = (struct boot_mem_region){ base, length, type };
}

static struct boot_module *add_module(struct boot_info *bi, uint64_t start, uint64_t end)
{
	if (bi->module_count == BOOT_MODULES_MAX) {
		bi->modules_dropped++;
		return NULL;
	}
	struct boot_module *m = &bi->modules[bi->module_count++];
	m->start = start;
	m->end = end;
	m->cmdline[0] = '\0';
	return m;
}

static kern_return_t parse_mb1_mmap(struct parser *p, const struct mb1_info *info)
{
	const uint8_t *mmap = p->map(info->mmap_addr, info->mmap_length);

	if (mmap == NULL || info->mmap_length > BOOT_INFO_MAX)
		return fail(p, "the memory map is not in memory");
	for (uint32_t off = 0; off + 4 <= info->mmap_length;) {
		const struct mb1_mmap_entry *e = (const void *)(mmap + off);
		if (e->size < 20 || e->size > info->mmap_length - off - 4)
			return fail(p, "a memory map entry has a bad size");
		add_region(p->bi, e->base, e->length, e->type);
		off += e->size + 4;
	}
	return KERN_SUCCESS;
}

static kern_return_t parse_mb1_modules(struct parser *p, const struct mb1_info *info)
{
	if (info->mods_count > BOOT_INFO_MAX / sizeof(struct mb1_module))
		return fail(p, "the module count is absurd");
	const struct mb1_module *mods =
		p->map(info->mods_addr, (uint64_t)info->mods_count * sizeof(*mods));
	if (mods == NULL && info->mods_count > 0)
		return fail(p, "the module list is not in memory");
	for (uint32_t i = 0; i < info->mods_count; i++) {
		struct boot_module *m = add_module(p->bi, mods[i].mod_start, mods[i].mod_end);
		if (m != NULL && mods[i].string != 0 &&
		    copy_string(p, mods[i].string, m->cmdline, sizeof(m->cmdline)) != KERN_SUCCESS)
			return KERN_INVALID_ARGUMENT;
	}
	return KERN_SUCCESS;
}

static kern_return_t parse_mb1(struct parser *p, uint64_t info_phys)
{
	const struct mb1_info *info = p->map(info_phys, sizeof(*info));

	if (info == NULL)
		return fail(p, "the multiboot1 information is not in memory");
	p->bi->protocol = 1;
	if ((info->flags & MB1_FLAG_CMDLINE) &&
	    copy_string(p, info->cmdline, p->bi->cmdline, sizeof(p->bi->cmdline)))
		return KERN_INVALID_ARGUMENT;
	if ((info->flags & MB1_FLAG_LOADER) &&
	    copy_string(p, info->boot_loader_name, p->bi->loader, sizeof(p->bi->loader)))
		return KERN_INVALID_ARGUMENT;
	if ((info->flags & MB1_FLAG_MODS) && parse_mb1_modules(p, info))
		return KERN_INVALID_ARGUMENT;
	if (!(info->flags & MB1_FLAG_MMAP))
		return fail(p, "the boot loader gave no memory map");
	return parse_mb1_mmap(p, info);
}

static kern_return_t parse_mb2_mmap(struct parser *p, const uint8_t *tag, uint32_t size)
{
	if (size < 16)
		return fail(p, "the memory map tag is truncated");
	uint32_t entry_size = *(const uint32_t *)(tag + 8);
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8 != 0)
		return fail(p, "the memory map has a bad entry size");
	for (uint32_t off = 16; entry_size <= size - off; off += entry_size) {
		const struct mb2_mmap_entry *e = (const void *)(tag + off);
		add_region(p->bi, e->base, e->length, e->type);
	}
	return KERN_SUCCESS;
}

static kern_return_t parse_mb2_tag(struct parser *p, const uint8_t *tag, uint32_t type,
				   uint32_t size)
{
	struct boot_info *bi = p->bi;

	switch (type) {
	case MB2_TAG_CMDLINE:
		return copy_bounded(p, (const char *)tag + 8, size - 8, bi->cmdline,
				    sizeof(bi->cmdline));
	case MB2_TAG_LOADER:
		return copy_bounded(p, (const char *)tag + 8, size - 8, bi->loader,
				    sizeof(bi->loader));
	case MB2_TAG_MODULE: {
		if (size < 17)
			return fail(p, "a module tag is truncated");
		const uint32_t *w = (const uint32_t *)(tag + 8);
		struct boot_module *m = add_module(bi, w[0], w[1]);
		if (m == NULL)
			return KERN_SUCCESS;
		return copy_bounded(p, (const char *)tag + 16, size - 16, m->cmdline,
				    sizeof(m->cmdline));
	}
	case MB2_TAG_MMAP:
		return parse_mb2_mmap(p, tag, size);
	default:
		return KERN_SUCCESS;   /* tags we do not use */
	}
}

static kern_return_t parse_mb2(struct parser *p, uint64_t info_phys)
{
	const uint32_t *head = p->map(info_phys, 8);

	if (head == NULL)
		return fail(p, "the multiboot2 information is not in memory");
	uint32_t total = head[0];
	if (total < 16 || total > BOOT_INFO_MAX)
		return fail(p, "the multiboot2 information has an absurd size");
	const uint8_t *info = p->map(info_phys, total);
	if (info == NULL)
		return fail(p, "the multiboot2 information is not in memory");
	p->bi->protocol = 2;

	bool have_mmap = false;
	for (uint32_t off = 8;; ) {
		if (total - off < 8)
			return fail(p, "the multiboot2 information has no end tag");
		const struct mb2_tag *t = (const void *)(info + off);
		if (t->size < 8 || t->size > total - off)
			return fail(p, "a multiboot2 tag has a bad size");
		if (t->type == MB2_TAG_END)
			break;
		if (parse_mb2_tag(p, info + off, t->type, t->size) != KERN_SUCCESS)
			return KERN_INVALID_ARGUMENT;
		have_mmap |= t->type == MB2_TAG_MMAP;
		off += (t->size + 7) & ~7u;
		if (off >= total)
			return fail(p, "the multiboot2 information has no end tag");
	}
	if (!have_mmap)
		return fail(p, "the boot loader gave no memory map");
	return KERN_SUCCESS;
}

kern_return_t boot_info_parse(uint32_t magic, uint64_t info_phys, boot_map_fn map,
			      struct boot_info *out, const char **why)
{
	struct parser p = { map, out, NULL };
	kern_return_t kr;

	memset(out, 0, sizeof(*out));
	if (magic == MULTIBOOT1_BOOT_MAGIC)
		kr = parse_mb1(&p, info_phys);
	else if (magic == MULTIBOOT2_BOOT_MAGIC)
		kr = parse_mb2(&p, info_phys);
	else
		kr = fail(&p, "not started by a multiboot loader (bad magic)");
	if (kr == KERN_SUCCESS && boot_info_available_bytes(out) == 0)
		kr = fail(&p, "the memory map is empty: no usable RAM");
	*why = p.why;
	return kr;
}

bool boot_info_range_is_ram(const struct boot_info *bi, uint64_t start, uint64_t end)
{
	if (end <= start)
		return false;
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *m = &bi->mem[i];
		if (m->type == BOOT_MEM_AVAILABLE && start >= m->base &&
		    end - m->base <= m->length)
			return true;
	}
	return false;
}

bool boot_info_range_touches_ram(const struct boot_info *bi, uint64_t start, uint64_t end)
{
	if (end <= start)
		return false;
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *m = &bi->mem[i];
		if (m->type != BOOT_MEM_AVAILABLE && m->type != BOOT_MEM_ACPI_RECLAIMABLE)
			continue;
		/* Without base + length, which a bad map could overflow. */
		if (start >= m->base ? start - m->base < m->length : end > m->base && m->length != 0)
			return true;
	}
	return false;
}

uint64_t boot_info_available_bytes(const struct boot_info *bi)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_AVAILABLE)
			total += bi->mem[i].length;
	return total;
}

void boot_module_name(const struct boot_module *m, char *buf, size_t size)
{
	const char *word = m->cmdline;
	size_t len = 0;

	while (word[len] != '\0' && word[len] != ' ')
		len++;
	for (size_t i = len; i > 0; i--) {
		if (word[i - 1] == '/') {
			word += i;
			len -= i;
			break;
		}
	}
	if (len == 0) {
		word = "(unnamed)";
		len = strlen(word);
	}
	if (len >= size)
		len = size - 1;
	memcpy(buf, word, len);
	buf[len] = '\0';
}
