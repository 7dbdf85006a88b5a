/* Rights in name spaces; see ipc_right.h. */
#include "ipc/ipc_right.h"

#include "ipc/ipc_notify.h"
#include "kern/kalloc.h"
#include "kern/panic.h"

#define PORT_BITS (IPC_ENTRY_SEND | IPC_ENTRY_RECEIVE | IPC_ENTRY_SEND_ONCE)

/* Removes the dead-name request that name has on port; its send-once right
 * is returned to the requester by a port-deleted notification. */
static void dnrequest_cancel_locked(struct ipc_space *space, mach_port_name_t name,
				    struct ipc_port *port)
{
	for (struct ipc_dnrequest **pp = &port->dnrequests; *pp != NULL; pp = &(*pp)->next) {
		struct ipc_dnrequest *req = *pp;
		if (req->space != space || req->name != name)
			continue;
		*pp = req->next;
		ipc_notify_port_deleted_locked(req->notify, name);
		kfree(req, sizeof(*req));
		return;
	}
}

/* Frees the entry if it holds nothing any more, dropping its reference. */
static void entry_check_free_locked(struct ipc_space *space, mach_port_name_t name,
				    struct ipc_entry *e, struct ipc_port *port)
{
	if (e->bits & ~IPC_ENTRY_DNREQUEST)
		return;
	if (e->bits & IPC_ENTRY_DNREQUEST)
		dnrequest_cancel_locked(space, name, port);
	ipc_entry_free_locked(space, name);
	if (port != NULL)
		ipc_port_release_locked(port);
}

/* The entry's send or send-once right to a dead port becomes a dead name. */
static void entry_make_dead_locked(struct ipc_entry *e)
{
	struct ipc_port *port = e->object;

	/* urefs stays: a send-once right has one, plus any a dead-name
	 * notification added (ipc_right_dead_name_uref_locked). */
	if (e->bits & IPC_ENTRY_SEND)
		port->srights--;
	else
		port->sorights--;
	e->bits = IPC_ENTRY_DEAD_NAME;
	e->object = NULL;
	ipc_port_release_locked(port);
}

struct ipc_entry *ipc_right_lookup_locked(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_entry_lookup_locked(space, name);

	if (e != NULL && (e->bits & (IPC_ENTRY_SEND | IPC_ENTRY_SEND_ONCE)) &&
	    !((struct ipc_port *)e->object)->active)
		entry_make_dead_locked(e);
	return e;
}

bool ipc_right_copyin_check(const struct ipc_entry *e, mach_msg_type_name_t disposition,
			    uint32_t taken, bool dead_ok)
{
	if (e == NULL)
		return false;
	if (e->bits & IPC_ENTRY_DEAD_NAME)
		return dead_ok && disposition != MACH_MSG_TYPE_MOVE_RECEIVE &&
		       disposition != MACH_MSG_TYPE_MAKE_SEND &&
		       disposition != MACH_MSG_TYPE_MAKE_SEND_ONCE && e->urefs > taken;
	switch (disposition) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return (e->bits & IPC_ENTRY_RECEIVE) != 0;
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		return (e->bits & IPC_ENTRY_SEND) && e->urefs > taken;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return (e->bits & IPC_ENTRY_SEND_ONCE) && taken == 0;
	}
	return false;
}

/* Copyin of a dead name: one user reference goes with MOVE_SEND(_ONCE). */
static void copyin_dead_locked(struct ipc_space *space, mach_port_name_t name,
			       struct ipc_entry *e, mach_msg_type_name_t disposition)
{
	if (disposition != MACH_MSG_TYPE_COPY_SEND && --e->urefs == 0)
		ipc_entry_free_locked(space, name);
}

