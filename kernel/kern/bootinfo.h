/*
 * What the boot loader told us, in one form whichever protocol it spoke:
 * multiboot2 (GRUB 2) or multiboot1 (QEMU -kernel).  boot_info_parse reads
 * the loader's structure through a caller-supplied mapping function and
 * copies what the kernel keeps (command lines, the memory map, the module
 * list) into struct boot_info, so nothing of the loader's structure is
 * needed afterwards.  The module contents themselves stay where the loader
 * put them.
 *
 * The structure comes from outside the kernel: every size, count, offset
 * and string is bounded before use, and a malformed structure is an error
 * with a reason, never a fault.
 */
#pragma once

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MULTIBOOT1_BOOT_MAGIC 0x2badb002u
#define MULTIBOOT2_BOOT_MAGIC 0x36d76289u

#define BOOT_CMDLINE_MAX  256
#define BOOT_MEM_MAX      64
#define BOOT_MODULES_MAX  16
#define BOOT_INFO_MAX     (1u << 20)   /* larger is taken as corrupt */

enum boot_mem_type {
	BOOT_MEM_AVAILABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type;        /* enum boot_mem_type; others count as reserved */
};

struct boot_module {
	uint64_t start;       /* physical, [start, end) */
	uint64_t end;
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	int protocol;                 /* 1 or 2 */
	char loader[64];
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_mem_region mem[BOOT_MEM_MAX];
	unsigned mem_count;
	struct boot_module modules[BOOT_MODULES_MAX];
	unsigned module_count;
	unsigned mem_dropped;         /* regions past BOOT_MEM_MAX */
	unsigned modules_dropped;     /* modules past BOOT_MODULES_MAX */
	bool truncated;               /* a command line was cut short */
};

/*
 * Returns a pointer through which [phys, phys + len) can be read, or NULL
 * if that range is not readable.
 */
typedef const void *(*boot_map_fn)(uint64_t phys, uint64_t len);

/*
 * Parses the loader's structure at info_phys.  On failure returns
 * KERN_INVALID_ARGUMENT and points *why at a one-line reason.
 */
kern_return_t boot_info_parse(uint32_t magic, uint64_t info_phys, boot_map_fn map,
			      struct boot_info *out, const char **why);

/* The running kernel's boot information (set by kmain; read-only after). */
extern const struct boot_info *kernel_boot_info;

/* Whether [start, end) is non-empty and lies inside one available range. */
bool boot_info_range_is_ram(const struct boot_info *bi, uint64_t start, uint64_t end);

/* Whether [start, end) shares a byte with RAM: an available range, or
 * one of ACPI tables the firmware may still want (device_memory_map maps
 * nothing else). */
bool boot_info_range_touches_ram(const struct boot_info *bi, uint64_t start, uint64_t end);

/* Bytes of RAM the memory map marks available. */
uint64_t boot_info_available_bytes(const struct boot_info *bi);

/* The module's name: the last path component of its command line's first word. */
void boot_module_name(const struct boot_module *m, char *buf, size_t size);
