/*
 * Helpers for self-tests that need the machine out of free pages: take
 * every free page (chained through their own first word, via the direct
 * map), then give them all back.
 */
#pragma once

#include <stdint.h>

/* Takes every free page; returns the chain and sets *count. */
uint64_t *vm_page_ktest_drain(uint64_t *count);

/* Frees a chain from vm_page_ktest_drain. */
void vm_page_ktest_refill(uint64_t *chain);
