/*
 * One call of every routine of the kernel's object interfaces and of the
 * system's user-served ones, through the generated user stubs and the
 * loopback transport to the stand-ins (kernel_servers.c,
 * user_servers.c): the fuzz test's corpus of those interfaces, and a
 * round-trip test of each stub and demux, since every call must succeed
 * with the answer the stand-in gives.
 */
#include "system_servers.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "exc.h"
#include "blk.h"
#include "blk_reply.h"
#include "device.h"
#include "device_irq.h"
#include "host.h"
#include "inet.h"
#include "inet_reply.h"
#include "net.h"
#include "net_input.h"
#include "net_reply.h"
#include "net_request.h"
#include "socket.h"
#include "socket_event.h"
#include "mach_port.h"
#include "notify.h"
#include "task.h"
#include "term.h"
#include "term_event.h"
#include "term_reply.h"
#include "fs.h"
#include "thread.h"
#include "vm_map.h"

static unsigned failures;

/* True if the call succeeded; else counts and reports it. */
static bool succeeded(kern_return_t kr, const char *call)
{
	if (kr == KERN_SUCCESS)
		return true;
	printf("# %s returned %d\n", call, kr);
	failures++;
	return false;
}

#define CALL(call) succeeded(call, #call)

/* Counts a wrong answer (cond false). */
static void want(bool cond, const char *what)
{
	if (cond)
		return;
	printf("# wrong answer: %s\n", what);
	failures++;
}

static void exercise_mach_port(void)
{
	mach_port_name_array_t names, members;
	mach_port_type_array_t types;
	mach_msg_type_number_t namesCnt, typesCnt, membersCnt;
	mach_port_name_t name;
	mach_port_type_t ptype;
	mach_port_urefs_t refs;
	mach_port_t previous, poly;
	mach_msg_type_name_t polyPoly;
	mach_port_status_t status;
	mach_port_stats_t stats;

	if (CALL(mach_port_names(SPACE_PORT, &names, &namesCnt, &types,
				 &typesCnt))) {
		want(namesCnt == 3 && typesCnt == 3 &&
		     types[1] == MACH_PORT_TYPE_RECEIVE, "mach_port_names");
		free(names);
		free(types);
	}
	CALL(mach_port_type(SPACE_PORT, 0x103, &ptype));
	CALL(mach_port_allocate_name(SPACE_PORT, MACH_PORT_RIGHT_RECEIVE, 0x203));
	CALL(mach_port_allocate(SPACE_PORT, MACH_PORT_RIGHT_PORT_SET, &name));
	CALL(mach_port_destroy(SPACE_PORT, name));
	CALL(mach_port_deallocate(SPACE_PORT, 0x103));
	CALL(mach_port_get_refs(SPACE_PORT, 0x103, MACH_PORT_RIGHT_SEND, &refs));
	CALL(mach_port_mod_refs(SPACE_PORT, 0x103, MACH_PORT_RIGHT_SEND, -1));
	CALL(mach_port_set_qlimit(SPACE_PORT, 0x203, MACH_PORT_QLIMIT_MAX));
	CALL(mach_port_set_mscount(SPACE_PORT, 0x203, 7));
	if (CALL(mach_port_get_set_status(SPACE_PORT, name, &members,
					  &membersCnt))) {
		want(membersCnt == 2 && members[0] == SPACE_PORT,
		     "mach_port_get_set_status");
		free(members);
	}
	CALL(mach_port_move_member(SPACE_PORT, 0x203, name));
	CALL(mach_port_request_notification(SPACE_PORT, 0x103,
					    MACH_NOTIFY_DEAD_NAME, 1, 0x203,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE,
					    &previous));
	CALL(mach_port_insert_right(SPACE_PORT, 0x303, 0x203,
				    MACH_MSG_TYPE_MAKE_SEND));
	if (CALL(mach_port_extract_right(SPACE_PORT, 0x303,
					 MACH_MSG_TYPE_MOVE_SEND, &poly,
					 &polyPoly)))
		want(poly == 0x303 && polyPoly == MACH_MSG_TYPE_PORT_SEND,
		     "mach_port_extract_right");
	if (CALL(mach_port_get_receive_status(SPACE_PORT, 0x203, &status)))
		want(status.mps_seqno == 0x203 &&
		     status.mps_qlimit == MACH_PORT_QLIMIT_DEFAULT,
		     "mach_port_get_receive_status");
	CALL(mach_port_set_seqno(SPACE_PORT, 0x203, 42));
	if (CALL(mach_port_get_stats(SPACE_PORT, 0x203, &stats)))
		want(stats.msgs_received == 0x203 && stats.senders_blocked == 1,
		     "mach_port_get_stats");
}

