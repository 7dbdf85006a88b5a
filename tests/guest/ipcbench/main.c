/*
 * ipcbench: guest-instruction costs of the IPC paths (docs/performance.md),
 * printed as `BENCH name value` lines; each the median of BATCHES batches
 * of BATCH_CALLS calls.  The same method as tests/guest/bench.c: rdtsc
 * differences under -icount shift=0,sleep=off are instruction counts.
 *
 *   own_port_send_receive  mach_msg(SEND|RCV) of a 32-byte message to a
 *                          port the task holds the receive right of
 *   null_rpc_raw           cross-task round trip on raw mach_msg: client
 *                          SEND|RCV with a MAKE_SEND_ONCE reply port,
 *                          server replies with SEND|RCV (reply and wait
 *                          for the next request)
 *   kernel_rpc_stub        host_info through its generated stub: an RPC to
 *                          a kernel object, served in the caller's context
 *   null_rpc_stub          the cross-task null RPC through generated stubs
 *                          (ipcbench.defs): the client stub's SEND|RCV,
 *                          the server's mach_msg_server loop replying and
 *                          receiving in one call
 *   name_lookup_stub       bootstrap_look_up through its generated stub: a
 *                          cross-task RPC to bootstrap's generated server
 *                          (mach_msg_server: receive, demux, send)
 *   inline_1k_rpc          round trip with 1 KiB inline in the request
 *   port_right_rpc         round trip moving a send right to the server
 *                          (which deallocates it)
 *
 * Role "server" is the other side: it registers "ipcbench" with the name
 * service and answers every request with an empty reply, and a second
 * thread serves ipcbench.defs on "ipcbench.stub" with mach_msg_server.
 */
#include <bootstrap.h>
#include <ipcbench.h>
#include <ipcbenchServer.h>
#include <mach/mach.h>

#include "../measure.h"

#define BATCHES 9
#define BATCH_CALLS 500
#define PRIORITY 20

typedef union {
	mach_msg_header_t h;
	uint8_t b[2048];
} buf_t;

kern_return_t S_null_rpc(mach_port_t server)
{
	(void)server;
	return KERN_SUCCESS;
}

static mach_port_t service_port(mach_port_t names, const char *name)
{
	mach_port_t port;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
	bootstrap_register(names, (char *)name, port);
	return port;
}

static void stub_server(void *port)
{
	mach_msg_server(ipcbench_server, ipcbench_MAX_REQUEST_SIZE, (mach_port_t)(uintptr_t)port);
}

static uint8_t stub_server_stack[65536] __attribute__((aligned(16)));

static void server(void)
{
	mach_port_t names = MACH_PORT_NULL, port;
	thread_t thread;
	buf_t m;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	port = service_port(names, "ipcbench");
	mach_thread_spawn(stub_server, (void *)(uintptr_t)service_port(names, "ipcbench.stub"),
			  stub_server_stack, sizeof(stub_server_stack), PRIORITY, &thread);
	thread_priority(mach_thread_self(), PRIORITY, FALSE);
	mach_msg_return_t mr = mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), port, 0, 0);
	for (;;) {
		if (mr != MACH_MSG_SUCCESS) {
			mr = mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), port, 0, 0);
			continue;
		}
		if (m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			mach_port_t right = *(mach_port_t *)(m.b + 40);
			mach_port_deallocate(mach_task_self(), right);
		}
		mach_port_t reply = m.h.msgh_remote_port;
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.h.msgh_size = 32;
		m.h.msgh_remote_port = reply;
		m.h.msgh_local_port = MACH_PORT_NULL;
		m.h.msgh_id += 100;
		mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, 32, sizeof(m), port, 0, 0);
	}
}

static mach_port_t names_port;
static mach_port_t server_port;
static mach_port_t stub_port;
static mach_port_t reply_port;
static mach_port_t own_port;
static buf_t msg;

typedef void (*op_t)(void);

static void own_send_receive(void)
{
	msg.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	msg.h.msgh_size = 32;
	msg.h.msgh_remote_port = own_port;
	msg.h.msgh_local_port = MACH_PORT_NULL;
	mach_msg(&msg.h, MACH_SEND_MSG | MACH_RCV_MSG, 32, sizeof(msg), own_port, 0, 0);
}

