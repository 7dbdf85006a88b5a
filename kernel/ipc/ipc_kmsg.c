/* Messages in the kernel; see ipc_kmsg.h for their states. */
#include "ipc/ipc_kmsg.h"

#include <mach/host_info.h>

#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "ipc/ipc_space.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "kern/task.h"
#include "kern/thread.h"
#include "kern/usercopy.h"
#include "vm/vm_map.h"
#include "vm/vm_resident.h"

#define KMSG_HEAD (sizeof(struct ipc_kmsg) - sizeof(mach_msg_header_t))

struct ipc_kmsg_cache ipc_kmsg_cache;

struct ipc_kmsg *ipc_kmsg_alloc(mach_msg_size_t size)
{
	struct ipc_kmsg *kmsg;
	uint32_t alloc = size <= IPC_KMSG_CACHED_SIZE ? IPC_KMSG_CACHED_SIZE : size;
	uint64_t flags = simple_lock(&ipc_lock);

	kmsg = alloc == IPC_KMSG_CACHED_SIZE ? ipc_kmsg_cached_locked() : NULL;
	if (kmsg == NULL) {
		kmsg = kalloc(KMSG_HEAD + alloc);
		if (kmsg == NULL) {
			simple_unlock(&ipc_lock, flags);
			return NULL;
		}
		ipc_counts.kmsgs++;
		kmsg->next = NULL;
		kmsg->alloc = alloc;
		kmsg->rights = false;
		kmsg->circular = false;
		kmsg->in_place = false;
	}
	simple_unlock(&ipc_lock, flags);
	return kmsg;
}

void ipc_info(struct host_ipc_info *info)
{
	uint64_t flags = ipc_lock_acquire();
	*info = (struct host_ipc_info){
		.ports = ipc_counts.ports,
		.port_sets = ipc_counts.psets,
		.messages = ipc_counts.kmsgs - ipc_kmsg_cache.count,
		.messages_cached = ipc_kmsg_cache.count,
		.notifications_lost = ipc_counts.notifications_lost,
		.fast_rpcs = ipc_counts.fast_rpcs,
		.copies_cached = vm_map_copy_cached,
		.fast_sends = ipc_counts.fast_sends,
		.fast_waits = ipc_counts.fast_waits,
	};
	ipc_unlock(flags);
}

void ipc_kmsg_release_free_locked(struct ipc_kmsg *kmsg)
{
	ipc_counts.kmsgs--;
	kfree(kmsg, KMSG_HEAD + kmsg->alloc);
}

struct ipc_kmsg *ipc_kmsg_alloc_own(void)
{
	struct ipc_kmsg *kmsg = kalloc(KMSG_HEAD + IPC_KMSG_CACHED_SIZE);

	if (kmsg != NULL)
		*kmsg = (struct ipc_kmsg){ .alloc = IPC_KMSG_OWN };
	return kmsg;
}

void ipc_kmsg_free_own(struct ipc_kmsg *kmsg)
{
	if (kmsg != NULL)
		kfree(kmsg, KMSG_HEAD + IPC_KMSG_CACHED_SIZE);
}

/* Copies of memory dropped under ipc_lock, discarded once it is released:
 * discarding can end a pager's object, which sends it messages. */
static struct vm_map_copy *copies_to_discard;   /* [I] IPC_UNLOCK_COPIES: not NULL */

void ipc_kmsg_discard_copies(void)
{
	uint64_t flags = ipc_lock_acquire();
	struct vm_map_copy *list = copies_to_discard;

	copies_to_discard = NULL;
	ipc_unlock_queued &= (uint8_t)~IPC_UNLOCK_COPIES;
	simple_unlock(&ipc_lock, flags);
	while (list != NULL) {
		struct vm_map_copy *next = list->next;
		vm_map_copy_discard(list);
		list = next;
	}
}

/* Frees the kernel buffers of the message's descriptors: out-of-line
 * memory is a vm_map_copy, out-of-line ports an array of slots.  With
 * ipc_lock held (locked) the copies wait for its release. */