static void exercise_task(void)
{
	task_t child;
	thread_t thread;
	thread_array_t threads;
	mach_msg_type_number_t threadsCnt, infoCnt = TASK_INFO_MAX;
	integer_t info[TASK_INFO_MAX];
	mach_port_t port;

	if (CALL(task_create(TASK_PORT, TRUE, &child)))
		want(child == TASK_PORT + 2, "task_create");
	CALL(task_terminate(TASK_PORT));
	if (CALL(task_threads(TASK_PORT, &threads, &threadsCnt))) {
		want(threadsCnt == 2 && threads[0] == THREAD_PORT,
		     "task_threads");
		free(threads);
	}
	if (CALL(task_info(TASK_PORT, TASK_BASIC_INFO, info, &infoCnt)))
		want(infoCnt == TASK_BASIC_INFO_COUNT, "task_info");
	infoCnt = TASK_IPC_INFO_COUNT;
	CALL(task_info(TASK_PORT, TASK_IPC_INFO, info, &infoCnt));
	CALL(task_suspend(TASK_PORT));
	CALL(task_resume(TASK_PORT));
	CALL(task_get_special_port(TASK_PORT, TASK_BOOTSTRAP_PORT, &port));
	CALL(task_set_special_port(TASK_PORT, TASK_EXCEPTION_PORT, 0x203));
	CALL(thread_create(TASK_PORT, &thread));
	CALL(task_set_name(TASK_PORT, "exercised"));
}

static void exercise_thread(void)
{
	natural_t state[THREAD_STATE_MAX] = { 0 };
	mach_msg_type_number_t stateCnt = THREAD_STATE_MAX;
	integer_t info[THREAD_INFO_MAX];
	mach_msg_type_number_t infoCnt = THREAD_INFO_MAX;
	mach_port_t port;

	CALL(thread_terminate(THREAD_PORT));
	if (CALL(thread_get_state(THREAD_PORT, X86_64_THREAD_STATE, state,
				  &stateCnt)))
		want(stateCnt == X86_64_THREAD_STATE_COUNT &&
		     state[1] == THREAD_PORT + 1, "thread_get_state");
	CALL(thread_set_state(THREAD_PORT, X86_64_FLOAT_STATE, state,
			      X86_64_FLOAT_STATE_COUNT));
	CALL(thread_suspend(THREAD_PORT));
	CALL(thread_resume(THREAD_PORT));
	CALL(thread_abort(THREAD_PORT));
	CALL(thread_info(THREAD_PORT, THREAD_BASIC_INFO, info, &infoCnt));
	CALL(thread_get_special_port(THREAD_PORT, THREAD_KERNEL_PORT, &port));
	CALL(thread_set_special_port(THREAD_PORT, THREAD_EXCEPTION_PORT, 0x203));
	CALL(thread_priority(THREAD_PORT, THREAD_PRIORITY_DEFAULT, FALSE));
	CALL(thread_terminate_release(THREAD_PORT, 0x1300, 0x1400));
}

