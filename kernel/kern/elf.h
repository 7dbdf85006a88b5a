/*
 * ELF64 executables, as boot modules and (later) exec images arrive.  The
 * checks here are all the loader may rely on: after elf_check_executable
 * succeeds, every program header lies inside the image, every loadable
 * segment's file bytes lie inside the image, its memory range lies in the
 * user half without wrapping, and the entry point is in an executable
 * segment.
 */
#pragma once

#include <mach/kern_return.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_USER_LIMIT 0x0000800000000000ull  /* end of the user half */

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define ELF_PT_LOAD 1
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

/*
 * Validates image[0, size) as a static x86_64 ELF64 executable.  Returns
 * KERN_SUCCESS, or KERN_INVALID_ARGUMENT with *why set to the reason.
 */
kern_return_t elf_check_executable(const void *image, size_t size, const char **why);
