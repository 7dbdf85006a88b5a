/*
 * The port interface (idl/defs/mach_port.defs): operations on the rights
 * of a task's name space, for whoever holds the task's port.  Each routine
 * validates its arguments, then calls the rights layer (ipc_right.h)
 * under ipc_lock.  The errors are listed with each routine in the .defs.
 */
#include <mach/notify.h>
#include <mach_portServer.h>

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "kern/kalloc.h"
#include "vm/vm_map.h"

/* The port whose receive right name denotes, or NULL (*kr says why). */
static struct ipc_port *receive_right_locked(struct ipc_space *space, mach_port_name_t name,
					     kern_return_t *kr)
{
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);

	*kr = e == NULL ? KERN_INVALID_NAME : KERN_INVALID_RIGHT;
	if (e == NULL || !(e->bits & IPC_ENTRY_RECEIVE))
		return NULL;
	*kr = KERN_SUCCESS;
	return e->object;
}

kern_return_t S_mach_port_names(ipc_space_t space, mach_port_name_array_t *names,
				mach_msg_type_number_t *names_count, mach_port_type_array_t *types,
				mach_msg_type_number_t *types_count)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	for (;;) {
		uint32_t n = space->in_use;
		mach_port_name_t *nb = n ? kalloc(n * sizeof(*nb)) : NULL;
		mach_port_type_t *tb = n ? kalloc(n * sizeof(*tb)) : NULL;
		if (n != 0 && (nb == NULL || tb == NULL)) {
			if (nb != NULL)
				kfree(nb, n * sizeof(*nb));
			if (tb != NULL)
				kfree(tb, n * sizeof(*tb));
			return KERN_RESOURCE_SHORTAGE;
		}
		uint64_t flags = ipc_lock_acquire();
		if (space->in_use != n) {
			/* It changed while we allocated (notifications): again. */
			ipc_unlock(flags);
			if (n != 0) {
				kfree(nb, n * sizeof(*nb));
				kfree(tb, n * sizeof(*tb));
			}
			continue;
		}
		uint32_t k = 0;
		for (uint32_t i = 1; i < space->size && k < n; i++) {
			if (space->table[i].bits == 0)
				continue;
			mach_port_name_t name = ipc_entry_name(space, i);
			struct ipc_entry *e = ipc_right_lookup_locked(space, name);
			nb[k] = name;
			tb[k++] = ipc_right_type(e);
		}
		ipc_unlock(flags);
		/* Out-of-line data leaves the kernel as a copy of memory. */
		struct vm_map_copy *nc, *tc;
		kern_return_t kr = vm_map_copy_from_buffer(nb, n * sizeof(*nb), k * sizeof(*nb), &nc);
		if (kr != KERN_SUCCESS) {
			if (n != 0)
				kfree(tb, n * sizeof(*tb));
			return kr;
		}
		kr = vm_map_copy_from_buffer(tb, n * sizeof(*tb), k * sizeof(*tb), &tc);
		if (kr != KERN_SUCCESS) {
			vm_map_copy_discard(nc);
			return kr;
		}
		*names = (mach_port_name_array_t)nc;
		*types = (mach_port_type_array_t)tc;
		*names_count = *types_count = k;
		return KERN_SUCCESS;
	}
}

kern_return_t S_mach_port_type(ipc_space_t space, mach_port_name_t name, mach_port_type_t *type)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);
	if (e != NULL)
		*type = ipc_right_type(e);
	ipc_unlock(flags);
	return e != NULL ? KERN_SUCCESS : KERN_INVALID_NAME;
}

/* Makes a port or a port set under name (fresh if pick). */
static kern_return_t allocate(ipc_space_t space, mach_port_right_t right, mach_port_name_t *name,
			      bool pick)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	if (right != MACH_PORT_RIGHT_RECEIVE && right != MACH_PORT_RIGHT_PORT_SET &&
	    right != MACH_PORT_RIGHT_DEAD_NAME)
		return KERN_INVALID_VALUE;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_entry *e;
	kern_return_t kr = pick ? ipc_entry_alloc_locked(space, name, &e)
				: ipc_entry_alloc_name_locked(space, *name, &e);
	if (kr == KERN_SUCCESS && right == MACH_PORT_RIGHT_DEAD_NAME) {
		e->bits = IPC_ENTRY_DEAD_NAME;   /* a dead name has no object */
		e->urefs = 1;
	} else if (kr == KERN_SUCCESS) {
		bool receive = right == MACH_PORT_RIGHT_RECEIVE;
		e->object = receive ? (void *)ipc_port_alloc_locked(space, *name)
				    : (void *)ipc_pset_alloc_locked();
		e->bits = receive ? IPC_ENTRY_RECEIVE : IPC_ENTRY_PORT_SET;
		if (e->object == NULL) {
			ipc_entry_free_locked(space, *name);
			kr = KERN_RESOURCE_SHORTAGE;
		}
	}
	ipc_unlock(flags);
	return kr;
}