static void free_buffers(mach_msg_header_t *h, bool locked)
{
	mach_msg_descriptor_t *d = ipc_msg_descriptors(h);
	uint32_t n = ipc_msg_descriptor_count(h);

	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_OOL_DESCRIPTOR && d[i].out_of_line.address) {
			struct vm_map_copy *copy = d[i].out_of_line.address;
			if (locked) {
				copy->next = copies_to_discard;
				copies_to_discard = copy;
				ipc_unlock_queued |= IPC_UNLOCK_COPIES;
			} else {
				vm_map_copy_discard(copy);
			}
			d[i].out_of_line.address = NULL;
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR &&
			   d[i].ool_ports.address) {
			kfree(d[i].ool_ports.address, d[i].ool_ports.count * sizeof(uint64_t));
			d[i].ool_ports.address = NULL;
		}
	}
}

void ipc_kmsg_free(struct ipc_kmsg *kmsg)
{
	free_buffers(&kmsg->hdr, false);
	uint64_t flags = simple_lock(&ipc_lock);
	ipc_kmsg_release_locked(kmsg);
	simple_unlock(&ipc_lock, flags);
}

/* Checks the form of the descriptors of a message of size bytes. */
static mach_msg_return_t check_descriptors(const mach_msg_header_t *h, mach_msg_size_t size)
{
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return MACH_MSG_SUCCESS;
	if (size < sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t))
		return MACH_SEND_MSG_TOO_SMALL;
	uint32_t n = ipc_msg_descriptor_count(h);
	uint64_t room = (size - sizeof(mach_msg_header_t) - sizeof(mach_msg_body_t)) /
			sizeof(mach_msg_descriptor_t);
	if (n > room)
		return MACH_SEND_MSG_TOO_SMALL;

	const mach_msg_descriptor_t *d = ipc_msg_descriptors((mach_msg_header_t *)h);
	uint64_t ool_bytes = 0, ool_ports = 0;
	for (uint32_t i = 0; i < n; i++) {
		switch (d[i].type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			if (!MACH_MSG_TYPE_DISPOSITION_P(d[i].port.disposition))
				return MACH_SEND_INVALID_TYPE;
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
			if (d[i].out_of_line.copy > MACH_MSG_VIRTUAL_COPY)
				return MACH_SEND_INVALID_TYPE;
			ool_bytes += d[i].out_of_line.size;
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			if (d[i].ool_ports.copy > MACH_MSG_VIRTUAL_COPY ||
			    !MACH_MSG_TYPE_DISPOSITION_P(d[i].ool_ports.disposition))
				return MACH_SEND_INVALID_TYPE;
			ool_ports += d[i].ool_ports.count;
			break;
		default:
			return MACH_SEND_INVALID_TYPE;
		}
	}
	if (ool_bytes > IPC_KMSG_OOL_MAX || ool_ports > IPC_KMSG_OOL_PORTS_MAX)
		return MACH_SEND_TOO_LARGE;
	return MACH_MSG_SUCCESS;
}

/*
 * Whether the message's destination name holds a send right to a kernel
 * object: then its small regions are read in place (vm_map_copyin_in_place),
 * since the kernel serves it before the send returns.  A look ahead of the
 * copyin; mach_msg_send checks again what the copyin found.
 */
static bool to_kobject(const mach_msg_header_t *h)
{
	struct ipc_space *space = current_thread()->task->itk_space;
	uint64_t flags = ipc_lock_acquire();
	struct ipc_entry *e = ipc_right_lookup_locked(space, (mach_port_name_t)h->msgh_remote_slot);
	bool kobject = e != NULL && (e->bits & (IPC_ENTRY_SEND | IPC_ENTRY_SEND_ONCE)) &&
		       ipc_port_is_kobject(e->object);

	ipc_unlock(flags);
	return kobject;
}

/* The send error for a failed copy of out-of-line memory. */
static mach_msg_return_t memory_error(kern_return_t kr)
{
	if (kr == KERN_SUCCESS)
		return MACH_MSG_SUCCESS;
	return kr == KERN_RESOURCE_SHORTAGE ? MACH_SEND_NO_BUFFER : MACH_SEND_INVALID_MEMORY;
}