static void exercise_host(void)
{
	integer_t info[HOST_INFO_MAX];
	mach_msg_type_number_t infoCnt = HOST_INFO_MAX;
	static char text[] = "kernel_servers: a line for the console\n";
	static char args[] = "-v\0--name=disk\0";
	task_t task;
	thread_t thread;

	if (CALL(host_info(HOST_PORT, HOST_MEMORY_INFO, info, &infoCnt)))
		want(infoCnt == HOST_MEMORY_INFO_COUNT, "host_info");
	CALL(host_log(HOST_PORT, text, sizeof text - 1));
	char log[HOST_LOG_MAX];
	mach_msg_type_number_t logCnt = HOST_LOG_MAX;
	uint64_t next = 0;
	if (CALL(host_log_read(HOST_PORT, 10, log, &logCnt, &next)))
		want(logCnt == 5 && next == 15 && memcmp(log, "boot\n", 5) == 0, "host_log_read");
	CALL(host_halt(HOST_PORT, HOST_HALT_SUCCESS));
	if (CALL(host_boot_module_load(HOST_PORT, "ext2fs", args,
				       sizeof args - 1, &task, &thread)))
		want(task == TASK_PORT && thread == THREAD_PORT,
		     "host_boot_module_load");
}

/* The routines of vm_map.defs the VM work added, and host.defs' vm_wire. */
static void exercise_vm_map_more(void)
{
	static uint8_t page[4096];
	vm_address_t address = 0x10001234u;
	vm_size_t size = 0;
	vm_region_info_t info;
	vm_offset_t data = 0;
	mach_msg_type_number_t dataCnt = 0;
	vm_statistics_data_t stats;

	if (CALL(vm_region(VM_TASK_PORT, &address, &size, &info)))
		want(address == 0x10001000u && size == 4096 &&
		     info.object_id == VM_TASK_PORT, "vm_region");
	CALL(vm_inherit(VM_TASK_PORT, address, 4096, VM_INHERIT_SHARE));
	if (CALL(vm_read(VM_TASK_PORT, 0x10000010u, 16, &data, &dataCnt))) {
		want(dataCnt == 16 && ((uint8_t *)data)[1] == 0x11, "vm_read");
		free((void *)data);
	}
	memset(page, 0x5a, sizeof page);
	CALL(vm_write(VM_TASK_PORT, 0x10000000u, (vm_offset_t)page, sizeof page));
	CALL(vm_copy(VM_TASK_PORT, 0x10000000u, 4096, 0x10002000u));
	CALL(vm_msync(VM_TASK_PORT, 0x10000000u, 8192, VM_SYNC_ASYNCHRONOUS | VM_SYNC_INVALIDATE));
	want(vm_msync(VM_TASK_PORT, 0x10000000u, 8192, VM_SYNC_SYNCHRONOUS) == KERN_INVALID_VALUE,
	     "vm_msync refuses VM_SYNC_SYNCHRONOUS");
	address = 0;
	if (CALL(vm_map(VM_TASK_PORT, &address, 4096, 0xfffff, TRUE, 0, 0, FALSE,
			VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY)))
		want(address == 0x20000000u, "vm_map");
	if (CALL(vm_statistics(VM_TASK_PORT, &stats)))
		want(stats.page_size == 4096 && stats.free_count == VM_TASK_PORT,
		     "vm_statistics");
	CALL(vm_wire(HOST_PORT, VM_TASK_PORT, 0x10000000u, 4096, VM_PROT_READ));
	CALL(vm_privilege(HOST_PORT, TASK_PORT));
	CALL(vm_set_default_memory_manager(HOST_PORT, NOTIFY_PORT));
	CALL(vm_pager_policy_set(HOST_PORT, NOTIFY_PORT, 3, 500));
	{
		int policy;
		natural_t deadline;
		CALL(vm_pager_policy_get(HOST_PORT, NOTIFY_PORT, &policy, &deadline));
	}
	{
		vm_pager_stats_data_t stats;
		CALL(vm_pager_stats(HOST_PORT, NOTIFY_PORT, &stats));
	}
	CALL(vm_pager_replace(HOST_PORT, NOTIFY_PORT, TASK_PORT, VM_PAGER_REPLACE_MIGRATE));
	{
		struct vm_pager_wait waits[VM_PAGER_WAITS_MAX];
		mach_msg_type_number_t count = VM_PAGER_WAITS_MAX * VM_PAGER_WAIT_COUNT;
		natural_t total;
		if (CALL(vm_pager_waits(HOST_PORT, (vm_pager_waits_t)waits, &count, &total)))
			want(count == VM_PAGER_WAIT_COUNT && total == 2 && waits[0].thread == 7 &&
			     waits[0].state == VM_PAGER_WAIT_CYCLE, "vm_pager_waits");
	}
	{
		struct vm_pager_object objects[VM_PAGER_OBJECTS_MAX];
		mach_msg_type_number_t count = VM_PAGER_OBJECTS_MAX * VM_PAGER_OBJECT_COUNT;
		natural_t total;
		if (CALL(vm_pager_objects(HOST_PORT, 0x123456789ull, (vm_pager_objects_t)objects,
					  &count, &total)))
			want(count == VM_PAGER_OBJECT_COUNT && total == 5 &&
			     objects[0].object == 0x123456789ull &&
			     objects[0].stats.latency[VM_PAGER_LATENCY_BUCKETS - 1] == 9,
			     "vm_pager_objects");
	}
	{
		mach_port_t port = MACH_PORT_NULL;
		if (CALL(vm_pager_object_port(HOST_PORT, 0x10000000000ull + NOTIFY_PORT, &port)))
			want(port == NOTIFY_PORT, "vm_pager_object_port");
	}
}