kern_return_t ipc_right_copyin_locked(struct ipc_space *space, mach_port_name_t name,
				      mach_msg_type_name_t disposition, bool dead_ok,
				      struct ipc_port **portp, mach_msg_type_name_t *type)
{
	if (!MACH_MSG_TYPE_DISPOSITION_P(disposition))
		return KERN_INVALID_VALUE;
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);
	if (e == NULL)
		return KERN_INVALID_NAME;
	if (!ipc_right_copyin_check(e, disposition, 0, dead_ok))
		return KERN_INVALID_RIGHT;

	struct ipc_port *port = e->object;
	if (e->bits & IPC_ENTRY_DEAD_NAME) {
		copyin_dead_locked(space, name, e, disposition);
		*portp = IPC_PORT_DEAD;
		*type = disposition == MACH_MSG_TYPE_MOVE_SEND_ONCE ? MACH_MSG_TYPE_PORT_SEND_ONCE
								    : MACH_MSG_TYPE_PORT_SEND;
		return KERN_SUCCESS;
	}
	switch (disposition) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		e->bits &= ~IPC_ENTRY_RECEIVE;
		ipc_port_clear_receiver_locked(port);
		if (e->bits & IPC_ENTRY_SEND)
			ipc_port_reference_locked(port);   /* the entry keeps its own */
		else
			ipc_entry_free_locked(space, name);  /* its reference moves */
		*type = MACH_MSG_TYPE_PORT_RECEIVE;
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		ipc_port_make_send_locked(port);
		*type = MACH_MSG_TYPE_PORT_SEND;
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		ipc_port_make_sonce_locked(port);
		*type = MACH_MSG_TYPE_PORT_SEND_ONCE;
		break;
	case MACH_MSG_TYPE_COPY_SEND:
		ipc_port_copy_send_locked(port);
		*type = MACH_MSG_TYPE_PORT_SEND;
		break;
	case MACH_MSG_TYPE_MOVE_SEND:
		*type = MACH_MSG_TYPE_PORT_SEND;
		if (--e->urefs != 0) {
			ipc_port_copy_send_locked(port);
			break;
		}
		/* The entry's send right itself moves, with its reference. */
		e->bits &= ~IPC_ENTRY_SEND;
		if (e->bits & IPC_ENTRY_RECEIVE) {
			ipc_port_reference_locked(port);
		} else {
			if (e->bits & IPC_ENTRY_DNREQUEST)
				dnrequest_cancel_locked(space, name, port);
			ipc_entry_free_locked(space, name);
		}
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (e->bits & IPC_ENTRY_DNREQUEST)
			dnrequest_cancel_locked(space, name, port);
		ipc_entry_free_locked(space, name);
		*type = MACH_MSG_TYPE_PORT_SEND_ONCE;
		break;
	}
	*portp = port;
	return KERN_SUCCESS;
}

mach_msg_type_name_t ipc_right_copyin_kernel_type(mach_msg_type_name_t disposition)
{
	/* A table, not a switch: every message the kernel sends comes here. */
#define AT(d) [(d) - MACH_MSG_TYPE_MOVE_RECEIVE]
	static const uint8_t types[] = {
		AT(MACH_MSG_TYPE_MOVE_RECEIVE) = MACH_MSG_TYPE_PORT_RECEIVE,
		AT(MACH_MSG_TYPE_MOVE_SEND) = MACH_MSG_TYPE_PORT_SEND,
		AT(MACH_MSG_TYPE_MOVE_SEND_ONCE) = MACH_MSG_TYPE_PORT_SEND_ONCE,
		AT(MACH_MSG_TYPE_COPY_SEND) = MACH_MSG_TYPE_PORT_SEND,
		AT(MACH_MSG_TYPE_MAKE_SEND) = MACH_MSG_TYPE_PORT_SEND,
		AT(MACH_MSG_TYPE_MAKE_SEND_ONCE) = MACH_MSG_TYPE_PORT_SEND_ONCE,
	};
#undef AT
	uint32_t i = disposition - MACH_MSG_TYPE_MOVE_RECEIVE;

	return i < sizeof(types) ? types[i] : MACH_MSG_TYPE_PORT_SEND;
}

