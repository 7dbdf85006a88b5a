/*
 * Stand-in servers for the user-served interfaces the kernel's clients
 * meet first: an exception handler (exc.defs) and a notification
 * receiver (notify.defs), both of which the kernel calls, and the name
 * service (bootstrap.defs); the drivers' interfaces, the file server's
 * and the network server's.  Like kernel_servers.c, each
 * function reads every value it is given and answers with made-up
 * values; system_exercise.c calls them.
 */
#include "system_servers.h"

#include <stdlib.h>
#include <string.h>

#include "blkServer.h"
#include "blk_replyServer.h"
#include "bootstrapServer.h"
#include "device_irqServer.h"
#include "excServer.h"
#include "loopback.h"
#include "netServer.h"
#include "net_inputServer.h"
#include "net_replyServer.h"
#include "notifyServer.h"
#include "termServer.h"
#include "term_eventServer.h"
#include "term_replyServer.h"
#include "fsServer.h"
#include "inetServer.h"
#include "inet_replyServer.h"
#include "net_requestServer.h"
#include "socketServer.h"
#include "socket_eventServer.h"

/* exc.defs: resumes the thread past a breakpoint, else passes it on. */
kern_return_t S_exception_raise(mach_port_t exception_port,
				mach_port_t thread, mach_port_t task,
				exception_type_t exception,
				exception_data_t code,
				mach_msg_type_number_t codeCnt,
				thread_state_flavor_t flavor,
				thread_state_t old_state,
				mach_msg_type_number_t old_stateCnt,
				thread_state_t new_state,
				mach_msg_type_number_t *new_stateCnt)
{
	if (*new_stateCnt != THREAD_STATE_MAX)
		system_bound_errors++;
	note(exception_port + thread + task);
	for (mach_msg_type_number_t i = 0; i < codeCnt; i++)
		note((uint64_t)code[i]);
	if (exception != EXC_BREAKPOINT || flavor != X86_64_THREAD_STATE ||
	    old_stateCnt != X86_64_THREAD_STATE_COUNT)
		return KERN_FAILURE;
	memcpy(new_state, old_state, old_stateCnt * sizeof *old_state);
	new_state[32] += 1; /* rip, the 17th 64-bit register: step past */
	*new_stateCnt = old_stateCnt;
	return KERN_SUCCESS;
}

/* notify.defs: a receiver of the kernel's notifications. */

kern_return_t do_mach_notify_port_deleted(mach_port_t notify,
					  mach_port_name_t name)
{
	return note(notify + name);
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify,
					    mach_port_t rights)
{
	return note(notify + rights);
}

kern_return_t do_mach_notify_no_senders(mach_port_t notify,
					natural_t mscount)
{
	return note(notify + mscount);
}

kern_return_t do_mach_notify_send_once(mach_port_t notify)
{
	return note(notify);
}

kern_return_t do_mach_notify_dead_name(mach_port_t notify,
				       mach_port_name_t name)
{
	return note(notify ^ name);
}

/* bootstrap.defs: one name, "console", is registered. */

static kern_return_t check_name(const char *name)
{
	return name[0] == '\0' ? KERN_INVALID_ARGUMENT : KERN_SUCCESS;
}

