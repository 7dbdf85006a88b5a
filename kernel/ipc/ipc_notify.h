/*
 * The kernel's notifications (idl/defs/notify.defs).  They arise under
 * ipc_lock, but sending one is a message send that takes the lock, so the
 * _locked calls only record what to send (with the rights it carries) and
 * ipc_unlock sends it.  If even the record cannot be allocated the
 * notification is lost (counted in ipc_counts.notifications_lost) and its
 * rights are released.
 */
#pragma once

#include <mach/port.h>
#include <stdbool.h>
#include <stdint.h>

#include "ipc/ipc_port.h"

/* Each consumes the naked send-once right notify. */
void ipc_notify_no_senders_locked(struct ipc_port *notify, uint32_t mscount);
void ipc_notify_dead_name_locked(struct ipc_port *notify, mach_port_name_t name);
void ipc_notify_port_deleted_locked(struct ipc_port *notify, mach_port_name_t name);
/* Also consumes the receive right of port (in transit, with its ref). */
void ipc_notify_port_destroyed_locked(struct ipc_port *notify, struct ipc_port *port);
/* Consumes the naked send-once right to port by sending through it. */
void ipc_notify_send_once_locked(struct ipc_port *port);

/* True if notifications wait to be sent. */
static inline bool ipc_notify_pending(void)
{
	return ipc_unlock_queued & IPC_UNLOCK_NOTIFY;
}

/* Sends the recorded notifications; called without ipc_lock. */
void ipc_notify_flush(void);
