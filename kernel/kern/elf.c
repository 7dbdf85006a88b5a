#include "kern/elf.h"

#include "kern/string.h"

#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_ET_EXEC 2
#define ELF_EM_X86_64 62
#define ELF_MAX_PHNUM 64

static kern_return_t fail(const char **why, const char *reason)
{
	*why = reason;
	return KERN_INVALID_ARGUMENT;
}

static kern_return_t check_segment(const struct elf64_phdr *ph, size_t size,
				   const char **why)
{
	if (ph->filesz > ph->memsz)
		return fail(why, "a segment has more file bytes than memory bytes");
	if (ph->offset > size || ph->filesz > size - ph->offset)
		return fail(why, "a segment's file bytes lie outside the image");
	if (ph->vaddr >= ELF_USER_LIMIT || ph->memsz > ELF_USER_LIMIT - ph->vaddr)
		return fail(why, "a segment lies outside the user half");
	if (ph->vaddr % 4096 != ph->offset % 4096)
		return fail(why, "a segment's address and offset are not congruent mod 4096");
	return KERN_SUCCESS;
}

kern_return_t elf_check_executable(const void *image, size_t size, const char **why)
{
	const struct elf64_ehdr *eh = image;

	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) != 0)
		return fail(why, "not an ELF file (bad magic)");
	if (eh->ident[4] != ELF_CLASS64 || eh->ident[5] != ELF_DATA_LSB)
		return fail(why, "not a little-endian ELF64 file");
	if (eh->machine != ELF_EM_X86_64)
		return fail(why, "not an x86_64 program");
	if (eh->type != ELF_ET_EXEC)
		return fail(why, "not a static executable (ELF type is not EXEC)");
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 ||
	    eh->phnum > ELF_MAX_PHNUM)
		return fail(why, "bad program header size or count");
	if (eh->phoff > size || (size - eh->phoff) / sizeof(struct elf64_phdr) < eh->phnum ||
	    eh->phoff % 8 != 0)
		return fail(why, "the program headers lie outside the image");

	const struct elf64_phdr *ph = (const void *)((const char *)image + eh->phoff);
	int loads = 0, entry_ok = 0;
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != ELF_PT_LOAD)
			continue;
		if (check_segment(&ph[i], size, why) != KERN_SUCCESS)
			return KERN_INVALID_ARGUMENT;
		loads++;
		if ((ph[i].flags & ELF_PF_X) && eh->entry >= ph[i].vaddr &&
		    eh->entry - ph[i].vaddr < ph[i].memsz)
			entry_ok = 1;
	}
	if (loads == 0)
		return fail(why, "no loadable segment");
	if (!entry_ok)
		return fail(why, "the entry point is not in an executable segment");
	return KERN_SUCCESS;
}