/* Whether descriptor d's region would be read in place if sent to a
 * kernel object (vm_map_copyin_in_place). */
static bool in_place_candidate(const mach_msg_descriptor_t *d)
{
	return d->type.type == MACH_MSG_OOL_DESCRIPTOR && !d->out_of_line.deallocate &&
	       d->out_of_line.size > 0 && d->out_of_line.size < VM_MAP_COPY_VIRTUAL_MIN;
}

/* Takes descriptor d's region of the sender's memory as a vm_map_copy
 * (with deallocate, the region leaves the sender); a small one without
 * deallocate sent to a kernel object, in place. */
static mach_msg_return_t copyin_memory(mach_msg_descriptor_t *d, bool to_kernel,
				       bool *in_place)
{
	struct vm_map *map = current_thread()->task->map;
	uint64_t user = (uint64_t)d->out_of_line.address;
	uint64_t size = d->out_of_line.size;
	struct vm_map_copy *copy;
	kern_return_t kr;

	d->out_of_line.address = NULL;
	if (to_kernel && in_place_candidate(d)) {
		kr = vm_map_copyin_in_place(map, user, size, NULL, &copy);
		*in_place |= copy != NULL;
	} else {
		kr = vm_map_copyin(map, user, size, d->out_of_line.deallocate != 0, &copy);
	}
	d->out_of_line.address = copy;
	return memory_error(kr);
}

/* Copies descriptor i's region (a memory copy, or a name array into a
 * kernel buffer). */
static mach_msg_return_t copyin_region(mach_msg_descriptor_t *d, bool to_kernel,
				       bool *in_place)
{
	if (d->type.type == MACH_MSG_OOL_DESCRIPTOR)
		return copyin_memory(d, to_kernel, in_place);
	uint64_t user = (uint64_t)d->ool_ports.address;
	uint64_t len = (uint64_t)d->ool_ports.count * sizeof(mach_port_name_t);
	uint64_t alloc = (uint64_t)d->ool_ports.count * sizeof(uint64_t);

	d->out_of_line.address = NULL;
	if (len == 0)
		return MACH_MSG_SUCCESS;
	if (!user_range_ok(user, len))
		return MACH_SEND_INVALID_MEMORY;
	void *buf = kalloc(alloc);
	if (buf == NULL)
		return MACH_SEND_NO_BUFFER;
	if (copyin(user, buf, len) != KERN_SUCCESS) {
		kfree(buf, alloc);
		return MACH_SEND_INVALID_MEMORY;
	}
	/* Widen the names to 8-byte slots, from the end, in place. */
	uint32_t *names = buf;
	uint64_t *slots = buf;
	for (uint32_t i = d->ool_ports.count; i-- > 0;)
		slots[i] = names[i];
	if (d->ool_ports.deallocate)
		vm_map_remove(current_thread()->task->map, trunc_page(user), round_page(user + len));
	d->out_of_line.address = buf;
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_kmsg_get(uint64_t msg, mach_msg_size_t size, struct ipc_kmsg **out)
{
	if (size < sizeof(mach_msg_header_t))
		return MACH_SEND_MSG_TOO_SMALL;
	if (size > MACH_MSG_SIZE_MAX)
		return MACH_SEND_TOO_LARGE;
	if ((msg | size) & 7 || !user_range_ok(msg, size))
		return MACH_SEND_INVALID_DATA;
	struct ipc_kmsg *kmsg = ipc_kmsg_alloc(size);
	if (kmsg == NULL)
		return MACH_SEND_NO_BUFFER;
	if (copyin(msg, &kmsg->hdr, size) != KERN_SUCCESS) {
		kmsg->hdr.msgh_bits = 0;
		ipc_kmsg_free(kmsg);
		return MACH_SEND_INVALID_DATA;
	}
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	if (kmsg->hdr.msgh_size != size || (kmsg->hdr.msgh_bits & ~MACH_MSGH_BITS_USED))
		mr = MACH_SEND_INVALID_HEADER;
	else
		mr = check_descriptors(&kmsg->hdr, size);
	if (mr != MACH_MSG_SUCCESS) {
		kmsg->hdr.msgh_bits = 0;   /* no buffers to free */
		ipc_kmsg_free(kmsg);
		return mr;
	}

	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);
	bool candidates = false;
	for (uint32_t i = 0; i < n; i++)
		candidates |= in_place_candidate(&d[i]);
	bool to_kernel = candidates && to_kobject(&kmsg->hdr);
	kmsg->in_place = false;
	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR)
			continue;
		mr = copyin_region(&d[i], to_kernel, &kmsg->in_place);
		if (mr != MACH_MSG_SUCCESS) {
			/* Descriptors after i still hold user addresses. */
			for (uint32_t j = i + 1; j < n; j++)
				if (d[j].type.type != MACH_MSG_PORT_DESCRIPTOR)
					d[j].out_of_line.address = NULL;
			ipc_kmsg_free(kmsg);
			return mr;
		}
	}
	kmsg->hdr.msgh_seqno = 0;
	*out = kmsg;
	return MACH_MSG_SUCCESS;
}

