/*
 * libpager's host test (pager_test.c, hooks_test.c): the pretend kernel's
 * log of what libpager sent it, the pager under test (PAGES pages, byte
 * i of page p is p + 1, in store), and the helpers every test uses.
 */
#pragma once

#include <memory_object.h>
#include <notify.h>
#include <stdio.h>
#include <string.h>

#include "../pager_priv.h"
#include "fake_mach.h"

#define PAGES 64

/* What the pretend kernel received, in order (kcalls[0 .. nkcalls)). */
enum kcall_kind {
	K_SUPPLY, K_ERROR, K_UNAVAILABLE, K_LOCK, K_CHANGE, K_READY, K_DESTROY, K_RETURNED
};

struct kcall {
	enum kcall_kind kind;
	mach_port_t control;
	vm_offset_t offset;
	vm_size_t size;
	uint8_t first_byte;            /* K_SUPPLY: of each page, the first */
	const void *data;              /* K_SUPPLY: where the page was sent from */
	kern_return_t error;           /* K_ERROR, K_DESTROY; K_RETURNED: result */
	memory_object_return_t should_return;
	boolean_t flag;                /* K_LOCK: flush; K_READY: may_cache */
	vm_prot_t lock_value;
	mach_port_t reply_to;
};

extern struct kcall kcalls[256];
extern unsigned nkcalls;

/* The pager's store, and the pages write_page wrote since fresh. */
extern uint8_t store[PAGES][4096];
extern unsigned writes;

/* The server, the object under test, its port and its cache's control. */
extern struct pager_server server;
extern struct pager_object *obj;
extern mach_port_t port, control;

bool check(bool cond, const char *expr, int line);
#define CHECK(cond) check((cond), #cond, __LINE__)

/* Serves every message queued for the server's objects. */
void drain(void);
struct pager_stats stats(void);
/* A fresh object and, with init, a kernel cache of it. */
bool fresh(bool init);
/* The object goes (the client's right and no-senders), and nothing leaks. */
bool done(void);
/* kcalls[i] is a supply of page `page`'s data at offset. */
bool supplied(unsigned i, vm_offset_t offset, unsigned page);
/* A region as the kernel returns pages: page i filled with fill + i. */
vm_offset_t returned(unsigned pages, uint8_t fill);

struct pager_test {
	const char *name;
	bool (*run)(void);
};
#define T(fn) { #fn, fn }

/* hooks_test.c: struct pager_hooks. */
extern const struct pager_test hook_tests[];
extern const unsigned hook_tests_count;
