/* The kernel's object server; see ipc_kobject.h. */
#include "ipc/ipc_kobject.h"

#include <mach/mig_support.h>
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

/* The kernel's interfaces by id / 100: each has at most 100 ids from a
 * base that is a multiple of 100, so an id finds its interface at once. */
#define SLOT(ss) ((ss##_MSG_ID_BASE) / 100)
#define FITS(ss) ((ss##_MSG_ID_BASE) % 100 == 0 && (ss##_MSG_COUNT) <= 100)
_Static_assert(FITS(host) && FITS(mach_port) && FITS(task) && FITS(thread) && FITS(vm_map) &&
	       FITS(memory_object_control), "a kernel interface spans two slots");

static const struct mig_subsystem *const subsystems[] = {
	[SLOT(host)] = &host_subsystem,
	[SLOT(mach_port)] = &mach_port_subsystem,
	[SLOT(task)] = &task_subsystem,
	[SLOT(thread)] = &thread_subsystem,
	[SLOT(vm_map)] = &vm_map_subsystem,
	[SLOT(memory_object_control)] = &memory_object_control_subsystem,
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

	bool consumed = (r->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
			r->RetCode == KERN_SUCCESS || r->RetCode == MIG_NO_REPLY;
	if (consumed) {
		/* The server function took the body's rights and memory. */
		in->msgh_bits = 0;
		request->rights = false;
	}
	ipc_kmsg_destroy_locked(request);
}

/* A reply no larger goes on the stack when it has nowhere to go. */
#define STACK_REPLY_SIZE 256u

void ipc_kobject_server(struct ipc_kmsg *request)
{
	mach_msg_header_t *in = &request->hdr;
	union {
		mig_reply_error_t e;
		uint8_t b[STACK_REPLY_SIZE];
	} stack_reply;

	ipc_kmsg_to_kernel_receive(request);
	const struct mig_subsystem *ss = find_subsystem(in->msgh_id);
	mach_msg_size_t size = ss != NULL ? ss->max_reply_size : sizeof(mig_reply_error_t);
	/* No reply port (a simpleroutine's request): the demux's reply is
	 * only destroyed, so it need not be a message. */
	struct ipc_kmsg *reply = NULL;
	mach_msg_header_t *out = &stack_reply.e.Head;
	if (in->msgh_remote_port != NULL || size > sizeof(stack_reply)) {
		reply = ipc_kmsg_alloc(size);
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
	if (ss == NULL || !ss->demux(in, out))
		bad_id_reply(in, out);

	uint64_t flags = ipc_lock_acquire();
	const mig_reply_error_t *r = (const mig_reply_error_t *)out;
	bool no_reply = !(out->msgh_bits & MACH_MSGH_BITS_COMPLEX) && r->RetCode == MIG_NO_REPLY;
	finish_request_locked(request, r);
	if (reply == NULL) {
		ipc_unlock(flags);
		if (out->msgh_bits & MACH_MSGH_BITS_COMPLEX)
			ipc_kmsg_clean_kernel_message(out);   /* what it carries goes */
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
	struct thread *woken;
	mach_msg_return_t mr = ipc_mqueue_deliver_locked(reply, &woken);
	ipc_unlock(flags);
	if (mr == MACH_SEND_IN_PROGRESS)
		ipc_kobject_server(reply);   /* a reply port that is a kernel object */
}
