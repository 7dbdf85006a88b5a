/*
 * The kernel's virtual memory layout (see docs/architecture.md).
 *
 *   0x0000000000000000 .. 0x00007fffffffffff  user space (later issues)
 *   0xffff800000000000 .. +64 TiB             direct map of physical memory
 *   0xffffffff80000000 .. +2 GiB              kernel image (-mcmodel=kernel);
 *                                             physical 1 MiB is at +1 MiB
 *
 * Included by assembly as well as C: constants only.
 */
#pragma once

#define KERNEL_BASE           0xffffffff80000000
#define DIRECT_MAP_BASE       0xffff800000000000
#define DIRECT_MAP_SIZE       0x0000400000000000  /* 64 TiB */
#define PML4_INDEX_DIRECT_MAP 256
#define KERNEL_LOAD_PHYS      0x100000
#define KERNEL_STACK_SIZE     16384
#define PAGE_SIZE             4096
#define PAGE_SHIFT            12