kern_return_t S_mach_port_allocate_name(ipc_space_t space, mach_port_right_t right,
					mach_port_name_t name)
{
	return allocate(space, right, &name, false);
}

kern_return_t S_mach_port_allocate(ipc_space_t space, mach_port_right_t right,
				   mach_port_name_t *name)
{
	return allocate(space, right, name, true);
}

/* One rights-layer call on space under ipc_lock. */
#define RIGHT_CALL(space, call)                                                            \
	do {                                                                               \
		if ((space) == NULL)                                                       \
			return KERN_INVALID_TASK;                                          \
		uint64_t flags_ = ipc_lock_acquire();                                      \
		kern_return_t kr_ = (call);                                                \
		ipc_unlock(flags_);                                                        \
		return kr_;                                                                \
	} while (0)

kern_return_t S_mach_port_destroy(ipc_space_t space, mach_port_name_t name)
{
	RIGHT_CALL(space, ipc_right_destroy_locked(space, name));
}

kern_return_t S_mach_port_deallocate(ipc_space_t space, mach_port_name_t name)
{
	RIGHT_CALL(space, ipc_right_dealloc_locked(space, name));
}

kern_return_t S_mach_port_get_refs(ipc_space_t space, mach_port_name_t name,
				   mach_port_right_t right, mach_port_urefs_t *refs)
{
	RIGHT_CALL(space, ipc_right_get_refs_locked(space, name, right, refs));
}

kern_return_t S_mach_port_mod_refs(ipc_space_t space, mach_port_name_t name,
				   mach_port_right_t right, mach_port_delta_t delta)
{
	RIGHT_CALL(space, ipc_right_delta_locked(space, name, right, delta));
}

/* Which field of a receive right's port a mach_port_set_* call sets. */
enum port_field { PORT_QLIMIT, PORT_MSCOUNT, PORT_SEQNO };

static kern_return_t set_port_field(ipc_space_t space, mach_port_name_t name,
				    enum port_field field, uint32_t value)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	if (field == PORT_QLIMIT && value > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	kern_return_t kr;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port *port = receive_right_locked(space, name, &kr);
	if (port != NULL && field == PORT_QLIMIT) {
		port->qlimit = value;
		ipc_mqueue_room_locked(port);
	} else if (port != NULL) {
		*(field == PORT_MSCOUNT ? &port->mscount : &port->seqno) = value;
	}
	ipc_unlock(flags);
	return kr;
}

kern_return_t S_mach_port_set_qlimit(ipc_space_t space, mach_port_name_t name,
				     mach_port_msgcount_t qlimit)
{
	return set_port_field(space, name, PORT_QLIMIT, qlimit);
}

kern_return_t S_mach_port_set_mscount(ipc_space_t space, mach_port_name_t name,
				      mach_port_mscount_t mscount)
{
	return set_port_field(space, name, PORT_MSCOUNT, mscount);
}

kern_return_t S_mach_port_set_seqno(ipc_space_t space, mach_port_name_t name,
				    mach_port_seqno_t seqno)
{
	return set_port_field(space, name, PORT_SEQNO, seqno);
}

kern_return_t S_mach_port_get_set_status(ipc_space_t space, mach_port_name_t name,
					 mach_port_name_array_t *members,
					 mach_msg_type_number_t *count)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	for (;;) {
		uint64_t flags = ipc_lock_acquire();
		struct ipc_entry *e = ipc_right_lookup_locked(space, name);
		if (e == NULL || !(e->bits & IPC_ENTRY_PORT_SET)) {
			ipc_unlock(flags);
			return e == NULL ? KERN_INVALID_NAME : KERN_INVALID_RIGHT;
		}
		struct ipc_pset *pset = e->object;
		uint32_t n = 0;
		struct ipc_port *p = pset->members;
		if (p != NULL)
			do {
				n++;
				p = p->set_next;
			} while (p != pset->members);
		ipc_unlock(flags);

		mach_port_name_t *buf = n ? kalloc(n * sizeof(*buf)) : NULL;
		if (n != 0 && buf == NULL)
			return KERN_RESOURCE_SHORTAGE;
		flags = ipc_lock_acquire();
		e = ipc_right_lookup_locked(space, name);
		uint32_t k = 0;
		bool same = e != NULL && e->object == pset && (e->bits & IPC_ENTRY_PORT_SET);
		if (same && (p = pset->members) != NULL)
			do {
				if (k < n)
					buf[k] = p->receiver_name;
				k++;
				p = p->set_next;
			} while (p != pset->members);
		ipc_unlock(flags);
		if (same && k == n) {
			struct vm_map_copy *copy;
			kern_return_t kr = vm_map_copy_from_buffer(buf, n * sizeof(*buf),
								   n * sizeof(*buf), &copy);
			if (kr != KERN_SUCCESS)
				return kr;
			*members = (mach_port_name_array_t)copy;
			*count = n;
			return KERN_SUCCESS;
		}
		if (buf != NULL)
			kfree(buf, n * sizeof(*buf));   /* it changed: again */
	}
}

