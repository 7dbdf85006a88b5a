/*
 * ext2fs, the server (docs/fs.md): the file system core (ext2fs.h) on a
 * disk of the block driver, served through idl/defs/fs.defs.
 *
 *   main.c     the arguments, the mount, the receive loop
 *   disk.c     the disk, behind a write-back cache
 *   opens.c    open files: a port each, with its inode, access, offset
 *              and credentials; permission checks
 *   io.c       open, close, read, write, seek, stat, readdir
 *   names.c    mkdir, unlink, rmdir, link, symlink, readlink, rename
 *   attrs.c    truncate, chmod, chown, utimes, fsync, sync
 *
 * One thread serves every request in turn, so the file system and the
 * open files need no locks.
 */
#pragma once

#include <fsServer.h>
#include <mach/fs_types.h>
#include <mach/mach.h>

#include "ext2fs.h"

/* Open files at once, at most. */
#define OPENS_MAX 256

/* The file system served: mounted at start (main.c). */
extern struct ext2_fs ext2fs;

/* Seconds since 1970, as the file system's clock goes (main.c): the
 * superblock's last write time at mount, and the uptime since. */
uint32_t server_now(void);

/* ---- disk.c ---- */

struct disk_stats {
	uint64_t reads, writes, hits, flushes;
};

/* The disk registered as name (waited for while the driver starts), as a
 * device for the core; *read_only if the disk is.  Errors: FS_NOT_FOUND,
 * KERN_NOT_SUPPORTED (sectors that do not divide a page), blk_info's. */
kern_return_t disk_open(mach_port_t names, const char *name, struct ext2_dev *dev,
			bool *read_only);
struct disk_stats disk_stats(void);

/* ---- opens.c ---- */

struct cred {
	uint32_t uid, gid;
};

struct open {
	mach_port_t port;     /* its receive right; MACH_PORT_NULL: a free slot */
	uint32_t ino;
	uint32_t flags;       /* FS_OPEN_* */
	uint64_t offset;
	struct cred cred;
};

/* The port set every open file's port is in. */
extern mach_port_t opens_set;

kern_return_t opens_init(void);
/* A new open of ino, its port (with a send right for the caller) in
 * o->port.  Errors: KERN_RESOURCE_SHORTAGE, mach_port_allocate's. */
kern_return_t open_new(uint32_t ino, uint32_t flags, struct cred cred, struct open **o);
/* The open file whose port is name, or NULL. */
struct open *open_lookup(mach_port_t name);
/* Ends o and its port; its inode goes too if nothing names it and no
 * other open has it. */
void open_end(struct open *o);
/* Whether any open has ino. */
bool open_has(uint32_t ino);

/* The access bits of want (4 read, 2 write, 1 search or execute) that
 * cred lacks on node: 0 if it may. */
bool may(const struct ext2_node *node, struct cred cred, unsigned want);
/* io.c: the inode at path from the directory at, walked as cred (search
 * permission on every directory looked in).  Errors: ext2_namei's,
 * FS_ACCESS_DENIED. */
kern_return_t walk_as(uint32_t at, const char *path, bool follow, struct cred cred,
		      struct ext2_node *node);

/* The inode of o, read.  Errors: ext2_inode_get's. */
kern_return_t open_node(const struct open *o, struct ext2_node *node);
/* Frees node if nothing names it and no open has it. */
kern_return_t release_if_unused(struct ext2_node *node);
