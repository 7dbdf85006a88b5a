/*
 * Host tests of the boot-information parser: well-formed multiboot1 and
 * multiboot2 structures, and the malformed ones a broken or hostile loader
 * could pass (each must give a reason, never a crash).
 */
#include <string.h>

#include "host_test.h"
#include "kern/bootinfo.h"

#define BASE 0x10000u
static uint8_t mem[0x8000] __attribute__((aligned(8)));

static const void *map(uint64_t phys, uint64_t len)
{
	if (phys < BASE || phys - BASE > sizeof(mem) || len > sizeof(mem) - (phys - BASE))
		return NULL;
	return mem + (phys - BASE);
}

static void put32(uint32_t off, uint32_t v) { memcpy(mem + off, &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(mem + off, &v, 8); }

/* ---- multiboot1 ---- */

#define MB1_MMAP 0x3000u

static void mb1_build(uint32_t flags, int entries)
{
	memset(mem, 0, sizeof(mem));
	put32(0, flags);
	put32(16, BASE + 0x1000);                 /* cmdline */
	strcpy((char *)mem + 0x1000, "/pagoda test=all");
	put32(20, 2);                             /* mods_count */
	put32(24, BASE + 0x2000);                 /* mods_addr */
	put32(0x2000, 0x200000); put32(0x2004, 0x201000); put32(0x2008, BASE + 0x1100);
	put32(0x2010, 0x300000); put32(0x2014, 0x300800); put32(0x2018, 0);
	strcpy((char *)mem + 0x1100, "build/servers/bootstrap/bootstrap arg");
	put32(44, (uint32_t)entries * 24);        /* mmap_length */
	put32(48, BASE + MB1_MMAP);
	for (int i = 0; i < entries; i++) {
		uint32_t e = MB1_MMAP + (uint32_t)i * 24;
		put32(e, 20);
		put64(e + 4, i == 0 ? 0 : 0x100000);
		put64(e + 12, i == 0 ? 0x9fc00 : 0x7f00000);
		put32(e + 20, i == 2 ? 2 : 1);
	}
	put32(64, BASE + 0x1200);                 /* boot_loader_name */
	strcpy((char *)mem + 0x1200, "qemu");
}

#define MB1_ALL ((1u << 2) | (1u << 3) | (1u << 6) | (1u << 9))

HOST_TEST(bootinfo_mb1_reads_cmdline_loader_modules_and_memory)
{
	struct boot_info bi;
	const char *why = NULL;

	mb1_build(MB1_ALL, 3);
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_SUCCESS);
	CHECK_EQ(bi.protocol, 1);
	CHECK_STR(bi.cmdline, "/pagoda test=all");
	CHECK_STR(bi.loader, "qemu");
	CHECK_EQ(bi.module_count, 2);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x201000);
	CHECK_EQ(bi.mem_count, 3);
	CHECK_EQ(boot_info_available_bytes(&bi), 0x9fc00 + 0x7f00000);
	char name[32];
	boot_module_name(&bi.modules[0], name, sizeof(name));
	CHECK_STR(name, "bootstrap");
	boot_module_name(&bi.modules[1], name, sizeof(name));
	CHECK_STR(name, "(unnamed)");
}

HOST_TEST(bootinfo_range_is_ram_only_inside_one_available_range)
{
	struct boot_info bi = { .mem_count = 3 };

	bi.mem[0] = (struct boot_mem_region){ 0, 0x9fc00, BOOT_MEM_AVAILABLE };
	bi.mem[1] = (struct boot_mem_region){ 0x9fc00, 0x400, BOOT_MEM_RESERVED };
	bi.mem[2] = (struct boot_mem_region){ 0x100000, 0x100000, BOOT_MEM_AVAILABLE };
	CHECK(boot_info_range_is_ram(&bi, 0x100000, 0x200000));
	CHECK(boot_info_range_is_ram(&bi, 0x1000, 0x2000));
	CHECK(!boot_info_range_is_ram(&bi, 0x1ff000, 0x201000));  /* runs past the end */
	CHECK(!boot_info_range_is_ram(&bi, 0x9f000, 0x101000));   /* spans a hole */
	CHECK(!boot_info_range_is_ram(&bi, 0x9fc00, 0x9fd00));    /* reserved */
	CHECK(!boot_info_range_is_ram(&bi, 0x150000, 0x150000));  /* empty */
	CHECK(!boot_info_range_is_ram(&bi, 0x150000, 0x100000));  /* backwards */
}

