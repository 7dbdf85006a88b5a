/*
 * ext2fs: the ext2 file server (server.h, docs/fs.md).  It mounts the
 * disk its argument names (disk=NAME, by default disk0) and registers
 * the root directory, open for reading by uid 0, in the name service as
 * "ext2fs"; then it serves every open file's port and every mapped
 * file's memory object in turn.
 */
#include <bootstrap.h>
#include <stdarg.h>

#include "server.h"

struct ext2_fs ext2fs;
struct pager_server file_server;
static uint32_t clock_base;     /* seconds since 1970 at mount */

uint32_t server_now(void)
{
	return clock_base + (uint32_t)(mach_clock_ns() / 1000000000u);
}

void ext2_complain(const char *format, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, format);
	mach_vsnprintf(line, sizeof line, format, ap);
	va_end(ap);
	mach_printf("%s\n", line);
}

/* A request, served with its open's credentials in force for the blocks
 * kept for root (fs_S_open puts those it names in force itself). */
static boolean_t serve(mach_msg_header_t *in, mach_msg_header_t *out)
{
	const struct open *o = open_lookup(in->msgh_local_port);

	ext2fs.keep_reserved = o == NULL || !may_use_reserved(o->cred);
	return fs_server(in, out);
}

/* The disk mounted, the root open and registered. */
static kern_return_t start(const char *disk_name)
{
	mach_port_t names = MACH_PORT_NULL;
	struct ext2_dev dev;
	struct open *root;
	bool read_only = false;
	kern_return_t kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);

	if (kr == KERN_SUCCESS)
		kr = disk_open(names, disk_name, &dev, &read_only);
	if (kr == KERN_SUCCESS)
		kr = ext2_mount(&ext2fs, &dev);
	if (kr != KERN_SUCCESS)
		return kr;
	ext2fs.read_only |= read_only;
	clock_base = ext2fs.super.s_wtime > ext2fs.super.s_mtime ? ext2fs.super.s_wtime
								 : ext2fs.super.s_mtime;
	if ((kr = pager_server_init(&file_server, serve)) == KERN_SUCCESS &&
	    (kr = open_new(EXT2_ROOT_INO, FS_OPEN_READ, (struct cred){ 0, 0 }, &root)) ==
		    KERN_SUCCESS &&
	    (kr = mach_port_insert_right(mach_task_self(), root->port, root->port,
					 MACH_MSG_TYPE_MAKE_SEND)) == KERN_SUCCESS)
		kr = bootstrap_register(names, "ext2fs", root->port);
	mach_printf("ext2fs: %s: %u blocks of %u bytes, %u inodes%s\n", disk_name,
		    ext2fs.super.s_blocks_count, ext2fs.block_size, ext2fs.super.s_inodes_count,
		    ext2fs.read_only ? ", read-only" : "");
	return kr;
}

int main(int argc, char **argv, char **envp)
{
	const char *disk_name = mach_arg(argc, argv, "disk");

	(void)envp;
	kern_return_t kr = start(disk_name != NULL ? disk_name : "disk0");
	if (kr != KERN_SUCCESS) {
		mach_printf("ext2fs: cannot start: %s\n", mach_error_name(kr));
		return 1;
	}
	pager_server_set_no_senders(&file_server, open_gone);
	mach_msg_return_t mr = pager_serve(&file_server);
	mach_printf("ext2fs: the receive loop stopped: %s\n", mach_error_name(mr));
	return 1;
}