static void exercise_vm_map(void)
{
	vm_address_t address = 0;

	if (CALL(vm_allocate(VM_TASK_PORT, &address, 3 * 4096, TRUE)))
		want(address == 0x10000000u, "vm_allocate");
	CALL(vm_deallocate(VM_TASK_PORT, address, 4096));
	CALL(vm_protect(VM_TASK_PORT, address, 4096, FALSE, VM_PROT_READ));
	exercise_vm_map_more();
}

static void exercise_exc(void)
{
	int64_t code[EXCEPTION_CODE_MAX] = { 3, 0 };
	struct x86_64_thread_state state = { .rip = 0x401000 };
	natural_t new_state[THREAD_STATE_MAX];
	mach_msg_type_number_t new_stateCnt = THREAD_STATE_MAX;

	if (CALL(exception_raise(EXC_PORT, THREAD_PORT, TASK_PORT,
				 EXC_BREAKPOINT, code, EXCEPTION_CODE_MAX,
				 X86_64_THREAD_STATE, (natural_t *)&state,
				 X86_64_THREAD_STATE_COUNT, new_state,
				 &new_stateCnt)))
		want(new_stateCnt == X86_64_THREAD_STATE_COUNT &&
		     new_state[32] == 0x401001, "exception_raise");
}

static void exercise_notify(void)
{
	/* Simpleroutines: a send succeeds once it is queued. */
	CALL(mach_notify_port_deleted(NOTIFY_PORT, 0x103));
	CALL(mach_notify_port_destroyed(NOTIFY_PORT, 0x203));
	CALL(mach_notify_no_senders(NOTIFY_PORT, 3));
	CALL(mach_notify_send_once(NOTIFY_PORT));
	CALL(mach_notify_dead_name(NOTIFY_PORT, 0x103));
}

static void exercise_device(void)
{
	vm_address_t address = 0;
	uint64_t physical = 0;

	CALL(device_io_access(DEVICE_PORT, TASK_PORT, 0x70, 2, TRUE));
	CALL(device_irq_attach(DEVICE_PORT, 8, IRQ_PORT));
	CALL(device_irq_ack(DEVICE_PORT, 8, IRQ_PORT));
	CALL(device_irq_detach(DEVICE_PORT, 8, IRQ_PORT));
	if (CALL(device_memory_map(DEVICE_PORT, VM_TASK_PORT, &address, 4096, 0xb8000, TRUE,
				   DEVICE_MEMORY_UNCACHED)))
		want(address == 0x100000000ull, "device_memory_map");
	if (CALL(device_dma_allocate(DEVICE_PORT, VM_TASK_PORT, &address, 8192, TRUE,
				     &physical)))
		want(address == 0x200000000ull && physical == 0x1002000ull,
		     "device_dma_allocate");
	/* A simpleroutine: a send succeeds once it is queued. */
	CALL(device_irq_notify(IRQ_PORT, 8, 1));
}