HOST_TEST(bootinfo_range_touches_ram_if_it_shares_a_byte_with_it)
{
	struct boot_info bi = { .mem_count = 4 };

	bi.mem[0] = (struct boot_mem_region){ 0, 0x9fc00, BOOT_MEM_AVAILABLE };
	bi.mem[1] = (struct boot_mem_region){ 0x9fc00, 0x400, BOOT_MEM_RESERVED };
	bi.mem[2] = (struct boot_mem_region){ 0x100000, 0x100000, BOOT_MEM_AVAILABLE };
	bi.mem[3] = (struct boot_mem_region){ 0x7000000, 0x1000, BOOT_MEM_ACPI_RECLAIMABLE };
	CHECK(!boot_info_range_touches_ram(&bi, 0xa0000, 0xc0000));     /* VGA memory */
	CHECK(!boot_info_range_touches_ram(&bi, 0x9fc00, 0xa0000));     /* reserved only */
	CHECK(boot_info_range_touches_ram(&bi, 0x9f000, 0xa0000));      /* ends in reserved */
	CHECK(boot_info_range_touches_ram(&bi, 0xc0000, 0x100001));     /* one byte of RAM */
	CHECK(!boot_info_range_touches_ram(&bi, 0xc0000, 0x100000));    /* up to it */
	CHECK(!boot_info_range_touches_ram(&bi, 0x200000, 0x300000));   /* just past it */
	CHECK(boot_info_range_touches_ram(&bi, 0x1000, 0x0fffffffffff000ull));   /* around it */
	CHECK(boot_info_range_touches_ram(&bi, 0x7000000, 0x7001000));  /* ACPI tables */
	CHECK(!boot_info_range_touches_ram(&bi, 0x150000, 0x150000));   /* empty */
	CHECK(!boot_info_range_touches_ram(&bi, 0xfe000000, 0xfe004000));   /* device memory */
}

HOST_TEST(bootinfo_mb1_without_memory_map_is_refused)
{
	struct boot_info bi;
	const char *why = NULL;

	mb1_build(MB1_ALL & ~(1u << 6), 3);
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "the boot loader gave no memory map");
}

HOST_TEST(bootinfo_empty_memory_map_is_refused)
{
	struct boot_info bi;
	const char *why = NULL;

	mb1_build(MB1_ALL, 0);
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "the memory map is empty: no usable RAM");
}

HOST_TEST(bootinfo_mb1_malformed_pieces_are_refused)
{
	struct boot_info bi;
	const char *why = NULL;

	mb1_build(MB1_ALL, 3);
	put32(MB1_MMAP + 24, 4000);               /* entry size past the map */
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "a memory map entry has a bad size");

	mb1_build(MB1_ALL, 3);
	put32(24, 0x7fff0000);                    /* module list nowhere */
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "the module list is not in memory");

	mb1_build(MB1_ALL, 3);
	put32(20, 0xffffffff);                    /* absurd module count */
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);

	mb1_build(MB1_ALL, 3);
	put32(16, BASE + sizeof(mem) - 2);        /* cmdline running off the end */
	memset(mem + sizeof(mem) - 2, 'x', 2);
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "a string in the boot information is not in memory");

	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, 0x5000000, map, &bi, &why),
		 KERN_INVALID_ARGUMENT);
	CHECK_EQ(boot_info_parse(0x12345678, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "not started by a multiboot loader (bad magic)");
}

