/*
 * What pageouttest's files share: main.c's workload helpers and the
 * region a child touches (hog_child_start), and pagers.c's phases.
 */
#pragma once

#include "../vm/vmtest.h"

#define SEED 0x7061676f7574ull   /* "pageout" */

/* A child's region (hog_region, hog_pages pages, set before the child
 * copies them) and the stack of its thread. */
#define HOG_REGION ((vm_address_t)0x200000000000ull)
#define HOG_STACK_SIZE 16384
extern vm_address_t hog_region;
extern uint64_t hog_pages;
extern uint8_t hog_stack[HOG_STACK_SIZE];

/* True if every word of [address, + size) is the pattern of seed (a
 * diagnostic if not). */
bool words_are(vm_address_t address, vm_size_t size, uint64_t seed);
/* Page p of region a: written with, or checked against, the pattern of
 * seed for that page. */
void page_write(vm_address_t a, uint64_t p, uint64_t seed);
bool page_is(vm_address_t a, uint64_t p, uint64_t seed);
/* True if the first `pages` pages of region a in task child hold
 * page_write's patterns of seed (read with vm_read). */
bool child_pages_are(task_t child, vm_address_t a, uint64_t pages, uint64_t seed);
/* Touches one word of each page of a new region of `pages` pages, in
 * *hog (0 if vm_allocate failed). */
void touch_pages(vm_address_t *hog, uint64_t pages);
/* Every page the machine has: free, queued and wired. */
uint64_t machine_pages(void);
/* A child's thread: writes each page of its region, reads them back, and
 * reports the sum of what it read. */
void write_then_read(void);

/* pagers.c: role=pager, and the phases orphan (fallback if hang),
 * spill and borrow. */
int pager_role(int argc, char **argv);
void orphan(bool hang);
void spill(void);
void borrow(void);