/* In-place regions are each under VM_MAP_COPY_VIRTUAL_MIN, and a cached
 * kmsg has room for a few descriptors: they never pass the bound. */
_Static_assert(IPC_KMSG_CACHED_SIZE / sizeof(mach_msg_descriptor_t) * VM_MAP_COPY_VIRTUAL_MIN <=
	       IPC_KMSG_OOL_MAX, "in-place regions can pass IPC_KMSG_OOL_MAX");

bool ipc_msg_get_in_place_locked(mach_msg_header_t *h, mach_msg_size_t size,
				 struct vm_map_copy *room, uint32_t nroom)
{
	if (size < sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) ||
	    size > IPC_KMSG_CACHED_SIZE)
		return false;
	mach_msg_descriptor_t *d = ipc_msg_descriptors(h);
	uint32_t n = ipc_msg_descriptor_count(h);
	struct vm_map *map = current_thread()->task->map;

	/* The checks of check_descriptors, for descriptors that can only be
	 * in-place regions. */
	if (n > nroom ||
	    n > (size - sizeof(mach_msg_header_t) - sizeof(mach_msg_body_t)) / sizeof(*d))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		struct vm_map_copy *copy;
		if (!in_place_candidate(&d[i]) || d[i].out_of_line.copy > MACH_MSG_VIRTUAL_COPY ||
		    vm_map_copyin_in_place(map, (uint64_t)d[i].out_of_line.address,
					   d[i].out_of_line.size, &room[i], &copy) != KERN_SUCCESS) {
			/* The general path reports it. */
			for (uint32_t j = 0; j < i; j++)
				vm_map_copy_discard(d[j].out_of_line.address);
			return false;
		}
		d[i].out_of_line.address = copy;
	}
	return true;
}

mach_msg_return_t ipc_kmsg_take_in_place(struct ipc_kmsg *kmsg)
{
	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);

	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type != MACH_MSG_OOL_DESCRIPTOR)
			continue;
		mach_msg_return_t mr = memory_error(vm_map_copy_materialize(d[i].out_of_line.address));
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	kmsg->in_place = false;
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_kmsg_get_from_kernel(const mach_msg_header_t *msg, mach_msg_size_t size,
					   struct ipc_kmsg **out)
{
	struct ipc_kmsg *kmsg = ipc_kmsg_alloc(size);

	if (kmsg == NULL)
		return MACH_SEND_NO_BUFFER;
	memcpy(&kmsg->hdr, msg, size);
	kmsg->hdr.msgh_size = size;
	*out = kmsg;
	return MACH_MSG_SUCCESS;
}

/* The user references a header copyin of disposition takes from a name. */
static uint32_t urefs_taken(mach_msg_type_name_t disposition)
{
	return disposition == MACH_MSG_TYPE_MOVE_SEND || disposition == MACH_MSG_TYPE_MOVE_SEND_ONCE;
}