static void exercise_drivers(void)
{
	uint32_t sector_size = 0;
	uint64_t sectors = 0;
	boolean_t flag = FALSE;
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	static uint8_t sector[512] = { 1, 2, 3 }, frame[60] = { 0xff };
	uint8_t mac[NET_ADDRESS_SIZE] = { 0 };

	if (CALL(blk_info(BLK_PORT, &sector_size, &sectors, &flag)))
		want(sector_size == 512 && sectors == BLK_PORT, "blk_info");
	if (CALL(blk_read(BLK_PORT, 512, 1024, &data, &count))) {
		want(count == 1024, "blk_read");
		free((void *)data);
	}
	CALL(blk_write(BLK_PORT, 0, (vm_offset_t)sector, sizeof sector));
	CALL(blk_flush(BLK_PORT));
	/* dealloc: the data is given away with the message. */
	uint8_t *given = malloc(sizeof sector);
	if (given == NULL)
		abort();
	memcpy(given, sector, sizeof sector);
	CALL(blk_read_reply(BLK_REPLY_PORT, KERN_SUCCESS, (vm_offset_t)given, sizeof sector));
	CALL(blk_write_reply(BLK_REPLY_PORT, KERN_SUCCESS));
	CALL(blk_flush_reply(BLK_REPLY_PORT, KERN_OPERATION_TIMED_OUT));
	if (CALL(net_info(NET_PORT, mac, &flag)))
		want(mac[0] == 0x52 && flag, "net_info");
	CALL(net_send(NET_PORT, frame, sizeof frame));
	CALL(net_set_receiver(NET_PORT, NET_INPUT_PORT));
	CALL(net_send_reply(NET_REPLY_PORT, KERN_SUCCESS));
	CALL(net_input_frame(NET_INPUT_PORT, frame, sizeof frame));
	/* A simpleroutine: a send succeeds once it is queued. */
	CALL(net_request_send(NET_REQUEST_PORT, NET_REPLY_PORT, frame, sizeof frame));
}

