/* The kernel's object server; see ipc_kobject.h. */
#include "ipc/ipc_kobject.h"

#include <mach/mig_support.h>
#include <deviceServer.h>
#include <hostServer.h>
#include <mach_portServer.h>
#include <memory_object_controlServer.h>
#include <taskServer.h>
#include <threadServer.h>
#include <vm_mapServer.h>

#include "ipc/ipc_kmsg.h"
#include "ipc/ipc_mqueue.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "vm/vm_map.h"

/* The kernel's interfaces by id / 100: each has at most 100 ids from a
 * base that is a multiple of 100, so an id finds its interface at once. */
#define SLOT(ss) ((ss##_MSG_ID_BASE) / 100)
#define FITS(ss) ((ss##_MSG_ID_BASE) % 100 == 0 && (ss##_MSG_COUNT) <= 100)
_Static_assert(FITS(host) && FITS(mach_port) && FITS(task) && FITS(thread) && FITS(vm_map) &&
	       FITS(memory_object_control) && FITS(device),
	       "a kernel interface spans two slots");

static const struct mig_subsystem *const subsystems[] = {
	[SLOT(host)] = &host_subsystem,
	[SLOT(mach_port)] = &mach_port_subsystem,
	[SLOT(task)] = &task_subsystem,
	[SLOT(thread)] = &thread_subsystem,
	[SLOT(vm_map)] = &vm_map_subsystem,
	[SLOT(memory_object_control)] = &memory_object_control_subsystem,
	[SLOT(device)] = &device_subsystem,
};

static const struct mig_subsystem *find_subsystem(mach_msg_id_t id)
{
	if (id < 0 || (uint32_t)id / 100 >= sizeof(subsystems) / sizeof(subsystems[0]))
		return NULL;
	const struct mig_subsystem *ss = subsystems[(uint32_t)id / 100];
	return ss != NULL && id >= ss->min_id && id < ss->max_id ? ss : NULL;
}

/* The reply to an id no interface has, as a generated demux makes it. */
static void bad_id_reply(const mach_msg_header_t *in, mach_msg_header_t *out)
{
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_seqno = 0;
	out->msgh_id = in->msgh_id + 100;
	mig_reply_error(out, MIG_BAD_ID);
}

/* Whether the server function took the request's body (MIG's rules). */
static bool request_consumed(const mig_reply_error_t *r)
{
	return (r->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) || r->RetCode == KERN_SUCCESS ||
	       r->RetCode == MIG_NO_REPLY;
}

/* After the demux: what the request still owns goes, by MIG's rules. */
static void finish_request_locked(struct ipc_kmsg *request, const mig_reply_error_t *r)
{
	mach_msg_header_t *in = &request->hdr;

	/* The destination right was used; the reply right is the reply's. */
	if (MACH_MSGH_BITS_LOCAL(in->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_release_sonce_locked(in->msgh_local_port);
	else
		ipc_port_release_send_locked(in->msgh_local_port);
	in->msgh_local_port = NULL;
	in->msgh_remote_port = NULL;
	in->msgh_bits &= MACH_MSGH_BITS_COMPLEX;
	if (request_consumed(r)) {
		in->msgh_bits = 0;
		request->rights = false;
	}
	ipc_kmsg_destroy_locked(request);
}

/* Room for any kernel interface's reply. */
#define MAX2(a, b) ((a) > (b) ? (a) : (b))
#define STACK_REPLY_SIZE                                                                    \
	MAX2(MAX2(MAX2(host_MAX_REPLY_SIZE, mach_port_MAX_REPLY_SIZE),                      \
		  MAX2(task_MAX_REPLY_SIZE, thread_MAX_REPLY_SIZE)),                        \
	     MAX2(MAX2(vm_map_MAX_REPLY_SIZE, memory_object_control_MAX_REPLY_SIZE),        \
		  device_MAX_REPLY_SIZE))

typedef union {
	mig_reply_error_t e;
	uint8_t b[STACK_REPLY_SIZE];
} stack_reply_t;

/* The demux on in, its reply in out. */
static void demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	const struct mig_subsystem *ss = find_subsystem(in->msgh_id);

	if (ss == NULL || !ss->demux(in, out))
		bad_id_reply(in, out);
}

/* A reply with nowhere to go: what it carries goes. */
static void drop_reply(mach_msg_header_t *out)
{
	if (out->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		ipc_kmsg_clean_kernel_message(out);
}

void ipc_kobject_serve_oneway(mach_msg_header_t *in)
{
	stack_reply_t reply;

	demux(in, &reply.e.Head);
	uint64_t flags = ipc_lock_acquire();
	ipc_port_release_send_locked(in->msgh_local_port);   /* the message's right */
	ipc_unlock(flags);
	if (!request_consumed(&reply.e)) {
		mach_msg_descriptor_t *d = ipc_msg_descriptors(in);
		for (uint32_t i = 0; i < ipc_msg_descriptor_count(in); i++)
			vm_map_copy_discard(d[i].out_of_line.address);
	}
	drop_reply(&reply.e.Head);
}

void ipc_kobject_server(struct ipc_kmsg *request)
{
	mach_msg_header_t *in = &request->hdr;
	stack_reply_t stack_reply;

	ipc_kmsg_to_kernel_receive(request);
	/* No reply port (a simpleroutine's request): the demux's reply is
	 * only destroyed, so it need not be a message. */
	struct ipc_kmsg *reply = NULL;
	mach_msg_header_t *out = &stack_reply.e.Head;
	if (in->msgh_remote_port != NULL) {
		const struct mig_subsystem *ss = find_subsystem(in->msgh_id);
		reply = ipc_kmsg_alloc(ss != NULL ? ss->reply_sizes[in->msgh_id - ss->min_id]
						  : sizeof(mig_reply_error_t));
		if (reply == NULL) {
			/* The reply right dies with the request: the client hears
			 * of it through the send-once notification. */
			uint64_t flags = ipc_lock_acquire();
			ipc_kmsg_destroy_locked(request);
			ipc_unlock(flags);
			return;
		}
		out = &reply->hdr;
	}
	demux(in, out);

	uint64_t flags = ipc_lock_acquire();
	const mig_reply_error_t *r = (const mig_reply_error_t *)out;
	bool no_reply = !(out->msgh_bits & MACH_MSGH_BITS_COMPLEX) && r->RetCode == MIG_NO_REPLY;
	finish_request_locked(request, r);
	if (reply == NULL) {
		ipc_unlock(flags);
		drop_reply(out);
		return;
	}
	if (no_reply) {
		out->msgh_bits = 0;
		ipc_kmsg_destroy_locked(reply);
		ipc_unlock(flags);
		return;
	}
	ipc_kmsg_copyin_from_kernel_locked(reply);
	if (out->msgh_remote_port == NULL) {
		ipc_kmsg_destroy_locked(reply);   /* nobody to answer */
		ipc_unlock(flags);
		return;
	}
	mach_msg_return_t mr = ipc_mqueue_deliver_locked(reply);
	ipc_unlock(flags);
	if (mr == MACH_SEND_IN_PROGRESS)
		ipc_kobject_server(reply);   /* a reply port that is a kernel object */
}
