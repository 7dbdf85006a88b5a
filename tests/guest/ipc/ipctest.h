/*
 * ipctest: ports and messages tested from user space (tests/guest/README.md).
 * One behaviour per test name; the runner (main.c) prints TAP and halts
 * the machine.  Helper tasks are copies of ipctest started with a role.
 */
#pragma once

#include <bootstrap.h>
#include <mach/mach.h>
#include <stdbool.h>

/* ---- main.c: TAP ---- */
void tap_ok(bool ok, const char *name);
void tap_kr(kern_return_t got, kern_return_t want, const char *name);
void tap_eq(uint64_t got, uint64_t want, const char *name);
#define diag(...) mach_printf("# " __VA_ARGS__)

extern mach_port_t host_priv;

/* ---- util.c ---- */
/* A message with a header and room for a body. */
typedef union {
	mach_msg_header_t h;
	uint8_t bytes[MACH_MSG_SIZE_MAX];
} msg_buf_t;

mach_port_t port_receive(void);          /* a new receive right */
mach_port_t port_receive_send(void);     /* and a send right under the same name */
mach_port_type_t port_type(mach_port_t name);   /* 0 if the name denotes nothing */
mach_port_urefs_t port_refs(mach_port_t name, mach_port_right_t right);

/* A simple message of size bytes (>= 32) with id. */
mach_msg_return_t send_simple(mach_port_t dest, mach_msg_type_name_t disposition,
			      mach_port_t reply, mach_msg_type_name_t reply_disposition,
			      mach_msg_id_t id, mach_msg_size_t size, mach_msg_option_t option,
			      mach_msg_timeout_t timeout);
/* Receives on name into buf (size bytes), with option added. */
mach_msg_return_t receive(mach_port_t name, msg_buf_t *buf, mach_msg_size_t size,
			  mach_msg_option_t option, mach_msg_timeout_t timeout);
/* Sends a complex message carrying one port right. */
mach_msg_return_t send_port(mach_port_t dest, mach_port_t right,
			    mach_msg_type_name_t disposition, mach_msg_id_t id);

/* The kernel's IPC counts, for leak checks. */
struct host_ipc_info ipc_counts(void);
bool ipc_counts_equal(const struct host_ipc_info *a, const struct host_ipc_info *b);

/* Starts a copy of ipctest with "role=ROLE" and extra words; suspended
 * helpers are not: it runs.  The task port in *task. */
kern_return_t spawn_role(const char *role, const char *extra, mach_port_t *task);
/* The port registered under name, waiting up to a second for it. */
mach_port_t look_up_service(char *name);
/* An RPC of id with a body "ping" and a 64-byte request; MACH_RCV_TIMEOUT
 * in option (2 s) keeps the caller's half off the fast path. */
mach_msg_return_t ping_rpc(mach_port_t server, mach_msg_id_t id, msg_buf_t *m,
			   mach_msg_option_t option);

/* ---- the groups ---- */
void test_rights(void);
void test_notify(void);
void test_queue(void);
void test_badmsg(void);
void test_tasks(void);
void test_sets(void);
void test_sets_alone(void);
void test_names(void);
void test_fuzz(void);

/* ---- roles (helper tasks) ---- */
void role_server(void);       /* serves echo RPCs on the port it registers */
void role_set_server(bool alone);   /* the same on a port set (sets.c) */
