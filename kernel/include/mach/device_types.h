/*
 * The device interface's values (idl/defs/device.defs, device_irq.defs):
 * the bounds of what a driver may ask for and how device memory is
 * mapped.
 */
#pragma once

/* I/O ports are 0 .. DEVICE_IO_PORTS - 1. */
#define DEVICE_IO_PORTS 65536

/* Interrupt lines of the two 8259 controllers: 0 .. DEVICE_IRQ_LINES - 1.
 * The kernel keeps 0 (its clock) and 2 (the cascade). */
#define DEVICE_IRQ_LINES 16

/* How device_memory_map maps physical memory. */
#define DEVICE_MEMORY_CACHED   0   /* write-back, as RAM */
#define DEVICE_MEMORY_UNCACHED 1   /* uncached: device registers */

/* The largest DMA buffer: one contiguous block of the page allocator. */
#define DEVICE_DMA_MAX (4ull << 20)