/* The network server's sockets, and select's answer. */
static void exercise_sockets(void)
{
	static char data[SOCKET_DATA_MAX + 1];
	mach_port_t sock = MACH_PORT_NULL, accepted = MACH_PORT_NULL;
	int32_t events = -1, value = 0;
	uint32_t address = 0, port = 0, sent = 0, truncated = 0;
	mach_msg_type_number_t count = SOCKET_DATA_MAX;

	if (CALL(socket_create(SOCKET_PORT, SOCKET_STREAM, 0, &sock, &events)))
		want(sock == SOCKET_PORT && events == SOCKET_OUT, "socket_create");
	want(socket_create(SOCKET_PORT, 4, 0, &sock, &events) == NET_NOT_SUPPORTED,
	     "socket_create refuses a fourth kind");
	CALL(socket_bind(SOCKET_PORT, 0, 8080, &events));
	if (CALL(socket_listen(SOCKET_PORT, SOCKET_BACKLOG_MAX, &events)))
		want(events == 0, "socket_listen");
	if (CALL(socket_accept(SOCKET_PORT, &accepted, &address, &port, &events)))
		want(accepted == SOCKET_PORT && address == 0x7f000001 && port == 40000,
		     "socket_accept");
	if (CALL(socket_connect(SOCKET_PORT, 0x0a000202, 80, &events)))
		want(events == SOCKET_OUT, "socket_connect");
	memset(data, 's', sizeof data);
	if (CALL(socket_send(SOCKET_PORT, data, SOCKET_DATA_MAX, 0, 0, 0, &sent, &events)))
		want(sent == SOCKET_DATA_MAX, "socket_send of SOCKET_DATA_MAX bytes");
	want(socket_send(SOCKET_PORT, data, SOCKET_DATA_MAX + 1, 0, 0, 0, &sent, &events) ==
	     MIG_ARRAY_TOO_LARGE, "socket_send refuses SOCKET_DATA_MAX + 1 bytes");
	if (CALL(socket_recv(SOCKET_PORT, 16, SOCKET_MSG_PEEK, data, &count, &address, &port,
			     &truncated, &events)))
		want(count == 16 && data[15] == 'd' && truncated == 48 &&
		     address == 0x0a000203 && port == 53 &&
		     events == (SOCKET_IN | SOCKET_OUT), "socket_recv");
	if (CALL(socket_shutdown(SOCKET_PORT, SOCKET_SHUT_WR, &events)))
		want(events == SOCKET_HUP, "socket_shutdown");
	if (CALL(socket_name(SOCKET_PORT, TRUE, &address, &port)))
		want(address == 0x5db8d822 && port == 80, "socket_name");
	CALL(socket_set_option(SOCKET_PORT, SOCKET_LEVEL_TCP, SOCKET_TCP_NODELAY, 1));
	if (CALL(socket_get_option(SOCKET_PORT, SOCKET_LEVEL_SOCKET, SOCKET_SO_TYPE, &value)))
		want(value == 103, "socket_get_option");
	/* Simpleroutines: a send succeeds once it is queued. */
	CALL(socket_select(SOCKET_PORT, SOCKET_EVENT_PORT, 0x123456789ull, SOCKET_IN));
	CALL(socket_event_ready(SOCKET_EVENT_PORT, 0x123456789ull, SOCKET_IN | SOCKET_HUP));
}

/* The network server's public port, and a lookup's reply. */
static void exercise_inet(void)
{
	uint64_t words[INET_INTERFACES_MAX * sizeof(struct inet_interface) / 8];
	struct inet_interface list[INET_INTERFACES_MAX];
	uint32_t addresses[INET_ADDRESSES_MAX];
	static char name[INET_NAME_MAX + 1];
	mach_msg_type_number_t count = sizeof words / sizeof *words;

	if (CALL(inet_interfaces(INET_PORT, words, &count))) {
		memcpy(list, words, sizeof words);
		want(count == 2 * sizeof(struct inet_interface) / 8 &&
		     strcmp(list[0].name, "lo") == 0 && strcmp(list[1].name, "eth0") == 0 &&
		     list[1].hardware[0] == 0x52 && list[1].tx_packets == 5,
		     "inet_interfaces");
	}
	count = INET_ADDRESSES_MAX;
	if (CALL(inet_resolve(INET_PORT, "example.com", addresses, &count)))
		want(count == 2 && addresses[0] == 0x5db8d822, "inet_resolve");
	/* inet_name_t's bound is INET_NAME_MAX, its NUL included. */
	memset(name, 'n', INET_NAME_MAX);
	count = INET_ADDRESSES_MAX;
	want(inet_resolve(INET_PORT, name, addresses, &count) == MIG_ARRAY_TOO_LARGE,
	     "inet_resolve refuses a name of INET_NAME_MAX bytes");
	name[INET_NAME_MAX - 1] = '\0';
	count = INET_ADDRESSES_MAX;
	CALL(inet_resolve(INET_PORT, name, addresses, &count));
	CALL(inet_resolve_reply(INET_REPLY_PORT, KERN_SUCCESS, addresses, 2));
	CALL(inet_resolve_reply(INET_REPLY_PORT, NET_NAME_NOT_FOUND, addresses, 0));
}