static mach_msg_return_t copyin_header_locked(struct ipc_kmsg *kmsg, struct ipc_space *space)
{
	mach_msg_header_t *h = &kmsg->hdr;
	mach_msg_type_name_t rd = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t ld = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	mach_port_name_t dest = (mach_port_name_t)h->msgh_remote_slot;
	mach_port_name_t reply = (mach_port_name_t)h->msgh_local_slot;

	if (!MACH_MSG_TYPE_PORT_ANY_SEND_P(rd))
		return MACH_SEND_INVALID_HEADER;
	if (reply == MACH_PORT_NAME_NULL)
		ld = 0;
	else if (!MACH_MSG_TYPE_PORT_ANY_SEND_P(ld))
		return MACH_SEND_INVALID_HEADER;

	/* Check both before taking either, so a failure consumes nothing. */
	struct ipc_entry *de = ipc_right_lookup_locked(space, dest);
	if (!ipc_right_copyin_check(de, rd, 0, false))
		return MACH_SEND_INVALID_DEST;
	if (reply != MACH_PORT_NAME_NULL && reply != MACH_PORT_NAME_DEAD) {
		struct ipc_entry *re = ipc_right_lookup_locked(space, reply);
		if (!ipc_right_copyin_check(re, ld, re == de ? urefs_taken(rd) : 0, true))
			return MACH_SEND_INVALID_REPLY;
	}

	struct ipc_port *dport, *rport = NULL;
	mach_msg_type_name_t dtype, rtype = 0;
	if (ipc_right_copyin_locked(space, dest, rd, false, &dport, &dtype) != KERN_SUCCESS)
		panic("ipc: checked destination copyin failed");
	if (reply == MACH_PORT_NAME_DEAD) {
		rport = IPC_PORT_DEAD;
		rtype = ld == MACH_MSG_TYPE_MOVE_SEND_ONCE || ld == MACH_MSG_TYPE_MAKE_SEND_ONCE
				? MACH_MSG_TYPE_PORT_SEND_ONCE
				: MACH_MSG_TYPE_PORT_SEND;
	} else if (reply != MACH_PORT_NAME_NULL &&
		   ipc_right_copyin_locked(space, reply, ld, true, &rport, &rtype) != KERN_SUCCESS) {
		panic("ipc: checked reply copyin failed");
	}
	h->msgh_remote_port = dport;
	h->msgh_local_port = rport;
	h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) | MACH_MSGH_BITS(dtype, rtype);
	return MACH_MSG_SUCCESS;
}

/* Takes one body right; on failure the slot is emptied. */
static mach_msg_return_t copyin_one_locked(struct ipc_space *space, struct ipc_port *dest,
					   uint64_t *slot, mach_msg_type_name_t disposition,
					   mach_msg_type_name_t *type)
{
	mach_port_name_t name = (mach_port_name_t)*slot;
	struct ipc_port *port;

	*type = ipc_right_copyin_kernel_type(disposition);
	if (name == MACH_PORT_NAME_NULL || name == MACH_PORT_NAME_DEAD) {
		*slot = name == MACH_PORT_NAME_NULL ? 0 : (uint64_t)IPC_PORT_DEAD;
		return MACH_MSG_SUCCESS;
	}
	if (disposition == MACH_MSG_TYPE_MOVE_RECEIVE) {
		struct ipc_entry *e = ipc_right_lookup_locked(space, name);
		port = e != NULL && (e->bits & IPC_ENTRY_RECEIVE) ? e->object : NULL;
		if (port != NULL && ipc_port_check_circularity_locked(port, dest)) {
			*slot = 0;
			return MACH_SEND_INVALID_RIGHT;
		}
	}
	if (ipc_right_copyin_locked(space, name, disposition, true, &port, type) != KERN_SUCCESS) {
		*slot = 0;
		return MACH_SEND_INVALID_RIGHT;
	}
	if (disposition == MACH_MSG_TYPE_MOVE_RECEIVE)
		port->destination = dest;
	*slot = (uint64_t)port;
	return MACH_MSG_SUCCESS;
}