mach_msg_type_name_t ipc_right_copyin_kernel_locked(struct ipc_port *port,
						    mach_msg_type_name_t disposition)
{
	/* MOVE_* and COPY_SEND pass on a naked right the caller made. */
	if (IPC_PORT_VALID(port) && disposition == MACH_MSG_TYPE_MAKE_SEND)
		ipc_port_make_send_locked(port);
	else if (IPC_PORT_VALID(port) && disposition == MACH_MSG_TYPE_MAKE_SEND_ONCE)
		ipc_port_make_sonce_locked(port);
	return ipc_right_copyin_kernel_type(disposition);
}

kern_return_t ipc_right_alloc_receive_locked(struct ipc_space *space, mach_port_name_t *name,
					     struct ipc_port **portp)
{
	struct ipc_entry *e;
	kern_return_t kr = ipc_entry_alloc_locked(space, name, &e);

	if (kr != KERN_SUCCESS)
		return kr;
	struct ipc_port *port = ipc_port_alloc_locked(space, *name);
	if (port == NULL) {
		ipc_entry_free_locked(space, *name);
		return KERN_RESOURCE_SHORTAGE;
	}
	e->bits = IPC_ENTRY_RECEIVE;
	e->object = port;
	if (portp != NULL)
		*portp = port;
	return KERN_SUCCESS;
}

/* A send right to port joins the entry space has for it, if any. */
static bool copyout_join_locked(struct ipc_space *space, struct ipc_port *port,
				mach_port_name_t *name)
{
	mach_port_name_t n = port->receiver == space
				     ? port->receiver_name
				     : ipc_entry_find_object_locked(space, port, IPC_ENTRY_SEND);
	if (n == MACH_PORT_NAME_NULL)
		return false;
	struct ipc_entry *e = ipc_entry_lookup_locked(space, n);
	if (e == NULL || !(e->bits & (IPC_ENTRY_SEND | IPC_ENTRY_RECEIVE)))
		return false;   /* a send-once entry: a send right gets its own */
	if (e->bits & IPC_ENTRY_SEND) {
		if (e->urefs < MACH_PORT_UREFS_MAX)
			e->urefs++;
		ipc_port_release_send_locked(port);    /* the entry has one already */
	} else {
		e->bits |= IPC_ENTRY_SEND;
		e->urefs = 1;
		ipc_port_release_locked(port);         /* the entry has a reference */
	}
	*name = n;
	return true;
}

