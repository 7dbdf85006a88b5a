/*
 * Frame-pointer backtraces (the kernel is built with frame pointers).  The
 * walk only follows frames that lie on a known kernel stack, so a corrupt
 * chain ends the trace instead of faulting.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Prints "  #N 0x... <symbol+0xoff>" for rip, then for each caller. */
void backtrace_print(uint64_t rip, uint64_t rbp);
void backtrace_print_here(void);

/* Prints addr as "0x... <symbol+0xoff>" (or just the number). */
void print_symbolized(uint64_t addr);

/* Whether [addr, addr+len) lies on one kernel stack. */
bool kernel_stack_contains(uint64_t addr, uint64_t len);