static void exercise_console(void)
{
	static char data[TERM_IO_MAX + 1];
	char line[] = "line\n";
	mach_msg_type_number_t count = TERM_IO_MAX;
	natural_t mode = 0, rows = 0, cols = 0;
	mach_port_t owner = MACH_PORT_NULL;

	if (CALL(term_read(TERM_PORT, 64, 100, data, &count)))
		want(count == 6 && memcmp(data, "typed\n", 6) == 0, "term_read");
	CALL(term_write(TERM_PORT, line, sizeof line - 1));
	if (CALL(term_claim(TERM_PORT, TERM_EVENT_PORT, &owner)))
		want(owner == TERM_PORT, "term_claim");
	CALL(term_release(owner));
	if (CALL(term_get_mode(TERM_PORT, &mode)))
		want(mode == TERM_MODE_COOKED, "term_get_mode");
	CALL(term_set_mode(TERM_PORT, TERM_MODE_RAW));
	if (CALL(term_get_winsize(TERM_PORT, &rows, &cols)))
		want(rows == TERM_ROWS_DEFAULT && cols == TERM_COLS_DEFAULT, "term_get_winsize");
	CALL(term_set_winsize(TERM_PORT, 50, 132));
	CALL(term_read_reply(TERM_REPLY_PORT, KERN_SUCCESS, line, sizeof line - 1));
	CALL(term_write_reply(TERM_REPLY_PORT, KERN_SUCCESS));
	CALL(term_event_interrupt(TERM_EVENT_PORT, 1));
	CALL(term_event_suspend(TERM_EVENT_PORT, 2));
	/* term_data_t's bound is TERM_IO_MAX. */
	CALL(term_write(TERM_PORT, data, TERM_IO_MAX));
	want(term_write(TERM_PORT, data, TERM_IO_MAX + 1) == MIG_ARRAY_TOO_LARGE,
	     "term_write refuses TERM_IO_MAX + 1 bytes");
}

static void exercise_fs(void)
{
	mach_port_t opened = MACH_PORT_NULL;
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	uint32_t written = 0;
	uint64_t position = 0, next = 0;
	fs_stat_t st;
	vm_prot_t max = VM_PROT_NONE;
	char target[4096];
	static char bytes[] = "written";

	if (CALL(fs_open(FS_PORT, "/a/b", FS_OPEN_READ, 0644, 1000, 100, &opened)))
		want(opened == FS_PORT, "fs_open");
	CALL(fs_close(FS_PORT));
	if (CALL(fs_read(FS_PORT, 100, &data, &count))) {
		want(count == 100, "fs_read");
		free((void *)data);
	}
	if (CALL(fs_write(FS_PORT, (vm_offset_t)bytes, sizeof bytes, &written)))
		want(written == sizeof bytes, "fs_write");
	if (CALL(fs_seek(FS_PORT, 42, FS_SEEK_SET, &position)))
		want(position == 42, "fs_seek");
	if (CALL(fs_stat(FS_PORT, &st)))
		want(st.ino == 2 && st.links == 3, "fs_stat");
	if (CALL(fs_readdir(FS_PORT, 0, 64, &data, &count, &next))) {
		want(count == 64 && next == FS_DIR_END, "fs_readdir");
		free((void *)data);
	}
	CALL(fs_mkdir(FS_PORT, "d", 0755));
	CALL(fs_unlink(FS_PORT, "f"));
	CALL(fs_rmdir(FS_PORT, "d"));
	CALL(fs_link(FS_PORT, "g", FS_PORT));
	CALL(fs_symlink(FS_PORT, "s", "/a/b"));
	if (CALL(fs_readlink(FS_PORT, "s", target)))
		want(strcmp(target, "target") == 0, "fs_readlink");
	CALL(fs_rename(FS_PORT, "f", FS_PORT, "g"));
	CALL(fs_truncate(FS_PORT, 4096));
	CALL(fs_chmod(FS_PORT, 0600));
	CALL(fs_chown(FS_PORT, 1, 2));
	CALL(fs_utimes(FS_PORT, 3, 4));
	CALL(fs_fsync(FS_PORT));
	CALL(fs_sync(FS_PORT));
	fs_statfs_t fsst;
	if (CALL(fs_statfs(FS_PORT, &fsst)))
		want(fsst.blocks == 100 && fsst.files_free == 60, "fs_statfs");
	if (CALL(fs_map(FS_PORT, &opened, &max)))
		want(opened == FS_PORT && max == (VM_PROT_READ | VM_PROT_EXECUTE), "fs_map");
}

