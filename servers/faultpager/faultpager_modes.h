/*
 * faultpager's injections (idl/defs/faultpager.defs: inject), for its
 * clients and its boot arguments (mode=NAME arg=N after=N).  Each mode
 * acts on the messages it names once the first `after` data_requests
 * since it was set have been served well.
 */
#pragma once

#include <mach/mach.h>

enum faultpager_mode {
	FAULTPAGER_NONE,          /* serves well */
	FAULTPAGER_DELAY,         /* waits arg ms before it serves a data_request */
	FAULTPAGER_HANG,          /* answers no message of the kernel's (drops them) */
	FAULTPAGER_EXIT,          /* exits at a data_request */
	FAULTPAGER_EXIT_WRITEBACK,/* exits in the middle of storing a data_return */
	FAULTPAGER_DROP,          /* drops arg per mille of the data_requests */
	FAULTPAGER_ERROR,         /* answers data_requests with data_error(arg) */
	FAULTPAGER_WRONG_DATA,    /* supplies pages whose first word is flipped */
	FAULTPAGER_WRONG_OFFSET,  /* supplies the page asked for at the next offset */
	FAULTPAGER_NO_ACK,        /* stores data_returns, never says return_completed */
	FAULTPAGER_SELF_DEADLOCK, /* reads the page asked for through its own mapping */
	FAULTPAGER_CYCLE,         /* reads its peer's object (faultpager.defs: peer) */
	FAULTPAGER_MODES,
};

/* The largest arg of FAULTPAGER_DELAY (one minute) and of DROP (all). */
#define FAULTPAGER_DELAY_MAX_MS 60000u
#define FAULTPAGER_DROP_ALL 1000u

static const char *const faultpager_mode_names[FAULTPAGER_MODES] = {
	"none", "delay", "hang", "exit", "exit_writeback", "drop", "error",
	"wrong_data", "wrong_offset", "no_ack", "self_deadlock", "cycle",
};

/* The mode called name, or FAULTPAGER_MODES if none is. */
static inline unsigned faultpager_mode_of(const char *name)
{
	unsigned m = 0;

	while (m < FAULTPAGER_MODES && strcmp(faultpager_mode_names[m], name) != 0)
		m++;
	return m;
}
