/*
 * Capturing the fuzz corpus: while capture is on, every request the
 * loopback transport delivers is copied, with the bytes of its
 * out-of-line regions, and filed under the demux it went to.
 */
#include "fuzz_corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkServer.h"
#include "blk_replyServer.h"
#include "bootstrapServer.h"
#include "default_pagerServer.h"
#include "deviceServer.h"
#include "device_irqServer.h"
#include "excServer.h"
#include "faultpagerServer.h"
#include "hostServer.h"
#include "loopback.h"
#include "mach_portServer.h"
#include "memory_objectServer.h"
#include "memory_object_controlServer.h"
#include "memory_object_defaultServer.h"
#include "mempagerServer.h"
#include "netServer.h"
#include "net_inputServer.h"
#include "net_replyServer.h"
#include "notifyServer.h"
#include "pager_servers.h"
#include "rtServer.h"
#include "termServer.h"
#include "term_eventServer.h"
#include "term_replyServer.h"
#include "fsServer.h"
#include "inetServer.h"
#include "inet_replyServer.h"
#include "net_requestServer.h"
#include "socketServer.h"
#include "socket_eventServer.h"
#include "term_requestServer.h"
#include "unixServer.h"
#include "unix_replyServer.h"
#include "procServer.h"
#include "rt_server.h"
#include "system_servers.h"
#include "taskServer.h"
#include "threadServer.h"
#include "vm_mapServer.h"

#define CORPUS_MAX 512

struct sample corpus[CORPUS_MAX];
unsigned corpus_size;

const struct corpus_port corpus_ports[] = {
	{ RT_PORT, &rt_subsystem, "rt" },
	{ PAGER_PORT, &memory_object_subsystem, "memory_object" },
	{ CONTROL_PORT, &memory_object_control_subsystem,
	  "memory_object_control" },
	{ DEFAULT_PAGER_PORT, &memory_object_default_subsystem,
	  "memory_object_default" },
	{ SPACE_PORT, &mach_port_subsystem, "mach_port" },
	{ TASK_PORT, &task_subsystem, "task" },
	{ THREAD_PORT, &thread_subsystem, "thread" },
	{ HOST_PORT, &host_subsystem, "host" },
	{ VM_TASK_PORT, &vm_map_subsystem, "vm_map" },
	{ EXC_PORT, &exc_subsystem, "exc" },
	{ NOTIFY_PORT, &notify_subsystem, "notify" },
	{ BOOTSTRAP_PORT, &bootstrap_subsystem, "bootstrap" },
	{ MEMPAGER_PORT, &mempager_subsystem, "mempager" },
	{ FAULTPAGER_PORT, &faultpager_subsystem, "faultpager" },
	{ DP_INFO_PORT, &default_pager_subsystem, "default_pager" },
	{ DEVICE_PORT, &device_subsystem, "device" },
	{ IRQ_PORT, &device_irq_subsystem, "device_irq" },
	{ BLK_PORT, &blk_subsystem, "blk" },
	{ BLK_REPLY_PORT, &blk_reply_subsystem, "blk_reply" },
	{ NET_PORT, &net_subsystem, "net" },
	{ NET_REPLY_PORT, &net_reply_subsystem, "net_reply" },
	{ NET_INPUT_PORT, &net_input_subsystem, "net_input" },
	{ TERM_PORT, &term_subsystem, "term" },
	{ TERM_REPLY_PORT, &term_reply_subsystem, "term_reply" },
	{ TERM_EVENT_PORT, &term_event_subsystem, "term_event" },
	{ FS_PORT, &fs_subsystem, "fs" },
	{ UNIX_PORT, &unix_subsystem, "unix" },
	{ UNIX_REPLY_PORT, &unix_reply_subsystem, "unix_reply" },
	{ TERM_REQUEST_PORT, &term_request_subsystem, "term_request" },
	{ PROC_PORT, &proc_subsystem, "proc" },
	{ NET_REQUEST_PORT, &net_request_subsystem, "net_request" },
	{ SOCKET_PORT, &socket_subsystem, "socket" },
	{ SOCKET_EVENT_PORT, &socket_event_subsystem, "socket_event" },
	{ INET_PORT, &inet_subsystem, "inet" },
	{ INET_REPLY_PORT, &inet_reply_subsystem, "inet_reply" },
};
const unsigned corpus_nports = sizeof corpus_ports / sizeof *corpus_ports;

static uint8_t *copy(const void *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (c == NULL)
		abort();
	memcpy(c, p, n);
	return c;
}

static void copy_regions(struct sample *s, const mach_msg_header_t *m)
{
	const mach_msg_body_t *body = (const mach_msg_body_t *)(m + 1);
	const mach_msg_descriptor_t *d = (const mach_msg_descriptor_t *)(body + 1);

	if (!(m->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	for (unsigned i = 0; i < body->msgh_descriptor_count && i < 16; i++) {
		size_t n = 0;
		const void *from = NULL;

		if (d[i].type.type == MACH_MSG_OOL_DESCRIPTOR) {
			n = d[i].out_of_line.size;
			from = d[i].out_of_line.address;
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			n = d[i].ool_ports.count * 4u;
			from = d[i].ool_ports.address;
		}
		s->regions[i] = from ? copy(from, n) : NULL;
		s->region_sizes[i] = (mach_msg_size_t)n;
		s->nregions = i + 1;
	}
}

static void capture(const mach_msg_header_t *request)
{
	struct sample *s = &corpus[corpus_size];

	if (corpus_size == CORPUS_MAX)
		abort();
	for (unsigned i = 0; i < corpus_nports; i++) {
		if (corpus_ports[i].port !=
		    (mach_port_name_t)request->msgh_local_port)
			continue;
		s->demux = corpus_ports[i].subsystem->demux;
		s->max_reply = corpus_ports[i].subsystem->max_reply_size;
	}
	if (s->demux == NULL)
		abort();
	s->size = request->msgh_size;
	s->bytes = copy(request, request->msgh_size);
	copy_regions(s, request);
	corpus_size++;
}

void corpus_start(void)
{
	loopback_capture = capture;
}

void corpus_stop(void)
{
	loopback_capture = NULL;
}

static int has_sample(mig_demux_t demux, mach_msg_id_t id)
{
	for (unsigned i = 0; i < corpus_size; i++)
		if (corpus[i].demux == demux &&
		    ((mach_msg_header_t *)corpus[i].bytes)->msgh_id == id)
			return 1;
	return 0;
}

int corpus_check_coverage(void)
{
	int missing = 0;

	for (unsigned i = 0; i < corpus_nports; i++) {
		const struct mig_subsystem *sub = corpus_ports[i].subsystem;

		for (mach_msg_id_t id = sub->min_id; id < sub->max_id; id++) {
			mach_msg_header_t h = { .msgh_id = id };

			if (sub->routine(&h) != NULL && !has_sample(sub->demux, id)) {
				printf("# %s: no sample of id %d\n",
				       corpus_ports[i].name, id);
				missing = 1;
			}
		}
	}
	printf("%sok - fuzz_corpus_has_a_request_of_every_routine (%u)\n",
	       missing ? "not " : "", corpus_size);
	return missing;
}

void corpus_free(void)
{
	for (unsigned i = 0; i < corpus_size; i++) {
		free(corpus[i].bytes);
		for (unsigned j = 0; j < corpus[i].nregions; j++)
			free(corpus[i].regions[j]);
	}
	corpus_size = 0;
}
