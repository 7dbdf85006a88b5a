/*
 * The kernel log on the serial console.  Every line a subsystem prints
 * starts with its name ("vm: ...", "boot: ..."), so the log reads as a
 * record of who said what.
 */
#pragma once

#include "kern/format.h"

size_t kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
size_t kvprintf(const char *fmt, va_list ap);