kern_return_t S_mach_port_move_member(ipc_space_t space, mach_port_name_t member,
				      mach_port_name_t after)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	kern_return_t kr;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port *port = receive_right_locked(space, member, &kr);
	struct ipc_pset *pset = NULL;
	if (port != NULL && after != MACH_PORT_NAME_NULL) {
		struct ipc_entry *e = ipc_right_lookup_locked(space, after);
		if (e == NULL)
			kr = KERN_INVALID_NAME;
		else if (!(e->bits & IPC_ENTRY_PORT_SET))
			kr = KERN_INVALID_RIGHT;
		else
			pset = e->object;
	}
	if (kr == KERN_SUCCESS && after == MACH_PORT_NAME_NULL && port->pset == NULL)
		kr = KERN_NOT_IN_SET;
	if (kr == KERN_SUCCESS && port->pset != pset) {
		if (port->pset != NULL)
			ipc_pset_remove_locked(port);
		if (pset != NULL)
			ipc_pset_add_locked(pset, port);
	}
	ipc_unlock(flags);
	return kr;
}

kern_return_t S_mach_port_request_notification(ipc_space_t space, mach_port_name_t name,
					       mach_msg_id_t id, mach_port_mscount_t sync,
					       mach_port_t notify, mach_port_t *previous)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	if (id != MACH_NOTIFY_DEAD_NAME && id != MACH_NOTIFY_NO_SENDERS &&
	    id != MACH_NOTIFY_PORT_DESTROYED)
		return KERN_INVALID_VALUE;
	if (id == MACH_NOTIFY_PORT_DESTROYED && sync != 0)
		return KERN_INVALID_VALUE;
	if (notify == MACH_PORT_DEAD)
		notify = NULL;   /* a dead right cannot be told anything */
	kern_return_t kr;
	uint64_t flags = ipc_lock_acquire();
	*previous = NULL;
	if (id == MACH_NOTIFY_DEAD_NAME) {
		kr = ipc_right_dnrequest_locked(space, name, sync, notify, previous);
	} else {
		struct ipc_port *port = receive_right_locked(space, name, &kr);
		if (port != NULL && id == MACH_NOTIFY_NO_SENDERS)
			ipc_port_nsrequest_locked(port, sync, notify, previous);
		else if (port != NULL)
			ipc_port_pdrequest_locked(port, notify, previous);
	}
	ipc_unlock(flags);
	/* On an error the demux destroys the request, and notify with it. */
	return kr;
}

/* Gives space the naked right port of type under the caller's name. */
static kern_return_t insert_locked(struct ipc_space *space, mach_port_name_t name,
				   struct ipc_port *port, mach_msg_type_name_t type)
{
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);

	if (e != NULL) {
		/* Only a send right to the port whose receive right name holds,
		 * or the other way round, or more of the same send right. */
		if (e->object != port || (e->bits & (IPC_ENTRY_SEND_ONCE | IPC_ENTRY_PORT_SET |
						     IPC_ENTRY_DEAD_NAME)))
			return KERN_NAME_EXISTS;
		if (type == MACH_MSG_TYPE_PORT_SEND && (e->bits & IPC_ENTRY_SEND)) {
			if (e->urefs >= MACH_PORT_UREFS_MAX)
				return KERN_UREFS_OVERFLOW;
			e->urefs++;
			ipc_port_release_send_locked(port);
			return KERN_SUCCESS;
		}
		if (type == MACH_MSG_TYPE_PORT_SEND) {
			e->bits |= IPC_ENTRY_SEND;
			e->urefs = 1;
		} else if (type == MACH_MSG_TYPE_PORT_RECEIVE && !(e->bits & IPC_ENTRY_RECEIVE)) {
			e->bits |= IPC_ENTRY_RECEIVE;
			port->receiver = space;
			port->receiver_name = name;
			port->destination = NULL;
		} else {
			return KERN_NAME_EXISTS;
		}
		ipc_port_release_locked(port);   /* the entry holds a reference */
		return KERN_SUCCESS;
	}
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_entry_find_object_locked(space, port, IPC_ENTRY_SEND | IPC_ENTRY_RECEIVE))
		return KERN_RIGHT_EXISTS;
	kern_return_t kr = ipc_entry_alloc_name_locked(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	e->object = port;
	e->urefs = type == MACH_MSG_TYPE_PORT_RECEIVE ? 0 : 1;
	e->bits = type == MACH_MSG_TYPE_PORT_RECEIVE ? IPC_ENTRY_RECEIVE
		  : type == MACH_MSG_TYPE_PORT_SEND  ? IPC_ENTRY_SEND
						     : IPC_ENTRY_SEND_ONCE;
	if (type == MACH_MSG_TYPE_PORT_RECEIVE) {
		port->receiver = space;
		port->receiver_name = name;
		port->destination = NULL;
	}
	return KERN_SUCCESS;
}