/* Empties the port slots of descriptors [from, n), and of the array of
 * descriptor `from` from element `elem`, which were not taken. */
static void clear_untaken(struct ipc_kmsg *kmsg, uint32_t from, uint32_t elem)
{
	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);

	for (uint32_t i = from; i < n; i++, elem = 0) {
		if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR && i != from) {
			d[i].port.name_slot = 0;
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			uint64_t *slots = (uint64_t *)d[i].ool_ports.address;
			for (uint32_t j = elem; j < d[i].ool_ports.count; j++)
				slots[j] = 0;
		}
	}
}

static mach_msg_return_t copyin_body_locked(struct ipc_kmsg *kmsg, struct ipc_space *space)
{
	struct ipc_port *dest = kmsg->hdr.msgh_remote_port;
	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);
	mach_msg_type_name_t type;

	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR) {
			mach_msg_return_t mr = copyin_one_locked(space, dest, &d[i].port.name_slot,
								 d[i].port.disposition, &type);
			d[i].port.disposition = (uint8_t)type;
			if (mr != MACH_MSG_SUCCESS) {
				clear_untaken(kmsg, i, 0);
				return mr;
			}
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			uint64_t *slots = (uint64_t *)d[i].ool_ports.address;
			mach_msg_type_name_t disposition = d[i].ool_ports.disposition;
			d[i].ool_ports.disposition = (uint8_t)ipc_right_copyin_kernel_type(disposition);
			for (uint32_t j = 0; j < d[i].ool_ports.count; j++) {
				mach_msg_return_t mr = copyin_one_locked(space, dest, &slots[j],
									 disposition, &type);
				if (mr != MACH_MSG_SUCCESS) {
					clear_untaken(kmsg, i, j + 1);
					return mr;
				}
			}
		}
	}
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_kmsg_copyin_locked(struct ipc_kmsg *kmsg, struct ipc_space *space)
{
	mach_msg_return_t mr = copyin_header_locked(kmsg, space);

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	kmsg->rights = true;
	mr = copyin_body_locked(kmsg, space);
	if (mr != MACH_MSG_SUCCESS)
		ipc_kmsg_destroy_locked(kmsg);
	return mr;
}

/* In line (through LTO) in mach_msg_send_from_kernel: every request the
 * kernel sends a pager comes this way. */
__attribute__((always_inline)) inline void
ipc_kmsg_copyin_from_kernel_locked(struct ipc_kmsg *kmsg)
{
	mach_msg_header_t *h = &kmsg->hdr;
	struct ipc_port *dest = h->msgh_remote_port;
	mach_msg_type_name_t dtype = ipc_right_copyin_kernel_locked(
		dest, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	mach_msg_type_name_t rtype = 0;

	if (h->msgh_local_port != NULL)
		rtype = ipc_right_copyin_kernel_locked(h->msgh_local_port,
						       MACH_MSGH_BITS_LOCAL(h->msgh_bits));
	h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) | MACH_MSGH_BITS(dtype, rtype);
	kmsg->rights = true;

	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);
	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR) {
			struct ipc_port *port = d[i].port.name;
			d[i].port.disposition =
				(uint8_t)ipc_right_copyin_kernel_locked(port, d[i].port.disposition);
			if (d[i].port.disposition == MACH_MSG_TYPE_PORT_RECEIVE &&
			    IPC_PORT_VALID(port)) {
				if (ipc_port_check_circularity_locked(port, dest))
					kmsg->circular = true;
				port->destination = dest;
			}
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			struct ipc_port **ports = (struct ipc_port **)d[i].ool_ports.address;
			mach_msg_type_name_t disposition = d[i].ool_ports.disposition;
			for (uint32_t j = 0; j < d[i].ool_ports.count; j++)
				ipc_right_copyin_kernel_locked(ports[j], disposition);
			d[i].ool_ports.disposition =
				(uint8_t)ipc_right_copyin_kernel_type(disposition);
		}
	}
}