HOST_TEST(bootinfo_long_command_line_is_truncated_and_flagged)
{
	struct boot_info bi;
	const char *why = NULL;

	mb1_build(MB1_ALL, 3);
	memset(mem + 0x1000, 'a', 600);
	mem[0x1000 + 600] = '\0';
	CHECK_EQ(boot_info_parse(MULTIBOOT1_BOOT_MAGIC, BASE, map, &bi, &why), KERN_SUCCESS);
	CHECK(bi.truncated);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

/* ---- multiboot2 ---- */

static uint32_t mb2_off;

static void mb2_begin(void)
{
	memset(mem, 0, sizeof(mem));
	mb2_off = 8;
}

static void mb2_tag(uint32_t type, const void *body, uint32_t len)
{
	put32(mb2_off, type);
	put32(mb2_off + 4, 8 + len);
	if (len > 0)
		memcpy(mem + mb2_off + 8, body, len);
	mb2_off += (8 + len + 7) & ~7u;
}

static void mb2_string(uint32_t type, const char *s)
{
	mb2_tag(type, s, (uint32_t)strlen(s) + 1);
}

static void mb2_mmap(uint32_t type)
{
	uint8_t body[8 + 2 * 24] = { 0 };
	uint32_t entry_size = 24, version = 0;
	uint64_t e[2][3] = { { 0, 0x9fc00, 1 }, { 0x100000, 0x3f00000, type } };

	memcpy(body, &entry_size, 4);
	memcpy(body + 4, &version, 4);
	for (int i = 0; i < 2; i++) {
		memcpy(body + 8 + i * 24, &e[i][0], 8);
		memcpy(body + 16 + i * 24, &e[i][1], 8);
		uint32_t t = (uint32_t)e[i][2];
		memcpy(body + 24 + i * 24, &t, 4);
	}
	mb2_tag(6, body, sizeof(body));
}

static void mb2_module(uint32_t start, uint32_t end, const char *cmdline)
{
	uint8_t body[64];

	memcpy(body, &start, 4);
	memcpy(body + 4, &end, 4);
	strcpy((char *)body + 8, cmdline);
	mb2_tag(3, body, 8 + (uint32_t)strlen(cmdline) + 1);
}

static void mb2_end(void)
{
	mb2_tag(0, NULL, 0);
	put32(0, mb2_off);
}

HOST_TEST(bootinfo_mb2_reads_cmdline_loader_modules_and_memory)
{
	struct boot_info bi;
	const char *why = NULL;

	mb2_begin();
	mb2_string(1, "hz=200");
	mb2_string(2, "GRUB 2.06");
	mb2_module(0x400000, 0x402000, "bootstrap");
	mb2_mmap(1);
	mb2_tag(99, "ignored", 8);
	mb2_end();
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_SUCCESS);
	CHECK_EQ(bi.protocol, 2);
	CHECK_STR(bi.cmdline, "hz=200");
	CHECK_STR(bi.loader, "GRUB 2.06");
	CHECK_EQ(bi.module_count, 1);
	CHECK_EQ(bi.modules[0].end, 0x402000);
	CHECK_STR(bi.modules[0].cmdline, "bootstrap");
	CHECK_EQ(bi.mem_count, 2);
	CHECK_EQ(boot_info_available_bytes(&bi), 0x9fc00 + 0x3f00000);
}

HOST_TEST(bootinfo_mb2_malformed_structures_are_refused)
{
	struct boot_info bi;
	const char *why = NULL;

	mb2_begin();                      /* no end tag: the size stops short */
	mb2_mmap(1);
	put32(0, mb2_off);
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "the multiboot2 information has no end tag");

	mb2_begin();                      /* a tag claiming more than there is */
	mb2_mmap(1);
	mb2_end();
	put32(12, 0x10000);
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "a multiboot2 tag has a bad size");

	mb2_begin();                      /* total size absurd */
	mb2_end();
	put32(0, 0xfffffff0);
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "the multiboot2 information has an absurd size");

	mb2_begin();                      /* no memory map */
	mb2_string(1, "x");
	mb2_end();
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "the boot loader gave no memory map");

	mb2_begin();                      /* only reserved memory */
	mb2_mmap(2);
	put64(32, 0);                     /* the available entry: length 0 */
	mb2_end();
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "the memory map is empty: no usable RAM");

	mb2_begin();                      /* unterminated string */
	put32(8, 1);
	put32(12, 12);
	memcpy(mem + 16, "abcd", 4);
	mb2_off = 24;
	mb2_mmap(1);
	mb2_end();
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_INVALID_ARGUMENT);
	CHECK_STR(why, "a string in the boot information is not terminated");
}

HOST_TEST(bootinfo_modules_past_the_limit_are_counted_not_kept)
{
	struct boot_info bi;
	const char *why = NULL;

	mb2_begin();
	for (int i = 0; i < BOOT_MODULES_MAX + 3; i++)
		mb2_module(0x400000 + (uint32_t)i * 0x1000, 0x401000 + (uint32_t)i * 0x1000, "m");
	mb2_mmap(1);
	mb2_end();
	CHECK_EQ(boot_info_parse(MULTIBOOT2_BOOT_MAGIC, BASE, map, &bi, &why), KERN_SUCCESS);
	CHECK_EQ(bi.module_count, BOOT_MODULES_MAX);
	CHECK_EQ(bi.modules_dropped, 3);
}