kern_return_t ipc_right_copyout_locked(struct ipc_space *space, struct ipc_port *port,
				       mach_msg_type_name_t type, mach_port_name_t *name)
{
	if (port == NULL) {
		*name = MACH_PORT_NAME_NULL;
		return KERN_SUCCESS;
	}
	if (port == IPC_PORT_DEAD || (!port->active && type != MACH_MSG_TYPE_PORT_RECEIVE)) {
		if (port != IPC_PORT_DEAD)
			ipc_right_destroy_naked_locked(port, type);
		*name = MACH_PORT_NAME_DEAD;
		return KERN_SUCCESS;
	}
	if (type == MACH_MSG_TYPE_PORT_SEND && copyout_join_locked(space, port, name))
		return KERN_SUCCESS;
	if (type == MACH_MSG_TYPE_PORT_RECEIVE) {
		mach_port_name_t n = ipc_entry_find_object_locked(space, port, IPC_ENTRY_SEND);
		struct ipc_entry *e = n ? ipc_entry_lookup_locked(space, n) : NULL;
		if (e != NULL && (e->bits & IPC_ENTRY_SEND)) {
			e->bits |= IPC_ENTRY_RECEIVE;
			ipc_port_release_locked(port);
			port->receiver = space;
			port->receiver_name = n;
			port->destination = NULL;
			*name = n;
			return KERN_SUCCESS;
		}
	}

	struct ipc_entry *e;
	kern_return_t kr = ipc_entry_alloc_locked(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	e->object = port;
	switch (type) {
	case MACH_MSG_TYPE_PORT_RECEIVE:
		e->bits = IPC_ENTRY_RECEIVE;
		port->receiver = space;
		port->receiver_name = *name;
		port->destination = NULL;
		break;
	case MACH_MSG_TYPE_PORT_SEND:
		e->bits = IPC_ENTRY_SEND;
		e->urefs = 1;
		break;
	default:
		e->bits = IPC_ENTRY_SEND_ONCE;
		e->urefs = 1;
		break;
	}
	return KERN_SUCCESS;
}

void ipc_right_destroy_naked_locked(struct ipc_port *port, mach_msg_type_name_t type)
{
	if (!IPC_PORT_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_PORT_RECEIVE:
		ipc_port_destroy_locked(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND:
		ipc_port_release_send_locked(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		ipc_port_destroy_sonce_locked(port);
		break;
	default:
		panic("ipc: destroying a right of type %u", type);
	}
}

/* Destroys the receive right an entry holds; the entry may stay (SEND). */
static void entry_destroy_receive_locked(struct ipc_space *space, mach_port_name_t name,
					 struct ipc_entry *e)
{
	struct ipc_port *port = e->object;

	e->bits &= ~IPC_ENTRY_RECEIVE;
	if (!(e->bits & IPC_ENTRY_SEND)) {
		ipc_entry_free_locked(space, name);   /* its reference goes */
		ipc_port_destroy_locked(port);
		return;
	}
	ipc_port_reference_locked(port);      /* the destroy consumes one */
	ipc_port_destroy_locked(port);
	if (!port->active)
		entry_make_dead_locked(e);
}

kern_return_t ipc_right_dealloc_locked(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);

	if (e == NULL)
		return KERN_INVALID_NAME;
	if (e->bits & IPC_ENTRY_DEAD_NAME) {
		if (--e->urefs == 0)
			ipc_entry_free_locked(space, name);
		return KERN_SUCCESS;
	}
	return ipc_right_delta_locked(space, name,
				      e->bits & IPC_ENTRY_SEND_ONCE ? MACH_PORT_RIGHT_SEND_ONCE
								    : MACH_PORT_RIGHT_SEND,
				      -1);
}

kern_return_t ipc_right_destroy_locked(struct ipc_space *space, mach_port_name_t name)
{
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);

	if (e == NULL)
		return KERN_INVALID_NAME;
	if (e->bits & IPC_ENTRY_PORT_SET) {
		struct ipc_pset *pset = e->object;
		ipc_entry_free_locked(space, name);
		ipc_pset_destroy_locked(pset);
		return KERN_SUCCESS;
	}
	if (e->bits & IPC_ENTRY_DEAD_NAME) {
		ipc_entry_free_locked(space, name);
		return KERN_SUCCESS;
	}
	if (e->bits & IPC_ENTRY_RECEIVE)
		entry_destroy_receive_locked(space, name, e);
	e = ipc_right_lookup_locked(space, name);
	if (e == NULL)
		return KERN_SUCCESS;
	if (e->bits & IPC_ENTRY_DEAD_NAME) {
		ipc_entry_free_locked(space, name);
		return KERN_SUCCESS;
	}
	struct ipc_port *port = e->object;
	if (e->bits & IPC_ENTRY_SEND) {
		e->bits &= ~IPC_ENTRY_SEND;
		e->urefs = 0;
		ipc_port_reference_locked(port);
		ipc_port_release_send_locked(port);
	} else if (e->bits & IPC_ENTRY_SEND_ONCE) {
		e->bits &= ~IPC_ENTRY_SEND_ONCE;
		ipc_port_reference_locked(port);
		ipc_port_destroy_sonce_locked(port);
	}
	entry_check_free_locked(space, name, e, port);
	return KERN_SUCCESS;
}

/* Moves an entry's user references by delta: KERN_INVALID_VALUE below
 * zero, KERN_UREFS_OVERFLOW above the limit.  *left: how many remain. */
static kern_return_t urefs_delta(struct ipc_entry *e, mach_port_delta_t delta, uint32_t *left)
{
	int64_t urefs = (int64_t)e->urefs + delta;

	if (urefs < 0)
		return KERN_INVALID_VALUE;
	if (urefs > MACH_PORT_UREFS_MAX)
		return KERN_UREFS_OVERFLOW;
	e->urefs = *left = (uint32_t)urefs;
	return KERN_SUCCESS;
}

/* mod_refs on a send right: urefs move by delta; at zero the right goes. */
static kern_return_t delta_send_locked(struct ipc_space *space, mach_port_name_t name,
				       struct ipc_entry *e, mach_port_delta_t delta)
{
	uint32_t left;

	if (!(e->bits & IPC_ENTRY_SEND))
		return delta == 0 && (e->bits & IPC_ENTRY_RECEIVE) ? KERN_SUCCESS
								   : KERN_INVALID_RIGHT;
	kern_return_t kr = urefs_delta(e, delta, &left);
	if (kr != KERN_SUCCESS || left != 0)
		return kr;
	struct ipc_port *port = e->object;
	e->bits &= ~IPC_ENTRY_SEND;
	ipc_port_reference_locked(port);
	ipc_port_release_send_locked(port);
	entry_check_free_locked(space, name, e, port);
	return KERN_SUCCESS;
}

kern_return_t ipc_right_delta_locked(struct ipc_space *space, mach_port_name_t name,
				     mach_port_right_t right, mach_port_delta_t delta)
{
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);
	if (e == NULL)
		return KERN_INVALID_NAME;

	switch (right) {
	case MACH_PORT_RIGHT_SEND:
		return delta_send_locked(space, name, e, delta);
	case MACH_PORT_RIGHT_DEAD_NAME: {
		uint32_t left;
		if (!(e->bits & IPC_ENTRY_DEAD_NAME))
			return KERN_INVALID_RIGHT;
		kern_return_t kr = urefs_delta(e, delta, &left);
		if (kr == KERN_SUCCESS && left == 0)
			ipc_entry_free_locked(space, name);
		return kr;
	}
	case MACH_PORT_RIGHT_RECEIVE:
	case MACH_PORT_RIGHT_SEND_ONCE:
	case MACH_PORT_RIGHT_PORT_SET: {
		uint32_t bit = right == MACH_PORT_RIGHT_RECEIVE     ? IPC_ENTRY_RECEIVE
			       : right == MACH_PORT_RIGHT_SEND_ONCE ? IPC_ENTRY_SEND_ONCE
								    : IPC_ENTRY_PORT_SET;
		if (!(e->bits & bit))
			return KERN_INVALID_RIGHT;
		if (delta < -1 || delta > 0)
			return KERN_INVALID_VALUE;
		if (delta == 0)
			return KERN_SUCCESS;
		if (right == MACH_PORT_RIGHT_RECEIVE) {
			entry_destroy_receive_locked(space, name, e);
			return KERN_SUCCESS;
		}
		return ipc_right_destroy_locked(space, name);
	}
	}
	return KERN_INVALID_VALUE;
}

