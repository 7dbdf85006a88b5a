/*
 * The kernel log on the serial console.  Every line a subsystem prints
 * starts with its name ("vm: ...", "boot: ..."), so the log reads as a
 * record of who said what.
 */
#pragma once

#include "kern/format.h"

#include <stdint.h>

size_t kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
size_t kvprintf(const char *fmt, va_list ap);

/* Up to max bytes of the log from byte from (counted since boot; the
 * oldest kept, if from is older) into out; *next is where the next read
 * starts.  The log keeps the last 16 KiB. */
size_t klog_read(uint64_t from, char *out, size_t max, uint64_t *next);