kern_return_t S_bootstrap_register(mach_port_t bootstrap,
				   bootstrap_name_t name, mach_port_t service)
{
	if (check_name(name) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	if (strcmp(name, "console") == 0)
		return KERN_NAME_EXISTS;
	if (service == MACH_PORT_NULL || service == MACH_PORT_DEAD)
		return KERN_INVALID_RIGHT;
	return note(bootstrap + service + strlen(name));
}

kern_return_t S_bootstrap_look_up(mach_port_t bootstrap,
				  bootstrap_name_t name, mach_port_t *service)
{
	if (check_name(name) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	if (strcmp(name, "console") != 0)
		return KERN_INVALID_NAME;
	*service = bootstrap + 1;
	return KERN_SUCCESS;
}

/* device_irq.defs: a driver's interrupt port. */

kern_return_t device_irq_S_notify(mach_port_t port, uint32_t line, uint32_t count)
{
	return note(port + line * 7 + count);
}

/* blk.defs and blk_reply.defs: a disk and a client's reply port. */

kern_return_t blk_S_info(mach_port_t disk, uint32_t *sector_size, uint64_t *sectors,
			 boolean_t *read_only)
{
	*sector_size = 512;
	*sectors = disk;
	*read_only = FALSE;
	return note(disk);
}

kern_return_t blk_S_read(mach_port_t disk, mach_port_t reply, uint64_t offset,
			 uint32_t length, vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	if (length == 0 || length % 512 || offset % 512)
		return KERN_INVALID_ARGUMENT;
	note(disk + reply + offset + length);
	*data = (vm_offset_t)calloc(1, length);
	if (*data == 0)
		abort();
	*dataCnt = length;
	return KERN_SUCCESS;
}

kern_return_t blk_S_write(mach_port_t disk, mach_port_t reply, uint64_t offset,
			  vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	if (dataCnt == 0 || dataCnt % 512 || offset % 512)
		return KERN_INVALID_ARGUMENT;
	note(disk + reply + offset);
	note_bytes((const void *)data, dataCnt);
	free((void *)data);
	return KERN_SUCCESS;
}

kern_return_t blk_S_flush(mach_port_t disk, mach_port_t reply)
{
	return note(disk + reply);
}

kern_return_t blk_reply_S_read_reply(mach_port_t reply, kern_return_t return_code,
				     vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	note(reply + (uint32_t)return_code);
	note_bytes((const void *)data, dataCnt);
	free((void *)data);
	return KERN_SUCCESS;
}

kern_return_t blk_reply_S_write_reply(mach_port_t reply, kern_return_t return_code)
{
	return note(reply + (uint32_t)return_code);
}

kern_return_t blk_reply_S_flush_reply(mach_port_t reply, kern_return_t return_code)
{
	return note(reply * 3 + (uint32_t)return_code);
}

/* net.defs, net_reply.defs, net_input.defs: a card, a client's reply
 * port, a receiver of frames. */

kern_return_t net_S_info(mach_port_t card, net_address_t address, boolean_t *link_up)
{
	static const uint8_t mac[NET_ADDRESS_SIZE] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

	memcpy(address, mac, sizeof mac);
	*link_up = TRUE;
	return note(card);
}

kern_return_t net_S_send(mach_port_t card, mach_port_t reply, net_frame_t frame,
			 mach_msg_type_number_t frameCnt)
{
	if (frameCnt < 14)
		return KERN_INVALID_ARGUMENT;
	note(card + reply);
	return note_bytes(frame, frameCnt);
}

kern_return_t net_S_set_receiver(mach_port_t card, mach_port_t receiver)
{
	return note(card + receiver);
}

kern_return_t net_reply_S_send_reply(mach_port_t reply, kern_return_t return_code)
{
	return note(reply + (uint32_t)return_code);
}

kern_return_t net_input_S_frame(mach_port_t receiver, net_frame_t frame,
				mach_msg_type_number_t frameCnt)
{
	note(receiver);
	return note_bytes(frame, frameCnt);
}

/* net_request.defs: net.defs's send as the network server asks it. */

kern_return_t net_request_S_send(mach_port_t card, net_frame_t frame,
				 mach_msg_type_number_t frameCnt)
{
	if (frameCnt < 14)
		return KERN_INVALID_ARGUMENT;
	note(card * 3);
	return note_bytes(frame, frameCnt);
}

/* socket.defs, socket_event.defs: the network server's sockets, every
 * one of them SOCKET_PORT, and the receiver of select's answer. */

kern_return_t socket_S_create(mach_port_t server, int32_t kind, int32_t protocol,
			      mach_port_t *sock, int32_t *events)
{
	if (kind < SOCKET_STREAM || kind > SOCKET_RAW)
		return NET_NOT_SUPPORTED;
	*sock = SOCKET_PORT;
	*events = SOCKET_OUT;
	return note(server + (uint32_t)kind * 3 + (uint32_t)protocol);
}

kern_return_t socket_S_bind(mach_port_t sock, uint32_t address, uint32_t port, int32_t *events)
{
	*events = SOCKET_OUT;
	return note(sock + address + port);
}

kern_return_t socket_S_listen(mach_port_t sock, int32_t backlog, int32_t *events)
{
	if (backlog > SOCKET_BACKLOG_MAX)
		return KERN_INVALID_ARGUMENT;
	*events = 0;
	return note(sock + (uint32_t)backlog);
}

kern_return_t socket_S_accept(mach_port_t sock, mach_port_t *new_sock, uint32_t *address,
			      uint32_t *port, int32_t *events)
{
	*new_sock = SOCKET_PORT;
	*address = 0x7f000001;
	*port = 40000;
	*events = 0;
	return note(sock);
}

kern_return_t socket_S_connect(mach_port_t sock, uint32_t address, uint32_t port,
			       int32_t *events)
{
	*events = SOCKET_OUT;
	return note(sock * 3 + address + port);
}

kern_return_t socket_S_send(mach_port_t sock, socket_data_t data, mach_msg_type_number_t dataCnt,
			    int32_t flags, uint32_t address, uint32_t port, uint32_t *sent,
			    int32_t *events)
{
	note_bytes(data, dataCnt);
	*sent = dataCnt;
	*events = SOCKET_OUT;
	return note(sock + (uint32_t)flags + address + port);
}

/* recv: the datagram waiting is 64 bytes of 'd', from 10.0.2.3:53. */
kern_return_t socket_S_recv(mach_port_t sock, uint32_t count, int32_t flags, socket_data_t data,
			    mach_msg_type_number_t *dataCnt, uint32_t *address, uint32_t *port,
			    uint32_t *truncated, int32_t *events)
{
	if (*dataCnt != SOCKET_DATA_MAX)
		system_bound_errors++;
	*dataCnt = count < 64 ? count : 64;
	memset(data, 'd', *dataCnt);
	*truncated = 64 - *dataCnt;
	*address = 0x0a000203;
	*port = 53;
	*events = flags & SOCKET_MSG_PEEK ? SOCKET_IN | SOCKET_OUT : SOCKET_OUT;
	return note(sock + count);
}

kern_return_t socket_S_shutdown(mach_port_t sock, int32_t how, int32_t *events)
{
	if (how < SOCKET_SHUT_RD || how > SOCKET_SHUT_RDWR)
		return KERN_INVALID_ARGUMENT;
	*events = how == SOCKET_SHUT_RD ? SOCKET_OUT : SOCKET_HUP;
	return note(sock + (uint32_t)how);
}

kern_return_t socket_S_name(mach_port_t sock, boolean_t peer, uint32_t *address, uint32_t *port)
{
	*address = peer ? 0x5db8d822 : 0x0a00020f;
	*port = peer ? 80 : 1024;
	return note(sock + peer);
}

kern_return_t socket_S_set_option(mach_port_t sock, int32_t level, int32_t name, int32_t value)
{
	return note(sock + (uint32_t)level * 7 + (uint32_t)name * 3 + (uint32_t)value);
}

kern_return_t socket_S_get_option(mach_port_t sock, int32_t level, int32_t name, int32_t *value)
{
	*value = (int32_t)((uint32_t)level * 100 + (uint32_t)name);
	return note(sock);
}

kern_return_t socket_S_select(mach_port_t sock, mach_port_t notify, uint64_t cookie,
			      int32_t events)
{
	return note(sock + notify + cookie + (uint32_t)events);
}

kern_return_t socket_event_S_ready(mach_port_t notify, uint64_t cookie, int32_t events)
{
	return note(notify * 5 + cookie + (uint32_t)events);
}

/* inet.defs, inet_reply.defs: the network server's public port, with lo
 * and eth0, where every name is 93.184.216.34 and 127.0.0.1; a
 * resolver's reply port. */

kern_return_t inet_S_interfaces(mach_port_t server, inet_interfaces_t list,
				mach_msg_type_number_t *listCnt)
{
	const struct inet_interface two[2] = {
		{ .name = "lo", .flags = INET_IF_UP | INET_IF_LINK | INET_IF_LOOPBACK,
		  .mtu = 16384, .address = 0x7f000001, .netmask = 0xff000000 },
		{ .name = "eth0", .flags = INET_IF_UP | INET_IF_LINK | INET_IF_DHCP,
		  .mtu = 1500, .hardware = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
		  .address = 0x0a00020f, .netmask = 0xffffff00, .gateway = 0x0a000202,
		  .dns = 0x0a000203, .rx_packets = 7, .tx_packets = 5 },
	};

	const mach_msg_type_number_t words = sizeof(two[0]) / sizeof(uint64_t);   /* 13 */

	if (*listCnt != INET_INTERFACES_MAX * words)
		system_bound_errors++;
	if (*listCnt < 2 * words)
		return KERN_INVALID_ARGUMENT;
	memcpy(list, two, sizeof(two));
	*listCnt = 2 * words;
	return note(server);
}

kern_return_t inet_S_resolve(mach_port_t server, mach_port_t reply, inet_name_t name,
			     inet_addresses_t addresses, mach_msg_type_number_t *addressesCnt)
{
	if (name[0] == '\0')
		return KERN_INVALID_ARGUMENT;
	if (*addressesCnt != INET_ADDRESSES_MAX)
		system_bound_errors++;
	if (*addressesCnt < 2)
		return KERN_INVALID_ARGUMENT;
	note_bytes(name, strlen(name));
	addresses[0] = 0x5db8d822;
	addresses[1] = 0x7f000001;
	*addressesCnt = 2;
	return note(server + reply);
}

kern_return_t inet_reply_S_resolve_reply(mach_port_t reply, kern_return_t return_code,
					 inet_addresses_t addresses,
					 mach_msg_type_number_t addressesCnt)
{
	note_bytes(addresses, addressesCnt * sizeof(*addresses));
	return note(reply + (uint32_t)return_code);
}

/* term.defs, term_reply.defs, term_event.defs: the console, a client's
 * reply port, an owner's events port. */

kern_return_t term_S_read(mach_port_t term, mach_port_t reply, natural_t count,
			  natural_t timeout, term_data_t data, mach_msg_type_number_t *dataCnt)
{
	static const char typed[] = "typed\n";

	if (count == 0 || count > TERM_IO_MAX)
		return KERN_INVALID_ARGUMENT;
	if (*dataCnt != TERM_IO_MAX)
		system_bound_errors++;
	note(term + reply + count + timeout);
	*dataCnt = count < sizeof typed - 1 ? count : sizeof typed - 1;
	memcpy(data, typed, *dataCnt);
	return KERN_SUCCESS;
}

kern_return_t term_S_write(mach_port_t term, mach_port_t reply, term_data_t data,
			   mach_msg_type_number_t dataCnt)
{
	note(term + reply);
	return note_bytes(data, dataCnt);
}

kern_return_t term_S_claim(mach_port_t term, mach_port_t events, mach_port_t *owner)
{
	*owner = term;   /* the loopback serves one port for the console */
	return note(term + events);
}

kern_return_t term_S_release(mach_port_t term)
{
	return note(term);
}

kern_return_t term_S_get_mode(mach_port_t term, natural_t *mode)
{
	*mode = TERM_MODE_COOKED;
	return note(term);
}

kern_return_t term_S_set_mode(mach_port_t term, natural_t mode)
{
	if (mode & ~TERM_MODE_COOKED)
		return KERN_INVALID_VALUE;
	return note(term + mode);
}

kern_return_t term_S_get_winsize(mach_port_t term, natural_t *rows, natural_t *cols)
{
	*rows = TERM_ROWS_DEFAULT;
	*cols = TERM_COLS_DEFAULT;
	return note(term);
}

kern_return_t term_S_set_winsize(mach_port_t term, natural_t rows, natural_t cols)
{
	if (rows == 0 || cols == 0)
		return KERN_INVALID_ARGUMENT;
	return note(term + rows * 7 + cols);
}

kern_return_t term_reply_S_read_reply(mach_port_t reply, kern_return_t return_code,
				      term_data_t data, mach_msg_type_number_t dataCnt)
{
	note(reply + (uint32_t)return_code);
	return note_bytes(data, dataCnt);
}

kern_return_t term_reply_S_write_reply(mach_port_t reply, kern_return_t return_code)
{
	return note(reply * 5 + (uint32_t)return_code);
}

kern_return_t term_event_S_interrupt(mach_port_t events, natural_t count)
{
	return note(events + count);
}

kern_return_t term_event_S_suspend(mach_port_t events, natural_t count)
{
	return note(events * 3 + count);
}

/* fs.defs: a file server whose every open file is FS_PORT, and whose
 * files hold zeros. */
static kern_return_t fs_data(uint32_t size, vm_offset_t *data, mach_msg_type_number_t *count)
{
	if (size > FS_IO_MAX)
		return KERN_INVALID_VALUE;
	*data = (vm_offset_t)calloc(1, size ? size : 1);
	if (*data == 0)
		abort();
	*count = size;
	return KERN_SUCCESS;
}

kern_return_t fs_S_open(mach_port_t dir, fs_path_t path, uint32_t flags, uint32_t mode,
			uint32_t uid, uint32_t gid, mach_port_t *opened)
{
	if (flags & ~FS_OPEN_FLAGS)
		return KERN_INVALID_VALUE;
	*opened = FS_PORT;
	note_bytes(path, strlen(path));
	return note(dir + flags + mode + uid + gid);
}

kern_return_t fs_S_close(mach_port_t file)
{
	return note(file);
}

kern_return_t fs_S_read(mach_port_t file, uint32_t size, vm_offset_t *data,
			mach_msg_type_number_t *dataCnt)
{
	note(file + size);
	return fs_data(size, data, dataCnt);
}

kern_return_t fs_S_write(mach_port_t file, vm_offset_t data, mach_msg_type_number_t dataCnt,
			 uint32_t *written)
{
	*written = dataCnt;
	note(file);
	note_bytes((const void *)data, dataCnt);
	free((void *)data);   /* the request's: the server's on success */
	return KERN_SUCCESS;
}

kern_return_t fs_S_seek(mach_port_t file, int64_t offset, uint32_t whence, uint64_t *position)
{
	if (whence > FS_SEEK_END || offset < 0)
		return KERN_INVALID_VALUE;
	*position = (uint64_t)offset;
	return note(file + whence);
}

kern_return_t fs_S_stat(mach_port_t file, fs_stat_t *st)
{
	*st = (fs_stat_t){ .ino = 2, .mode = FS_S_IFDIR | 0755, .links = 3, .block_size = 1024 };
	return note(file);
}

kern_return_t fs_S_readdir(mach_port_t dir, uint64_t cookie, uint32_t size, vm_offset_t *entries,
			   mach_msg_type_number_t *entriesCnt, uint64_t *next)
{
	*next = FS_DIR_END;
	note(dir + cookie);
	return fs_data(size, entries, entriesCnt);
}

kern_return_t fs_S_mkdir(mach_port_t dir, fs_name_t name, uint32_t mode)
{
	note_bytes(name, strlen(name));
	return note(dir + mode);
}

kern_return_t fs_S_unlink(mach_port_t dir, fs_name_t name)
{
	note_bytes(name, strlen(name));
	return note(dir);
}

kern_return_t fs_S_rmdir(mach_port_t dir, fs_name_t name)
{
	note_bytes(name, strlen(name));
	return note(dir * 3);
}

kern_return_t fs_S_link(mach_port_t dir, fs_name_t name, mach_port_t file)
{
	note_bytes(name, strlen(name));
	return note(dir + file);
}

kern_return_t fs_S_symlink(mach_port_t dir, fs_name_t name, fs_path_t target)
{
	note_bytes(name, strlen(name));
	note_bytes(target, strlen(target));
	return note(dir);
}

kern_return_t fs_S_readlink(mach_port_t dir, fs_path_t path, fs_path_t target)
{
	note_bytes(path, strlen(path));
	strcpy(target, "target");
	return note(dir);
}

kern_return_t fs_S_rename(mach_port_t from_dir, fs_name_t from, mach_port_t to_dir,
			  fs_name_t to)
{
	note_bytes(from, strlen(from));
	note_bytes(to, strlen(to));
	return note(from_dir + to_dir);
}

kern_return_t fs_S_truncate(mach_port_t file, uint64_t size)
{
	return note(file + size);
}

kern_return_t fs_S_chmod(mach_port_t file, uint32_t mode)
{
	return note(file + mode);
}

kern_return_t fs_S_chown(mach_port_t file, uint32_t uid, uint32_t gid)
{
	return note(file + uid * 3 + gid);
}

kern_return_t fs_S_utimes(mach_port_t file, uint64_t atime, uint64_t mtime)
{
	return note(file + atime * 5 + mtime);
}

kern_return_t fs_S_fsync(mach_port_t file)
{
	return note(file * 7);
}

kern_return_t fs_S_statfs(mach_port_t file, fs_statfs_t *st)
{
	*st = (fs_statfs_t){ .block_size = 4096, .blocks = 100, .blocks_free = 40,
			     .blocks_available = 35, .files = 64, .files_free = 60 };
	return note(file);
}

kern_return_t fs_S_sync(mach_port_t file)
{
	return note(file * 11);
}

kern_return_t fs_S_map(mach_port_t file, mach_port_t *object, vm_prot_t *max_protection)
{
	*object = FS_PORT;
	*max_protection = VM_PROT_READ | VM_PROT_EXECUTE;
	return note(file * 13);
}

void user_serve(void)
{
	loopback_serve(EXC_PORT, exc_server, exc_MAX_REPLY_SIZE);
	loopback_serve(NOTIFY_PORT, notify_server, notify_MAX_REPLY_SIZE);
	loopback_serve(IRQ_PORT, device_irq_server, device_irq_MAX_REPLY_SIZE);
	loopback_serve(BLK_PORT, blk_server, blk_MAX_REPLY_SIZE);
	loopback_serve(BLK_REPLY_PORT, blk_reply_server, blk_reply_MAX_REPLY_SIZE);
	loopback_serve(NET_PORT, net_server, net_MAX_REPLY_SIZE);
	loopback_serve(NET_REPLY_PORT, net_reply_server, net_reply_MAX_REPLY_SIZE);
	loopback_serve(NET_INPUT_PORT, net_input_server, net_input_MAX_REPLY_SIZE);
	loopback_serve(NET_REQUEST_PORT, net_request_server, net_request_MAX_REPLY_SIZE);
	loopback_serve(SOCKET_PORT, socket_server, socket_MAX_REPLY_SIZE);
	loopback_serve(SOCKET_EVENT_PORT, socket_event_server, socket_event_MAX_REPLY_SIZE);
	loopback_serve(INET_PORT, inet_server, inet_MAX_REPLY_SIZE);
	loopback_serve(INET_REPLY_PORT, inet_reply_server, inet_reply_MAX_REPLY_SIZE);
	loopback_serve(TERM_PORT, term_server, term_MAX_REPLY_SIZE);
	loopback_serve(TERM_REPLY_PORT, term_reply_server, term_reply_MAX_REPLY_SIZE);
	loopback_serve(TERM_EVENT_PORT, term_event_server, term_event_MAX_REPLY_SIZE);
	loopback_serve(FS_PORT, fs_server, fs_MAX_REPLY_SIZE);
	loopback_serve(BOOTSTRAP_PORT, bootstrap_server,
		       bootstrap_MAX_REPLY_SIZE);
}