static void rpc(mach_msg_size_t size)
{
	msg.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	msg.h.msgh_size = size;
	msg.h.msgh_remote_port = server_port;
	msg.h.msgh_local_port = reply_port;
	msg.h.msgh_id = 1;
	mach_msg(&msg.h, MACH_SEND_MSG | MACH_RCV_MSG, size, sizeof(msg), reply_port, 0, 0);
}

static void raw_null_rpc(void)
{
	rpc(32);
}

static void inline_1k(void)
{
	rpc(32 + 1024);
}

static void port_right(void)
{
	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
	} *m = (void *)&msg;

	m->h.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			 MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = server_port;
	m->h.msgh_local_port = reply_port;
	m->h.msgh_id = 2;
	m->body.msgh_descriptor_count = 1;
	m->port = (mach_msg_port_descriptor_t){ .name = own_port,
						.disposition = MACH_MSG_TYPE_MAKE_SEND,
						.type = MACH_MSG_PORT_DESCRIPTOR };
	mach_msg(&m->h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*m), sizeof(msg), reply_port, 0, 0);
}

static void null_stub(void)
{
	null_rpc(stub_port);
}

static void stub_rpc(void)
{
	struct host_memory_info info;
	mach_msg_type_number_t count = HOST_MEMORY_INFO_COUNT;

	host_info(mach_host_self_, HOST_MEMORY_INFO, (host_info_t)&info, &count);
}

static void name_lookup(void)
{
	mach_port_t port;

	bootstrap_look_up(names_port, "ipcbench", &port);
	mach_port_deallocate(mach_task_self(), port);
}

static void empty(void)
{
	__asm__ volatile("" ::: "memory");
}

static uint64_t measure(op_t op)
{
	uint64_t v[BATCHES];

	for (unsigned i = 0; i < 50; i++)
		op();
	for (unsigned b = 0; b < BATCHES; b++) {
		uint64_t start = rdtsc();
		for (unsigned i = 0; i < BATCH_CALLS; i++)
			op();
		v[b] = (rdtsc() - start) / BATCH_CALLS;
	}
	return median(v, BATCHES);
}

int main(int argc, char **argv, char **envp)
{
	mach_port_t host_priv = MACH_PORT_NULL, names = MACH_PORT_NULL;

	(void)envp;
	if (argc > 1 && strcmp(argv[argc - 1], "role=server") == 0) {
		server();
		return 0;
	}
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	names_port = names;
	thread_priority(mach_thread_self(), PRIORITY, FALSE);
	task_t task;
	thread_t thread;
	host_boot_module_load(host_priv, "ipcbench", "role=server", 12, &task, &thread);
	task_set_special_port(task, TASK_BOOTSTRAP_PORT, names);
	thread_resume(thread);
	while (bootstrap_look_up(names, "ipcbench", &server_port) != KERN_SUCCESS ||
	       bootstrap_look_up(names, "ipcbench.stub", &stub_port) != KERN_SUCCESS)
		mach_sleep_ns(MACH_NS_PER_MS);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply_port);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &own_port);
	mach_port_insert_right(mach_task_self(), own_port, own_port, MACH_MSG_TYPE_MAKE_SEND);

	uint64_t loop = measure(empty);
	mach_printf("BENCH own_port_send_receive_instructions %lu\n", measure(own_send_receive) - loop);
	mach_printf("BENCH null_rpc_raw_instructions %lu\n", measure(raw_null_rpc) - loop);
	mach_printf("BENCH null_rpc_stub_instructions %lu\n", measure(null_stub) - loop);
	mach_printf("BENCH kernel_rpc_stub_instructions %lu\n", measure(stub_rpc) - loop);
	mach_printf("BENCH name_lookup_stub_instructions %lu\n", measure(name_lookup) - loop);
	mach_printf("BENCH inline_1k_rpc_instructions %lu\n", measure(inline_1k) - loop);
	mach_printf("BENCH port_right_rpc_instructions %lu\n", measure(port_right) - loop);
	host_halt(host_priv, HOST_HALT_SUCCESS);
	return 0;
}
