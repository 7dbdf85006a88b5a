/* Host tests of ELF executable validation: one good image, then each flaw. */
#include <string.h>

#include "host_test.h"
#include "kern/elf.h"

static uint8_t image[8192] __attribute__((aligned(8)));

static struct elf64_ehdr *eh(void) { return (struct elf64_ehdr *)image; }
static struct elf64_phdr *ph(int i) { return (struct elf64_phdr *)(image + 64) + i; }

/* Text at 0x400000 (file 0x1000..0x1100), data at 0x401000 (+bss). */
static void build_good(void)
{
	memset(image, 0, sizeof(image));
	memcpy(eh()->ident, "\177ELF\2\1\1", 7);
	eh()->type = 2;
	eh()->machine = 62;
	eh()->version = 1;
	eh()->entry = 0x400010;
	eh()->phoff = 64;
	eh()->ehsize = 64;
	eh()->phentsize = sizeof(struct elf64_phdr);
	eh()->phnum = 2;
	*ph(0) = (struct elf64_phdr){ 1, 5, 0x1000, 0x400000, 0x400000, 0x100, 0x100, 0x1000 };
	*ph(1) = (struct elf64_phdr){ 1, 6, 0x1100, 0x401100, 0x401100, 0x10, 0x2000, 0x1000 };
}

static const char *check(size_t size)
{
	const char *why = "(none)";

	if (elf_check_executable(image, size, &why) == KERN_SUCCESS)
		return "ok";
	return why;
}

HOST_TEST(elf_accepts_a_static_x86_64_executable)
{
	build_good();
	CHECK_STR(check(sizeof(image)), "ok");
}

HOST_TEST(elf_rejects_files_that_are_not_x86_64_executables)
{
	build_good();
	CHECK_STR(check(10), "not an ELF file (bad magic)");
	image[0] = 'X';
	CHECK_STR(check(sizeof(image)), "not an ELF file (bad magic)");
	build_good();
	image[4] = 1;
	CHECK_STR(check(sizeof(image)), "not a little-endian ELF64 file");
	build_good();
	eh()->machine = 3;
	CHECK_STR(check(sizeof(image)), "not an x86_64 program");
	build_good();
	eh()->type = 3;
	CHECK_STR(check(sizeof(image)), "not a static executable (ELF type is not EXEC)");
}

HOST_TEST(elf_rejects_program_headers_outside_the_image)
{
	build_good();
	eh()->phnum = 0;
	CHECK_STR(check(sizeof(image)), "bad program header size or count");
	build_good();
	eh()->phentsize = 12;
	CHECK_STR(check(sizeof(image)), "bad program header size or count");
	build_good();
	eh()->phoff = sizeof(image) - 8;
	CHECK_STR(check(sizeof(image)), "the program headers lie outside the image");
	build_good();
	eh()->phoff = ~0ull - 8;
	CHECK_STR(check(sizeof(image)), "the program headers lie outside the image");
}

HOST_TEST(elf_rejects_bad_segments)
{
	build_good();
	ph(0)->filesz = 0x200;
	CHECK_STR(check(sizeof(image)), "a segment has more file bytes than memory bytes");
	build_good();
	ph(0)->offset = sizeof(image) - 0x10;
	ph(0)->vaddr = 0x400000 + (ph(0)->offset & 0xfff);
	CHECK_STR(check(sizeof(image)), "a segment's file bytes lie outside the image");
	build_good();
	ph(0)->offset = ~0ull - 4;
	CHECK_STR(check(sizeof(image)), "a segment's file bytes lie outside the image");
	build_good();
	ph(1)->vaddr = 0xffffffff80001100ull;
	CHECK_STR(check(sizeof(image)), "a segment lies outside the user half");
	build_good();
	ph(1)->vaddr = 0x7ffffffff100ull;
	ph(1)->memsz = 0x10000;
	CHECK_STR(check(sizeof(image)), "a segment lies outside the user half");
	build_good();
	ph(1)->vaddr = 0x401200;
	CHECK_STR(check(sizeof(image)), "a segment's address and offset are not congruent mod 4096");
}

HOST_TEST(elf_rejects_an_entry_outside_executable_code)
{
	build_good();
	eh()->entry = 0x401100;             /* in the data segment */
	CHECK_STR(check(sizeof(image)), "the entry point is not in an executable segment");
	build_good();
	ph(0)->type = 4;
	ph(1)->type = 4;
	CHECK_STR(check(sizeof(image)), "no loadable segment");
}
