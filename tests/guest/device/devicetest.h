/*
 * devicetest: the kernel's device capabilities tested from user space
 * (idl/defs/device.defs): I/O ports granted per task, interrupts as
 * messages with their acks, device memory and DMA buffers, and every
 * refusal each routine lists.  It is started with the device master port
 * (the word "devices" on its command line) and uses the machine's CMOS
 * clock (ports 0x70-0x71, interrupt line 8) and VGA text memory
 * (0xb8000), which every PC has.
 *
 * It is built on vmtest's helpers (tests/guest/vm/vmtest.h: TAP, probes,
 * child tasks, the leak check).
 */
#pragma once

#include "../vm/vmtest.h"

#include <device.h>

extern mach_port_t device_master;

/* The CMOS clock. */
#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define RTC_LINE  8

/* ---- the groups, in the order they run ---- */
void test_io(void);       /* io.c: device_io_access */
void test_irq(void);      /* irq.c: device_irq_attach, _ack, _detach */
void test_memory(void);   /* memory.c: device_memory_map, device_dma_allocate */

/* ---- roles (helper tasks) ---- */
int role_irq_holder(int argc, char **argv);   /* irq.c: attaches, never acks */