/* Destroys a right of a kernel-form slot, unless it was to be made. */
static void clean_kernel_slot_locked(struct ipc_port *port, mach_msg_type_name_t disposition)
{
	if (disposition != MACH_MSG_TYPE_MAKE_SEND && disposition != MACH_MSG_TYPE_MAKE_SEND_ONCE)
		ipc_right_destroy_naked_locked(port, ipc_right_copyin_kernel_type(disposition));
}

void ipc_kmsg_clean_kernel_message(mach_msg_header_t *h)
{
	uint64_t flags = ipc_lock_acquire();

	clean_kernel_slot_locked(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	if (h->msgh_local_port != NULL)
		clean_kernel_slot_locked(h->msgh_local_port, MACH_MSGH_BITS_LOCAL(h->msgh_bits));
	mach_msg_descriptor_t *d = ipc_msg_descriptors(h);
	uint32_t n = ipc_msg_descriptor_count(h);
	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR) {
			clean_kernel_slot_locked(d[i].port.name, d[i].port.disposition);
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			struct ipc_port **ports = (struct ipc_port **)d[i].ool_ports.address;
			for (uint32_t j = 0; ports != NULL && j < d[i].ool_ports.count; j++)
				clean_kernel_slot_locked(ports[j], d[i].ool_ports.disposition);
		}
	}
	free_buffers(h, true);
	ipc_unlock(flags);
}

/* Destroying a message can destroy ports whose queues hold messages:
 * the work is queued and done in a loop, never recursively. */
static struct ipc_kmsg *destroy_queue;   /* [I] */
static bool destroying;                  /* [I] */

static void kmsg_clean_locked(struct ipc_kmsg *kmsg)
{
	mach_msg_header_t *h = &kmsg->hdr;

	ipc_right_destroy_naked_locked(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	ipc_right_destroy_naked_locked(h->msgh_local_port, MACH_MSGH_BITS_LOCAL(h->msgh_bits));

	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);
	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR) {
			ipc_right_destroy_naked_locked(d[i].port.name, d[i].port.disposition);
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			struct ipc_port **ports = (struct ipc_port **)d[i].ool_ports.address;
			for (uint32_t j = 0; ports != NULL && j < d[i].ool_ports.count; j++)
				ipc_right_destroy_naked_locked(ports[j],
							       d[i].ool_ports.disposition);
		}
	}
	free_buffers(&kmsg->hdr, true);
}

void ipc_kmsg_destroy_locked(struct ipc_kmsg *kmsg)
{
	if (!kmsg->rights && !(kmsg->hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		ipc_kmsg_release_locked(kmsg);   /* nothing in it to destroy */
		return;
	}
	kmsg->next = destroy_queue;
	destroy_queue = kmsg;
	if (destroying)
		return;
	destroying = true;
	while ((kmsg = destroy_queue) != NULL) {
		destroy_queue = kmsg->next;
		if (kmsg->rights)
			kmsg_clean_locked(kmsg);
		else
			free_buffers(&kmsg->hdr, true);
		ipc_kmsg_release_locked(kmsg);
	}
	destroying = false;
}

void ipc_kmsg_to_kernel_receive(struct ipc_kmsg *kmsg)
{
	mach_msg_header_t *h = &kmsg->hdr;
	struct ipc_port *dest = h->msgh_remote_port;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);

	h->msgh_remote_port = h->msgh_local_port;
	h->msgh_local_port = dest;
	h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
		       MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(h->msgh_bits), dtype);
}

/* Gives one body right to space; a right it cannot take is destroyed. */
static void copyout_one_locked(struct ipc_space *space, uint64_t *slot,
			       mach_msg_type_name_t type, bool *body_error)
{
	struct ipc_port *port = (struct ipc_port *)*slot;
	mach_port_name_t name;

	if (ipc_right_copyout_locked(space, port, type, &name) != KERN_SUCCESS) {
		ipc_right_destroy_naked_locked(port, type);
		name = MACH_PORT_NAME_NULL;
		*body_error = true;
	}
	*slot = name;
}