kern_return_t S_mach_port_insert_right(ipc_space_t space, mach_port_name_t name,
				       mach_port_t poly, mach_msg_type_name_t type)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	if (name == MACH_PORT_NAME_NULL || name == MACH_PORT_NAME_DEAD)
		return KERN_INVALID_VALUE;
	if (!IPC_PORT_VALID(poly))
		return KERN_INVALID_CAPABILITY;
	uint64_t flags = ipc_lock_acquire();
	kern_return_t kr = insert_locked(space, name, poly, type);
	ipc_unlock(flags);
	return kr;   /* on an error the demux destroys the request, poly with it */
}

kern_return_t S_mach_port_extract_right(ipc_space_t space, mach_port_name_t name,
					mach_msg_type_name_t disposition, mach_port_t *poly,
					mach_msg_type_name_t *type)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	if (!MACH_MSG_TYPE_DISPOSITION_P(disposition))
		return KERN_INVALID_VALUE;
	uint64_t flags = ipc_lock_acquire();
	kern_return_t kr = ipc_right_copyin_locked(space, name, disposition, false, poly, type);
	ipc_unlock(flags);
	/* The reply passes the naked right on as it is. */
	if (kr == KERN_SUCCESS)
		*type = *type == MACH_MSG_TYPE_PORT_SEND_ONCE ? MACH_MSG_TYPE_MOVE_SEND_ONCE
			: *type == MACH_MSG_TYPE_PORT_RECEIVE ? MACH_MSG_TYPE_MOVE_RECEIVE
							      : MACH_MSG_TYPE_MOVE_SEND;
	return kr;
}

kern_return_t S_mach_port_get_receive_status(ipc_space_t space, mach_port_name_t name,
					     mach_port_status_t *status)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	kern_return_t kr;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_port *port = receive_right_locked(space, name, &kr);
	if (port != NULL) {
		*status = (mach_port_status_t){
			.mps_pset = port->pset != NULL
					    ? ipc_entry_find_object_locked(space, port->pset,
									   IPC_ENTRY_PORT_SET)
					    : MACH_PORT_NAME_NULL,
			.mps_seqno = port->seqno,
			.mps_mscount = port->mscount,
			.mps_qlimit = port->qlimit,
			.mps_msgcount = port->msgcount,
			.mps_sorights = port->sorights,
			.mps_srights = port->srights != 0,
			.mps_pdrequest = port->pdrequest != NULL,
			.mps_nsrequest = port->nsrequest != NULL,
		};
	}
	ipc_unlock(flags);
	return kr;
}

kern_return_t S_mach_port_get_stats(ipc_space_t space, mach_port_name_t name,
				    mach_port_stats_t *stats)
{
	if (space == NULL)
		return KERN_INVALID_TASK;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);
	struct ipc_port *port = e != NULL ? ipc_entry_port(e) : NULL;
	if (port != NULL) {
		*stats = (mach_port_stats_t){
			.msgs_sent = port->msgs_sent,
			.msgs_received = port->msgs_received,
			.msgcount = port->msgcount,
			.qlimit = port->qlimit,
			.srights = port->srights,
			.sorights = port->sorights,
			.senders_blocked = port->senders_blocked,
		};
	}
	ipc_unlock(flags);
	return e == NULL ? KERN_INVALID_NAME : port == NULL ? KERN_INVALID_RIGHT : KERN_SUCCESS;
}
