/*
 * Stopping the machine.  Under test QEMU has an isa-debug-exit device at
 * port 0xf4: writing v makes QEMU exit with status (v << 1) | 1, which is how
 * the test harness learns how a boot ended.  Without that device the write
 * does nothing, and the machine powers off (success) or halts with its last
 * words on the console (everything else).
 */
#pragma once

enum machine_status {
	MACHINE_SUCCESS     = 0x10,  /* QEMU exit status 33 */
	MACHINE_TEST_FAILED = 0x11,  /* 35: a self-test failed */
	MACHINE_PANIC       = 0x12,  /* 37: panic or unexpected exception */
	MACHINE_BOOT_ERROR  = 0x13,  /* 39: bad boot input, clean stop */
};

__attribute__((noreturn)) void machine_stop(enum machine_status status);