mach_msg_return_t ipc_kmsg_copyout_locked(struct ipc_kmsg *kmsg, struct ipc_space *space,
					  bool *body_error)
{
	mach_msg_header_t *h = &kmsg->hdr;
	struct ipc_port *dest = h->msgh_remote_port;
	struct ipc_port *reply = h->msgh_local_port;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	mach_port_name_t dest_name = dest->receiver == space ? dest->receiver_name
							     : MACH_PORT_NAME_NULL;
	mach_port_name_t reply_name;

	if (ipc_right_copyout_locked(space, reply, rtype, &reply_name) != KERN_SUCCESS) {
		ipc_kmsg_destroy_locked(kmsg);
		return MACH_RCV_HEADER_ERROR;
	}
	/* The destination right was used: it goes without notification. */
	if (dtype == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_release_sonce_locked(dest);
	else
		ipc_port_release_send_locked(dest);
	h->msgh_remote_slot = reply_name;
	h->msgh_local_slot = dest_name;
	h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) | MACH_MSGH_BITS(rtype, dtype);
	kmsg->rights = false;

	*body_error = false;
	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);
	for (uint32_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_PORT_DESCRIPTOR) {
			copyout_one_locked(space, &d[i].port.name_slot, d[i].port.disposition,
					   body_error);
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			uint64_t *slots = (uint64_t *)d[i].ool_ports.address;
			for (uint32_t j = 0; j < d[i].ool_ports.count; j++)
				copyout_one_locked(space, &slots[j], d[i].ool_ports.disposition,
						   body_error);
		}
	}
	return MACH_MSG_SUCCESS;
}

/* Maps descriptor d's copy (or name array) into task; the kernel's copy
 * or buffer goes either way. */
static bool put_region(struct task *task, mach_msg_descriptor_t *d)
{
	bool ports = d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR;
	struct vm_map_copy *copy = ports ? NULL : d->out_of_line.address;
	uint64_t addr = 0;

	if (d->out_of_line.address == NULL)
		return true;
	if (ports) {
		/* Narrow the names to 4 bytes, from the start, in place. */
		uint64_t *slots = d->ool_ports.address;
		uint32_t *names = d->ool_ports.address;
		uint64_t alloc = (uint64_t)d->ool_ports.count * sizeof(uint64_t);
		for (uint32_t i = 0; i < d->ool_ports.count; i++)
			names[i] = (uint32_t)slots[i];
		kern_return_t kr = vm_map_copyin_kernel(names, d->ool_ports.count *
							sizeof(mach_port_name_t), &copy);
		kfree(slots, alloc);
		if (kr != KERN_SUCCESS)
			copy = NULL;
	}
	bool ok = copy != NULL && vm_map_copyout(task->map, &addr, copy) == KERN_SUCCESS;
	if (!ok) {
		vm_map_copy_discard(copy);
		addr = 0;
		if (ports)
			d->ool_ports.count = 0;   /* the names, not the rights, are lost */
		else
			d->out_of_line.size = 0;
	}
	d->out_of_line.address = (void *)addr;
	d->out_of_line.deallocate = 0;
	return ok;
}

mach_msg_return_t ipc_kmsg_put(struct ipc_kmsg *kmsg, struct task *task, uint64_t msg,
			       bool body_error)
{
	mach_msg_descriptor_t *d = ipc_msg_descriptors(&kmsg->hdr);
	uint32_t n = ipc_msg_descriptor_count(&kmsg->hdr);

	for (uint32_t i = 0; i < n; i++)
		if (d[i].type.type != MACH_MSG_PORT_DESCRIPTOR && !put_region(task, &d[i]))
			body_error = true;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	if (copyout(&kmsg->hdr, msg, kmsg->hdr.msgh_size) != KERN_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	else if (body_error)
		mr = MACH_RCV_BODY_ERROR;
	uint64_t flags = simple_lock(&ipc_lock);
	ipc_kmsg_release_locked(kmsg);
	simple_unlock(&ipc_lock, flags);
	return mr;
}