static void exercise_bootstrap(void)
{
	mach_port_t service;

	CALL(bootstrap_register(BOOTSTRAP_PORT, "disk", 0x203));
	if (CALL(bootstrap_look_up(BOOTSTRAP_PORT, "console", &service)))
		want(service == BOOTSTRAP_PORT + 1, "bootstrap_look_up");
}

/* Strings and arrays at their bound in mach_types.defs and the .defs
 * pass; one more is refused by the stub.  Checks that each bound is the
 * C side's constant. */
static void exercise_bounds(void)
{
	static char text[HOST_LOG_MAX + 1], name[BOOTSTRAP_NAME_MAX + 1];
	static char module[BOOT_MODULE_NAME_MAX + 2];
	int64_t code[EXCEPTION_CODE_MAX + 1] = { 0 };
	natural_t state[THREAD_STATE_MAX + 1] = { 0 }, out[THREAD_STATE_MAX];
	mach_msg_type_number_t outCnt = THREAD_STATE_MAX;
	mach_port_t service;
	task_t task;
	thread_t thread;

	memset(text, 'x', sizeof text);
	memset(name, 'n', BOOTSTRAP_NAME_MAX);
	memset(module, 'm', BOOT_MODULE_NAME_MAX + 1);
	CALL(host_log(HOST_PORT, text, HOST_LOG_MAX));
	want(host_log(HOST_PORT, text, HOST_LOG_MAX + 1) == MIG_ARRAY_TOO_LARGE,
	     "host_log refuses HOST_LOG_MAX + 1 bytes");
	want(host_boot_module_load(HOST_PORT, module, "", 0, &task, &thread) ==
	     MIG_ARRAY_TOO_LARGE, "a module name of 64 bytes is refused");
	module[BOOT_MODULE_NAME_MAX] = '\0';
	CALL(host_boot_module_load(HOST_PORT, module, "", 0, &task, &thread));
	want(bootstrap_look_up(BOOTSTRAP_PORT, name, &service) ==
	     MIG_ARRAY_TOO_LARGE, "a name of BOOTSTRAP_NAME_MAX bytes is refused");
	name[BOOTSTRAP_NAME_MAX - 1] = '\0';
	want(bootstrap_look_up(BOOTSTRAP_PORT, name, &service) ==
	     KERN_INVALID_NAME, "a name of BOOTSTRAP_NAME_MAX - 1 bytes is sent");
	want(exception_raise(EXC_PORT, THREAD_PORT, TASK_PORT, EXC_BREAKPOINT,
			     code, EXCEPTION_CODE_MAX + 1, X86_64_THREAD_STATE,
			     state, X86_64_THREAD_STATE_COUNT, out, &outCnt) ==
	     MIG_ARRAY_TOO_LARGE, "exception_raise refuses a third code");
	want(thread_set_state(THREAD_PORT, X86_64_FLOAT_STATE, state,
			      THREAD_STATE_MAX + 1) == MIG_ARRAY_TOO_LARGE,
	     "thread_set_state refuses THREAD_STATE_MAX + 1");
	want(system_bound_errors == 0,
	     "the room of every out array is its C bound");
}

unsigned system_exercise(void)
{
	failures = 0;
	exercise_mach_port();
	exercise_task();
	exercise_thread();
	exercise_host();
	exercise_vm_map();
	exercise_exc();
	exercise_notify();
	exercise_bootstrap();
	exercise_device();
	exercise_drivers();
	exercise_sockets();
	exercise_inet();
	exercise_console();
	exercise_fs();
	exercise_bounds();
	return failures;
}