kern_return_t ipc_right_get_refs_locked(struct ipc_space *space, mach_port_name_t name,
					mach_port_right_t right, mach_port_urefs_t *refs)
{
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);
	if (e == NULL)
		return KERN_INVALID_NAME;
	switch (right) {
	case MACH_PORT_RIGHT_SEND:
		*refs = e->bits & IPC_ENTRY_SEND ? e->urefs : 0;
		break;
	case MACH_PORT_RIGHT_RECEIVE:
		*refs = (e->bits & IPC_ENTRY_RECEIVE) != 0;
		break;
	case MACH_PORT_RIGHT_SEND_ONCE:
		*refs = (e->bits & IPC_ENTRY_SEND_ONCE) != 0;
		break;
	case MACH_PORT_RIGHT_PORT_SET:
		*refs = (e->bits & IPC_ENTRY_PORT_SET) != 0;
		break;
	default:
		*refs = e->bits & IPC_ENTRY_DEAD_NAME ? e->urefs : 0;
		break;
	}
	return KERN_SUCCESS;
}

mach_port_type_t ipc_right_type(const struct ipc_entry *e)
{
	mach_port_type_t type = 0;

	if (e->bits & IPC_ENTRY_SEND)
		type |= MACH_PORT_TYPE_SEND;
	if (e->bits & IPC_ENTRY_RECEIVE)
		type |= MACH_PORT_TYPE_RECEIVE;
	if (e->bits & IPC_ENTRY_SEND_ONCE)
		type |= MACH_PORT_TYPE_SEND_ONCE;
	if (e->bits & IPC_ENTRY_PORT_SET)
		type |= MACH_PORT_TYPE_PORT_SET;
	if (e->bits & IPC_ENTRY_DEAD_NAME)
		type |= MACH_PORT_TYPE_DEAD_NAME;
	if (e->bits & IPC_ENTRY_DNREQUEST)
		type |= MACH_PORT_TYPE_DNREQUEST;
	return type;
}

