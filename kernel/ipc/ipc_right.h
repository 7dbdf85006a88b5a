/*
 * Rights in name spaces: what a name denotes, and moving rights between a
 * space and the kernel (a message in transit, or a kernel structure).
 *
 * An entry holds, under one name: the receive right and send rights of one
 * port (RECEIVE and/or SEND; urefs counts the send rights' user
 * references), or one send-once right (urefs 1), or a port set, or a dead
 * name (urefs user references).  An entry that names a port holds one
 * reference to it, and contributes one to srights (SEND) or sorights
 * (SEND_ONCE) however many urefs it has.  A send or send-once entry
 * whose port has died becomes a dead name the first time it is looked up
 * (ipc_right_lookup_locked), keeping its user references.
 *
 * All functions are called with ipc_lock held.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>
#include <stdbool.h>
#include <stddef.h>

#include "ipc/ipc_port.h"
#include "ipc/ipc_space.h"

#ifndef MACH_PORT_UREFS_MAX
#define MACH_PORT_UREFS_MAX 0xffffu
#endif

/* The value of a port slot that holds a dead right (MACH_PORT_DEAD). */
#define IPC_PORT_DEAD ((struct ipc_port *)MACH_PORT_DEAD)
#define IPC_PORT_VALID(p) ((p) != NULL && (p) != IPC_PORT_DEAD)

/* The entry name denotes, with a dead port's rights turned into a dead
 * name; NULL if name denotes nothing. */
struct ipc_entry *ipc_right_lookup_locked(struct ipc_space *space, mach_port_name_t name);

/* The port the entry names, or NULL (a port set or dead name). */
static inline struct ipc_port *ipc_entry_port(const struct ipc_entry *e)
{
	return e->bits & (IPC_ENTRY_SEND | IPC_ENTRY_RECEIVE | IPC_ENTRY_SEND_ONCE) ? e->object
										     : NULL;
}

/*
 * True if copyin with disposition would succeed on the entry, counting
 * `taken` user references already promised to an earlier copyin of the
 * same name in the same message.  dead_ok: a dead name may be sent
 * (it arrives as MACH_PORT_DEAD); a destination may not be dead.
 */
bool ipc_right_copyin_check(const struct ipc_entry *e, mach_msg_type_name_t disposition,
			    uint32_t taken, bool dead_ok);

/*
 * Takes from space the right that disposition names under name, as a
 * naked right in *port (IPC_PORT_DEAD for a dead name).  *type is the
 * right the receiver will get (MACH_MSG_TYPE_PORT_*).
 * KERN_INVALID_NAME: name denotes nothing;
 * KERN_INVALID_RIGHT: not the right the disposition needs;
 * KERN_INVALID_VALUE: disposition is not one.
 */
kern_return_t ipc_right_copyin_locked(struct ipc_space *space, mach_port_name_t name,
				      mach_msg_type_name_t disposition, bool dead_ok,
				      struct ipc_port **port, mach_msg_type_name_t *type);

/* The right a receiver gets for a right sent with disposition. */
mach_msg_type_name_t ipc_right_copyin_kernel_type(mach_msg_type_name_t disposition);

/* A new port with its receive right in space, under a fresh name.
 * KERN_NO_SPACE, KERN_RESOURCE_SHORTAGE. */
kern_return_t ipc_right_alloc_receive_locked(struct ipc_space *space, mach_port_name_t *name,
					     struct ipc_port **port);

/* Makes a naked right of the kind disposition names from a port pointer
 * the kernel holds (messages the kernel sends): MAKE_* make one (the
 * kernel holds the receive right), the others pass on one the caller
 * holds.  The right the receiver gets. */
mach_msg_type_name_t ipc_right_copyin_kernel_locked(struct ipc_port *port,
						    mach_msg_type_name_t disposition);

/*
 * Gives a naked right (type MACH_MSG_TYPE_PORT_*) to space and returns
 * its name there: a send right joins an entry the space has for the port.
 * A NULL or dead right is MACH_PORT_NULL or DEAD.  KERN_NO_SPACE or
 * KERN_RESOURCE_SHORTAGE: the right is still the caller's.
 */
kern_return_t ipc_right_copyout_locked(struct ipc_space *space, struct ipc_port *port,
				       mach_msg_type_name_t type, mach_port_name_t *name);

/* Destroys a naked right of type MACH_MSG_TYPE_PORT_*. */
void ipc_right_destroy_naked_locked(struct ipc_port *port, mach_msg_type_name_t type);

/*
 * The user-visible operations (mach_port_*).  Each returns
 * KERN_INVALID_NAME if name denotes nothing, KERN_INVALID_RIGHT if not
 * the right the call needs, KERN_INVALID_VALUE for a bad right kind or
 * delta, KERN_UREFS_OVERFLOW if a count would exceed MACH_PORT_UREFS_MAX.
 */
kern_return_t ipc_right_dealloc_locked(struct ipc_space *space, mach_port_name_t name);
kern_return_t ipc_right_destroy_locked(struct ipc_space *space, mach_port_name_t name);
kern_return_t ipc_right_delta_locked(struct ipc_space *space, mach_port_name_t name,
				     mach_port_right_t right, mach_port_delta_t delta);
kern_return_t ipc_right_get_refs_locked(struct ipc_space *space, mach_port_name_t name,
					mach_port_right_t right, mach_port_urefs_t *refs);
mach_port_type_t ipc_right_type(const struct ipc_entry *e);

/* A dead-name request on name, with the send-once right notify. */
kern_return_t ipc_right_dnrequest_locked(struct ipc_space *space, mach_port_name_t name,
					 uint32_t sync, struct ipc_port *notify,
					 struct ipc_port **previous);

/* The port died: name's entry gets the user reference its dead-name
 * notification carries. */
void ipc_right_dead_name_uref_locked(struct ipc_space *space, mach_port_name_t name,
				     struct ipc_port *port);

/* Releases every right of a task that ends, and frees the space. */
void ipc_space_terminate(struct ipc_space *space);