kern_return_t ipc_right_dnrequest_locked(struct ipc_space *space, mach_port_name_t name,
					 uint32_t sync, struct ipc_port *notify,
					 struct ipc_port **previous)
{
	struct ipc_entry *e = ipc_right_lookup_locked(space, name);

	*previous = NULL;
	if (e == NULL)
		return KERN_INVALID_NAME;
	if (e->bits & IPC_ENTRY_DEAD_NAME) {
		/* Already dead: with sync, the notification goes at once. */
		if (notify == NULL)
			return KERN_INVALID_RIGHT;
		if (sync == 0)
			return KERN_INVALID_ARGUMENT;
		if (e->urefs >= MACH_PORT_UREFS_MAX)
			return KERN_UREFS_OVERFLOW;
		e->urefs++;
		ipc_notify_dead_name_locked(notify, name);
		return KERN_SUCCESS;
	}
	if (!(e->bits & (IPC_ENTRY_SEND | IPC_ENTRY_SEND_ONCE)))
		return KERN_INVALID_RIGHT;
	struct ipc_port *port = e->object;
	struct ipc_dnrequest *req = NULL;
	for (req = port->dnrequests; req != NULL; req = req->next)
		if (req->space == space && req->name == name)
			break;
	if (req != NULL) {
		*previous = req->notify;
		if (notify != NULL) {
			req->notify = notify;
			return KERN_SUCCESS;
		}
		struct ipc_dnrequest **pp = &port->dnrequests;
		while (*pp != req)
			pp = &(*pp)->next;
		*pp = req->next;
		kfree(req, sizeof(*req));
		e->bits &= ~IPC_ENTRY_DNREQUEST;
		return KERN_SUCCESS;
	}
	if (notify == NULL)
		return KERN_SUCCESS;
	req = kalloc(sizeof(*req));
	if (req == NULL)
		return KERN_RESOURCE_SHORTAGE;
	req->space = space;
	req->name = name;
	req->notify = notify;
	req->next = port->dnrequests;
	port->dnrequests = req;
	e->bits |= IPC_ENTRY_DNREQUEST;
	return KERN_SUCCESS;
}

void ipc_right_dead_name_uref_locked(struct ipc_space *space, mach_port_name_t name,
				     struct ipc_port *port)
{
	struct ipc_entry *e = ipc_entry_lookup_locked(space, name);

	if (e == NULL || e->object != port)
		return;
	e->bits &= ~IPC_ENTRY_DNREQUEST;
	if (e->urefs < MACH_PORT_UREFS_MAX)
		e->urefs++;
}

void ipc_space_terminate(struct ipc_space *space)
{
	uint64_t flags = ipc_lock_acquire();

	space->active = false;
	for (uint32_t i = 1; i < space->size; i++) {
		if (space->table[i].bits != 0)
			ipc_right_destroy_locked(space, ipc_entry_name(space, i));
	}
	if (space->in_use != 0)
		panic("ipc: space %p keeps %u entries after termination", space, space->in_use);
	ipc_unlock(flags);
	ipc_space_destroy(space);
}
